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
import { log } from "../log.ts";
import { batchTooLarge, readLimited, rpcError } from "./http_util.ts";

const encoder = new TextEncoder();

/**
 * The most bytes a stream may hold for a client that does not read them. Past it the session
 * ends: holding more would let one idle client grow the server without bound.
 */
export const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

export class WebSSEServerTransport implements Transport {
  readonly sessionId = crypto.randomUUID();
  readonly response: Response;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  #controller?: ReadableStreamDefaultController<Uint8Array>;
  #keepAlive?: ReturnType<typeof setInterval>;
  #closed = false;
  readonly #maxUnsent: number;

  constructor(endpoint: string, opts: { keepAliveMs?: number; maxUnsentBytes?: number } = {}) {
    this.#maxUnsent = opts.maxUnsentBytes ?? MAX_UNSENT_BYTES;
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
    }, new ByteLengthQueuingStrategy({ highWaterMark: this.#maxUnsent }));
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
    const tooMany = batchTooLarge(parsed);
    if (tooMany) return tooMany;
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
      return;
    }
    // desiredSize is the room left below the high-water mark; below zero the client has left
    // more than maxUnsent bytes unread.
    if ((this.#controller.desiredSize ?? 0) < 0) {
      log(
        `SSE session ${this.sessionId}: the client left over ${this.#maxUnsent} bytes unread; closing it`,
      );
      this.#controller.error(new Error("SSE client is not reading"));
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
