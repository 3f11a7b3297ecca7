// Raw connections that Deno's own TLS cannot open, for a protocol upgrade (port forwarding):
// a cluster with insecure-skip-tls-verify or tls-server-name, or a kubeconfig proxy-url (an HTTP
// CONNECT tunnel, as client-go uses for upgrades). node:net and node:tls are loaded only here,
// only when such a cluster forwards a port. The socket is handed on as web streams.

import type { Credential, TlsSettings } from "./credentials.ts";
import { KubeConnectionError } from "./errors.ts";
import type { RawConn } from "./connector.ts";

type Socket = import("node:net").Socket;

function once(socket: Socket, ok: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (e: Error) => {
      socket.off(ok, done);
      reject(e);
    };
    const done = () => {
      socket.off("error", fail);
      resolve();
    };
    socket.once(ok, done);
    socket.once("error", fail);
  });
}

/** CONNECT host:port through the proxy; resolves once the proxy answered 200. */
async function connectThrough(proxyUrl: string, target: string): Promise<Socket> {
  const net = await import("node:net");
  const proxy = new URL(proxyUrl);
  if (proxy.protocol !== "http:") {
    throw new Error(
      `proxy-url ${proxy.protocol}// is not supported for port forwarding; use http://`,
    );
  }
  const socket = net.connect({ host: proxy.hostname, port: Number(proxy.port) || 80 });
  await once(socket, "connect");
  const auth = proxy.username
    ? `Proxy-Authorization: Basic ${
      btoa(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`)
    }\r\n`
    : "";
  socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
  const head = await new Promise<string>((resolve, reject) => {
    let text = "";
    const onData = (chunk: Uint8Array) => {
      text += new TextDecoder().decode(chunk);
      if (text.includes("\r\n\r\n")) {
        socket.off("data", onData);
        socket.off("error", reject);
        socket.pause();
        resolve(text);
      } else if (text.length > 16384) reject(new Error("the proxy's answer is too long"));
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
  if (status !== "200") {
    socket.destroy();
    throw new Error(`the proxy refused CONNECT ${target}: ${head.split("\r\n")[0]}`);
  }
  return socket;
}

export async function dialNode(tls: TlsSettings, cred: Credential): Promise<RawConn> {
  const url = new URL(tls.server);
  const secure = url.protocol === "https:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port) || (secure ? 443 : 80);
  const { Duplex } = await import("node:stream");
  let socket: Socket;
  try {
    const raw = tls.proxyUrl ? await connectThrough(tls.proxyUrl, `${url.host}`) : undefined;
    if (secure) {
      const nodeTls = await import("node:tls");
      const net = await import("node:net");
      const servername = tls.servername ?? (net.isIP(host) ? undefined : host);
      socket = nodeTls.connect({
        ...(raw ? { socket: raw } : { host, port }),
        ...(servername ? { servername } : {}),
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(cred.cert && cred.key ? { cert: cred.cert, key: cred.key } : {}),
        rejectUnauthorized: !tls.insecure,
        ALPNProtocols: ["http/1.1"],
      });
      await once(socket, "secureConnect");
    } else if (raw) {
      socket = raw;
    } else {
      const net = await import("node:net");
      socket = net.connect({ host, port });
      await once(socket, "connect");
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const tlsProblem = /certificate|x509|self[- ]signed|TLS|SSL|altnames/i.test(why);
    throw new KubeConnectionError(
      tlsProblem ? "tls" : "unreachable",
      tlsProblem
        ? `TLS with ${tls.server} failed: ${why}; check the cluster's certificate-authority`
        : `cannot reach the Kubernetes API server at ${tls.server}: ${why}`,
      tls.server,
    );
  }
  socket.resume();
  const web = Duplex.toWeb(socket) as {
    readable: ReadableStream<Uint8Array>;
    writable: WritableStream<Uint8Array>;
  };
  return { readable: web.readable, writable: web.writable, close: () => socket.destroy() };
}
