import { LIMITS, namespaceOf, objectName, text } from "../tools/_shared.ts";
import { definePrompt } from "../mcp/define_prompt.ts";
import { contextArg, RULES, steps } from "./prompt.ts";

export const diagnoseWorkload = definePrompt({
  name: "diagnose_workload",
  title: "Diagnose a workload",
  description: "Find why a workload (a Deployment by default) is unhealthy: its state, its " +
    "pods, the previous logs of restarted containers and Warning events.",
  args: {
    namespace: namespaceOf("Namespace of the workload").min(1, { error: "must not be empty" }),
    name: objectName("Name of the Deployment (or of the kind given)"),
    kind: text(LIMITS.resourceType).optional().describe(
      "deployment (default), statefulset, daemonset, job, pod ...",
    ),
    context: text(LIMITS.context).optional().describe("Kubeconfig context (default: current)"),
  },
  tools: ["describe_resource", "list_resources", "get_logs"],
  text(args) {
    const kind = args.kind?.trim() || "deployment";
    const ns = JSON.stringify(args.namespace.trim());
    const name = JSON.stringify(args.name);
    const ctx = contextArg(args.context);
    const pod = /^(po|pods?)$/i.test(kind);
    return `Find out why the ${kind} ${name} in namespace ${ns} is unhealthy, with this ` +
      "server's read-only tools. Stop as soon as the cause is clear.\n" +
      steps([
        `describe_resource resource_type=${JSON.stringify(kind)} name=${name} namespace=${ns}` +
        `${ctx}: its status, conditions, owners and Warning events` +
        (pod ? "." : ", and its pod selector (spec.selector.matchLabels)."),
        !pod &&
        `list_resources resource_type="pods" namespace=${ns} label_selector=<that selector as ` +
          `k=v,k2=v2>${ctx}: each pod's STATUS, READY and RESTARTS.`,
        `For a pod that is not Ready or has restarted: describe_resource resource_type="pods" ` +
        `name=<pod> namespace=${ns}${ctx} for its container states and events, then get_logs ` +
        `name=<pod> namespace=${ns} previous=true max_lines=50${ctx} for the run that ended ` +
        "(previous=false when it never restarted; add container=<name> for another container).",
        `list_resources resource_type="events" namespace=${ns} field_selector="type=Warning" ` +
        `limit=20${ctx}: other recent warnings in the namespace (quota, scheduling, volumes).`,
      ]) +
      "\nThen answer with the cause, the evidence (a few quoted lines) and the fix. " + RULES;
  },
});
