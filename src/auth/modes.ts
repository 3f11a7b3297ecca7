// What serving a team adds to the wiring: client-side rate limits toward each API server
// (every transport), /metrics (HTTP transports only, so stdio never loads prom-client), and
// passthrough of each caller's bearer token with its bounded client cache.

import type { Config } from "../config/schema.ts";
import type { AuthInfo } from "../deps.ts";
import { KubeAccess } from "../kube/access.ts";
import { hasOwnCredentials, Passthrough } from "./passthrough.ts";
import { RateLimits } from "../kube/rate_limit.ts";
import type { RequestHooks } from "../kube/request_hooks.ts";
import type { Kube } from "../kube/types.ts";
import { ToolError } from "../errors.ts";
import { createMetrics, type Metrics } from "../observability/prometheus.ts";
import { bearerAuth } from "./bearer.ts";

export interface Team {
  /** The server's own access to Kubernetes, rate-limited and counted. */
  kube: KubeAccess;
  metrics?: Metrics;
  /** Passthrough only. */
  passthrough?: {
    kubeFor: (auth: AuthInfo | undefined) => Promise<Kube>;
    authenticate: (req: Request) => Promise<AuthInfo | Response>;
    /** False when the server has no credentials of its own: checks must go anonymous. */
    ownCredentials: () => Promise<boolean>;
    /** Sends no credentials: for /version and /readyz when the server has none. */
    anonymous: KubeAccess;
  };
  close(): void;
}

export async function setUpTeam(config: Config): Promise<Team> {
  const metrics = config.transport === "stdio" ? undefined : await createMetrics();
  const limits = new RateLimits(config);
  if (metrics) limits.onWait = (_server, kind, ms) => metrics.rateLimitWait(kind, ms / 1000);
  const hooks: RequestHooks = {
    admit: (signal, server, path) => limits.admit(server, signal, path),
    observe: metrics?.apiRequest,
  };
  const kube = new KubeAccess(config, { hooks });
  if (config.auth !== "passthrough") return { kube, metrics, close: () => {} };
  const pass = await Passthrough.create({
    settings: config,
    ttlMs: config.clientCacheTtlMs,
    max: config.clientCacheSize,
    hooks,
    observer: metrics?.cache,
    own: kube,
  });
  let own: Promise<boolean> | undefined;
  return {
    kube,
    metrics,
    passthrough: {
      kubeFor: (auth) => {
        if (!auth) return Promise.reject(new ToolError("this server needs the caller's token"));
        return pass.kubeFor(auth.token);
      },
      authenticate: bearerAuth,
      ownCredentials: () => own ??= hasOwnCredentials(config).catch(() => false),
      anonymous: new KubeAccess(config, { token: "", hooks }),
    },
    close: () => pass.close(),
  };
}
