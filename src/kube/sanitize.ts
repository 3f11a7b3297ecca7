// Trims Kubernetes objects before a model sees them. Pure.

import type { KubeObject } from "./types.ts";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * Drops bookkeeping a model never needs unless asked to keep it: metadata.managedFields
 * (server-side apply) and the last-applied-configuration annotation (a second copy of the
 * object as JSON text, often the largest field of all).
 */
export function stripManagedFields(obj: KubeObject, keep = false): KubeObject {
  const meta = obj.metadata;
  if (keep || !meta || typeof meta !== "object") return obj;
  const { managedFields: _, ...rest } = meta;
  const annotations = rest.annotations as Record<string, unknown> | undefined;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _last, ...others } = annotations;
    rest.annotations = others;
  }
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
