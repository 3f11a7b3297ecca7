// Small HTTP helpers shared by the HTTP transports: JSON-RPC error replies, a bounded body
// reader, and the Host/Origin guard that stops DNS rebinding. Pure apart from reading bodies.

import { quote } from "../text/quote.ts";
import { hostAllowed, parseAuthority, parseOrigin } from "./host_check.ts";

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The most messages one POST may carry, on both transports. Each request may produce an answer
 * of up to MAX_RESULT_BYTES (src/mcp/server.ts), so this bounds what one small POST can make the
 * server hold: a batch of 100 list calls once produced an 83.5 MB answer and a 1.16 GB peak.
 */
export const MAX_BATCH = 20;

/** The 400 a batch over MAX_BATCH gets, or undefined. */
export function batchTooLarge(parsed: unknown): Response | undefined {
  if (!Array.isArray(parsed) || parsed.length <= MAX_BATCH) return undefined;
  return rpcError(
    400,
    -32600,
    `Invalid Request: a batch may hold at most ${MAX_BATCH} messages; this one has ` +
      `${parsed.length}. Send them in smaller batches`,
  );
}

/** How many tools/call requests (with an id) a parsed body holds. */
export function toolCallCount(parsed: unknown): number {
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  return messages.filter((m) =>
    typeof m === "object" && m !== null && (m as { method?: unknown }).method === "tools/call" &&
    (m as { id?: unknown }).id !== undefined
  ).length;
}

/**
 * 429 with Retry-After, and a JSON-RPC error for each request of the body that says the server
 * is busy (code -32000, the implementation-defined server error range).
 */
export function busyResponse(
  parsed: unknown,
  busy: { message: string; reason: string; retryAfterS: number },
): Response {
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  const error = {
    code: -32000,
    message: busy.message,
    data: { reason: busy.reason, retryAfterSeconds: busy.retryAfterS },
  };
  const answers = messages
    .filter((m) => typeof m === "object" && m !== null && (m as { id?: unknown }).id !== undefined)
    .map((m) => ({ jsonrpc: "2.0", id: (m as { id: unknown }).id, error }));
  return Response.json(
    Array.isArray(parsed) ? answers : answers[0] ?? { jsonrpc: "2.0", id: null, error },
    {
      status: 429,
      headers: { "retry-after": String(busy.retryAfterS) },
    },
  );
}

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

/**
 * A browser page on another site can reach a loopback server by rebinding its own DNS name to
 * 127.0.0.1; the Host header then still names that site. So only loopback literals, localhost
 * and names the operator allowed are served; an Origin, when a browser sends one, must pass the
 * same test.
 */
export function rebindingGuard(
  allowedHosts: readonly string[],
): (req: Request) => Response | undefined {
  const allowed = new Set(allowedHosts.map((h) => h.trim().toLowerCase()));
  return (req) => {
    const host = req.headers.get("host");
    if (host === null || !hostAllowed(parseAuthority(host), allowed)) {
      return rpcError(
        403,
        -32000,
        `Invalid Host header: ${host === null ? "(none)" : quote(host)}; ` +
          "only loopback addresses, localhost and --allowed-hosts are served",
      );
    }
    const origin = req.headers.get("origin");
    if (origin !== null && !hostAllowed(parseOrigin(origin), allowed)) {
      return rpcError(403, -32000, `Invalid Origin header: ${quote(origin)}`);
    }
    return undefined;
  };
}
