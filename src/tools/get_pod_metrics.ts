import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok, ToolError } from "../mcp/result.ts";
import { newestFirst } from "../kube/sanitize.ts";
import { listItem, metricsResource, notFound, trim } from "../metrics/source.ts";
import { paginate } from "../metrics/token.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

export const getPodMetrics = defineTool({
  name: "get_pod_metrics",
  title: "Get pod metrics",
  description: "CPU and memory usage of pods per container from metrics.k8s.io " +
    "(metrics-server), like kubectl top pods. With namespace and pod_name, one pod; with " +
    "namespace only, that namespace; with neither, every namespace. Lists are newest sample " +
    "first, paged with limit and continue; title_only returns names and namespaces only.",
  input: {
    namespace: p.namespaceOf("Namespace; omit for all namespaces").optional(),
    pod_name: p.objectName("One pod (namespace is then required)").optional(),
    context: p.context,
    limit: p.limit,
    continue: p.continueToken,
    title_only: z.boolean().optional().describe("Names and namespaces only (default false)"),
  },
  output: o.result({
    count: o.count.optional(),
    items: z.array(z.union([z.string(), o.object])).optional(),
    continue: o.continueToken,
  }).describe("A PodMetricsList, one PodMetrics, or {name, namespace} with title_only"),
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
