// The Kube seam's implementation: kubeconfig contexts and one cached client per context.
// Nothing here runs at import; client-node loads on the first call that needs it.

import { type KubeConfig, loadClientNode } from "../deps.ts";
import type { Config } from "../config/schema.ts";
import { ClusterClient } from "./client.ts";
import { ContextError } from "./errors.ts";
import { KubeHttp } from "./http.ts";
import { contextInfos, loadKubeconfig } from "./kubeconfig.ts";
import type { RequestHooks } from "./request_hooks.ts";
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

export interface AccessOptions {
  /**
   * Passthrough: this bearer token replaces every kubeconfig user's credentials; "" sends no
   * credentials at all (the start-up check of a server that has none of its own).
   */
  token?: string;
  hooks?: RequestHooks;
}

export class KubeAccess implements Kube {
  readonly #settings: KubeSettings;
  readonly #options: AccessOptions;
  readonly #clients = new Map<string, Promise<ClusterClient>>();
  #kubeconfig?: Promise<KubeConfig>;

  constructor(settings: KubeSettings, options: AccessOptions = {}) {
    this.#settings = settings;
    this.#options = options;
  }

  #load(reload = false): Promise<KubeConfig> {
    if (reload || !this.#kubeconfig) {
      const p = loadKubeconfig(this.#settings);
      p.catch(() => this.#kubeconfig === p && (this.#kubeconfig = undefined));
      this.#kubeconfig = p;
    }
    return this.#kubeconfig;
  }

  /** Re-reads the kubeconfig, so contexts added since start are listed. */
  async contexts(): Promise<ContextInfo[]> {
    return contextInfos(await this.#load(true));
  }

  async client(context?: string): Promise<ClusterClient> {
    let kc = await this.#load();
    const name = context?.trim() || kc.getCurrentContext();
    const cached = this.#clients.get(name);
    if (cached) return cached;
    if (context && !kc.getContextObject(name)) kc = await this.#load(true);
    const created = this.#create(kc, name);
    this.#clients.set(name, created);
    created.catch(() => this.#clients.delete(name));
    return created;
  }

  async #create(kc: KubeConfig, name: string): Promise<ClusterClient> {
    const names = kc.getContexts().map((c) => c.name);
    if (!name) {
      throw new ContextError(
        `the kubeconfig sets no current-context; pass context, one of: ${names.join(", ")}`,
      );
    }
    const ctx = kc.getContextObject(name);
    if (!ctx) {
      throw new ContextError(
        `context "${name}" is not in the kubeconfig; available contexts: ${names.join(", ")}`,
      );
    }
    const k8s = await loadClientNode();
    const one = new k8s.KubeConfig();
    const token = this.#options.token;
    one.loadFromOptions({
      clusters: kc.clusters,
      // The cluster (server, CA) stays; the identity is the caller's token and nothing else.
      users: token === undefined
        ? kc.users
        : kc.users.map((u) => ({ name: u.name, ...(token ? { token } : {}) })),
      contexts: kc.contexts,
      currentContext: name,
    });
    if (!one.getCurrentCluster()) {
      throw new ContextError(`context "${name}" names cluster "${ctx.cluster}", which is missing`);
    }
    return new ClusterClient({
      context: name,
      namespace: this.#settings.namespace ?? ctx.namespace ?? "default",
      http: await KubeHttp.create(one, this.#settings.requestTimeoutMs, this.#options.hooks),
      disabledResources: this.#settings.disabledResources,
    });
  }
}
