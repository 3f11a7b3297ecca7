import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER, type ToolSettings } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import { newestFirst } from "../kube/sanitize.ts";
import { forModel } from "../secrets/redact.ts";
import type { ApiResource, KubeClient, KubeObject } from "../kube/types.ts";
import { eventTime, isEventResource, slimEvent } from "../diagnose/events.ts";
import { compactTable } from "../table/columns.ts";
import { fieldList, projector } from "../fields/project.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

const ALL_NAMESPACES = new Set(["*", "all"]);

export const listInput = {
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
  title_only: z.boolean().optional().describe(
    "true: names only; false: apiVersion, kind, metadata",
  ),
  wide: z.boolean().optional().describe("kubectl get -o wide"),
  fields: p.fields,
  include_managed_fields: p.includeManagedFields,
};

type ListArgs = z.infer<z.ZodObject<typeof listInput>>;

/** One row per object, in our order: newest first; events by their own time. */
interface Row {
  object: KubeObject;
  cells: unknown[];
}

/**
 * The answer for one context's client: a function of the arguments and that client alone, so
 * a caller may run it per context.
 */
export async function listResourcesWith(
  client: KubeClient,
  args: ListArgs,
  settings: Pick<ToolSettings, "secretAccess">,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const resource = await client.resolve(args.resource_type, args.api_version, signal);
  const asked = args.namespace?.trim();
  const everywhere = asked !== undefined && ALL_NAMESPACES.has(asked);
  const namespace = resource.namespaced && !everywhere ? asked || client.namespace : undefined;
  const withNamespace = resource.namespaced && !namespace;
  const events = isEventResource(resource);
  const paths = fieldList(args.fields);
  const fields = paths.length ? await projector(paths) : undefined;
  // Default: kubectl get's table; title_only true: names; false: metadata; fields: projection.
  const mode = fields ? "fields" : args.title_only === undefined ? "table" : "meta";
  // Events sort by their own time, which metadata alone does not carry; for them `limit`
  // without `continue` means "the newest N", so the whole list is read and cut here.
  const newestN = events && !args.continue && (args.limit ?? 0) > 0 ? args.limit! : undefined;
  const query = {
    resource,
    namespace,
    labelSelector: args.label_selector,
    fieldSelector: args.field_selector,
    limit: newestN ? undefined : args.limit,
    continue: args.continue,
  };
  const page = mode === "table"
    ? await client.listTable({ ...query, includeObject: events ? "Object" : "Metadata" }, signal)
    : await client.list({
      ...query,
      // Metadata alone when nothing else is asked for: the API server then skips spec and status.
      metadataOnly: !events &&
        (mode === "meta" || !!fields?.keys.every((k) => /^\.metadata(\.|\[|$)/.test(k))),
    }, signal)
      .then(({ items, ...rest }) => ({
        ...rest,
        columns: undefined,
        rows: items.map((object) => ({ object, cells: [] })),
      }));
  const paginated = !newestN && ((args.limit ?? 0) > 0 || !!args.continue);
  const rows = paginated ? page.rows : sortRows(page.rows, events);
  const shown = newestN ? rows.slice(0, newestN) : rows;
  const remaining = newestN ? rows.length - shown.length : page.remainingItemCount;
  const answer = (body: Record<string, unknown>) => ({
    ...(page.continue ? { continue: page.continue } : {}),
    count: shown.length,
    ...body,
    namespace: namespace ?? "",
    ...(remaining ? { remaining_items: remaining } : {}),
    ...(page.resourceVersion ? { resource_version: page.resourceVersion } : {}),
    resource_type: args.resource_type,
  });
  const idKeys = withNamespace ? ["name", "namespace"] : ["name"];
  const identity = (o: KubeObject) =>
    Object.fromEntries(idKeys.map((k) => [k, o.metadata?.[k]])) as Record<string, unknown>;
  if (fields) {
    // Redaction first: a Secret's .data projects as "[redacted: N bytes]".
    const presented = (o: KubeObject) =>
      forModel(resource, { ...o, apiVersion: resource.apiVersion, kind: resource.kind }, {
        secretAccess: settings.secretAccess,
      });
    return answer({
      columns: [...idKeys, ...fields.keys],
      items: shown.map(({ object }) => [
        ...idKeys.map((k) => object.metadata?.[k]),
        ...fields.project(presented(object)),
      ]),
    });
  }
  if (mode === "table" && page.columns) {
    const table = compactTable(page.columns, shown, {
      wide: args.wide ?? false,
      withNamespace,
      withName: !events,
    });
    return answer({ columns: table.columns, items: table.rows });
  }
  if (mode === "table" || args.title_only) {
    return answer({
      items: shown.map(({ object }) => identity(object)),
      ...(mode === "table" ? { note: noTableNote(resource) } : {}),
    });
  }
  return answer({
    items: shown.map(({ object }) => ({
      ...forModel(
        resource,
        { apiVersion: resource.apiVersion, kind: resource.kind, metadata: object.metadata ?? {} },
        { secretAccess: settings.secretAccess, keepBookkeeping: args.include_managed_fields },
      ),
      ...(events ? { event: slimEvent(object) } : {}),
    })),
  });
}

function sortRows(rows: Row[], events: boolean): Row[] {
  const byObject = new Map(rows.map((r) => [r.object, r]));
  const objects = rows.map((r) => r.object);
  const sorted = events ? newestFirst(objects, eventTime) : newestFirst(objects);
  return sorted.map((o) => byObject.get(o)!);
}

function noTableNote(r: ApiResource): string {
  return `The API server sent no table for ${r.name}${r.group ? `.${r.group}` : ""} ` +
    "(kubectl get's columns), so names only; get_resource or fields shows more.";
}

export const listResources = defineTool({
  name: "list_resources",
  title: "List Kubernetes resources",
  description: "List objects of any type as kubectl get prints them, newest " +
    "first (with limit: in the API server's order, paged by continue). Events sort by event " +
    "time; for them, limit without continue gives the newest N.",
  input: listInput,
  output: o.result({
    columns: z.array(z.string()).optional(),
    continue: o.continueToken,
    count: o.count,
    items: z.array(z.unknown()),
    namespace: z.string(),
    note: z.string().optional(),
    remaining_items: o.count.optional(),
    resource_version: z.string().optional(),
    resource_type: z.string(),
  }),
  annotations: READS_CLUSTER,
  async run(args, { kube, secretAccess, signal }) {
    const client = await kube.client(args.context);
    return ok(await listResourcesWith(client, args, { secretAccess }, signal));
  },
});
