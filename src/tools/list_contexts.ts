import { z } from "../deps.ts";
import { defineTool, LOCAL_ONLY } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import * as o from "./_output.ts";

export const listContexts = defineTool({
  name: "list_contexts",
  title: "List kubeconfig contexts",
  description: "The server's kubeconfig contexts, current first, with cluster, user and " +
    "namespace. Pass a name as another tool's context.",
  input: {
    title_only: z.boolean().optional().describe("Names only"),
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
