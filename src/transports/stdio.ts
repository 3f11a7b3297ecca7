// MCP over stdin/stdout through the SDK's serveStdio, which picks the protocol generation from
// the connection's first message: `initialize` pins a 2025-11-25 server, a request carrying the
// 2026-07-28 `_meta` envelope (server/discover, tools/list ...) a 2026-07-28 one, and an
// unsupported revision gets the spec's error. This module never writes to stdout itself.

import process from "node:process";
import { PassThrough } from "node:stream";
import {
  type JSONRPCMessage,
  type McpServer,
  type MessageExtraInfo,
  serveStdio as serveStdioSdk,
  StdioServerTransport,
  type Transport,
} from "../deps.ts";
import type { Admission, Permit } from "../budget/admission.ts";
import { heavyWeight } from "../budget/heavy.ts";
import { log } from "../log.ts";

/** How long a signal waits for calls in flight before the server closes anyway. */
export const SIGNAL_GRACE_MS = 5_000;

type Id = string | number;

/**
 * Tool calls waiting for a slot past which stdin is no longer read: the client's writes then
 * block in its pipe instead of growing this process. Reading resumes at half of it.
 */
export const MAX_HELD_CALLS = 64;

/**
 * The SDK's stdio transport closes (and aborts calls in flight) the moment stdin ends, but a
 * client may write its last request and close stdin at once. So the SDK reads a copy of stdin
 * that never ends, and this wrapper counts requests without a response, so that the end of
 * input waits for them (or answers them with an error when they take too long).
 */
class InFlightTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  readonly #pending = new Map<Id, string>();
  /** The admission slot of each tool call running. */
  readonly #slots = new Map<Id, Permit>();
  #held = 0;
  #abandoned = false;
  #idle = Promise.withResolvers<void>();

  constructor(
    private readonly inner: StdioServerTransport,
    private readonly onAnswered: (method: string) => void,
    private readonly admission?: Admission,
    private readonly input?: { pause(): unknown; resume(): unknown },
  ) {
    this.#idle.resolve();
  }

  start(): Promise<void> {
    this.inner.onmessage = (message) => {
      if ("method" in message && "id" in message) {
        if (this.#pending.size === 0) this.#idle = Promise.withResolvers<void>();
        this.#pending.set(message.id, message.method);
        if (message.method === "tools/call" && this.admission) return this.#admit(message);
      }
      this.onmessage?.(message);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (e) => this.onerror?.(e);
    return this.inner.start();
  }

  /**
   * Runs a tool call when a slot is free. The slot goes once its answer is written to stdout,
   * which waits for the pipe to drain: a client that stops reading stops new calls from starting,
   * and past MAX_HELD_CALLS waiting ones, stdin is no longer read.
   */
  #admit(message: JSONRPCMessage & { id: Id }): void {
    if (++this.#held === MAX_HELD_CALLS) this.input?.pause();
    this.admission!.acquire(1, 0, heavyWeight(message)).then((permit) => {
      if (--this.#held === MAX_HELD_CALLS / 2) this.input?.resume();
      if (permit.busy || this.#abandoned || !this.#pending.has(message.id)) {
        if (!permit.busy) permit.release();
        return;
      }
      this.#slots.set(message.id, permit);
      this.onmessage?.(message);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    try {
      await this.inner.send(message);
    } finally {
      if (("result" in message || "error" in message) && message.id !== undefined) {
        this.#slots.get(message.id as Id)?.release();
        this.#slots.delete(message.id as Id);
      }
    }
    if (("result" in message || "error" in message) && message.id !== undefined) {
      const method = this.#pending.get(message.id as Id);
      this.#pending.delete(message.id as Id);
      if (method) this.onAnswered(method);
      if (this.#pending.size === 0) this.#idle.resolve();
    }
  }

  drained(): Promise<void> {
    return this.#idle.promise;
  }

  /** Answers every request still pending with an error, so no client waits forever. */
  async abandon(why: string): Promise<void> {
    this.#abandoned = true;
    for (const id of [...this.#pending.keys()]) {
      await this.send({ jsonrpc: "2.0", id, error: { code: -32000, message: why } })
        .catch(() => {});
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Serves until stdin ends or `stop` aborts, then answers what it holds. After the end of input
 * the calls in flight get `drainMs` to finish; after a signal, SIGNAL_GRACE_MS. Whatever is still
 * running then is answered with an error and the server closes: a call stuck on a slow cluster
 * must not keep the process alive. `newServer` builds the server for the connection (called
 * again if a 2026-07-28 probe falls back to initialize). `onAnswered` hears the method of each
 * request answered.
 */
export async function serveStdio(
  newServer: () => McpServer,
  stop: AbortSignal,
  onAnswered: (method: string) => void = () => {},
  drainMs: number = SIGNAL_GRACE_MS,
  admission?: Admission,
): Promise<void> {
  // A dependency that logs with console.log must not corrupt the JSON-RPC stream.
  // deno-lint-ignore no-console
  console.log = console.error;
  const input = new PassThrough();
  process.stdin.pipe(input, { end: false });
  const transport = new InFlightTransport(
    new StdioServerTransport(input, process.stdout),
    onAnswered,
    admission,
    input,
  );
  const ended = new Promise<"eof">((resolve) => {
    process.stdin.once("end", () => resolve("eof"));
    process.stdin.once("close", () => resolve("eof"));
  });
  const stopped = new Promise<"signal">((resolve) => {
    if (stop.aborted) resolve("signal");
    stop.addEventListener("abort", () => resolve("signal"), { once: true });
  });
  const handle = serveStdioSdk(newServer, { transport });
  const why = await Promise.race([ended, stopped]);
  const ms = why === "signal" ? SIGNAL_GRACE_MS : drainMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<"timeout">((resolve) => (timer = setTimeout(resolve, ms, "timeout")));
  // A signal during the drain after EOF cuts it short as well.
  const outcome = await Promise.race([transport.drained(), grace, why === "eof" ? stopped : grace]);
  clearTimeout(timer);
  if (outcome !== undefined) {
    const reason = why === "eof" ? "input ended" : "it was stopped";
    log(`Closing: ${reason} and calls were still running after ${ms / 1000}s`);
    await transport.abandon(
      `The server is shutting down (${reason}) and this request did not finish within ` +
        `${ms / 1000}s`,
    );
  }
  process.stdin.unpipe(input);
  await handle.close();
}
