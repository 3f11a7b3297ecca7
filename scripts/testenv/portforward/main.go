// The fake kubelet's front door: an HTTPS server on 127.0.0.1 that the real kube-apiserver's
// pods/portforward proxy reaches (the Node's kubeletEndpoint port). It serves
// /portForward/{ns}/{pod}[/{uid}] with the kubelet's own streaming library (SPDY and the WebSocket
// channel protocol, exactly as a real kubelet or containerd would) and passes every other request
// (logs, /healthz) to kubelet.ts unchanged.
//
// A "pod port" is a real loopback TCP server started on first use for each (pod uid, declared
// containerPort): GET / answers 200 with the pod's name. A port the pod does not declare is
// refused (a real dial to a closed port), a pod that is gone or not Running is an error on the
// error stream, as with a real runtime. Pods are looked up through the API server, like a kubelet.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sync"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubelet/pkg/cri/streaming/portforward"
)

type pod struct {
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
		UID       string `json:"uid"`
	} `json:"metadata"`
	Spec struct {
		Containers     []container `json:"containers"`
		InitContainers []container `json:"initContainers"`
	} `json:"spec"`
	Status struct {
		Phase string `json:"phase"`
	} `json:"status"`
}

type container struct {
	Ports []struct {
		ContainerPort int32  `json:"containerPort"`
		Protocol      string `json:"protocol"`
	} `json:"ports"`
}

func (p *pod) declares(port int32) bool {
	for _, c := range append(append([]container{}, p.Spec.Containers...), p.Spec.InitContainers...) {
		for _, cp := range c.Ports {
			if cp.ContainerPort == port && (cp.Protocol == "" || cp.Protocol == "TCP") {
				return true
			}
		}
	}
	return false
}

type kubelet struct {
	apiserver string
	api       *http.Client
	mu        sync.Mutex
	targets   map[string]string // "<uid>/<port>" -> "127.0.0.1:N"
}

var errNotFound = fmt.Errorf("not found")

func (k *kubelet) getPod(ctx context.Context, ns, name string) (*pod, error) {
	u := fmt.Sprintf("%s/api/v1/namespaces/%s/pods/%s", k.apiserver, url.PathEscape(ns), url.PathEscape(name))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "fake-kubelet")
	resp, err := k.api.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, errNotFound
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return nil, fmt.Errorf("pod lookup: %s: %s", resp.Status, b)
	}
	var p pod
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return nil, err
	}
	return &p, nil
}

// target returns the loopback address of the pod's server on port, starting it on first use.
func (k *kubelet) target(p *pod, port int32) (string, error) {
	key := fmt.Sprintf("%s/%d", p.Metadata.UID, port)
	k.mu.Lock()
	defer k.mu.Unlock()
	if addr, ok := k.targets[key]; ok {
		return addr, nil
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	name := p.Metadata.Name
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, name)
	}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck
	k.targets[key] = ln.Addr().String()
	logJSON(map[string]any{"event": "pod-port-server", "pod": p.Metadata.Namespace + "/" + name, "port": port, "addr": ln.Addr().String()})
	return ln.Addr().String(), nil
}

// closedAddr is a loopback address nothing listens on: dialing it is refused for real.
func closedAddr() string {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return "127.0.0.1:1"
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

type forwarder struct {
	k         *kubelet
	namespace string
	uid       string
}

func (f *forwarder) PortForward(ctx context.Context, name string, _ types.UID, port int32, stream io.ReadWriteCloser) error {
	p, err := f.k.getPod(ctx, f.namespace, name)
	if err == errNotFound || (err == nil && p.Metadata.UID != f.uid) {
		return fmt.Errorf("failed to find sandbox for pod %q: pod was deleted", name)
	}
	if err != nil {
		return err
	}
	if p.Status.Phase != "Running" {
		return fmt.Errorf("pod %q is not running (phase %s)", name, p.Status.Phase)
	}
	addr := closedAddr()
	if p.declares(port) {
		if addr, err = f.k.target(p, port); err != nil {
			return err
		}
	}
	conn, err := net.DialTimeout("tcp4", addr, 5*time.Second)
	if errors.Is(err, syscall.ECONNREFUSED) {
		// As containerd words it; the address dialed here is not the pod's, so it is not shown.
		return fmt.Errorf("failed to connect to localhost:%d inside namespace of pod %q: connect: connection refused", port, name)
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	go func() {
		io.Copy(conn, stream) //nolint:errcheck
		conn.(*net.TCPConn).CloseWrite()
	}()
	_, err = io.Copy(stream, conn)
	return err
}

var logMu sync.Mutex

func logJSON(v map[string]any) {
	b, _ := json.Marshal(v)
	logMu.Lock()
	defer logMu.Unlock()
	fmt.Fprintln(os.Stderr, string(b))
}

func (k *kubelet) servePortForward(w http.ResponseWriter, r *http.Request) {
	ns, name := r.PathValue("ns"), r.PathValue("pod")
	logJSON(map[string]any{
		"event": "portforward", "method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery,
		"upgrade": r.Header.Get("Upgrade"), "wsProtocol": r.Header.Get("Sec-WebSocket-Protocol"),
		"streamProtocol": r.Header.Values("X-Stream-Protocol-Version"),
	})
	opts, err := portforward.NewV4Options(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p, err := k.getPod(r.Context(), ns, name)
	if err == errNotFound {
		http.Error(w, fmt.Sprintf("pod %s/%s not found", ns, name), http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if uid := r.PathValue("uid"); uid != "" && uid != p.Metadata.UID {
		http.Error(w, "pod uid mismatch", http.StatusNotFound)
		return
	}
	f := &forwarder{k: k, namespace: ns, uid: p.Metadata.UID}
	portforward.ServePortForward(w, r, f, name, types.UID(p.Metadata.UID), opts,
		5*time.Minute, 30*time.Second, portforward.SupportedProtocols)
}

func main() {
	port := flag.Int("port", 0, "HTTPS port (the Node's kubeletEndpoint)")
	cert := flag.String("cert", "", "serving certificate")
	key := flag.String("key", "", "serving key")
	upstream := flag.String("upstream", "", "kubelet.ts base URL (https://127.0.0.1:N) for everything but portForward")
	apiserver := flag.String("apiserver", "", "kube-apiserver base URL")
	ca := flag.String("ca", "", "CA of the apiserver and kubelet.ts")
	clientCert := flag.String("client-cert", "", "client certificate for pod lookups")
	clientKey := flag.String("client-key", "", "client key for pod lookups")
	flag.Parse()

	caPEM, err := os.ReadFile(*ca)
	if err != nil {
		log.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	pair, err := tls.LoadX509KeyPair(*clientCert, *clientKey)
	if err != nil {
		log.Fatal(err)
	}
	k := &kubelet{
		apiserver: *apiserver,
		api: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}},
		}},
		targets: map[string]string{},
	}
	up, err := url.Parse(*upstream)
	if err != nil {
		log.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(up)
	proxy.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}

	mux := http.NewServeMux()
	for _, pattern := range []string{"/portForward/{ns}/{pod}", "/portForward/{ns}/{pod}/{uid}"} {
		mux.HandleFunc("GET "+pattern, k.servePortForward)
		mux.HandleFunc("POST "+pattern, k.servePortForward)
	}
	mux.Handle("/", proxy)

	srv := &http.Server{
		Addr:    fmt.Sprintf("127.0.0.1:%d", *port),
		Handler: mux,
		// HTTP/1.1 only: upgrades (SPDY, WebSocket) need a hijackable connection.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	logJSON(map[string]any{"event": "listening", "addr": srv.Addr})
	log.Fatal(srv.ListenAndServeTLS(*cert, *key))
}
