import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import { newestFirst } from "../kube/sanitize.ts";
import { listItem, metricsResource, notFound, trim } from "../usage/source.ts";
import { paginate } from "../usage/token.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

export const getNodeMetrics = defineTool({
  name: "get_node_metrics",
  title: "Get node metrics",
  description: "Nodes' CPU and memory use (metrics.k8s.io), like kubectl top nodes; lists " +
    "newest sample first.",
  input: {
    node_name: p.objectName("One node (default: all)").optional(),
    context: p.context,
    limit: p.limit,
    continue: p.continueToken,
    title_only: z.boolean().optional().describe("Names only"),
  },
  output: o.result({}).describe("NodeMetricsList (+count, continue), a NodeMetrics, or {name}"),
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
