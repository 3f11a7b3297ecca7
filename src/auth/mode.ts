// The seam for an auth mode: who a request comes from, which Kubernetes access its calls run
// with, and what the start-up check and /readyz may reach the API server with. app.ts talks to
// this interface only; modes.ts is the one place that knows the modes.

import type { Config } from "../config/schema.ts";
import type { AuthInfo } from "../deps.ts";
import type { KubeAccess } from "../kube/access.ts";
import type { RequestHooks } from "../kube/request_hooks.ts";
import type { Kube } from "../kube/types.ts";
import type { CacheObserver } from "./client_cache.ts";
import type { Identity } from "./identity.ts";

export interface Probe {
  /** The access the check and /readyz use. */
  kube: KubeAccess;
  /**
   * False when the server has no credentials of its own: the check then reaches only /version
   * and /readyz (anonymously), since each caller's RBAC is checked on its own calls.
   */
  full: boolean;
}

export interface AuthMode {
  /**
   * HTTP transports: the caller of this request (its Identity rides in AuthInfo.extra), or the
   * response refusing it. Absent: requests are not authenticated and calls use the server's
   * own credentials.
   */
  authenticate?(req: Request): Promise<AuthInfo | Response>;
  /** The Kubernetes access of one tool call; `identity` is undefined when none came with it. */
  kubeFor(identity: Identity | undefined): Promise<Kube>;
  probe(): Promise<Probe>;
  /** A line the start-up check logs first, when the mode changes what it means. */
  readonly startupNote?: string;
  close(): void;
}

/** What every mode is built from. */
export interface ModeDeps {
  config: Config;
  /** The server's own access (kubeconfig user or in-cluster account), rate-limited and counted. */
  own: KubeAccess;
  hooks: RequestHooks;
  /** Figures for a mode that caches per-caller clients. */
  cacheObserver?: CacheObserver;
}

export type ModeFactory = (deps: ModeDeps) => Promise<AuthMode>;
