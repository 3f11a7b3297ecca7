import { LIMITS, text } from "../tools/_shared.ts";
import { definePrompt } from "../mcp/define_prompt.ts";
import { contextArg, RULES, steps } from "./prompt.ts";

export const clusterOverview = definePrompt({
  name: "cluster_overview",
  title: "Cluster overview",
  description: "Is anything unhealthy? API server and node health, pods that are not running " +
    "and the newest Warning events, in one cluster or in every context at once.",
  args: {
    context: text(LIMITS.context).optional().describe(
      'Kubeconfig context, or "*" for every context (default: current)',
    ),
  },
  tools: ["get_cluster_health", "list_resources"],
  optionalTools: ["get_node_metrics"],
  text(args, enabled) {
    const c = args.context?.trim();
    const ctx = contextArg(c);
    const where = c === "*"
      ? 'every cluster of the kubeconfig (context="*" answers per context in one call)'
      : c
      ? `the cluster of context ${JSON.stringify(c)}`
      : "the current cluster";
    return `Give an overview of the health of ${where}, with this server's read-only tools.\n` +
      steps([
        `get_cluster_health${ctx}: API server readiness, NotReady nodes and their conditions.`,
        `list_resources resource_type="pods" namespace="*" ` +
        `field_selector="status.phase!=Running,status.phase!=Succeeded"${ctx}: pods pending or ` +
        "failed.",
        `list_resources resource_type="events" namespace="*" field_selector="type=Warning" ` +
        `limit=30${ctx}: the newest warnings (BackOff, OOMKilling, FailedScheduling ...), which ` +
        "also name pods that crash while Running.",
        enabled.has("get_node_metrics") &&
        `get_node_metrics${ctx}: nodes close to their CPU or memory capacity.`,
      ]) +
      "\nThen summarize per cluster: healthy, degraded or unhealthy; what fails and where; and " +
      "which workload to look at next (the diagnose_workload prompt). Name the clusters that " +
      "could not be read, and why. " + RULES;
  },
});
