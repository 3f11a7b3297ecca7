import { z } from "../deps.ts";
import { defineTool, LOCAL_ONLY } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import * as o from "./_output.ts";

export const listContexts = defineTool({
  name: "list_contexts",
  title: "List kubeconfig contexts",
  description: "List the contexts of the kubeconfig this server uses, current one first: name, " +
    "cluster, user, default namespace and whether it is current. Pass a context name as the " +
    "`context` parameter of other tools to query that cluster. Reads the local kubeconfig only.",
  input: {
    title_only: z.boolean().optional().describe("Return context names only (default false)"),
  },
  output: o.result({ contexts: z.array(z.union([z.string(), o.object])), count: o.count }),
  annotations: LOCAL_ONLY,
  async run({ title_only }, { kube }) {
    const contexts = await kube.contexts();
    return ok({
      contexts: title_only ? contexts.map((c) => c.name) : contexts,
      count: contexts.length,
    });
  },
});
