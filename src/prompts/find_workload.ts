import { LIMITS, objectName, text } from "../tools/_shared.ts";
import { definePrompt } from "../mcp/define_prompt.ts";
import { contextArg, RULES, steps } from "./prompt.ts";

export const findWorkload = definePrompt({
  name: "find_workload",
  title: "Find a workload in every cluster",
  description: "Where does a workload (a Deployment by default) run, in which clusters and " +
    "namespaces, at which image and with how many ready replicas?",
  args: {
    name: objectName("Name of the Deployment (or of the kind given)"),
    kind: text(LIMITS.resourceType).optional().describe(
      "deployment (default), statefulset, daemonset, cronjob ...",
    ),
    context: text(LIMITS.context).optional().describe(
      'Kubeconfig context, or "*" for every context (default: *)',
    ),
  },
  tools: ["list_resources", "get_resource"],
  text(args) {
    const kindName = args.kind?.trim() || "deployment";
    const kind = JSON.stringify(kindName);
    const name = JSON.stringify(args.name);
    const c = args.context?.trim() || "*";
    const ctx = contextArg(c);
    const where = c === "*"
      ? "in every cluster of the kubeconfig"
      : `in context ${JSON.stringify(c)}`;
    return `Find where the ${kindName} ${name} runs ${where}, at which image, with this server's ` +
      "read-only tools.\n" +
      steps([
        `list_resources resource_type=${kind} namespace="*" ` +
        `field_selector=${JSON.stringify(`metadata.name=${args.name}`)}${ctx}: the contexts and ` +
        "namespaces that " +
        "have it, in one call (a context that cannot be read says why in its group).",
        `For each one found: get_resource resource_type=${kind} name=${name} ` +
        "namespace=<its namespace> context=<its context>: the images of " +
        "spec.template.spec.containers (and initContainers), spec.replicas and " +
        "status.readyReplicas.",
      ]) +
      "\nThen answer with a table (context, namespace, images, ready/desired replicas) and " +
      "point out where the images or the readiness differ. " + RULES;
  },
});
