// MCP over stdin/stdout through the SDK. This module never writes to stdout itself.

import process from "node:process";
import { type JSONRPCMessage, type McpServer, StdioServerTransport } from "../deps.ts";
import { log } from "../log.ts";

/** How long a signal waits for calls in flight before the server closes anyway. */
export const SIGNAL_GRACE_MS = 5_000;

type Id = string | number;

/**
 * Counts requests that have no response yet, so that the end of input does not drop them: a
 * client may write its last request and close stdin at once.
 */
function trackInFlight(
  transport: StdioServerTransport,
  onAnswered: (method: string) => void,
): { drained(): Promise<void>; abandon(why: string): Promise<void> } {
  const pending = new Map<Id, string>();
  let idle = Promise.withResolvers<void>();
  idle.resolve();
  const connectedOnMessage = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    if ("method" in message && "id" in message) {
      if (pending.size === 0) idle = Promise.withResolvers<void>();
      pending.set(message.id, message.method);
    }
    connectedOnMessage?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    await send(message);
    if (("result" in message || "error" in message) && message.id !== undefined) {
      const method = pending.get(message.id as Id);
      pending.delete(message.id as Id);
      if (method) onAnswered(method);
      if (pending.size === 0) idle.resolve();
    }
  };
  return {
    drained: () => idle.promise,
    /** Answers every request still pending with an error, so no client waits forever. */
    abandon: async (why: string) => {
      for (const id of [...pending.keys()]) {
        await transport.send({ jsonrpc: "2.0", id, error: { code: -32000, message: why } })
          .catch(() => {});
      }
    },
  };
}

/**
 * Serves until stdin ends or `stop` aborts, then answers what it holds. After the end of input
 * the calls in flight get `drainMs` to finish; after a signal, SIGNAL_GRACE_MS. Whatever is still
 * running then is answered with an error and the server closes: a call stuck on a slow cluster
 * must not keep the process alive. `onAnswered` hears the method of each request answered.
 */
export async function serveStdio(
  server: McpServer,
  stop: AbortSignal,
  onAnswered: (method: string) => void = () => {},
  drainMs: number = SIGNAL_GRACE_MS,
): Promise<void> {
  // A dependency that logs with console.log must not corrupt the JSON-RPC stream.
  // deno-lint-ignore no-console
  console.log = console.error;
  const transport = new StdioServerTransport();
  const ended = new Promise<"eof">((resolve) => {
    process.stdin.once("end", () => resolve("eof"));
    process.stdin.once("close", () => resolve("eof"));
  });
  const stopped = new Promise<"signal">((resolve) => {
    if (stop.aborted) resolve("signal");
    stop.addEventListener("abort", () => resolve("signal"), { once: true });
  });
  await server.connect(transport);
  const inFlight = trackInFlight(transport, onAnswered);
  const why = await Promise.race([ended, stopped]);
  const ms = why === "signal" ? SIGNAL_GRACE_MS : drainMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<"timeout">((resolve) => (timer = setTimeout(resolve, ms, "timeout")));
  // A signal during the drain after EOF cuts it short as well.
  const outcome = await Promise.race([inFlight.drained(), grace, why === "eof" ? stopped : grace]);
  clearTimeout(timer);
  if (outcome !== undefined) {
    const reason = why === "eof" ? "input ended" : "it was stopped";
    log(`Closing: ${reason} and calls were still running after ${ms / 1000}s`);
    await inFlight.abandon(
      `The server is shutting down (${reason}) and this request did not finish within ` +
        `${ms / 1000}s`,
    );
  }
  await server.close();
}
