// Passthrough: each HTTP caller's bearer token is its identity on the cluster. One KubeAccess
// per token (the token replaces the kubeconfig user's credentials; the context's server and CA
// stay), held in the bounded ClientCache under the token's SHA-256.
//
// Policy for the per-call `context`: a caller's token belongs to one cluster, so it is sent
// only to the cluster of the server's current context (or in-cluster). Naming any other
// context is refused before anything is sent: sending a token to a second cluster would hand
// it to whoever runs that cluster.

import { existsSync } from "node:fs";
import type { KubeSettings } from "../kube/access.ts";
import { KubeAccess } from "../kube/access.ts";
import { type CacheObserver, ClientCache } from "./client_cache.ts";
import { ContextError } from "../kube/errors.ts";
import { loadKubeconfig } from "../kube/kubeconfig.ts";
import type { RequestHooks } from "../kube/request_hooks.ts";
import type { ContextInfo, Kube, KubeClient } from "../kube/types.ts";

export const PASSTHROUGH_USER = "(each caller's own bearer token: --auth=passthrough)";

export interface PassthroughOptions {
  settings: KubeSettings;
  ttlMs: number;
  max: number;
  hooks?: RequestHooks;
  observer?: CacheObserver;
  /** The server's own access: reads the kubeconfig's contexts (never its credentials here). */
  own: Kube;
}

/** One caller's view: its token, on the current context's cluster only. */
class CallerKube implements Kube {
  readonly #access: KubeAccess;
  readonly #current: () => Promise<ContextInfo>;

  constructor(access: KubeAccess, current: () => Promise<ContextInfo>) {
    this.#access = access;
    this.#current = current;
  }

  async client(context?: string): Promise<KubeClient> {
    const current = await this.#current();
    const name = context?.trim();
    if (name && name !== current.name) {
      throw new ContextError(
        `context "${name}" is refused: with --auth=passthrough your token is sent only to the ` +
          `cluster of context "${current.name}"; omit context (or pass "${current.name}")`,
      );
    }
    return this.#access.client(current.name);
  }

  async contexts(): Promise<ContextInfo[]> {
    return [{ ...(await this.#current()), user: PASSTHROUGH_USER }];
  }
}

export class Passthrough {
  readonly #cache: ClientCache<CallerKube>;
  readonly #stopSweep: () => void;

  private constructor(cache: ClientCache<CallerKube>) {
    this.#cache = cache;
    this.#stopSweep = cache.startSweeping();
  }

  static async create(opts: PassthroughOptions): Promise<Passthrough> {
    let current: Promise<ContextInfo> | undefined;
    const currentContext = () => {
      current ??= opts.own.contexts().then((all) => {
        const c = all.find((x) => x.current);
        if (!c) throw new ContextError("the kubeconfig sets no current-context; set one");
        return c;
      });
      current.catch(() => (current = undefined));
      return current;
    };
    const cache = await ClientCache.create<CallerKube>({
      ttlMs: opts.ttlMs,
      max: opts.max,
      observer: opts.observer,
      create: (token) =>
        new CallerKube(new KubeAccess(opts.settings, { token, hooks: opts.hooks }), currentContext),
    });
    return new Passthrough(cache);
  }

  /** The caller's Kube; its token is the identity of every request it makes. */
  kubeFor(token: string): Promise<Kube> {
    return this.#cache.get(token);
  }

  close(): void {
    this.#stopSweep();
  }
}

/**
 * Whether the server has credentials of its own for its current context: a kubeconfig user
 * with any credential, or an in-cluster service-account token that is mounted.
 */
export async function hasOwnCredentials(settings: KubeSettings): Promise<boolean> {
  const kc = await loadKubeconfig(settings);
  const ctx = kc.contexts.find((c) => c.name === kc.currentContext);
  const user = kc.users.find((u) => u.name === ctx?.user);
  if (!user) return false;
  const tokenFile = (user.authProvider?.config as Record<string, string> | undefined)?.tokenFile;
  if (tokenFile) return existsSync(tokenFile);
  return Boolean(
    user.token || user.certData || user.certFile || user.keyData || user.keyFile ||
      user.exec || user.authProvider || user.username,
  );
}
