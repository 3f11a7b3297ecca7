import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ToolError } from "../errors.ts";
import { ok } from "../mcp/result.ts";
import { newestFirst } from "../kube/sanitize.ts";
import { listItem, metricsResource, notFound, trim } from "../usage/source.ts";
import { paginate } from "../usage/token.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

export const getPodMetrics = defineTool({
  name: "get_pod_metrics",
  title: "Get pod metrics",
  description: "Pods' CPU and memory use per container (metrics.k8s.io), like kubectl top " +
    "pods; lists newest sample first.",
  input: {
    namespace: p.namespaceOf("Namespace (default: all)").optional(),
    pod_name: p.objectName("One pod (needs namespace)").optional(),
    context: p.context,
    limit: p.limit,
    continue: p.continueToken,
    title_only: z.boolean().optional().describe("Names and namespaces only"),
  },
  output: o.result({}).describe(
    "PodMetricsList (+count, continue), a PodMetrics, or {name, namespace}",
  ),
  annotations: READS_CLUSTER,
  async run(args, { kube, signal }) {
    const namespace = args.namespace?.trim() ?? "";
    if (args.pod_name && !namespace) {
      throw new ToolError("namespace is required when specifying pod_name");
    }
    const client = await kube.client(args.context);
    const resource = await metricsResource(client, "pods");
    if (args.pod_name) {
      const m = await client.get({ resource, name: args.pod_name, namespace }, signal)
        .catch((e) => Promise.reject(notFound(e, `pod "${namespace}/${args.pod_name}"`)));
      return ok(args.title_only ? { name: args.pod_name, namespace } : trim(m));
    }
    const { items } = await client.list({ resource, namespace: namespace || undefined }, signal);
    const all = args.title_only
      ? items.map((m) => ({ name: m.metadata?.name, namespace: m.metadata?.namespace }))
        .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
      : newestFirst(items, (m) => m.timestamp).map(listItem);
    const page = paginate<unknown>(all, {
      limit: args.limit,
      continue: args.continue,
      type: "pod",
      namespace,
    });
    return ok({
      apiVersion: resource.apiVersion,
      kind: "PodMetricsList",
      namespace,
      count: page.items.length,
      items: page.items,
      ...(page.continue ? { continue: page.continue } : {}),
    });
  },
});
