// Many concurrent MCP clients over streamable-http (the SDK's client, as real hosts use it):
// each client initializes, then makes its calls one after another while the others do too.

import { Client, StreamableHTTPClientTransport } from "../../tests/_helpers/sdk.ts";
import { toolOutcome } from "./stdio_client.ts";

export interface LoadResult {
  latenciesMs: number[];
  bytes: number[];
  wallMs: number;
  failures: string[];
}

export interface LoadOptions {
  url: URL;
  clients: number;
  callsPerClient: number;
  tool: string;
  args: Record<string, unknown>;
  /** Returns a problem with the result text, or null when it is as expected. */
  check: (text: string) => string | null;
  timeoutMs: number;
}

async function connect(url: URL, timeoutMs: number): Promise<Client> {
  const client = new Client({ name: "mcp-kubernetes-ro-bench", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(url), { timeout: timeoutMs });
  return client;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const clients = await Promise.all(
    Array.from({ length: opts.clients }, () => connect(opts.url, opts.timeoutMs)),
  );
  const failures: string[] = [];
  const latenciesMs: number[] = [];
  const bytes: number[] = [];
  const call = async (client: Client) => {
    const t0 = performance.now();
    const r = await client.callTool({ name: opts.tool, arguments: opts.args }, undefined, {
      timeout: opts.timeoutMs,
    });
    return toolOutcome(r, performance.now() - t0);
  };
  try {
    // One untimed call each: connections and the server's caches are warm before the clock.
    for (const r of await Promise.all(clients.map(call))) {
      if (!r.ok) failures.push(`warm-up: ${r.text.slice(0, 300)}`);
    }
    const t0 = performance.now();
    await Promise.all(clients.map(async (client) => {
      for (let i = 0; i < opts.callsPerClient && failures.length === 0; i++) {
        try {
          const r = await call(client);
          const problem = r.ok ? opts.check(r.text) : `tool error: ${r.text.slice(0, 300)}`;
          if (problem) failures.push(problem);
          latenciesMs.push(r.ms);
          bytes.push(r.bytes);
        } catch (e) {
          failures.push(e instanceof Error ? e.message : String(e));
        }
      }
    }));
    return { latenciesMs, bytes, wallMs: performance.now() - t0, failures };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  }
}
