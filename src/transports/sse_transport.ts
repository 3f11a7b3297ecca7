// The legacy HTTP+SSE transport (MCP 2024-11-05) on web-standard Request/Response. The SDK's
// SSEServerTransport needs Node's ServerResponse, which Deno.serve does not give us, so this
// small Transport is ours: GET opens the stream, whose first event names the POST endpoint.

import {
  type AuthInfo,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type MessageExtraInfo,
  type Transport,
} from "../deps.ts";
import { readLimited, rpcError } from "./http_util.ts";

const encoder = new TextEncoder();

export class WebSSEServerTransport implements Transport {
  readonly sessionId = crypto.randomUUID();
  readonly response: Response;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  #controller?: ReadableStreamDefaultController<Uint8Array>;
  #keepAlive?: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(endpoint: string, opts: { keepAliveMs?: number } = {}) {
    const first = `event: endpoint\ndata: ${endpoint}?sessionId=${this.sessionId}\n\n`;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        controller.enqueue(encoder.encode(first));
        const ms = opts.keepAliveMs ?? 15_000;
        if (ms > 0) this.#keepAlive = setInterval(() => this.#write(": keep-alive\n\n"), ms);
      },
      // Fires when the client goes away: the session ends with its stream.
      cancel: () => this.#finish(),
    });
    this.response = new Response(stream, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("SSE session is closed"));
    this.#write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    return Promise.resolve();
  }

  async handlePost(req: Request, maxBytes: number, authInfo?: AuthInfo): Promise<Response> {
    if (!(req.headers.get("content-type") ?? "").includes("application/json")) {
      return rpcError(415, -32000, "Content-Type must be application/json");
    }
    const body = await readLimited(req, maxBytes);
    if (body instanceof Response) return body;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return rpcError(400, -32700, "Parse error: the body is not valid JSON");
    }
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    const checked = messages.map((m) => JSONRPCMessageSchema.safeParse(m));
    if (checked.some((c) => !c.success)) {
      return rpcError(400, -32600, "Invalid Request: not a JSON-RPC 2.0 message");
    }
    const requestInfo = { headers: Object.fromEntries(req.headers) };
    const extra = authInfo ? { requestInfo, authInfo } : { requestInfo };
    for (const c of checked) if (c.success) this.onmessage?.(c.data, extra);
    return new Response("Accepted", { status: 202 });
  }

  close(): Promise<void> {
    if (!this.#closed) {
      try {
        this.#controller?.close();
      } catch {
        // Already closed by the client.
      }
    }
    this.#finish();
    return Promise.resolve();
  }

  #write(text: string): void {
    if (this.#closed || !this.#controller) return;
    try {
      this.#controller.enqueue(encoder.encode(text));
    } catch {
      this.#finish();
    }
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    this.onclose?.();
  }
}
