// --disabled-resources: which group/resource pairs are refused, in every version. Pure: the
// specs are checked for syntax up front and resolved against one cluster's discovery data.

import type { ApiResource } from "./types.ts";
import { normalizeApiVersion, resolveType } from "./resolve_type.ts";

export interface BlockList {
  /** "group/resource" keys, core written as "". */
  keys: Set<string>;
  /** Canonical "group/version/resource" of each spec, core written "core", for the log. */
  labels: string[];
}

export function blockKey(r: Pick<ApiResource, "group" | "name">): string {
  return `${r.group.toLowerCase()}/${r.name.toLowerCase()}`;
}

export function label(r: Pick<ApiResource, "group" | "version" | "name">): string {
  return `${r.group || "core"}/${r.version}/${r.name}`;
}

/** Throws on the first spec that is neither "name" nor "group/version/resource". */
export function checkSpecs(specs: readonly string[]): void {
  for (const spec of specs) {
    const parts = spec.split("/").length;
    if (parts !== 1 && parts !== 3 || spec.split("/").some((p) => p === "")) {
      throw new Error(
        `invalid disabled resource spec "${spec}": expected "resource" or ` +
          `"group/version/resource" (e.g. secrets or core/v1/secrets)`,
      );
    }
  }
}

function resolveSpec(resources: readonly ApiResource[], spec: string): ApiResource[] {
  const parts = spec.split("/");
  const found = parts.length === 3
    ? resolveType(
      resources,
      parts[2]!,
      normalizeApiVersion(parts[0]!) === "core" ? parts[1]! : `${parts[0]}/${parts[1]}`,
    )
    : resolveType(resources, spec);
  if ("error" in found) {
    throw new Error(`cannot resolve disabled resource spec "${spec}": ${found.error}`);
  }
  const r = found.resource;
  if (parts.length === 3) return [r];
  // A bare name also blocks the same data served by another group (events and
  // events.events.k8s.io), so that naming a type cannot be bypassed through its twin.
  return resources.filter((o) => o.name === r.name && o.kind === r.kind);
}

export function resolveBlockList(
  resources: readonly ApiResource[],
  specs: readonly string[],
): BlockList {
  checkSpecs(specs);
  const keys = new Set<string>();
  const labels: string[] = [];
  for (const spec of specs) {
    const matched = resolveSpec(resources, spec);
    for (const r of matched) keys.add(blockKey(r));
    labels.push(label(matched[0]!));
  }
  return { keys, labels };
}
