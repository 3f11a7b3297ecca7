// One context's client: discovery, type resolution, the disabled-resources policy, and the
// read verbs tools use. Every request goes through KubeHttp, which only sends GETs.

import { abortable } from "./abortable.ts";
import { blockKey, type BlockList, label, resolveBlockList } from "./block_list.ts";
import { discover, DiscoveryCache, type DiscoveryResult } from "./discovery.ts";
import { KubeApiError, ResourceDisabledError, ResourceTypeError } from "./errors.ts";
import type { KubeHttp, Query } from "./http.ts";
import { pathTarget } from "./request_path.ts";
import { resolveType } from "./resolve_type.ts";
import type {
  ApiResource,
  ApiResources,
  GetQuery,
  HealthPath,
  HealthText,
  KubeClient,
  KubeList,
  KubeObject,
  KubeTable,
  ListQuery,
  LogQuery,
  PortForwardTunnel,
  TableQuery,
} from "./types.ts";

const METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1," +
  "application/json";

/** kubectl's Accept for printing: a Table, else the plain list (never a 406 for lack of one). */
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

/** A list as the API server sends it: a *List with items, or a Table with rows. */
interface RawList {
  kind?: string;
  items?: KubeObject[];
  columnDefinitions?: Record<string, unknown>[];
  rows?: { cells?: unknown[]; object?: KubeObject }[];
  metadata?: { continue?: string; remainingItemCount?: number; resourceVersion?: string };
}

function listMeta(list: RawList): Omit<KubeList, "items"> {
  const m = list.metadata;
  return {
    ...(m?.continue ? { continue: m.continue } : {}),
    ...(m?.remainingItemCount !== undefined ? { remainingItemCount: m.remainingItemCount } : {}),
    ...(m?.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
  };
}

const HEALTH_PATHS: ReadonlySet<string> = new Set<HealthPath>(["/readyz", "/livez"]);

export function resourcePath(r: ApiResource, namespace?: string, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${r.name}${name !== undefined ? `/${encodeURIComponent(name)}` : ""}`;
}

export class ClusterClient implements KubeClient {
  readonly context: string;
  readonly namespace: string;
  readonly #http: KubeHttp;
  readonly #discovery: DiscoveryCache;
  readonly #blockSpecs: readonly string[];
  #blocks?: Promise<BlockList>;

  constructor(opts: {
    context: string;
    namespace: string;
    http: KubeHttp;
    disabledResources: readonly string[];
  }) {
    this.context = opts.context;
    this.namespace = opts.namespace;
    this.#http = opts.http;
    this.#blockSpecs = opts.disabledResources;
    this.#discovery = new DiscoveryCache(() => discover(this.#http));
  }

  get server(): string {
    return this.#http.server;
  }

  /**
   * The start-up RBAC probe: GET the --namespace namespace, else list namespaces (limit 1),
   * falling back to GET of the context's namespace for users whose rights stop at a namespace.
   * Raw paths on purpose: the probe must not depend on --disabled-resources.
   */
  async probe(explicitNamespace: string | undefined, signal: AbortSignal): Promise<void> {
    const getNs = (ns: string) =>
      this.#http.getJson(`/api/v1/namespaces/${encodeURIComponent(ns)}`, { signal });
    if (explicitNamespace) return void await getNs(explicitNamespace);
    try {
      await this.#http.getJson("/api/v1/namespaces", { query: { limit: 1 }, signal });
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 403)) throw e;
      await getNs(this.namespace);
    }
  }

  async serverVersion(signal?: AbortSignal): Promise<string> {
    const v = await this.#http.getJson<{ gitVersion?: string }>("/version", { signal });
    return v.gitVersion ?? "unknown";
  }

  /** GET /readyz: throws unless the API server says it is ready. */
  async readyz(signal?: AbortSignal): Promise<void> {
    await (await this.#http.request("GET", "/readyz", { signal, accept: "text/plain" })).text();
  }

  discovery(refresh = false): Promise<DiscoveryResult> {
    return this.#discovery.get(refresh);
  }

  /**
   * The disabled resources resolved against this cluster's discovery. A failure is not
   * remembered: the calls that need it fail closed, and the next call tries again.
   */
  blockList(): Promise<BlockList> {
    if (this.#blockSpecs.length === 0) return Promise.resolve({ keys: new Set(), labels: [] });
    this.#blocks ??= this.discovery().then((d) => resolveBlockList(d.resources, this.#blockSpecs));
    this.#blocks.catch(() => (this.#blocks = undefined));
    return this.#blocks;
  }

  async #assertAllowed(
    r: Pick<ApiResource, "group" | "version" | "name">,
    asked: string = r.name,
    signal?: AbortSignal,
  ): Promise<void> {
    const blocks = await abortable(this.blockList(), signal);
    if (blocks.keys.has(blockKey(r))) {
      throw new ResourceDisabledError(
        `access to resource "${asked}" (${label(r)}) is disabled by configuration ` +
          `and cannot be queried`,
      );
    }
  }

  /** The same rule on the final path: whatever built it, a blocked type is never requested. */
  async #assertPathAllowed(path: string, signal?: AbortSignal): Promise<void> {
    const target = pathTarget(path);
    if (!target) return;
    const blocks = await abortable(this.blockList(), signal);
    if (blocks.keys.has(blockKey({ group: target.group, name: target.resource }))) {
      throw new ResourceDisabledError(
        `refusing ${path}: it reaches resource "${target.resource}"` +
          `${target.group ? ` of group ${target.group}` : ""}, which is disabled by configuration`,
      );
    }
  }

  async apiResources(): Promise<ApiResources> {
    const [{ resources, failed }, blocks] = await Promise.all([this.discovery(), this.blockList()]);
    const groups = new Map<string, Set<string>>();
    for (const r of resources) groups.set(r.name, (groups.get(r.name) ?? new Set()).add(r.group));
    return {
      resources: resources.filter((r) => !blocks.keys.has(blockKey(r))),
      unavailable: failed,
      sharedNames: new Set([...groups].filter(([, g]) => g.size > 1).map(([name]) => name)),
    };
  }

  async resolve(
    type: string,
    apiVersion: string | undefined,
    signal?: AbortSignal,
  ): Promise<ApiResource> {
    let found = resolveType(
      (await abortable(this.discovery(), signal)).resources,
      type,
      apiVersion,
    );
    if ("error" in found) {
      // A type created after the cache was filled (a new CRD) is found on a refresh.
      const fresh = await abortable(this.discovery(true), signal);
      found = resolveType(fresh.resources, type, apiVersion);
    }
    if ("error" in found) throw new ResourceTypeError(found.error);
    await this.#assertAllowed(found.resource, type, signal);
    return found.resource;
  }

  async list(q: ListQuery, signal?: AbortSignal): Promise<KubeList> {
    const list = await this.#listRaw(q, q.metadataOnly ? METADATA_LIST : undefined, {}, signal);
    return { items: list.items ?? [], ...listMeta(list) };
  }

  /**
   * kubectl get's request: the Table the API server prints (built-in types get kubectl's
   * columns, CRDs their additionalPrinterColumns), with the plain list as the fallback an
   * endpoint without Table printing answers (then `columns` is undefined). A 406 (an object
   * that cannot be converted) is retried as the plain list.
   */
  async listTable(q: TableQuery, signal?: AbortSignal): Promise<KubeTable> {
    let raw: RawList;
    try {
      raw = await this.#listRaw(q, TABLE, { includeObject: q.includeObject }, signal);
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 406)) throw e;
      raw = await this.#listRaw(q, undefined, {}, signal);
    }
    if (raw.kind !== "Table") {
      return { rows: (raw.items ?? []).map((object) => ({ cells: [], object })), ...listMeta(raw) };
    }
    return {
      columns: (raw.columnDefinitions ?? []).map((c) => ({
        name: String(c.name ?? ""),
        type: String(c.type ?? "string"),
        ...(c.format ? { format: String(c.format) } : {}),
        priority: Number(c.priority ?? 0),
      })),
      rows: (raw.rows ?? []).map((r) => ({ cells: r.cells ?? [], object: r.object ?? {} })),
      ...listMeta(raw),
    };
  }

  async #listRaw(
    q: ListQuery,
    accept: string | undefined,
    extra: Query,
    signal?: AbortSignal,
  ): Promise<RawList> {
    await this.#assertAllowed(q.resource, q.resource.name, signal);
    const query: Query = {
      labelSelector: q.labelSelector,
      fieldSelector: q.fieldSelector,
      limit: q.limit && q.limit > 0 ? q.limit : undefined,
      continue: q.continue,
      ...extra,
    };
    const path = resourcePath(q.resource, q.namespace);
    await this.#assertPathAllowed(path, signal);
    return await this.#http.getJson<RawList>(path, { query, signal, accept });
  }

  async get(q: GetQuery, signal?: AbortSignal): Promise<KubeObject> {
    await this.#assertAllowed(q.resource, q.resource.name, signal);
    const path = resourcePath(q.resource, q.namespace, q.name);
    await this.#assertPathAllowed(path, signal);
    return await this.#http.getJson<KubeObject>(path, { signal });
  }

  async logs(q: LogQuery, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    await this.#assertAllowed({ group: "", version: "v1", name: "pods" }, "pods", signal);
    const path = `/api/v1/namespaces/${encodeURIComponent(q.namespace)}/pods/` +
      `${encodeURIComponent(q.name)}/log`;
    await this.#assertPathAllowed(path, signal);
    return await this.#http.getStream(path, {
      signal,
      accept: "*/*",
      query: {
        container: q.container,
        tailLines: q.tailLines,
        sinceSeconds: q.sinceSeconds,
        sinceTime: q.sinceTime,
        previous: q.previous || undefined,
        limitBytes: q.limitBytes,
        timestamps: q.timestamps || undefined,
      },
    });
  }

  async portForward(
    namespace: string,
    pod: string,
    signal?: AbortSignal,
  ): Promise<PortForwardTunnel> {
    const { openPortForward } = await import("./port_forward.ts");
    return await openPortForward(this.#http, namespace, pod, signal);
  }

  async getText(path: HealthPath, signal?: AbortSignal): Promise<HealthText> {
    if (!HEALTH_PATHS.has(path)) throw new Error(`not a health path: ${path}`);
    try {
      const res = await this.#http.request("GET", path, {
        signal,
        accept: "text/plain",
        query: { verbose: true },
      });
      return { status: res.status, text: await res.text() };
    } catch (e) {
      // A failing check answers 500 with the check list as plain text, which is the answer.
      if (e instanceof KubeApiError && e.status === 500) return { status: 500, text: e.message };
      throw e;
    }
  }
}
