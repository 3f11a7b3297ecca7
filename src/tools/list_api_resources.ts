import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

export const listApiResources = defineTool({
  name: "list_api_resources",
  title: "List API resource types",
  description: "List the resource types the cluster serves (preferred versions), like kubectl " +
    "api-resources. Names only by default, written name.group where two groups share a " +
    "plural; any of these is a valid resource_type for list_resources and get_resource. " +
    "title_only=false adds singularName, namespaced, kind, verbs, shortNames, apiVersion, " +
    "categories. `unavailable` lists API groups that did not answer.",
  input: {
    title_only: z.boolean().default(true).describe("Names only (default true)"),
    context: p.context,
  },
  output: z.object({
    count: o.count,
    resources: z.array(z.union([z.string(), o.object])),
    unavailable: z.array(z.string()).optional(),
  }),
  annotations: READS_CLUSTER,
  async run({ title_only, context }, { kube }) {
    const client = await kube.client(context);
    const { resources: served, unavailable, sharedNames } = await client.apiResources();
    const preferred = served.filter((r) => r.preferred)
      .sort((a, b) => a.name.localeCompare(b.name) || a.apiVersion.localeCompare(b.apiVersion));
    const resources = title_only
      ? preferred.map((r) => (sharedNames.has(r.name) && r.group ? `${r.name}.${r.group}` : r.name))
      : preferred.map((r) => ({
        name: r.name,
        singularName: r.singularName,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        apiVersion: r.apiVersion,
        ...(r.categories ? { categories: r.categories } : {}),
      }));
    return ok({
      count: resources.length,
      resources,
      ...(unavailable.length ? { unavailable } : {}),
    });
  },
});
