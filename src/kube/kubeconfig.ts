// Loads the kubeconfig the configuration names, with client-node doing the parsing and auth.
// The merge of several files is ours: client-node's mergeConfig lets later files override
// current-context and throws on duplicate names, whereas kubectl lets the first file that
// defines a name (or current-context) win, and skips missing files in a list.

import { existsSync } from "node:fs";
import { type KubeConfig, loadClientNode } from "../deps.ts";
import type { Config } from "../config/schema.ts";
import type { ContextInfo } from "./types.ts";

/** A kubeconfig that is missing, unreadable or malformed. */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

export type KubeconfigSource = Pick<Config, "kubeconfigPaths" | "kubeconfigSource" | "inCluster">;

function firstByName<T extends { name: string }>(lists: T[][]): T[] {
  const seen = new Map<string, T>();
  for (const item of lists.flat()) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message.split("\n")[0]! : String(e);
}

export async function loadKubeconfig(source: KubeconfigSource): Promise<KubeConfig> {
  const k8s = await loadClientNode();
  const { kubeconfigPaths: paths, kubeconfigSource: from } = source;
  const explicit = paths.length === 1 && from !== "default";
  const present = paths.filter((p) => existsSync(p));
  if (explicit && present.length === 0) {
    throw new KubeconfigError(
      `kubeconfig ${paths[0]} (from ${from === "flag" ? "--kubeconfig" : "KUBECONFIG"}) ` +
        `does not exist; pass the path of a readable kubeconfig file`,
    );
  }
  const kc = new k8s.KubeConfig();
  if (present.length === 0) {
    if (source.inCluster) {
      kc.loadFromCluster();
      return kc;
    }
    const where = paths.length ? paths.join(", ") : "~/.kube/config (HOME is not set)";
    throw new KubeconfigError(
      `no kubeconfig found at ${where} and not running inside a cluster; ` +
        `pass --kubeconfig or set KUBECONFIG`,
    );
  }
  const files = present.map((path) => {
    const one = new k8s.KubeConfig();
    try {
      one.loadFromFile(path);
    } catch (e) {
      throw new KubeconfigError(`kubeconfig ${path} is not valid: ${describeError(e)}`);
    }
    return one;
  });
  kc.loadFromOptions({
    // client-node refuses http:// servers unless TLS checks are off; `kubectl proxy` serves
    // plain HTTP on loopback, and there is no TLS to check.
    clusters: firstByName(files.map((f) => f.clusters))
      .map((c) => c.server.startsWith("http:") ? { ...c, skipTLSVerify: true } : c),
    users: firstByName(files.map((f) => f.users)),
    contexts: firstByName(files.map((f) => f.contexts)),
    currentContext: files.map((f) => f.currentContext).find((c) => c) ?? "",
  });
  return kc;
}

/** Contexts with the current one first, then by name. */
export function contextInfos(kc: KubeConfig): ContextInfo[] {
  const current = kc.getCurrentContext();
  return kc.getContexts()
    .map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      ...(c.namespace ? { namespace: c.namespace } : {}),
      current: c.name === current,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || a.name.localeCompare(b.name));
}
