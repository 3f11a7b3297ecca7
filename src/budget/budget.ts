// One memory budget for the whole server (issue 23): the plan derived from it, the admission of
// tool calls and the ledger of answers held for slow readers, shared by every transport.

import type { Config } from "../config/schema.ts";
import { Admission, type AdmissionObserver } from "./admission.ts";
import { type BudgetPlan, planBudget } from "./plan.ts";
import { UnsentAnswers, type UnsentObserver } from "./unsent.ts";

export interface Budget {
  plan: BudgetPlan;
  admission: Admission;
  unsent: UnsentAnswers;
}

export type BudgetObserver = AdmissionObserver & UnsentObserver;

export function createBudget(
  config: Pick<Config, "memoryBudgetBytes" | "maxConcurrentCalls" | "transport">,
  observer?: BudgetObserver,
): Budget {
  const plan = planBudget(config.memoryBudgetBytes, config.maxConcurrentCalls);
  // Stdio has one caller, whose client waits for its answers: its calls only queue.
  const stdio = config.transport === "stdio";
  const admission = new Admission({
    max: plan.maxCalls,
    queueLength: stdio ? Infinity : plan.queueLength,
    queueBytes: stdio ? Infinity : plan.queueBytes,
    queueWaitMs: stdio ? Infinity : plan.queueWaitMs,
  }, observer);
  return { plan, admission, unsent: new UnsentAnswers(plan.unsentBytes, plan.stallMs, observer) };
}
