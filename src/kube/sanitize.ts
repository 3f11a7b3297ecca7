// Trims Kubernetes objects before a model sees them. Pure.

import type { KubeObject } from "./types.ts";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * Drops bookkeeping a model never needs unless asked to keep it: metadata.managedFields
 * (server-side apply) and the last-applied-configuration annotation (a second copy of the
 * object as JSON text, often the largest field of all).
 */
export function stripBookkeeping(obj: KubeObject, keep = false): KubeObject {
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

function millis(value: unknown): number {
  const t = Date.parse(String(value ?? ""));
  return Number.isNaN(t) ? -Infinity : t;
}

function key(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}

/**
 * Newest first by the given time (creationTimestamp by default); undated objects last; ties by
 * namespace/name, which is the API server's own list order and keeps client-side pages stable.
 */
export function newestFirst(
  items: readonly KubeObject[],
  when: (obj: KubeObject) => unknown = (obj) => obj.metadata?.creationTimestamp,
): KubeObject[] {
  return items.map((item) => ({ item, t: millis(when(item)), k: key(item) }))
    .sort((a, b) => b.t - a.t || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.item);
}
