// Loads the kubeconfig the configuration names. client-node parses each file's clusters, users and
// contexts (config_types.js: the same validation and field mapping as its KubeConfig); we do not
// import its KubeConfig class, which drags in the generated API (see src/deps.ts). What is ours:
// - the merge of several files: client-node's mergeConfig lets later files override
//   current-context and throws on duplicate names, whereas kubectl lets the first file that
//   defines a name (or current-context) win, and skips missing files in a list;
// - relative paths made absolute against the file's directory (as KubeConfig.loadFromFile does);
// - the in-cluster config, the same few fields as KubeConfig.loadFromCluster.

import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { type Cluster, type Context, loadKubeconfigParser, type User } from "../deps.ts";
import type { Config } from "../config/schema.ts";
import type { ContextInfo } from "./types.ts";

export type { Cluster, Context, User };

/** A kubeconfig that is missing, unreadable or malformed. */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

/** The merged kubeconfig: plain data, client-node's Cluster/User/Context shapes. */
export interface Kubeconfig {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
  /** The files it was read from, and what they looked like then (see fileStamp). */
  files: string[];
  stamp: string;
}

export type KubeconfigSource = Pick<Config, "kubeconfigPaths" | "kubeconfigSource" | "inCluster">;

const SERVICEACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

function firstByName<T extends { name: string }>(lists: T[][]): T[] {
  const seen = new Map<string, T>();
  for (const item of lists.flat()) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message.split("\n")[0]! : String(e);
}

const absolute = (root: string, file: string | undefined) =>
  file && !isAbsolute(file) ? join(root, file) : file;

/**
 * What the kubeconfig files look like on disk (inode, size, mtime), or that they are missing: a
 * change means the cached clients must be rebuilt. One stat per file, cheap enough per call.
 */
export async function fileStamp(paths: readonly string[]): Promise<string> {
  const parts = await Promise.all(paths.map(async (p) => {
    try {
      const s = await Deno.stat(p);
      return `${s.ino}:${s.size}:${s.mtime?.getTime()}`;
    } catch {
      return "-";
    }
  }));
  return parts.join("|");
}

async function parseFile(path: string): Promise<Omit<Kubeconfig, "files" | "stamp">> {
  const { configTypes: { newClusters, newContexts, newUsers }, yaml } =
    await loadKubeconfigParser();
  let obj: Record<string, unknown>;
  try {
    obj = (yaml.load(await Deno.readTextFile(path)) ?? {}) as Record<string, unknown>;
    if (typeof obj !== "object" || Array.isArray(obj)) throw new Error("not a YAML mapping");
    const root = dirname(path);
    return {
      clusters: newClusters(obj.clusters).map((c) => ({ ...c, caFile: absolute(root, c.caFile) })),
      users: newUsers(obj.users).map((u) => ({
        ...u,
        certFile: absolute(root, u.certFile),
        keyFile: absolute(root, u.keyFile),
      })),
      contexts: newContexts(obj.contexts),
      currentContext: typeof obj["current-context"] === "string" ? obj["current-context"] : "",
    };
  } catch (e) {
    throw new KubeconfigError(`kubeconfig ${path} is not valid: ${describeError(e)}`);
  }
}

function inClusterConfig(): Omit<Kubeconfig, "files" | "stamp"> {
  const host = Deno.env.get("KUBERNETES_SERVICE_HOST") ?? "";
  const port = Deno.env.get("KUBERNETES_SERVICE_PORT") ?? "";
  const scheme = ["80", "8080", "8001"].includes(port) ? "http" : "https";
  const server = `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let namespace: string | undefined;
  try {
    namespace = Deno.readTextFileSync(`${SERVICEACCOUNT}/namespace`).trim() || undefined;
  } catch {
    // No namespace file: the context has none, and "default" applies.
  }
  return {
    clusters: [{
      name: "inCluster",
      server,
      caFile: `${SERVICEACCOUNT}/ca.crt`,
      skipTLSVerify: false,
    }],
    users: [{
      name: "inClusterUser",
      authProvider: { name: "tokenFile", config: { tokenFile: `${SERVICEACCOUNT}/token` } },
    }],
    contexts: [{
      name: "inClusterContext",
      cluster: "inCluster",
      user: "inClusterUser",
      namespace,
    }],
    currentContext: "inClusterContext",
  };
}

export async function loadKubeconfig(source: KubeconfigSource): Promise<Kubeconfig> {
  const { kubeconfigPaths: paths, kubeconfigSource: from } = source;
  const stamp = await fileStamp(paths);
  const explicit = paths.length === 1 && from !== "default";
  const present = paths.filter((p) => existsSync(p));
  if (explicit && present.length === 0) {
    throw new KubeconfigError(
      `kubeconfig ${paths[0]} (from ${from === "flag" ? "--kubeconfig" : "KUBECONFIG"}) ` +
        `does not exist; pass the path of a readable kubeconfig file`,
    );
  }
  if (present.length === 0) {
    if (source.inCluster) return { ...inClusterConfig(), files: [...paths], stamp };
    const where = paths.length ? paths.join(", ") : "~/.kube/config (HOME is not set)";
    throw new KubeconfigError(
      `no kubeconfig found at ${where} and not running inside a cluster; ` +
        `pass --kubeconfig or set KUBECONFIG`,
    );
  }
  const files = await Promise.all(present.map(parseFile));
  return {
    clusters: firstByName(files.map((f) => f.clusters)),
    users: firstByName(files.map((f) => f.users)),
    contexts: firstByName(files.map((f) => f.contexts)),
    currentContext: files.map((f) => f.currentContext).find((c) => c) ?? "",
    files: [...paths],
    stamp,
  };
}

/** Contexts with the current one first, then by name. */
export function contextInfos(kc: Kubeconfig): ContextInfo[] {
  return kc.contexts
    .map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      ...(c.namespace ? { namespace: c.namespace } : {}),
      current: c.name === kc.currentContext,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || a.name.localeCompare(b.name));
}
