// Every prompt, and which of them a server with these tools offers.

import type { PromptDefinition } from "../mcp/define_prompt.ts";
import { diagnoseWorkload } from "./diagnose_workload.ts";
import { clusterOverview } from "./cluster_overview.ts";
import { findWorkload } from "./find_workload.ts";

export const PROMPTS: readonly PromptDefinition[] = [
  diagnoseWorkload as unknown as PromptDefinition,
  clusterOverview as unknown as PromptDefinition,
  findWorkload as unknown as PromptDefinition,
];

/** The prompts whose tools are all enabled (`--disabled-tools` leaves the others out). */
export function selectPrompts(enabled: ReadonlySet<string>): PromptDefinition[] {
  return PROMPTS.filter((p) => p.tools.every((t) => enabled.has(t)));
}
