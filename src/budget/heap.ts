// V8's heap limit against the budget. It cannot be changed once the process runs (node:v8's
// setFlagsFromString("--max-old-space-size=…") leaves heap_size_limit as it was, measured on
// Deno 2.9.6), so the shipped forms pass it at start-up: the npm launcher computes it from the
// budget, the image and the chart set DENO_V8_FLAGS, the release binaries bake in the default
// budget's (docs/team.md). Here the server only says what it got.

import v8 from "node:v8";
import type { BudgetPlan } from "./plan.ts";
import { mib } from "./plan.ts";

/** V8's heap size limit in bytes. */
export function heapLimitBytes(): number {
  return v8.getHeapStatistics().heap_size_limit;
}

/** The start-up lines about the budget: its figures, and a warning when the heap may outgrow it. */
export function budgetLines(plan: BudgetPlan, source: string): { info: string; warning?: string } {
  const limit = heapLimitBytes();
  const info = `Memory budget ${mib(plan.budgetBytes)} (${source}): ${plan.maxCalls} tool calls ` +
    `at once, up to ${plan.queueLength} waiting ${plan.queueWaitMs / 1000}s; answers held for ` +
    `slow readers up to ${mib(plan.unsentBytes)}; V8 heap limit ${mib(limit)}`;
  if (limit <= plan.budgetBytes) return { info };
  return {
    info,
    warning: `V8's heap limit (${mib(limit)}) is above the memory budget ` +
      `(${mib(plan.budgetBytes)}), so a heap overrun would meet the container's limit instead ` +
      `of a clear out-of-memory error: start with DENO_V8_FLAGS=--max-old-space-size=` +
      `${plan.heapMiB} (the npm package, the image and the Helm chart set it)`,
  };
}
