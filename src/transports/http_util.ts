// Small HTTP helpers shared by the HTTP transports: JSON-RPC error replies, a bounded body
// reader, and the Host/Origin checks that stop DNS rebinding. Pure apart from reading bodies.

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function rpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}

/** The body as text, or a 413 response once it passes `max` bytes. */
export async function readLimited(req: Request, max: number): Promise<string | Response> {
  const tooLarge = () => rpcError(413, -32000, `Request body larger than ${max / 1024 / 1024} MiB`);
  if (Number(req.headers.get("content-length") ?? 0) > max) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body ?? []) {
    size += chunk.length;
    if (size > max) return tooLarge();
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

export function isLoopback(host: string): boolean {
  return ["localhost", "::1", "[::1]"].includes(host) || /^127\./.test(host);
}

function hostname(value: string, scheme: string): string | undefined {
  try {
    return new URL(value.includes("://") ? value : `${scheme}${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * A browser page on another site can reach a loopback server by rebinding its own DNS name to
 * 127.0.0.1; the Host header then still names that site. So only loopback names, and names the
 * operator allowed, are served; an Origin, when a browser sends one, must pass the same test.
 */
export function rebindingGuard(
  allowedHosts: readonly string[],
): (req: Request) => Response | undefined {
  const allowed = new Set([...LOOPBACK_NAMES, ...allowedHosts.map((h) => h.toLowerCase())]);
  const ok = (name: string | undefined) =>
    name !== undefined && (allowed.has(name) || /^127\./.test(name));
  return (req) => {
    const host = req.headers.get("host");
    if (!ok(host ? hostname(host, "http://") : undefined)) {
      return rpcError(403, -32000, `Invalid Host header: ${host ?? "(none)"}`);
    }
    const origin = req.headers.get("origin");
    if (origin !== null && !ok(hostname(origin, ""))) {
      return rpcError(403, -32000, `Invalid Origin header: ${origin}`);
    }
    return undefined;
  };
}
