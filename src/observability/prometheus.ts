// /metrics for the HTTP transports, in the Prometheus text format, with prom-client (the
// de-facto standard client; it runs on Deno). Loaded only when an HTTP transport starts, so
// stdio never pays its import. Every figure the issue asks for: tool calls by tool and
// outcome with durations, API-server requests by verb and code with durations, the
// passthrough client cache, rate-limit waits, and process memory.

import type { Budget, BudgetObserver } from "../budget/budget.ts";
import { loadPromClient } from "../deps.ts";
import type { CacheObserver } from "../auth/client_cache.ts";
import { apiVerb } from "./api_verb.ts";
import v8 from "node:v8";

export interface Metrics {
  toolCall(tool: string, outcome: "ok" | "error", seconds: number): void;
  apiRequest(method: string, path: string, status: number, seconds: number): void;
  rateLimitWait(kind: "rate" | "in_flight", seconds: number): void;
  readonly cache: CacheObserver;
  /** Admission and held answers (issue 23): refusals and drops as they happen. */
  readonly budget: BudgetObserver;
  /** Adds the budget's gauges: calls running and queued, unsent bytes, heap against budget. */
  watch(budget: Budget): void;
  /** The exposition, as an HTTP response. */
  respond(): Promise<Response>;
}

const P = "mcp_kubernetes_ro_";

function heapLimit(): number {
  return v8.getHeapStatistics().heap_size_limit;
}

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
  const refusals = new prom.Counter({
    name: `${P}rejections_total`,
    help: "Requests refused with 429 (HTTP) by reason: queue_full (the bounded queue was " +
      "full), wait_timeout (no slot came free in time) or sessions_full (SSE sessions at " +
      "their bound)",
    labelNames: ["reason"] as const,
    registers,
  });
  for (const reason of ["queue_full", "wait_timeout", "sessions_full"]) {
    refusals.inc({ reason }, 0);
  }
  const drops = new prom.Counter({
    name: `${P}answers_dropped_total`,
    help: "Answers dropped because their client stopped reading, by reason: over_budget (the " +
      "slowest while unsent answers passed their share of the budget) or stalled (nothing " +
      "read for too long)",
    labelNames: ["reason"] as const,
    registers,
  });
  for (const reason of ["over_budget", "stalled"]) drops.inc({ reason }, 0);
  const registry = registers[0]!;
  const gauge = (name: string, help: string, read: () => number) =>
    new prom.Gauge({
      name: `${P}${name}`,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
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
    budget: {
      refused: (reason) => refusals.inc({ reason }),
      dropped: (reason) => drops.inc({ reason }),
    },
    watch(budget) {
      gauge("tool_calls_running", "Tool calls running now", () => budget.admission.running);
      gauge("tool_calls_queued", "Tool calls waiting for a slot", () => budget.admission.queued);
      gauge(
        "tool_calls_max",
        "Tool calls that may run at once (--max-concurrent-calls)",
        () => budget.plan.maxCalls,
      );
      gauge(
        "unsent_answer_bytes",
        "Bytes of answers held for clients that have not read them yet",
        () => budget.unsent.total(),
      );
      gauge(
        "unsent_answer_limit_bytes",
        "Unsent answer bytes past which the slowest readers are dropped",
        () => budget.plan.unsentBytes,
      );
      gauge(
        "memory_budget_bytes",
        "The memory budget (--memory-budget) that heap and held answers stay under",
        () => budget.plan.budgetBytes,
      );
      gauge(
        "heap_limit_bytes",
        "V8's heap size limit (set from the budget at start-up)",
        () => heapLimit(),
      );
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
