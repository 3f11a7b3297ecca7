import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import type { ApiResource, KubeClient, KubeObject } from "../kube/types.ts";
import { EVENT_COLUMNS, eventRow, newestEventsFirst } from "../diagnose/events.ts";
import { describeView } from "../diagnose/describe_view.ts";
import { ownerChain } from "../diagnose/owners.ts";
import { partFailure, type Unavailable } from "../diagnose/unavailable.ts";
import { forModel } from "../secrets/redact.ts";
import * as o from "./_output.ts";
import { getObject, OBJECT_INPUT } from "./get_resource.ts";

export const DEFAULT_EVENTS_LIMIT = 20;
export const MAX_EVENTS_LIMIT = 200;

interface EventsPart {
  /** Rows of EVENT_COLUMNS, newest first. */
  events: string[][];
  total: number;
}

/**
 * The field selector kubectl describe uses: the object's kind, name, namespace and uid. Not the
 * uid of cluster-scoped objects: the kubelet reports a Node's events with its name as the uid.
 */
function involvedSelector(obj: KubeObject, resource: ApiResource, namespace?: string): string {
  const meta = obj.metadata ?? {};
  return [
    `involvedObject.kind=${obj.kind ?? resource.kind}`,
    `involvedObject.name=${meta.name}`,
    ...(namespace ? [`involvedObject.namespace=${namespace}`] : []),
    ...(namespace && meta.uid ? [`involvedObject.uid=${meta.uid}`] : []),
  ].join(",");
}

async function eventsOf(
  client: KubeClient,
  obj: KubeObject,
  resource: ApiResource,
  namespace: string | undefined,
  limit: number,
  signal: AbortSignal,
): Promise<EventsPart> {
  // core/v1 events also hold every events.k8s.io event (`regarding` is `involvedObject` there).
  const events = await client.resolve("events", "v1", signal);
  const list = await client.list({
    resource: events,
    namespace,
    fieldSelector: involvedSelector(obj, resource, namespace),
  }, signal);
  const sorted = newestEventsFirst(list.items);
  const now = Date.now();
  return { events: sorted.slice(0, limit).map((e) => eventRow(e, now)), total: sorted.length };
}

export const describeResource = defineTool({
  name: "describe_resource",
  title: "Describe a Kubernetes resource",
  description: "Like kubectl describe: the object (defaults and ids left out), its events " +
    "newest first, and its owners up to the top controller (Pod → ReplicaSet → Deployment). " +
    "Start here when something fails. Parts the user may not read are in unavailable.",
  input: {
    ...OBJECT_INPUT,
    events_limit: z.number().int().min(0).max(MAX_EVENTS_LIMIT).optional().describe(
      `Most events (default ${DEFAULT_EVENTS_LIMIT}; 0: none)`,
    ),
  },
  output: o.result({
    resource: o.object,
    event_columns: z.array(z.string()).optional(),
    events: z.array(z.array(z.string())).optional(),
    events_total: o.count.optional(),
    events_note: z.string().optional(),
    owners: z.array(z.string()).optional(),
    unavailable: o.unavailable,
  }),
  annotations: READS_CLUSTER,
  async run(args, { kube, secretAccess, signal }) {
    const { client, resource, namespace, obj } = await getObject(kube, args, signal);
    const limit = args.events_limit ?? DEFAULT_EVENTS_LIMIT;
    const unavailable: Unavailable[] = [];
    const [events, chain] = await Promise.all([
      limit > 0
        ? eventsOf(client, obj, resource, namespace, limit, signal).catch((e) => {
          unavailable.push(partFailure("events", e));
          return undefined;
        })
        : undefined,
      ownerChain(client, obj, namespace, signal),
    ]);
    if (chain.stopped) {
      const { kind, name, reason } = chain.stopped;
      unavailable.push({ part: "owners", reason: `${kind} ${name}: ${reason}` });
    }
    // Owners as kind/name rows; one that could not be read is last, its reason in unavailable.
    const owners = [...chain.owners, ...(chain.stopped ? [chain.stopped] : [])]
      .map(({ kind, name }) => `${kind}/${name}`);
    const presented = forModel(resource, obj, {
      secretAccess,
      keepBookkeeping: args.include_managed_fields,
    });
    return ok({
      // get_resource's presentation (Secret values redacted), then kubectl describe's cut.
      resource: args.include_managed_fields ? presented : describeView(presented),
      ...(events
        ? {
          ...(events.events.length ? { event_columns: [...EVENT_COLUMNS] } : {}),
          events: events.events,
          ...(events.total > events.events.length
            ? { events_total: events.total, events_note: eventsNote(events, args) }
            : {}),
        }
        : {}),
      ...(owners.length ? { owners } : {}),
      ...(unavailable.length ? { unavailable } : {}),
    });
  },
});

function eventsNote(e: EventsPart, args: { name: string }): string {
  return `Showing the newest ${e.events.length} of ${e.total} events; raise events_limit, or ` +
    `list_resources events with field_selector involvedObject.name=${args.name} (add ` +
    `type=Warning for warnings only).`;
}
