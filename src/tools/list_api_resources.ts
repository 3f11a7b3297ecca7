import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import type { ApiResource } from "../kube/types.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

/** Kubernetes has a dozen verbs, none longer than this; the bounds refuse nonsense at once. */
const VERB_CHARS = 64;
const MAX_VERBS = 32;

export interface ApiResourceFilter {
  /** "" or "core" for the core group. */
  apiGroup?: string;
  namespaced?: boolean;
  /** Every one of these must be supported. */
  verbs?: string[];
}

/** Pure: the types that pass every given filter. */
export function filterApiResources(
  resources: readonly ApiResource[],
  f: ApiResourceFilter,
): ApiResource[] {
  const group = f.apiGroup?.trim().toLowerCase();
  const wanted = group === "core" ? "" : group;
  const verbs = (f.verbs ?? []).map((v) => v.trim().toLowerCase()).filter(Boolean);
  return resources.filter((r) =>
    (wanted === undefined || r.group.toLowerCase() === wanted) &&
    (f.namespaced === undefined || r.namespaced === f.namespaced) &&
    verbs.every((v) => r.verbs.includes(v))
  );
}

export const listApiResources = defineTool({
  name: "list_api_resources",
  title: "List API resource types",
  description: "The resource types the cluster serves (preferred versions), like kubectl " +
    "api-resources; each name is a valid resource_type (name.group where two groups share a " +
    "plural). unavailable: API groups that did not answer.",
  input: {
    title_only: z.boolean().default(true).describe(
      "Names only; false adds kind, namespaced, verbs, shortNames, apiVersion, categories",
    ),
    context: p.context,
    api_group: p.text(p.LIMITS.apiVersion).optional().describe(
      'Only this group, e.g. apps; "core" or "" for the core group',
    ),
    namespaced: z.boolean().optional().describe(
      "true: namespaced types only; false: cluster-scoped only",
    ),
    verbs: z.union([z.array(p.text(VERB_CHARS)).max(MAX_VERBS), p.text(MAX_VERBS * VERB_CHARS)])
      .optional().describe(
        'Only types with all these verbs, e.g. ["list","watch"] or "list,watch"',
      ),
    limit: z.number().int().min(1).optional().describe("Page size (default: all)"),
    offset: z.number().int().min(0).optional().describe(
      "Types to skip: nextOffset of the previous page",
    ),
  },
  output: o.result({
    count: o.count,
    resources: z.array(z.union([z.string(), o.object])),
    unavailable: z.array(z.string()).optional(),
  }),
  annotations: READS_CLUSTER,
  async run(args, { kube }) {
    const client = await kube.client(args.context);
    const { resources: served, unavailable, sharedNames } = await client.apiResources();
    const verbs = typeof args.verbs === "string" ? args.verbs.split(",") : args.verbs;
    const preferred = filterApiResources(served.filter((r) => r.preferred), {
      apiGroup: args.api_group,
      namespaced: args.namespaced,
      verbs,
    }).sort((a, b) => a.name.localeCompare(b.name) || a.apiVersion.localeCompare(b.apiVersion));
    const offset = args.offset ?? 0;
    const page = preferred.slice(offset, args.limit ? offset + args.limit : undefined);
    const resources = args.title_only
      ? page.map((r) => (sharedNames.has(r.name) && r.group ? `${r.name}.${r.group}` : r.name))
      : page.map((r) => ({
        name: r.name,
        singularName: r.singularName,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        apiVersion: r.apiVersion,
        ...(r.categories ? { categories: r.categories } : {}),
      }));
    // Today's answer unless a new parameter is used, so existing clients see no change.
    const asked = [args.api_group, args.namespaced, args.verbs, args.limit, args.offset]
      .some((v) => v !== undefined);
    const next = offset + page.length;
    const hasMore = next < preferred.length;
    return ok({
      count: resources.length,
      resources,
      ...(asked
        ? { totalCount: preferred.length, hasMore, ...(hasMore ? { nextOffset: next } : {}) }
        : {}),
      ...(unavailable.length ? { unavailable } : {}),
    });
  },
});
