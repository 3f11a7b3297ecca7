// The HTTP transports on Deno.serve: legacy SSE (/sse + /message) or stateless streamable HTTP
// (/mcp), with /healthz and /readyz, Host/Origin checks, a body limit and graceful shutdown.

import {
  type AuthInfo,
  createMcpHandler,
  isLegacyRequest,
  type McpServer,
  WebStandardStreamableHTTPServerTransport,
} from "../deps.ts";
import type { Budget } from "../budget/budget.ts";
import type { Permit } from "../budget/admission.ts";
import { log, warn } from "../log.ts";
import { isLoopbackName } from "./host_check.ts";
import {
  batchTooLarge,
  busyResponse,
  MAX_BODY_BYTES,
  readLimited,
  rebindingGuard,
  rpcError,
  toolCallCount,
} from "./http_util.ts";
import { WebSSEServerTransport } from "./sse_transport.ts";
import { trackedResponse } from "../budget/unsent.ts";
import { heavyCount } from "../budget/heavy.ts";

export interface HttpOptions {
  transport: "sse" | "streamable-http";
  host: string;
  port: number;
  allowedHosts: readonly string[];
  newServer: () => McpServer;
  /** undefined when Kubernetes answers, else why not. */
  ready: () => Promise<string | undefined>;
  /** Passthrough: the caller's identity for each MCP request, or the response refusing it. */
  authenticate?: (req: Request) => Promise<AuthInfo | Response>;
  /** GET /metrics, when the server keeps figures. */
  metrics?: () => Promise<Response>;
  /** Admission of tool calls and the bound on answers held for slow readers. */
  budget: Budget;
}

/** The address could not be bound (in use, not local, no permission). */
export class ListenError extends Error {
  override name = "ListenError";
}

const methodNotAllowed = (allow: string) =>
  Response.json(
    { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null },
    { status: 405, headers: { allow } },
  );

function readiness(check: HttpOptions["ready"]): () => Promise<Response> {
  let cached: { at: number; value: Promise<string | undefined> } | undefined;
  return async () => {
    if (!cached || Date.now() - cached.at > 2000) cached = { at: Date.now(), value: check() };
    const problem = await cached.value;
    return problem === undefined
      ? Response.json({ status: "ok" })
      : Response.json({ status: "unavailable", error: problem }, { status: 503 });
  };
}

/**
 * Stateless streamable HTTP for both protocol generations, so any replica can serve any
 * request. 2026-07-28 requests (per-request `_meta`, server/discover, the MCP-Protocol-Version
 * and Mcp-Method/Mcp-Name headers) go to the SDK's handler. 2025-era requests (initialize, then
 * plain requests) are routed here, with the SDK's own predicate, to a stateless transport that
 * answers with JSON bodies (the SDK's built-in fallback always streams SSE) on pooled servers:
 * building one (validator, tool registrations) cost about a fifth of the CPU under load, and a
 * closed server may connect again. GET and DELETE get 405 since nothing is kept.
 */
function streamable(newServer: () => McpServer, budget: Budget, poolSize = 64) {
  const modern = createMcpHandler(newServer, {
    legacy: "reject",
    maxRequestBodySize: MAX_BODY_BYTES,
    onerror: (e) => log(`MCP request rejected: ${e.message}`),
  });
  const idle: McpServer[] = [];
  async function legacy(
    req: Request,
    parsedBody: unknown,
    authInfo?: AuthInfo,
  ): Promise<Response> {
    const server = idle.pop() ?? newServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: MAX_BODY_BYTES,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(req, { parsedBody, ...(authInfo ? { authInfo } : {}) });
    } finally {
      await server.close();
      if (idle.length < poolSize) idle.push(server);
    }
  }
  const fetch = async (req: Request, authInfo?: AuthInfo): Promise<Response> => {
    if (req.method !== "POST") return methodNotAllowed("POST");
    // Every request holds a request slot from before its body is read until its answer is
    // complete: reading bodies and building servers for hundreds of requests at once grew the
    // process by ~70 KiB a request, memory it never gave back. Tool calls then wait for a tool
    // slot as well (tool slots are never held by a request that waits, so neither gate can
    // deadlock the other). The answer's bytes count until the client takes them (src/budget/).
    const declared = Number(req.headers.get("content-length") ?? 0) || 0;
    const handling = await budget.requests.acquire(1, Math.min(declared, MAX_BODY_BYTES));
    if (handling.busy) return busyResponse(undefined, handling);
    let permit: Permit | undefined;
    const release = () => {
      permit?.release();
      handling.release();
    };
    try {
      const res = await handle(req, authInfo, (p) => (permit = p));
      return trackedResponse(res, budget.unsent, release);
    } catch (e) {
      release();
      throw e;
    }
  };
  /** The body read, checked and admitted, then served by the SDK. */
  const handle = async (
    req: Request,
    authInfo: AuthInfo | undefined,
    admitted: (p: Permit) => void,
  ): Promise<Response> => {
    // The body is read here, not by the SDK, to hold batches to our smaller cap.
    const body = await readLimited(req, MAX_BODY_BYTES);
    if (body instanceof Response) return body;
    let parsedBody: unknown;
    try {
      parsedBody = JSON.parse(body);
    } catch {
      return rpcError(400, -32700, "Parse error: the body is not valid JSON");
    }
    const tooMany = batchTooLarge(parsedBody);
    if (tooMany) return tooMany;
    const calls = toolCallCount(parsedBody);
    if (calls > 0) {
      const permit = await budget.admission.acquire(calls, body.length, heavyCount(parsedBody));
      if (permit.busy) return busyResponse(parsedBody, permit);
      admitted(permit);
    }
    return await isLegacyRequest(req, parsedBody)
      ? await legacy(req, parsedBody, authInfo)
      : await modern.fetch(req, { parsedBody, ...(authInfo ? { authInfo } : {}) });
  };
  return { fetch, close: () => modern.close() };
}

export async function serveHttp(opts: HttpOptions, stop: AbortSignal): Promise<void> {
  const guard = rebindingGuard(opts.allowedHosts);
  const ready = readiness(opts.ready);
  const mcp = streamable(opts.newServer, opts.budget);
  const sessions = new Map<string, WebSSEServerTransport>();
  /** Passthrough: the token (its clientId) that opened each SSE session. */
  const owners = new Map<string, string>();

  async function openSse(auth?: AuthInfo): Promise<Response> {
    const max = opts.budget.plan.maxSseSessions;
    if (sessions.size >= max) {
      opts.budget.admission.refused("sessions_full");
      return busyResponse(undefined, {
        reason: "sessions_full",
        retryAfterS: 5,
        message: `Server busy: ${max} SSE sessions are open, as many as its memory budget ` +
          `holds. Retry later, close idle sessions, or use streamable HTTP (/mcp)`,
      });
    }
    const transport = new WebSSEServerTransport("/message", { budget: opts.budget });
    sessions.set(transport.sessionId, transport);
    if (auth) owners.set(transport.sessionId, auth.clientId);
    transport.onclose = () => {
      sessions.delete(transport.sessionId);
      owners.delete(transport.sessionId);
    };
    await opts.newServer().connect(transport);
    return transport.response;
  }

  function postSse(req: Request, url: URL, auth?: AuthInfo): Promise<Response> | Response {
    const id = url.searchParams.get("sessionId");
    if (!id) return rpcError(400, -32602, "Missing sessionId query parameter");
    const session = sessions.get(id);
    if (!session) return rpcError(404, -32001, `Unknown or closed session: ${id}`);
    // Results go to the stream of whoever opened the session: only that token may post to it.
    if (auth && owners.get(id) !== auth.clientId) {
      return rpcError(403, -32001, "This SSE session was opened with another bearer token");
    }
    return postAdmitted(session, req, auth);
  }

  /** As on /mcp, a request slot is held while the POST's body is read and dispatched. */
  async function postAdmitted(
    session: WebSSEServerTransport,
    req: Request,
    auth?: AuthInfo,
  ): Promise<Response> {
    const declared = Number(req.headers.get("content-length") ?? 0) || 0;
    const handling = await opts.budget.requests.acquire(1, Math.min(declared, MAX_BODY_BYTES));
    if (handling.busy) return busyResponse(undefined, handling);
    try {
      return await session.handlePost(req, MAX_BODY_BYTES, auth);
    } finally {
      handling.release();
    }
  }

  const handler = async (req: Request): Promise<Response> => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      // Deno builds req.url from the Host header, so a malformed one lands here.
      return guard(req) ?? rpcError(400, -32000, "Bad request: malformed URL or Host header");
    }
    // Probes come from kubelets and load balancers with arbitrary Host headers, and reveal
    // nothing about the cluster, so they skip the rebinding check.
    if (url.pathname === "/healthz") return new Response("ok\n");
    if (url.pathname === "/readyz") return ready();
    // Scrapers, like probes, reach pods by IP; the figures hold no cluster data and no token.
    if (url.pathname === "/metrics" && opts.metrics) return opts.metrics();
    const rejected = guard(req);
    if (rejected) return rejected;
    const auth = await opts.authenticate?.(req);
    if (auth instanceof Response) return auth;
    if (opts.transport === "streamable-http") {
      return url.pathname === "/mcp"
        ? mcp.fetch(req, auth)
        : new Response("Not found: the MCP endpoint is /mcp\n", { status: 404 });
    }
    if (url.pathname === "/sse") {
      return req.method === "GET" ? openSse(auth) : methodNotAllowed("GET");
    }
    if (url.pathname === "/message" || url.pathname === "/messages") {
      return req.method === "POST" ? postSse(req, url, auth) : methodNotAllowed("POST");
    }
    return new Response("Not found: the SSE endpoint is /sse\n", { status: 404 });
  };

  if (!isLoopbackName(opts.host) && !opts.authenticate) {
    warn(
      `listening on ${opts.host}: anyone who can reach this port can read the cluster with ` +
        `this server's credentials; there is no authentication. Put it behind one.`,
    );
  }
  const listening = Promise.withResolvers<void>();
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: opts.host,
      port: opts.port,
      onListen: () => listening.resolve(),
      onError: (e) => {
        log(`HTTP handler error: ${e instanceof Error ? e.stack : e}`);
        return rpcError(500, -32603, "Internal error");
      },
    }, handler);
  } catch (e) {
    throw new ListenError(`cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`);
  }
  await listening.promise;
  const base = `http://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${opts.port}`;
  if (opts.transport === "sse") {
    log(`Starting SSE MCP server on ${opts.host}:${opts.port}`);
    log(`SSE endpoint: ${base}/sse`);
    log(`Message endpoint: ${base}/message`);
  } else {
    log(`Starting streamable-http MCP server on ${opts.host}:${opts.port}`);
    log(`MCP endpoint: ${base}/mcp`);
  }
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    stop.addEventListener("abort", () => resolve(), { once: true });
  });
  log("Shutting down: closing open streams");
  await Promise.all([...sessions.values()].map((s) => s.close()));
  await mcp.close();
  await server.shutdown();
}
