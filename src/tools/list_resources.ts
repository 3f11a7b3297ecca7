import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import { newestFirst } from "../kube/sanitize.ts";
import { forModel } from "../secrets/redact.ts";
import type { KubeObject } from "../kube/types.ts";
import { isEventResource, newestEventsFirst, slimEvent } from "../diagnose/events.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

const ALL_NAMESPACES = new Set(["*", "all"]);

export const listResources = defineTool({
  name: "list_resources",
  title: "List Kubernetes resources",
  description: "List objects of any type, newest first (with limit: in the API server's order, " +
    "paged by continue). Events sort by event time; for them, limit without continue gives the " +
    "newest N. Never spec or status: get_resource has them.",
  input: {
    resource_type: p.resourceType,
    api_version: p.apiVersion,
    namespace: p.namespaceOf('Namespace, "*" for all (default: the server\'s)', [
      ...ALL_NAMESPACES,
    ]).optional(),
    context: p.context,
    label_selector: p.selector("e.g. app=web,tier!=db"),
    field_selector: p.selector(
      "e.g. status.phase=Running; events: involvedObject.name=web-1,type=Warning",
    ),
    limit: p.limit,
    continue: p.continueToken,
    title_only: z.boolean().default(true).describe(
      "Names only; false adds apiVersion, kind and metadata",
    ),
    include_managed_fields: p.includeManagedFields,
  },
  output: o.result({
    continue: o.continueToken,
    count: o.count,
    items: z.array(o.object),
    namespace: z.string(),
    remaining_items: o.count.optional(),
    resource_version: z.string().optional(),
    resource_type: z.string(),
  }),
  annotations: READS_CLUSTER,
  async run(args, { kube, secretAccess, signal }) {
    const client = await kube.client(args.context);
    const resource = await client.resolve(args.resource_type, args.api_version, signal);
    const asked = args.namespace?.trim();
    const everywhere = asked !== undefined && ALL_NAMESPACES.has(asked);
    const namespace = resource.namespaced && !everywhere ? asked || client.namespace : undefined;
    const events = isEventResource(resource);
    // Events sort by their own time, which metadata alone does not carry; for them `limit`
    // without `continue` means "the newest N", so the whole list is read and cut here.
    const newestN = events && !args.continue && (args.limit ?? 0) > 0 ? args.limit! : undefined;
    const list = await client.list({
      resource,
      namespace,
      labelSelector: args.label_selector,
      fieldSelector: args.field_selector,
      limit: newestN ? undefined : args.limit,
      continue: args.continue,
      metadataOnly: !events,
    }, signal);
    const paginated = !newestN && ((args.limit ?? 0) > 0 || !!args.continue);
    const sorted = paginated
      ? list.items
      : events
      ? newestEventsFirst(list.items)
      : newestFirst(list.items);
    const shown = newestN ? sorted.slice(0, newestN) : sorted;
    const items = shown.map((item: KubeObject) => {
      const meta = item.metadata ?? {};
      if (args.title_only) {
        return resource.namespaced && !namespace
          ? { name: meta.name, namespace: meta.namespace }
          : { name: meta.name };
      }
      return {
        ...forModel(
          resource,
          { apiVersion: resource.apiVersion, kind: resource.kind, metadata: meta },
          { secretAccess, keepBookkeeping: args.include_managed_fields },
        ),
        ...(events ? { event: slimEvent(item) } : {}),
      };
    });
    const remaining = newestN ? sorted.length - shown.length : list.remainingItemCount;
    return ok({
      ...(list.continue ? { continue: list.continue } : {}),
      count: items.length,
      items,
      namespace: namespace ?? "",
      ...(remaining ? { remaining_items: remaining } : {}),
      ...(list.resourceVersion ? { resource_version: list.resourceVersion } : {}),
      resource_type: args.resource_type,
    });
  },
});
