// An HTTP/1.1 protocol upgrade on a raw connection: the request line and headers out, the status
// and headers back, and the bytes after them (the new protocol's first bytes). Written by hand
// because fetch cannot hand over an upgraded connection (Deno's and undici's fetch refuse
// `Upgrade`), and Deno's WebSocket does not speak SPDY. A refused upgrade becomes the same
// KubeApiError a normal request gets, with the API server's Status message.

import { KubeApiError } from "./errors.ts";
import type { RawConn } from "./connector.ts";

const MAX_HEAD = 64 * 1024;
const MAX_BODY = 64 * 1024;

export interface UpgradeResult {
  /** Bytes that arrived after the 101's headers: they belong to the new protocol. */
  leftover: Uint8Array;
  headers: Headers;
}

function indexOfHeadEnd(buf: Uint8Array): number {
  for (let i = 3; i < buf.length; i++) {
    if (buf[i] === 10 && buf[i - 1] === 13 && buf[i - 2] === 10 && buf[i - 3] === 13) {
      return i + 1;
    }
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Sends `method path` with the upgrade headers and reads the answer. Resolves on 101 Switching
 * Protocols; throws KubeApiError with the server's message on any other status. The caller owns
 * (and closes) the connection either way.
 */
export async function httpUpgrade(
  conn: RawConn,
  opts: { method: string; host: string; path: string; headers: Record<string, string> },
  signal: AbortSignal,
): Promise<UpgradeResult> {
  const lines = [`${opts.method} ${opts.path} HTTP/1.1`, `Host: ${opts.host}`];
  for (const [k, v] of Object.entries(opts.headers)) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new Error(`header ${k} holds a line break`);
    lines.push(`${k}: ${v}`);
  }
  lines.push("Content-Length: 0", "", "");
  const onAbort = () => conn.close();
  signal.addEventListener("abort", onAbort, { once: true });
  const writer = conn.writable.getWriter();
  const reader = conn.readable.getReader();
  const read = async (): Promise<Uint8Array | null> => {
    const r = await reader.read();
    return r.done ? null : r.value;
  };
  try {
    await writer.write(new TextEncoder().encode(lines.join("\r\n")));
    let buf: Uint8Array = new Uint8Array();
    let end = -1;
    while (end < 0) {
      if (buf.length > MAX_HEAD) throw new Error("the answer's headers exceed 64 KiB");
      const chunk = await read();
      if (chunk === null) throw new Error("the connection closed before the answer's headers");
      buf = concat(buf, chunk);
      end = indexOfHeadEnd(buf);
    }
    const head = new TextDecoder().decode(buf.subarray(0, end - 4)).split("\r\n");
    const status = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(head[0] ?? "");
    if (!status) {
      throw new Error(`not an HTTP answer: ${JSON.stringify((head[0] ?? "").slice(0, 80))}`);
    }
    const headers = new Headers();
    for (const line of head.slice(1)) {
      const i = line.indexOf(":");
      if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
    }
    let rest = buf.subarray(end);
    const code = Number(status[1]);
    if (code === 101) return { leftover: rest.slice(), headers };

    // The body, as far as it is announced (or until close), for the Status message.
    const length = Number(headers.get("content-length") ?? NaN);
    const want = Number.isFinite(length) ? Math.min(length, MAX_BODY) : MAX_BODY;
    while (rest.length < want) {
      const chunk = await read().catch(() => null);
      if (chunk === null) break;
      rest = concat(rest, chunk);
    }
    const text = new TextDecoder().decode(rest.subarray(0, want));
    let parsed: { message?: string; reason?: string } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // a kubelet or a proxy answered in plain text
    }
    const message = parsed.message ?? (text.trim() || status[2] || `HTTP ${code}`);
    throw new KubeApiError(code, parsed.reason ?? status[2] ?? "", message, opts.path);
  } finally {
    signal.removeEventListener("abort", onAbort);
    // The new protocol takes the streams over.
    writer.releaseLock();
    reader.releaseLock();
  }
}
