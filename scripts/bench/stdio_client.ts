// A minimal MCP client over stdio: newline-delimited JSON-RPC on the server process's pipes.
// Minimal on purpose: the time measured is the server's and the pipe's, not an SDK's.

import { ServerProcess, type SpawnOptions } from "./process.ts";

export interface RpcError {
  code: number;
  message: string;
}

export interface ToolOutcome {
  ok: boolean;
  /** The concatenated text content (or the error message). */
  text: string;
  /** UTF-8 bytes of `text`: what a model pays for the answer. */
  bytes: number;
  ms: number;
}

const PROTOCOL = "2025-06-18";
const enc = new TextEncoder();

export class StdioSession {
  readonly proc: ServerProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #nextId = 1;
  #pending = new Map<number, (msg: Record<string, unknown>) => void>();
  #closed = false;

  constructor(opts: Omit<SpawnOptions, "stdio">) {
    this.proc = new ServerProcess({ ...opts, stdio: true });
    this.#writer = this.proc.child.stdin.getWriter();
    this.#read().catch(() => {});
    this.proc.exited.then(() => this.#failAll());
  }

  async #read(): Promise<void> {
    let buf = "";
    for await (const chunk of this.proc.child.stdout.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) !== -1) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line === "") continue;
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line);
        } catch {
          continue; // Not JSON-RPC: ignore, as a client would.
        }
        if (typeof msg.id === "number" && ("result" in msg || "error" in msg)) {
          this.#pending.get(msg.id)?.(msg);
          this.#pending.delete(msg.id);
        }
      }
    }
  }

  #failAll(): void {
    for (const resolve of this.#pending.values()) {
      resolve({ error: { code: -1, message: `server ${this.proc.describeExit()}` } });
    }
    this.#pending.clear();
  }

  async #send(msg: Record<string, unknown>): Promise<void> {
    await this.#writer.write(enc.encode(JSON.stringify({ jsonrpc: "2.0", ...msg }) + "\n"));
  }

  /** A request; rejects on a JSON-RPC error, an exit of the server or the timeout. */
  async request(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    if (this.proc.exitStatus) throw new Error(`server ${this.proc.describeExit()}`);
    const id = this.#nextId++;
    const answer = new Promise<Record<string, unknown>>((r) => this.#pending.set(id, r));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${method}: no answer within ${timeoutMs / 1000}s`)),
        timeoutMs,
      );
    });
    try {
      await this.#send({ id, method, params });
      const msg = await Promise.race([answer, timeout]);
      if (msg.error) {
        const e = msg.error as RpcError;
        throw new Error(`${method}: JSON-RPC error ${e.code}: ${e.message}`);
      }
      return msg.result;
    } finally {
      clearTimeout(timer);
      this.#pending.delete(id);
    }
  }

  async notify(method: string, params?: unknown): Promise<void> {
    await this.#send(params === undefined ? { method } : { method, params });
  }

  async initialize(timeoutMs: number): Promise<unknown> {
    const result = await this.request("initialize", {
      protocolVersion: PROTOCOL,
      capabilities: {},
      clientInfo: { name: "mcp-kubernetes-ro-bench", version: "1" },
    }, timeoutMs);
    await this.notify("notifications/initialized");
    return result;
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<ToolOutcome> {
    const t0 = performance.now();
    const result = await this.request("tools/call", { name, arguments: args }, timeoutMs);
    const ms = performance.now() - t0;
    return toolOutcome(result, ms);
  }

  /** Closes stdin (the polite end of a stdio session); stop() escalates if needed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writer.close().catch(() => {});
  }
}

export function toolOutcome(result: unknown, ms: number): ToolOutcome {
  const r = result as { content?: { type: string; text?: string }[]; isError?: boolean };
  const text = (r.content ?? []).filter((c) => c.type === "text").map((c) => c.text ?? "")
    .join("");
  return { ok: r.isError !== true, text, bytes: enc.encode(text).length, ms };
}
