// /metrics for the HTTP transports, in the Prometheus text format, with prom-client (the
// de-facto standard client; it runs on Deno). Loaded only when an HTTP transport starts, so
// stdio never pays its import. Every figure the issue asks for: tool calls by tool and
// outcome with durations, API-server requests by verb and code with durations, the
// passthrough client cache, rate-limit waits, and process memory.

import { loadPromClient } from "../deps.ts";
import type { CacheObserver } from "../auth/client_cache.ts";
import { apiVerb } from "./api_verb.ts";

export interface Metrics {
  toolCall(tool: string, outcome: "ok" | "error", seconds: number): void;
  apiRequest(method: string, path: string, status: number, seconds: number): void;
  rateLimitWait(kind: "rate" | "in_flight", seconds: number): void;
  readonly cache: CacheObserver;
  /** The exposition, as an HTTP response. */
  respond(): Promise<Response>;
}

const P = "mcp_kubernetes_ro_";

export async function createMetrics(): Promise<Metrics> {
  const prom = await loadPromClient();
  const registers = [new prom.Registry()];
  const tools = new prom.Counter({
    name: `${P}tool_calls_total`,
    help: "MCP tool calls by tool and outcome (ok or error)",
    labelNames: ["tool", "outcome"] as const,
    registers,
  });
  const toolSeconds = new prom.Histogram({
    name: `${P}tool_call_duration_seconds`,
    help: "Duration of MCP tool calls",
    labelNames: ["tool"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const api = new prom.Counter({
    name: `${P}apiserver_requests_total`,
    help: "Requests to Kubernetes API servers by verb and HTTP code (0: no answer)",
    labelNames: ["verb", "code"] as const,
    registers,
  });
  const apiSeconds = new prom.Histogram({
    name: `${P}apiserver_request_duration_seconds`,
    help: "Duration of requests to Kubernetes API servers, until the response headers",
    labelNames: ["verb"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const hits = new prom.Counter({
    name: `${P}client_cache_hits_total`,
    help: "Passthrough: calls whose caller's client was cached",
    registers,
  });
  const misses = new prom.Counter({
    name: `${P}client_cache_misses_total`,
    help: "Passthrough: calls that had to build a client for the caller's token",
    registers,
  });
  const evictions = new prom.Counter({
    name: `${P}client_cache_evictions_total`,
    help: "Passthrough: cached clients dropped, by reason (expired: unused past the TTL; " +
      "lru: least recently used at the size bound)",
    labelNames: ["reason"] as const,
    registers,
  });
  const size = new prom.Gauge({
    name: `${P}client_cache_size`,
    help: "Passthrough: clients cached now",
    registers,
  });
  const waits = new prom.Histogram({
    name: `${P}rate_limit_wait_seconds`,
    help: "Waits before a request could be sent: for a token of the QPS bucket (rate) or a " +
      "free in-flight slot (in_flight)",
    labelNames: ["kind"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  for (const reason of ["expired", "lru"]) evictions.inc({ reason }, 0);
  new prom.Gauge({
    name: "process_resident_memory_bytes",
    help: "Resident memory size in bytes",
    registers,
    collect() {
      this.set(Deno.memoryUsage().rss);
    },
  });
  new prom.Gauge({
    name: `${P}heap_used_bytes`,
    help: "JavaScript heap in use, in bytes",
    registers,
    collect() {
      this.set(Deno.memoryUsage().heapUsed);
    },
  });
  const registry = registers[0]!;
  return {
    toolCall(tool, outcome, seconds) {
      tools.inc({ tool, outcome });
      toolSeconds.observe({ tool }, seconds);
    },
    apiRequest(method, path, status, seconds) {
      const verb = apiVerb(method, path);
      api.inc({ verb, code: String(status) });
      apiSeconds.observe({ verb }, seconds);
    },
    rateLimitWait(kind, seconds) {
      waits.observe({ kind }, seconds);
    },
    cache: {
      hit: () => hits.inc(),
      miss: () => misses.inc(),
      evicted: (reason) => evictions.inc({ reason }),
      size: (n) => size.set(n),
    },
    async respond() {
      return new Response(await registry.metrics(), {
        headers: { "content-type": registry.contentType },
      });
    },
  };
}
