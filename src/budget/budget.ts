// One memory budget for the whole server (issue 23): the plan derived from it, the admission of
// tool calls and the ledger of answers held for slow readers, shared by every transport.

import { Admission, type AdmissionObserver } from "./admission.ts";
import { type BudgetPlan, HEAVY_CALL_BYTES, planBudget } from "./plan.ts";
import { UnsentAnswers, type UnsentObserver } from "./unsent.ts";

export interface Budget {
  plan: BudgetPlan;
  /** Tool calls. */
  admission: Admission;
  /** Every MCP request on streamable HTTP (a tool call takes a tool slot first). */
  requests: Admission;
  unsent: UnsentAnswers;
}

export type BudgetObserver = AdmissionObserver & UnsentObserver;

/**
 * Calls the memory left holds: the headroom under the budget (resident size, or V8's heap and
 * its buffers, whichever is nearer its mark) in units of the heaviest call.
 */
export function memoryCapacity(
  plan: BudgetPlan,
  m: { rss: number; heapUsed: number; external: number },
): number {
  const headroom = Math.min(
    plan.budgetBytes - m.rss,
    plan.heapSoftBytes + HEAVY_CALL_BYTES - m.heapUsed - m.external,
  );
  return Math.floor(headroom / HEAVY_CALL_BYTES);
}

export function createBudget(
  // The resolved Config's fields (structural: budget/ sits below config/, which sizes from plan.ts).
  config: { memoryBudgetBytes: number; maxConcurrentCalls: number; transport: string },
  observer?: BudgetObserver,
): Budget {
  const plan = planBudget(config.memoryBudgetBytes, config.maxConcurrentCalls);
  // Stdio has one caller, whose client waits for its answers: its calls only queue.
  const stdio = config.transport === "stdio";
  const admission = new Admission({
    capacity: () => memoryCapacity(plan, Deno.memoryUsage()),
    max: plan.maxCalls,
    queueLength: stdio ? Infinity : plan.queueLength,
    queueBytes: stdio ? Infinity : plan.queueBytes,
    queueWaitMs: stdio ? Infinity : plan.queueWaitMs,
  }, observer);
  const requests = new Admission({
    max: plan.maxRequests,
    queueLength: plan.maxRequests * 16,
    queueBytes: plan.queueBytes,
    queueWaitMs: plan.queueWaitMs,
  }, { refused: observer?.refused });
  return {
    plan,
    admission,
    requests,
    unsent: new UnsentAnswers(plan.unsentBytes, plan.stallMs, observer),
  };
}
