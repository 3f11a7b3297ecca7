import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import { newestFirst } from "../kube/sanitize.ts";
import { listItem, metricsResource, notFound, trim } from "../metrics/source.ts";
import { paginate } from "../metrics/token.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

export const getNodeMetrics = defineTool({
  name: "get_node_metrics",
  title: "Get node metrics",
  description: "CPU and memory usage of nodes from metrics.k8s.io (metrics-server), like " +
    "kubectl top nodes. With node_name, one node; otherwise every node, newest sample first, " +
    "paged with limit and continue. title_only returns node names only.",
  input: {
    node_name: p.objectName("One node; omit for all nodes").optional(),
    context: p.context,
    limit: p.limit,
    continue: p.continueToken,
    title_only: z.boolean().optional().describe("Names only (default false)"),
  },
  output: o.result({
    count: o.count.optional(),
    items: z.array(z.union([z.string(), o.object])).optional(),
    continue: o.continueToken,
  }).describe("A NodeMetricsList, one NodeMetrics, or {name} with title_only"),
  annotations: READS_CLUSTER,
  async run(args, { kube, signal }) {
    const client = await kube.client(args.context);
    const resource = await metricsResource(client, "nodes");
    if (args.node_name) {
      const m = await client.get({ resource, name: args.node_name }, signal)
        .catch((e) => Promise.reject(notFound(e, `node "${args.node_name}"`)));
      return ok(args.title_only ? { name: args.node_name } : trim(m));
    }
    const { items } = await client.list({ resource }, signal);
    const all = args.title_only
      ? items.map((m) => String(m.metadata?.name ?? "")).sort()
      : newestFirst(items, (m) => m.timestamp).map(listItem);
    const page = paginate<unknown>(all, {
      limit: args.limit,
      continue: args.continue,
      type: "node",
    });
    return ok({
      apiVersion: resource.apiVersion,
      kind: "NodeMetricsList",
      count: page.items.length,
      items: page.items,
      ...(page.continue ? { continue: page.continue } : {}),
    });
  },
});
