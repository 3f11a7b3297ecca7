// The Kube seam's implementation: kubeconfig contexts and one cached client per context.
// Nothing here runs at import; the Kubernetes layer loads on the first call that needs it.
// Clients recover without a restart: a change of the kubeconfig files (one stat per file per
// call) drops every cached client, and a connection or TLS failure drops that context's client.

import type { Config } from "../config/schema.ts";
import { ClusterClient } from "./client.ts";
import { type CredentialSource, KubeconfigCredentials, tlsSettings } from "./credentials.ts";
import { ContextError } from "./errors.ts";
import type { RequestHooks } from "./request_hooks.ts";
import { KubeHttp, type KubeHttpOptions } from "./http.ts";
import {
  type Context,
  contextInfos,
  fileStamp,
  type Kubeconfig,
  loadKubeconfig,
} from "./kubeconfig.ts";
import { createConnector } from "./connector.ts";
import type { ContextInfo, Kube } from "./types.ts";

export type KubeSettings = Pick<
  Config,
  | "kubeconfigPaths"
  | "kubeconfigSource"
  | "inCluster"
  | "namespace"
  | "disabledResources"
  | "requestTimeoutMs"
>;

interface Entry {
  client: Promise<ClusterClient>;
  /** Set by a connection or TLS failure: the next call builds a new client. */
  broken: boolean;
}

/**
 * The HTTP client of one kubeconfig context. Two hooks: `credentials` replaces the
 * kubeconfig user (a caller's own token), `hooks.admit` runs before every request (a rate
 * limiter).
 */
export function contextHttp(
  kc: Kubeconfig,
  ctx: Context,
  options:
    & Omit<KubeHttpOptions, "server" | "credentials" | "connector">
    & Partial<Pick<KubeHttpOptions, "credentials">>,
): KubeHttp {
  const cluster = kc.clusters.find((c) => c.name === ctx.cluster);
  if (!cluster) {
    throw new ContextError(
      `context "${ctx.name}" names cluster "${ctx.cluster}", which is missing`,
    );
  }
  const tls = tlsSettings(cluster);
  // As client-node: a user that is not there means no credentials, not an error.
  const user = kc.users.find((u) => u.name === ctx.user);
  return new KubeHttp({
    server: tls.server,
    credentials: options.credentials ?? new KubeconfigCredentials(user, tls.server),
    connector: createConnector(tls),
    ...options,
  });
}

/** Sends no credentials at all: for a server that has none of its own. */
export const NO_CREDENTIALS: CredentialSource = { get: () => Promise.resolve({ headers: {} }) };

export interface AccessOptions {
  /**
   * Replaces the kubeconfig user's credentials (the cluster's server and CA stay): a caller's
   * own token in passthrough, or NO_CREDENTIALS.
   */
  credentials?: CredentialSource;
  /** Rate limits and figures around every request. */
  hooks?: RequestHooks;
}

export class KubeAccess implements Kube {
  readonly #settings: KubeSettings;
  readonly #options: AccessOptions;
  #clients = new Map<string, Entry>();
  #kubeconfig?: Promise<Kubeconfig>;

  constructor(settings: KubeSettings, options: AccessOptions = {}) {
    this.#settings = settings;
    this.#options = options;
  }

  /** The kubeconfig, re-read when asked or when its files changed since it was read. */
  async #load(reload = false): Promise<Kubeconfig> {
    if (!reload && this.#kubeconfig) {
      const cached = await this.#kubeconfig.catch(() => undefined);
      const stamp = await fileStamp(this.#settings.kubeconfigPaths);
      if (cached && cached.stamp === stamp) return cached;
      reload = true;
    }
    if (reload || !this.#kubeconfig) {
      const p = loadKubeconfig(this.#settings);
      p.catch(() => this.#kubeconfig === p && (this.#kubeconfig = undefined));
      this.#kubeconfig = p;
      const kc = await p;
      // A different file means different clusters or credentials: start every client afresh.
      if (this.#clients.size && this.#stamp !== kc.stamp) this.#clients = new Map();
      this.#stamp = kc.stamp;
      return kc;
    }
    return this.#kubeconfig;
  }

  #stamp?: string;

  /** Re-reads the kubeconfig, so contexts added since start are listed. */
  async contexts(): Promise<ContextInfo[]> {
    return contextInfos(await this.#load(true));
  }

  async client(context?: string): Promise<ClusterClient> {
    let kc = await this.#load();
    const name = context?.trim() || kc.currentContext;
    const cached = this.#clients.get(name);
    if (cached && !cached.broken) return cached.client;
    if (context && !kc.contexts.some((c) => c.name === name)) kc = await this.#load(true);
    const entry: Entry = { client: Promise.resolve() as never, broken: false };
    entry.client = this.#create(kc, name, entry);
    this.#clients.set(name, entry);
    entry.client.catch(() => this.#clients.get(name) === entry && this.#clients.delete(name));
    return entry.client;
  }

  // deno-lint-ignore require-await
  async #create(kc: Kubeconfig, name: string, entry: Entry): Promise<ClusterClient> {
    const names = kc.contexts.map((c) => c.name);
    if (!name) {
      throw new ContextError(
        `the kubeconfig sets no current-context; pass context, one of: ${names.join(", ")}`,
      );
    }
    const ctx = kc.contexts.find((c) => c.name === name);
    if (!ctx) {
      throw new ContextError(
        `context "${name}" is not in the kubeconfig; available contexts: ${names.join(", ")}`,
      );
    }
    const { credentials, hooks } = this.#options;
    const http = contextHttp(kc, ctx, {
      timeoutMs: this.#settings.requestTimeoutMs,
      onConnectionFailure: () => (entry.broken = true),
      ...(credentials ? { credentials } : {}),
      ...(hooks ? { hooks } : {}),
    });
    return new ClusterClient({
      context: name,
      namespace: this.#settings.namespace ?? ctx.namespace ?? "default",
      http,
      disabledResources: this.#settings.disabledResources,
    });
  }
}
