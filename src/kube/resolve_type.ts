// Resource-type resolution over discovery data, as kubectl does it: plural, singular, kind or
// short name, case-insensitive, plus resource.group and resource.version.group. Pure.

import { quote } from "../text/quote.ts";
import type { ApiResource } from "./types.ts";

export type Resolution = { resource: ApiResource } | { error: string; unknownVersion?: boolean };

/** "core/v1" and "/v1" name the core group, written "v1" by the API. */
export function normalizeApiVersion(apiVersion: string): string {
  return apiVersion.trim().toLowerCase().replace(/^(core)?\//, "");
}

function keys(r: ApiResource): string[] {
  return [r.name, r.singularName, r.kind, ...(r.shortNames ?? [])]
    .filter((k) => k).map((k) => k.toLowerCase());
}

/** Preferred versions first, then the rest, each in discovery order (core group first). */
function byPreference(resources: readonly ApiResource[]): ApiResource[] {
  return [...resources.filter((r) => r.preferred), ...resources.filter((r) => !r.preferred)];
}

function candidates(
  resources: readonly ApiResource[],
  type: string,
  apiVersion: string | undefined,
): ApiResource[] {
  if (apiVersion !== undefined) {
    const gv = normalizeApiVersion(apiVersion);
    return resources.filter((r) => r.apiVersion.toLowerCase() === gv);
  }
  const dot = type.indexOf(".");
  if (dot === -1) return byPreference(resources);
  // resource.group or resource.version.group: keep only that group (and version).
  const rest = type.slice(dot + 1);
  const [maybeVersion, ...groupParts] = rest.split(".");
  const inGroup = resources.filter((r) => r.group.toLowerCase() === rest);
  const inVersion = resources.filter((r) =>
    r.version.toLowerCase() === maybeVersion && r.group.toLowerCase() === groupParts.join(".")
  );
  return byPreference([...inGroup, ...inVersion]);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** No served name is longer (a DNS-1123 label); a longer input gets no suggestion. */
const MAX_SUGGEST_INPUT = 63;

/**
 * Up to five served plural names closest to what was asked, for "did you mean". Bounded work:
 * an input longer than any served name is not compared, and the edit distance is computed only
 * for names whose length is close enough to pass the threshold.
 */
export function suggest(resources: readonly ApiResource[], type: string): string[] {
  const want = type.toLowerCase().split(".")[0]!;
  if (want === "" || want.length > MAX_SUGGEST_INPUT) return [];
  const threshold = Math.max(2, Math.floor(want.length / 3));
  const scored = new Map<string, number>();
  for (const r of resources) {
    const label = r.group ? `${r.name}.${r.group}` : r.name;
    for (const k of keys(r)) {
      const near = k.includes(want) || want.includes(k);
      if (!near && Math.abs(k.length - want.length) > threshold) continue;
      const d = near ? 1 : distance(want, k);
      if (d <= threshold) {
        scored.set(label, Math.min(scored.get(label) ?? Infinity, d));
      }
    }
  }
  return [...scored].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, 5).map(([label]) => label);
}

export function resolveType(
  resources: readonly ApiResource[],
  type: string,
  apiVersion?: string,
): Resolution {
  const want = type.trim().toLowerCase();
  if (want === "") return { error: "resource_type is empty; give a type such as pods" };
  const pool = candidates(resources, want, apiVersion);
  const name = apiVersion === undefined ? want.split(".")[0]! : want;
  const found = pool.find((r) => keys(r).includes(name));
  if (found) return { resource: found };
  if (apiVersion !== undefined && pool.length === 0) {
    const versions = [...new Set(resources.map((r) => r.apiVersion))];
    const group = normalizeApiVersion(apiVersion).split("/").slice(0, -1).join("/");
    const same = versions.filter((v) => v.startsWith(group ? `${group}/` : "v"));
    return {
      unknownVersion: true,
      error: `API version ${quote(apiVersion)} is not served by this cluster` +
        (same.length ? `; it serves ${same.join(", ")}` : "") +
        `. Omit api_version to use the preferred version`,
    };
  }
  const hints = suggest(apiVersion === undefined ? resources : pool, want);
  return {
    error: `unknown resource type ${quote(type)}` +
      (apiVersion !== undefined ? ` in API version ${quote(apiVersion)}` : "") +
      (hints.length ? `; did you mean ${hints.join(", ")}?` : ".") +
      " Call list_api_resources to see every type this cluster serves",
  };
}
