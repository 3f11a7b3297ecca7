// API discovery: which resources the cluster serves, in every group and version, cached with a
// TTL. Aggregated discovery (apidiscovery.k8s.io/v2) answers in two requests; older clusters get
// the per-group-version walk, where a broken aggregated API costs only its own group.

import type { ApiResource } from "./types.ts";
import type { KubeHttp } from "./http.ts";

export interface DiscoveryResult {
  resources: ApiResource[];
  /** Group versions that failed to answer (for example a metrics API that is down). */
  failed: string[];
}

const AGGREGATED_ACCEPT = [
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
  "application/json",
].join(",");

interface AggregatedResource {
  resource: string;
  responseKind?: { kind?: string };
  scope?: string;
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}
interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: AggregatedResource[]; freshness?: string }[];
  }[];
}
interface LegacyResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

function entry(
  group: string,
  version: string,
  preferred: boolean,
  r: Omit<ApiResource, "group" | "version" | "apiVersion" | "preferred">,
): ApiResource {
  return {
    ...r,
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    preferred,
  };
}

function fromAggregated(list: AggregatedList): DiscoveryResult {
  const resources: ApiResource[] = [];
  const failed: string[] = [];
  for (const g of list.items ?? []) {
    const group = g.metadata?.name ?? "";
    (g.versions ?? []).forEach((v, i) => {
      if (v.freshness === "Stale") failed.push(group ? `${group}/${v.version}` : v.version);
      for (const r of v.resources ?? []) {
        resources.push(entry(group, v.version, i === 0, {
          name: r.resource,
          singularName: r.singularResource ?? "",
          namespaced: r.scope === "Namespaced",
          kind: r.responseKind?.kind ?? "",
          verbs: r.verbs ?? [],
          ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
          ...(r.categories?.length ? { categories: r.categories } : {}),
        }));
      }
    });
  }
  return { resources, failed };
}

async function legacy(http: KubeHttp, signal?: AbortSignal): Promise<DiscoveryResult> {
  const core = await http.getJson<{ versions?: string[] }>("/api", { signal });
  const groups = await http.getJson<{
    groups?: {
      name: string;
      versions: { version: string }[];
      preferredVersion?: { version: string };
    }[];
  }>("/apis", { signal });
  const targets = [
    ...(core.versions ?? []).map((v, i) => ({ group: "", version: v, preferred: i === 0 })),
    ...(groups.groups ?? []).flatMap((g) =>
      g.versions.map((v) => ({
        group: g.name,
        version: v.version,
        preferred: v.version === (g.preferredVersion?.version ?? g.versions[0]?.version),
      }))
    ),
  ];
  const lists = await Promise.allSettled(
    targets.map((t) =>
      http.getJson<{ resources?: LegacyResource[] }>(
        t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`,
        { signal },
      )
    ),
  );
  const result: DiscoveryResult = { resources: [], failed: [] };
  lists.forEach((settled, i) => {
    const t = targets[i]!;
    if (settled.status === "rejected") {
      result.failed.push(t.group ? `${t.group}/${t.version}` : t.version);
      return;
    }
    for (const r of settled.value.resources ?? []) {
      if (r.name.includes("/")) continue;
      result.resources.push(entry(t.group, t.version, t.preferred, {
        name: r.name,
        singularName: r.singularName ?? "",
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs ?? [],
        ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories?.length ? { categories: r.categories } : {}),
      }));
    }
  });
  if (result.resources.length === 0 && lists.some((l) => l.status === "rejected")) {
    throw (lists.find((l) => l.status === "rejected") as PromiseRejectedResult).reason;
  }
  return result;
}

export async function discover(http: KubeHttp, signal?: AbortSignal): Promise<DiscoveryResult> {
  const [core, groups] = await Promise.all([
    http.getJson<AggregatedList>("/api", { accept: AGGREGATED_ACCEPT, signal }),
    http.getJson<AggregatedList>("/apis", { accept: AGGREGATED_ACCEPT, signal }),
  ]);
  if (core.kind !== "APIGroupDiscoveryList" || groups.kind !== "APIGroupDiscoveryList") {
    return legacy(http, signal);
  }
  const a = fromAggregated(core);
  const b = fromAggregated(groups);
  return { resources: [...a.resources, ...b.resources], failed: [...a.failed, ...b.failed] };
}

/**
 * Discovery with a TTL; `refresh` forces a new fetch unless the cache is very fresh. Callers
 * share one fetch, so it is not tied to any one caller's cancellation signal.
 */
export class DiscoveryCache {
  #fetch: () => Promise<DiscoveryResult>;
  #ttlMs: number;
  #entry?: { at: number; value: Promise<DiscoveryResult> };

  constructor(fetch: () => Promise<DiscoveryResult>, ttlMs = 300_000) {
    this.#fetch = fetch;
    this.#ttlMs = ttlMs;
  }

  get(refresh = false): Promise<DiscoveryResult> {
    const now = Date.now();
    const e = this.#entry;
    const fresh = e && now - e.at < (refresh ? 1000 : this.#ttlMs);
    if (fresh) return e.value;
    const value = this.#fetch();
    const entry = { at: now, value };
    this.#entry = entry;
    // A failed discovery must not be served from the cache.
    value.catch(() => {
      if (this.#entry === entry) this.#entry = undefined;
    });
    return value;
  }
}
