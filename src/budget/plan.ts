// The memory budget and what follows from it: how many tool calls run at once, how many wait and
// for how long, how many unsent answer bytes may be held for slow readers, and V8's heap limit.
// Pure: the figures are derived here once, so the server, the npm launcher's mirror of this
// (npm/bin) and the tests agree. The per-call and fixed costs are from measurements on the
// benchmark machine (docs/team.md): a connected HTTP server idles at ~140 MiB; a light call's
// peak transient cost is bounded by the 2 MiB answer cap (src/mcp/server.ts), held as text, as
// structuredContent and serialised; a heavy one (an unpaged list, src/budget/heavy.ts) parses the
// API server's whole response and is admitted by the memory left instead.

import { CGROUP_FILES } from "./cgroup.ts";

const MiB = 1024 * 1024;

/**
 * Without a cgroup limit or a setting. Measured (docs/team.md): a server connected to a cluster
 * idles at ~140 MiB over HTTP, one unpaged list of 1,500 pods adds ~45 MiB while it runs, and
 * 1,000 open connections ~40 MiB; 288 MiB (the chart: 3/4 of 384 MiB) holds that load.
 */
export const DEFAULT_BUDGET_BYTES = 288 * MiB;

/** The least budget accepted: below it the idle server alone would not fit. */
export const MIN_BUDGET_BYTES = 160 * MiB;

/**
 * Under a container's memory limit the budget takes this share of it; the rest is the margin
 * for what the server does not count (the runtime's own allocations, socket buffers charged to
 * the cgroup, page cache of the binary). 384 MiB (the chart's limit) gives 288 MiB.
 */
export const CGROUP_SHARE = 0.75;

/** What the idle server holds (runtime, code, caches), measured; calls come on top. */
export const BASELINE_BYTES = 140 * MiB;

/** What one running call may hold at its peak (see the module comment). */
export const PER_CALL_BYTES = 4 * MiB;

/**
 * What the heaviest single call holds while it runs: an unpaged list of 1,500 pods, ~45 MiB
 * (the bench's list_pods_full), rounded up. Heavy calls start only while the memory left holds
 * one more of this.
 */
export const HEAVY_CALL_BYTES = 64 * MiB;

/** Limits on the number of calls that run at once when derived from the budget. */
const MIN_CALLS = 4;
const MAX_CALLS = 64;

export interface BudgetPlan {
  budgetBytes: number;
  /** Tool calls that run at once. */
  maxCalls: number;
  /** Tool calls that may wait for a slot; past it HTTP answers 429. */
  queueLength: number;
  /** Bytes of request bodies that may wait for a slot. */
  queueBytes: number;
  /** The longest a call waits for a slot before HTTP answers 429. */
  queueWaitMs: number;
  /** Unsent answer bytes held for slow readers, summed; past it the slowest are dropped. */
  unsentBytes: number;
  /** An answer whose client read nothing for this long is dropped. */
  stallMs: number;
  /** V8's --max-old-space-size for this budget, in MiB. */
  heapMiB: number;
  /**
   * MCP requests of any kind handled at once on streamable HTTP: each needs a server (~75 KiB
   * of heap connected, measured), and 500 concurrent pings once grew the process by 110 MiB.
   * More wait in the same kind of bounded queue as tool calls.
   */
  maxRequests: number;
  /** Legacy SSE sessions open at once: each holds a server and a stream. */
  maxSseSessions: number;
  /**
   * V8's heap in use plus its external buffers past which calls start one at a time; the
   * resident size's mark is the budget itself (src/budget/budget.ts memoryCapacity).
   */
  heapSoftBytes: number;
}

/** The default for --max-concurrent-calls: what the budget holds beyond the idle server. */
export function callsFor(budgetBytes: number): number {
  const n = Math.floor((budgetBytes - BASELINE_BYTES - unsentFor(budgetBytes)) / PER_CALL_BYTES);
  return Math.min(MAX_CALLS, Math.max(MIN_CALLS, n));
}

function unsentFor(budgetBytes: number): number {
  return Math.floor(budgetBytes / 8);
}

/**
 * The old generation's limit: half the budget (the other half is code, the runtime's own memory,
 * connections and answer buffers outside V8's heap). An overrun then ends in V8's "heap out of
 * memory" error, which names the cause, instead of the kernel's silent kill or a thrashing
 * process. Measured under the load, the heap in use stayed under 70 MiB; admission
 * starts calls one at a time once it passes heapSoftBytes (35% of the budget), so half the
 * budget leaves room for the heaviest call above that. (Without a flag, Deno's V8 takes a
 * quarter of a container's limit: 96 MiB for 384 MiB.)
 */
export function heapMiBFor(budgetBytes: number): number {
  return Math.max(HEAP_MIN_MIB, Math.floor(budgetBytes * HEAP_SHARE / MiB));
}

export const HEAP_SHARE = 0.5;
export const HEAP_MIN_MIB = 64;

/** V8's flag for a budget, as DENO_V8_FLAGS or --v8-flags take it. */
export function heapFlag(budgetBytes: number): string {
  return `--max-old-space-size=${heapMiBFor(budgetBytes)}`;
}

/**
 * What the npm launcher needs to compute the heap flag before it starts deno (npm/bin reads it
 * from bin/budget.json, written by scripts/npm_pack.ts): the same figures as here.
 */
export function launcherBudget(): Record<string, unknown> {
  return {
    defaultMiB: DEFAULT_BUDGET_BYTES / MiB,
    minMiB: MIN_BUDGET_BYTES / MiB,
    cgroupShare: CGROUP_SHARE,
    heapShare: HEAP_SHARE,
    heapMinMiB: HEAP_MIN_MIB,
    cgroupFiles: CGROUP_FILES,
  };
}

export function planBudget(budgetBytes: number, maxCalls = callsFor(budgetBytes)): BudgetPlan {
  return {
    budgetBytes,
    maxCalls,
    queueLength: maxCalls * 8,
    queueBytes: Math.floor(budgetBytes / 16),
    queueWaitMs: 15_000,
    unsentBytes: unsentFor(budgetBytes),
    stallMs: 30_000,
    heapMiB: heapMiBFor(budgetBytes),
    maxRequests: Math.max(maxCalls + 8, 32),
    // An eighth of the budget at ~150 KiB a session (server, transport, stream, connection).
    maxSseSessions: Math.max(16, Math.floor(budgetBytes / 8 / (150 * 1024))),
    heapSoftBytes: Math.floor(budgetBytes * 0.35),
  };
}

/** The budget a cgroup memory limit gives, rounded down to whole MiB; undefined for none. */
export function budgetFromLimit(limitBytes: number | undefined): number | undefined {
  if (limitBytes === undefined || !(limitBytes > 0) || limitBytes >= 2 ** 50) return undefined;
  return Math.floor(limitBytes * CGROUP_SHARE / MiB) * MiB;
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1000,
  ki: 1024,
  kib: 1024,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  mi: MiB,
  mib: MiB,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * Bytes of a size such as 192Mi, 256MiB, 200M or 1Gi (Kubernetes quantities and their -B
 * spellings; plain digits are bytes). Undefined when the text is not one. By hand: a dozen
 * units do not need a package.
 */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  return Math.floor(Number(m[1]) * unit);
}

export const mib = (bytes: number): string => `${Math.round(bytes / MiB)} MiB`;
