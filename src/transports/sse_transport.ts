// The legacy HTTP+SSE transport (MCP 2024-11-05) on web-standard Request/Response. SDK v2 has
// no SSE server transport (1.x had a Node-only one), so this small Transport is ours: GET opens
// the stream, whose first event names the POST endpoint. It speaks the initialize generation
// only (up to 2025-11-25): 2026-07-28 is stateless and defined over stdio and streamable HTTP.

import {
  type AuthInfo,
  type JSONRPCMessage,
  type MessageExtraInfo,
  parseJSONRPCMessage,
  type Transport,
} from "../deps.ts";
import type { Budget } from "../budget/budget.ts";
import type { Permit } from "../budget/admission.ts";
import { heavyCount } from "../budget/heavy.ts";
import { log } from "../log.ts";
import { batchTooLarge, busyResponse, readLimited, rpcError, toolCallCount } from "./http_util.ts";

const encoder = new TextEncoder();

/**
 * The most bytes a stream may hold for a client that does not read them. Past it the session
 * ends: holding more would let one idle client grow the server without bound. All streams
 * together are held to the memory budget's share for unsent answers (src/budget/unsent.ts),
 * which may be smaller: then that is each stream's bound as well.
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
  readonly #budget?: Budget;
  /** The admission slot of each tool call in flight, by request id. */
  readonly #slots = new Map<string | number, Permit>();
  #lastRead = performance.now();
  #leaveLedger = () => {};

  constructor(
    endpoint: string,
    opts: { keepAliveMs?: number; maxUnsentBytes?: number; budget?: Budget } = {},
  ) {
    this.#budget = opts.budget;
    this.#maxUnsent = Math.min(
      opts.maxUnsentBytes ?? MAX_UNSENT_BYTES,
      opts.budget?.unsent.limitBytes ?? Infinity,
    );
    const first = `event: endpoint\ndata: ${endpoint}?sessionId=${this.sessionId}\n\n`;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        controller.enqueue(encoder.encode(first));
        const ms = opts.keepAliveMs ?? 15_000;
        if (ms > 0) this.#keepAlive = setInterval(() => this.#write(": keep-alive\n\n"), ms);
      },
      // Called again only after the client has read: the time of its last read.
      pull: () => {
        this.#lastRead = performance.now();
      },
      // Fires when the client goes away: the session ends with its stream.
      cancel: () => this.#finish(),
    }, new ByteLengthQueuingStrategy({ highWaterMark: this.#maxUnsent }));
    if (opts.budget) {
      this.#leaveLedger = opts.budget.unsent.add({
        unsent: () => Math.max(0, this.#maxUnsent - (this.#controller?.desiredSize ?? 0)),
        lastRead: () => this.#lastRead,
        drop: (reason) => {
          log(`SSE session ${this.sessionId}: dropped (${reason}), its client is not reading`);
          this.#fail();
        },
      });
    }
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
    const id = (message as { id?: string | number }).id;
    if (id !== undefined && ("result" in message || "error" in message)) {
      this.#slots.get(id)?.release();
      this.#slots.delete(id);
    }
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
    let checked: JSONRPCMessage[];
    try {
      checked = messages.map((m) => parseJSONRPCMessage(m));
    } catch {
      return rpcError(400, -32600, "Invalid Request: not a JSON-RPC 2.0 message");
    }
    // Tool calls run only with a slot, which goes when their answer is written to the stream.
    const calls = toolCallCount(checked);
    if (calls > 0 && this.#budget) {
      const permit = await this.#budget.admission.acquire(
        calls,
        body.length,
        heavyCount(checked),
      );
      if (permit.busy) return busyResponse(parsed, permit);
      for (const m of checked) {
        const call = m as { method?: string; id?: string | number };
        if (call.method !== "tools/call" || call.id === undefined) continue;
        this.#slots.get(call.id)?.release();
        // One slot per call; a batch bigger than the limit shares the slots it got.
        this.#slots.set(call.id, { busy: false, release: () => permit.release(1) });
      }
      if (this.#closed) {
        permit.release();
        return rpcError(404, -32001, `Unknown or closed session: ${this.sessionId}`);
      }
    }
    const extra = authInfo ? { request: req, authInfo } : { request: req };
    for (const message of checked) this.onmessage?.(message, extra);
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
      this.#fail();
      return;
    }
    this.#budget?.unsent.grew();
  }

  #fail(): void {
    try {
      this.#controller?.error(new Error("SSE client is not reading"));
    } catch {
      // Already closed.
    }
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    this.#leaveLedger();
    for (const slot of this.#slots.values()) slot.release();
    this.#slots.clear();
    this.onclose?.();
  }
}
