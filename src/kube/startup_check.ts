// The start-up connectivity check: server version, discovery, an RBAC probe and the disabled
// resources, bounded as a whole. Returns the success line, or throws a diagnosis.

import type { Config } from "../config/schema.ts";
import type { KubeAccess } from "./access.ts";
import type { ClusterClient } from "./client.ts";
import { ContextError, KubeApiError, KubeConnectionError } from "./errors.ts";
import { KubeconfigError } from "./kubeconfig.ts";

export const CHECK_TIMEOUT_MS = 30_000;

export class StartupCheckError extends Error {
  override name = "StartupCheckError";
}

export interface CheckResult {
  version: string;
  /** Canonical names of the disabled resources, for the log. */
  disabled: string[];
}

/** Reads the server version, then runs `rest`; a failure is diagnosed by the stage it reached. */
async function staged<T>(
  kube: KubeAccess,
  rest: (client: ClusterClient, version: string, signal: AbortSignal, at: Stage) => Promise<T>,
): Promise<T> {
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  let stage = "load the kubeconfig";
  try {
    const client = await kube.client();
    stage = `get the server version from ${client.server}`;
    const version = await client.serverVersion(signal);
    return await rest(client, version, signal, (next) => (stage = next));
  } catch (e) {
    throw new StartupCheckError(diagnose(stage, e), { cause: e });
  }
}

type Stage = (next: string) => void;

export function checkConnectivity(kube: KubeAccess, config: Config): Promise<CheckResult> {
  return staged(kube, async (client, version, signal, at) => {
    at("discover the API resources");
    await client.discovery();
    at(
      config.namespace
        ? `get namespace "${config.namespace}" (check RBAC permissions)`
        : `list namespaces, or get namespace "${client.namespace}" (check RBAC permissions)`,
    );
    await client.probe(config.namespace, signal);
    at("resolve --disabled-resources");
    const { labels } = await client.blockList();
    return { version, disabled: labels };
  });
}

/** Passthrough with no credentials of its own: only /version and /readyz, anonymously. */
export function checkAnonymous(kube: KubeAccess): Promise<string> {
  return staged(kube, async (client, version, signal, at) => {
    at(`get ${client.server}/readyz`);
    await client.readyz(signal);
    return version;
  });
}

function diagnose(stage: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof KubeconfigError || e instanceof ContextError) {
    return `kubeconfig problem: ${msg}`;
  }
  if (e instanceof KubeConnectionError) {
    const what = { tls: "TLS problem", unreachable: "cluster unreachable", timeout: "timed out" };
    return `${what[e.kind as keyof typeof what] ?? "credentials problem"} while trying to ` +
      `${stage}: ${msg}`;
  }
  if (e instanceof DOMException && e.name === "TimeoutError") {
    return `no answer within ${CHECK_TIMEOUT_MS / 1000}s while trying to ${stage}`;
  }
  if (e instanceof KubeApiError && e.status === 401) {
    return `the API server rejected the credentials (401 Unauthorized) while trying to ${stage}; ` +
      `refresh them (log in again) or fix the user in the kubeconfig`;
  }
  if (e instanceof KubeApiError && e.status === 403) {
    return `permission denied (403 Forbidden) while trying to ${stage}: ${msg}`;
  }
  return `failed to ${stage}: ${msg}`;
}
