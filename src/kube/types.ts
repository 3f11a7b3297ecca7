// The seam between tools and Kubernetes. Tools see only these types and verbs; everything that
// touches a kubeconfig, credentials or HTTP lives behind them in src/kube.

export interface ApiResource {
  /** Plural name, e.g. "deployments". */
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** "" for the core group. */
  group: string;
  version: string;
  /** Group-version as the API writes it: "v1", "apps/v1". */
  apiVersion: string;
  /** True when this is the group's preferred version. */
  preferred: boolean;
}

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
};

export interface KubeList {
  items: KubeObject[];
  continue?: string;
  remainingItemCount?: number;
  /** The list's metadata.resourceVersion, when the API server sent one. */
  resourceVersion?: string;
}

export interface ListQuery {
  resource: ApiResource;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** Ask for PartialObjectMetadata only: the API server then skips spec and status. */
  metadataOnly?: boolean;
}

export interface TableQuery extends Omit<ListQuery, "metadataOnly"> {
  /**
   * What each row carries besides its cells: "Metadata" (the object's metadata; enough for its
   * identity and creation time) or "Object" (the whole object, e.g. an event's own times).
   */
  includeObject: "Metadata" | "Object";
}

/** One column of the API server's Table printing (meta.k8s.io/v1 TableColumnDefinition). */
export interface TableColumn {
  name: string;
  /** OpenAPI type: string, integer, number, boolean, date. */
  type: string;
  /** "name" marks the identifier column. */
  format?: string;
  /** 0: kubectl's default columns; higher: only in kubectl's wide output. */
  priority: number;
}

export interface KubeTable extends Omit<KubeList, "items"> {
  /**
   * The server's columns; undefined when it answered with a plain list, as a type or an
   * aggregated API server without Table printing does (the rows then have no cells).
   */
  columns?: TableColumn[];
  rows: { cells: unknown[]; object: KubeObject }[];
}

export interface GetQuery {
  resource: ApiResource;
  name: string;
  namespace?: string;
}

export interface LogQuery {
  namespace: string;
  name: string;
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  previous?: boolean;
  limitBytes?: number;
  /** The kubelet prefixes each line with its RFC 3339 time. */
  timestamps?: boolean;
}

/** The API server's own health endpoints (non-resource paths), read with ?verbose. */
export type HealthPath = "/readyz" | "/livez";

export interface HealthText {
  /** 200 when every check passed; 500 when one failed (the text then says which). */
  status: number;
  text: string;
}

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  current: boolean;
}

export interface ApiResources {
  resources: ApiResource[];
  /** Group versions that did not answer discovery. */
  unavailable: string[];
  /** Plural names that more than one group serves (blocked types included). */
  sharedNames: Set<string>;
}

/** One forwarded TCP conversation with a port of a pod. */
export interface PortForwardConnection {
  /** Bytes from the pod's port; ends when the pod side closes. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Settles once the kubelet accepted the stream (rejects when it refused or the tunnel closed). */
  readonly replied: Promise<void>;
  write(data: Uint8Array): Promise<void>;
  /** No more bytes to the pod (half-close). */
  closeWrite(): Promise<void>;
  /** What the kubelet reported on the error stream ("" when nothing went wrong). */
  readonly error: Promise<string>;
  reset(): void;
}

/** An open port-forward tunnel to one pod (pods/portforward). */
export interface PortForwardTunnel {
  connect(port: number): PortForwardConnection;
  /** Resolves with why the tunnel ended (the API server closed it, the connection broke, close()). */
  readonly closed: Promise<string>;
  readonly isClosed: boolean;
  /** Bytes carried from and to the pod. */
  readonly bytesIn: number;
  readonly bytesOut: number;
  close(why?: string): Promise<void>;
}

/** One kubeconfig context's view of its cluster. */
export interface KubeClient {
  readonly context: string;
  /** --namespace, else the context's namespace, else "default". */
  readonly namespace: string;
  serverVersion(signal?: AbortSignal): Promise<string>;
  /**
   * Every served resource of every group version (subresources and disabled types excluded),
   * cached, with the group versions that did not answer.
   */
  apiResources(): Promise<ApiResources>;
  /** Resolves plural, singular, kind, short name or resource.group; throws with suggestions. */
  resolve(type: string, apiVersion: string | undefined, signal?: AbortSignal): Promise<ApiResource>;
  list(query: ListQuery, signal?: AbortSignal): Promise<KubeList>;
  /** The list as the API server prints it for kubectl get (as=Table), or a plain list. */
  listTable(query: TableQuery, signal?: AbortSignal): Promise<KubeTable>;
  get(query: GetQuery, signal?: AbortSignal): Promise<KubeObject>;
  /** The log as a byte stream, so callers can filter it without holding it whole. */
  logs(query: LogQuery, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  /**
   * The plain-text check list of /readyz or /livez (?verbose). A failing check answers 500 with
   * the same list, which is returned, not thrown; 403, 404 and connection failures throw.
   */
  getText(path: HealthPath, signal?: AbortSignal): Promise<HealthText>;
  /**
   * Opens a port-forward tunnel to a pod (a `create` on pods/portforward, SPDY). Only the
   * port-forward tools call it, and only when port forwarding is enabled.
   */
  portForward(namespace: string, pod: string, signal?: AbortSignal): Promise<PortForwardTunnel>;
}

/** Access to every context of the kubeconfig; clients are cached per context. */
export interface Kube {
  client(context?: string): Promise<KubeClient>;
  contexts(): Promise<ContextInfo[]>;
  /**
   * Set when this access may reach one context only, saying why (passthrough: a caller's token
   * goes to one cluster). A call that names several contexts is then refused with it.
   */
  readonly singleContext?: string;
}
