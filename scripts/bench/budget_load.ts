// The load of issue 23, against a streamable-HTTP server: first many connections that each post
// a tool call with a big answer and never read it, then many clients making calls one after
// another while those connections stay open; /healthz is probed throughout. Shared by the bench
// ("1,000 idle readers", "500 clients") and the tests (tests/load/memory_budget_test.ts,
// tests/load/container_memory_test.ts). Loopback only; every loop is bounded.

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface IdleOptions {
  base: string;
  connections: number;
  call: ToolCall;
}

export interface IdleReaders {
  /** Connections that sent their request. */
  opened: number;
  /** Connections that could not be opened or written, with why. */
  failed: string[];
  /**
   * Reads what each connection got and closes it: answered (the whole answer), refused (429),
   * dropped (the server ended the answer: its client was not reading) or lost (anything else).
   */
  settle(timeoutMs: number): Promise<IdleOutcomes>;
  /** Closes every connection unread. */
  close(): void;
}

export interface IdleOutcomes {
  answered: number;
  refused: number;
  dropped: number;
  lost: string[];
}

const encoder = new TextEncoder();

function rpc(id: number, call: ToolCall): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: call });
}

function rawPost(base: string, body: string): Uint8Array {
  const url = new URL(base);
  const bytes = encoder.encode(body);
  const head = `POST /mcp HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
    `Accept: application/json, text/event-stream\r\nContent-Length: ${bytes.length}\r\n\r\n`;
  const all = new Uint8Array(head.length + bytes.length);
  all.set(encoder.encode(head));
  all.set(bytes, head.length);
  return all;
}

/** Opens the connections (100 at a time) and writes each one's request; reads nothing. */
export async function openIdleReaders(o: IdleOptions): Promise<IdleReaders> {
  const url = new URL(o.base);
  const conns: Deno.TcpConn[] = [];
  const failed: string[] = [];
  for (let i = 0; i < o.connections; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, o.connections - i) }, async (_, k) => {
        try {
          const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
          conns.push(conn);
          const request = rawPost(o.base, rpc(i + k + 1, o.call));
          for (let at = 0; at < request.length;) at += await conn.write(request.subarray(at));
        } catch (e) {
          failed.push(e instanceof Error ? e.message : String(e));
        }
      }),
    );
  }
  const close = () => {
    for (const c of conns) {
      try {
        c.close();
      } catch {
        // Already closed.
      }
    }
  };
  return {
    opened: conns.length,
    failed,
    close,
    async settle(timeoutMs) {
      const out: IdleOutcomes = { answered: 0, refused: 0, dropped: 0, lost: [] };
      const deadline = Date.now() + timeoutMs;
      for (let i = 0; i < conns.length; i += 50) {
        await Promise.all(
          conns.slice(i, i + 50).map(async (c) => {
            const got = await readResponse(c, deadline);
            if (got === "answered") out.answered++;
            else if (got === "refused") out.refused++;
            else if (got === "dropped") out.dropped++;
            else out.lost.push(got);
          }),
        );
      }
      close();
      return out;
    },
  };
}

/** Reads one HTTP/1.1 response to its end; says what it was. */
async function readResponse(
  conn: Deno.TcpConn,
  deadline: number,
): Promise<"answered" | "refused" | "dropped" | string> {
  const buf = new Uint8Array(256 * 1024);
  const chunks: Uint8Array[] = [];
  let text = "";
  let size = 0;
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }, Math.max(1, deadline - Date.now()));
  try {
    while (true) {
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch {
        n = null;
      }
      if (n === null) break;
      chunks.push(buf.slice(0, n));
      size += n;
      // The head and the chunked body's end are ASCII: decode the tail only.
      const tail = new TextDecoder().decode(buf.subarray(Math.max(0, n - 16), n));
      if (text === "") text = new TextDecoder().decode(chunks[0]!.subarray(0, 512));
      if (text.startsWith("HTTP/1.1 429")) {
        // A refusal says when to retry, and that the server is busy, in JSON-RPC.
        const all = new TextDecoder().decode(chunks.length === 1 ? chunks[0] : concat(chunks));
        if (!complete(chunks, size)) continue; // the rest is on its way
        return /\r\nretry-after: \d+\r\n/i.test(all) &&
            /"code":-32000,"message":"Server busy: /.test(all)
          ? "refused"
          : `unexpected: a 429 without a busy error: ${all.slice(0, 300)}`;
      }
      if (/\r\n0\r\n\r\n$/.test(tail) || complete(chunks, size)) return "answered";
    }
  } finally {
    clearTimeout(timer);
  }
  if (text === "") return "dropped";
  return text.startsWith("HTTP/1.1 200") ? "dropped" : `unexpected: ${text.split("\r\n")[0]}`;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) (all.set(c, at), at += c.length);
  return all;
}

/** A response with Content-Length whose body has fully arrived. */
function complete(chunks: Uint8Array[], size: number): boolean {
  const head = new TextDecoder().decode(chunks[0]!.subarray(0, 1024));
  const end = head.indexOf("\r\n\r\n");
  const m = /\r\ncontent-length: (\d+)/i.exec(head);
  return end >= 0 && m !== null && size >= end + 4 + Number(m[1]);
}

export interface CallersOptions {
  base: string;
  clients: number;
  callsPerClient: number;
  call: ToolCall;
  /** Checks an answered call's text; returns the problem or null. */
  check?: (text: string) => string | null;
  timeoutMs: number;
}

export interface CallerOutcomes {
  answered: number;
  refused: number;
  /** Calls neither answered nor refused, with why. */
  lost: string[];
  /** Latency of each answered call. */
  latenciesMs: number[];
  /** UTF-8 length of each answered call's result text. */
  bytes: number[];
  wallMs: number;
}

/** `clients` loops, each making its calls one after another with plain fetch (keep-alive). */
export async function runCallers(o: CallersOptions): Promise<CallerOutcomes> {
  const out: CallerOutcomes = {
    answered: 0,
    refused: 0,
    lost: [],
    latenciesMs: [],
    bytes: [],
    wallMs: 0,
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: o.clients }, async (_, c) => {
    for (let i = 0; i < o.callsPerClient; i++) {
      const t = performance.now();
      try {
        const res = await fetch(`${o.base}/mcp`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: rpc(c * o.callsPerClient + i + 1, o.call),
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        const body = await res.json() as {
          result?: { content?: { text?: string }[]; isError?: boolean };
          error?: { message: string };
        };
        if (res.status === 429) {
          if (!res.headers.get("retry-after") || !/busy/i.test(body.error?.message ?? "")) {
            out.lost.push(`429 without Retry-After or a busy error: ${JSON.stringify(body)}`);
          } else out.refused++;
          continue;
        }
        const text = body.result?.content?.[0]?.text ?? "";
        const problem = res.status !== 200 || body.result?.isError
          ? `HTTP ${res.status}: ${JSON.stringify(body).slice(0, 300)}`
          : o.check?.(text) ?? null;
        if (problem) out.lost.push(problem);
        else {
          out.answered++;
          out.latenciesMs.push(performance.now() - t);
          out.bytes.push(encoder.encode(text).length);
        }
      } catch (e) {
        out.lost.push(e instanceof Error ? e.message : String(e));
      }
    }
  }));
  out.wallMs = performance.now() - t0;
  return out;
}

export interface Prober {
  /** Latency of each /healthz answer. */
  healthzMs: number[];
  failures: string[];
  stop(): Promise<void>;
}

/**
 * Probes /healthz every `everyMs` until stopped; a probe fails past `timeoutMs`. From a Worker:
 * the load this module generates keeps the main thread's event loop busy, which must not count
 * as the server's latency.
 */
export function probeHealthz(base: string, everyMs: number, timeoutMs: number): Prober {
  const worker = new Worker(new URL("./healthz_worker.ts", import.meta.url), { type: "module" });
  const p: Prober = { healthzMs: [], failures: [], stop: async () => {} };
  const done = new Promise<void>((resolve) => {
    worker.onmessage = (e: MessageEvent<{ healthzMs: number[]; failures: string[] }>) => {
      p.healthzMs = e.data.healthzMs;
      p.failures = e.data.failures;
      resolve();
    };
  });
  worker.postMessage({ base, everyMs, timeoutMs });
  p.stop = async () => {
    worker.postMessage("stop");
    await done;
    worker.terminate();
  };
  return p;
}

/** One figure from /metrics, or undefined when absent. */
export async function metric(base: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Waits (bounded) until no tool call runs or waits. */
export async function waitIdle(base: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const running = await metric(base, "mcp_kubernetes_ro_tool_calls_running");
    const queued = await metric(base, "mcp_kubernetes_ro_tool_calls_queued");
    if (running === 0 && queued === 0) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
