// Port forwarding to a pod over SPDY (portforward.k8s.io), as client-go and the Go server do: one
// upgraded connection per tunnel (a `create` on pods/portforward, the verb RBAC grants for port
// forwarding on every Kubernetes version), and per forwarded TCP connection a pair of streams:
// "error" (the kubelet writes why it could not connect) and "data" (the bytes).
//
// Why SPDY and not the WebSocket channel protocol (v4.channel.k8s.io): on Kubernetes ≤ 1.34 a
// WebSocket port-forward is a GET, which RBAC checks as `get pods/portforward`, so any user with
// read access to every resource (get on "*") could open tunnels, and a user granted only `create`
// (what the Go server documents) could not. SPDY keeps the Go server's RBAC meaning. It also
// multiplexes every local connection over one TLS connection, where the channel protocol needs
// one WebSocket (one TLS handshake and one audit event) per local connection.

import type { KubeHttp } from "./http.ts";
import { type SpdySession, SpdySession as Session, type SpdyStream } from "./spdy.ts";
import type { PortForwardConnection, PortForwardTunnel } from "./types.ts";

export const PORT_FORWARD_PROTOCOL = "portforward.k8s.io";

class Tunnel implements PortForwardTunnel {
  readonly #session: SpdySession;
  #requestId = 0;

  constructor(session: SpdySession) {
    this.#session = session;
  }

  get closed(): Promise<string> {
    return this.#session.closed;
  }

  get isClosed(): boolean {
    return this.#session.isClosed;
  }

  get bytesIn(): number {
    return this.#session.bytesIn;
  }

  get bytesOut(): number {
    return this.#session.bytesOut;
  }

  connect(port: number): PortForwardConnection {
    const requestid = String(this.#requestId++);
    const common = { port: String(port), requestid };
    const errorStream = this.#session.openStream({ streamtype: "error", ...common });
    errorStream.closeWrite().catch(() => {});
    const dataStream: SpdyStream = this.#session.openStream({ streamtype: "data", ...common });
    const error = readAll(errorStream.readable);
    return {
      readable: dataStream.readable,
      replied: dataStream.replied,
      write: (b) => dataStream.write(b),
      closeWrite: () => dataStream.closeWrite(),
      error,
      reset: () => {
        dataStream.reset();
        errorStream.reset();
      },
    };
  }

  close(why?: string): Promise<void> {
    return this.#session.close(why);
  }
}

/** The text a stream carried, even when it ends in a reset (the kubelet writes, then resets). */
async function readAll(readable: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = readable.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      if (text.length < 4096) text += decoder.decode(r.value, { stream: true });
    }
  } catch {
    // reset or tunnel closed: what arrived is the answer
  }
  return (text + decoder.decode()).trim();
}

/** Opens the tunnel: the upgrade (401/403/404 come back as KubeApiError), then the session. */
export async function openPortForward(
  http: KubeHttp,
  namespace: string,
  pod: string,
  signal?: AbortSignal,
): Promise<PortForwardTunnel> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/` +
    `${encodeURIComponent(pod)}/portforward`;
  const { conn, leftover } = await http.upgrade(path, {
    Connection: "Upgrade",
    Upgrade: "SPDY/3.1",
    "X-Stream-Protocol-Version": PORT_FORWARD_PROTOCOL,
  }, signal);
  return new Tunnel(new Session(conn, leftover));
}
