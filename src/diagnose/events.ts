// Kubernetes Events as a model needs them: the event's own time, newest first, and a slim view.
// Pure. Core v1 and events.k8s.io/v1 write the same objects with different field names, and
// both generations of writers fill different time fields, so every reader goes through here.

import { humanDuration } from "../duration.ts";
import { newestFirst } from "../kube/sanitize.ts";
import type { ApiResource, KubeObject } from "../kube/types.ts";

/** core/v1 events and events.k8s.io/v1 events (the same objects, two shapes). */
export function isEventResource(r: Pick<ApiResource, "name" | "group">): boolean {
  return r.name === "events" && (r.group === "" || r.group === "events.k8s.io");
}

type Fields = Record<string, unknown>;
const field = (obj: Fields | undefined, key: string): unknown =>
  obj && typeof obj === "object" ? obj[key] : undefined;
const present = (v: unknown): v is string | number => v !== undefined && v !== null && v !== "";

/**
 * When the event last happened: lastTimestamp (core, older writers), the series' last
 * observation or eventTime (newer writers), deprecatedLastTimestamp (the events.k8s.io view of
 * older writers), then firstTimestamp and creationTimestamp.
 */
export function eventTime(e: KubeObject): unknown {
  const series = field(e, "series") as Fields | undefined;
  return [
    e.lastTimestamp,
    field(series, "lastObservedTime"),
    e.eventTime,
    e.deprecatedLastTimestamp,
    e.firstTimestamp,
    e.deprecatedFirstTimestamp,
    e.metadata?.creationTimestamp,
  ].find(present);
}

export function newestEventsFirst(items: readonly KubeObject[]): KubeObject[] {
  return newestFirst(items, eventTime);
}

export interface SlimEvent {
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  first_seen?: string;
  last_seen?: string;
  source?: string;
}

/** type, reason, message, count, first and last time, and who reported it. */
export function slimEvent(e: KubeObject): SlimEvent {
  const source = field(e, "source") as Fields | undefined;
  const series = field(e, "series") as Fields | undefined;
  const reporter = [e.reportingController, e.reportingComponent, field(source, "component")]
    .find(present);
  const host = [field(source, "host"), e.reportingInstance].find(present);
  const first = [e.firstTimestamp, e.deprecatedFirstTimestamp, e.eventTime].find(present);
  const last = eventTime(e);
  const count = [e.count, field(series, "count"), e.deprecatedCount].find(present);
  const out: SlimEvent = {
    type: str(e.type),
    reason: str(e.reason),
    message: str(e.message ?? e.note),
    count: typeof count === "number" ? count : 1,
    first_seen: str(first),
    last_seen: str(last),
    source: reporter ? [reporter, host].filter(present).join(", ") : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as SlimEvent;
}

function str(v: unknown): string | undefined {
  return present(v) ? String(v) : undefined;
}

/** describe_resource's event columns, kubectl describe's: age reads "5m (x12 over 1h)". */
export const EVENT_COLUMNS = ["type", "reason", "age", "from", "message"] as const;

/** One event as a row of EVENT_COLUMNS, its ages relative to `now` (ms). */
export function eventRow(e: KubeObject, now: number): string[] {
  const s = slimEvent(e);
  const age = (t?: string) => {
    const ms = Date.parse(t ?? "");
    return Number.isNaN(ms) ? "<unknown>" : humanDuration(now - ms);
  };
  const last = age(s.last_seen);
  return [
    s.type ?? "",
    s.reason ?? "",
    s.count > 1 ? `${last} (x${s.count} over ${age(s.first_seen)})` : last,
    s.source ?? "",
    s.message ?? "",
  ];
}
