// Trims Kubernetes objects before a model sees them. Pure.

import type { KubeObject } from "./types.ts";

/** Drops metadata.managedFields (server-side apply bookkeeping) unless asked to keep it. */
export function stripManagedFields(obj: KubeObject, keep = false): KubeObject {
  const meta = obj.metadata;
  if (keep || !meta || typeof meta !== "object" || !("managedFields" in meta)) return obj;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}

function timestamp(obj: KubeObject): number {
  const t = Date.parse(String(obj.metadata?.creationTimestamp ?? ""));
  return Number.isNaN(t) ? -Infinity : t;
}

/** Newest first by creationTimestamp; objects without one go last; ties keep API order. */
export function newestFirst(items: KubeObject[]): KubeObject[] {
  return items.map((item, i) => ({ item, i, t: timestamp(item) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.item);
}
