// Passthrough: each HTTP caller's bearer token is its identity on the cluster. One KubeAccess
// per caller (its token replaces the kubeconfig user's credentials; the context's server and CA
// stay), held in the bounded ClientCache under the caller's Identity key.
//
// Policy for the per-call `context`: a caller's token belongs to one cluster, so it is sent
// only to the cluster of the server's current context (or in-cluster). Naming any other
// context is refused before anything is sent: sending a token to a second cluster would hand
// it to whoever runs that cluster.

import { existsSync } from "node:fs";
import { ToolError } from "../errors.ts";
import { KubeAccess, type KubeSettings, NO_CREDENTIALS } from "../kube/access.ts";
import { ContextError } from "../kube/errors.ts";
import { loadKubeconfig } from "../kube/kubeconfig.ts";
import type { ContextInfo, Kube, KubeClient } from "../kube/types.ts";
import { bearerAuth } from "./bearer.ts";
import { ClientCache } from "./client_cache.ts";
import type { Identity } from "./identity.ts";
import type { AuthMode, ModeDeps } from "./mode.ts";

export const PASSTHROUGH_USER = "(each caller's own bearer token: --auth=passthrough)";

/** One caller's view: its token, on the current context's cluster only. */
class CallerKube implements Kube {
  readonly singleContext = "with --auth=passthrough your token is sent to one cluster only " +
    "(the server's current context)";
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

/** One KubeAccess per caller, in the bounded cache under the caller's Identity key. */
async function callerCache(
  { config, own, hooks, cacheObserver }: ModeDeps,
): Promise<ClientCache<CallerKube, Identity>> {
  let current: Promise<ContextInfo> | undefined;
  const currentContext = () => {
    current ??= own.contexts().then((all) => {
      const c = all.find((x) => x.current);
      if (!c) throw new ContextError("the kubeconfig sets no current-context; set one");
      return c;
    });
    current.catch(() => (current = undefined));
    return current;
  };
  return await ClientCache.create<CallerKube, Identity>({
    ttlMs: config.clientCacheTtlMs,
    max: config.clientCacheSize,
    ...(cacheObserver ? { observer: cacheObserver } : {}),
    keyOf: (identity) => identity.key,
    create: (identity) =>
      new CallerKube(
        new KubeAccess(config, { credentials: identity.credentials(), hooks }),
        currentContext,
      ),
  });
}

export async function passthroughMode(deps: ModeDeps): Promise<AuthMode> {
  const cache = await callerCache(deps);
  const stopSweep = cache.startSweeping();
  const { config, own, hooks } = deps;
  // Sends no credentials: /version and /readyz, when the server has none of its own.
  const anonymous = new KubeAccess(config, { credentials: NO_CREDENTIALS, hooks });
  let ownCredentials: Promise<boolean> | undefined;
  return {
    authenticate: bearerAuth,
    kubeFor: (identity) => {
      if (!identity) return Promise.reject(new ToolError("this server needs the caller's token"));
      return cache.get(identity);
    },
    probe: async () => {
      ownCredentials ??= hasOwnCredentials(config).catch(() => false);
      return (await ownCredentials) ? { kube: own, full: true } : { kube: anonymous, full: false };
    },
    startupNote: "Passthrough: each HTTP request's bearer token is its identity on the cluster",
    close: stopSweep,
  };
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
