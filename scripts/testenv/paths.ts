// Where things live: the repository, the state dir (.testenv/), the binary cache and etcd's data.

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const TESTENV_DIR = dirname(fileURLToPath(import.meta.url));
export const GO_MODULE_DIR = join(TESTENV_DIR, "go");
export const REPO_ROOT = resolve(TESTENV_DIR, "..", "..");

/** The state dir: state.json, kubeconfig, pki/, logs/, audit logs. `MCP_TESTENV_STATE_DIR` overrides. */
export function stateDir(): string {
  return Deno.env.get("MCP_TESTENV_STATE_DIR") ?? join(REPO_ROOT, ".testenv");
}

export interface StatePaths {
  root: string;
  stateFile: string;
  kubeconfig: string;
  pki: string;
  logs: string;
  /** Container log files served by the fake kubelet (regenerated on every `up`). */
  containerLogs: string;
  /** Survives `down`: the generated 100 MB log. */
  keep: string;
  /** JSON index of pods: read by the fake kubelet (log files) and the fake metrics server. */
  podIndex: string;
  audit: string;
  auditNoMetrics: string;
  auditPolicy: string;
  tokens: string;
  lock: string;
}

export function statePaths(root = stateDir()): StatePaths {
  return {
    root,
    stateFile: join(root, "state.json"),
    kubeconfig: join(root, "kubeconfig"),
    pki: join(root, "pki"),
    logs: join(root, "logs"),
    containerLogs: join(root, "container-logs"),
    keep: join(root, "keep"),
    podIndex: join(root, "pods.json"),
    audit: join(root, "audit.log"),
    auditNoMetrics: join(root, "audit-nometrics.log"),
    auditPolicy: join(root, "audit-policy.yaml"),
    tokens: join(root, "tokens.csv"),
    lock: join(root, "lock"),
  };
}

/** `${XDG_CACHE_HOME:-$HOME/.cache}/mcp-kubernetes-ro/testenv` */
export function cacheRoot(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  const base = xdg && xdg !== "" ? xdg : join(Deno.env.get("HOME") ?? "/tmp", ".cache");
  return join(base, "mcp-kubernetes-ro", "testenv");
}

async function freeKiB(dir: string): Promise<number> {
  try {
    const out = await new Deno.Command("df", {
      args: ["-Pk", dir],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    const line = new TextDecoder().decode(out.stdout).trim().split("\n")[1] ?? "";
    return Number(line.split(/\s+/)[3] ?? 0) || 0;
  } catch {
    return 0;
  }
}

/** etcd data goes to /dev/shm when it exists (tmpfs: fast), keyed by the state dir. */
export async function etcdDataDir(root: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(root)),
  );
  const tag = Array.from(digest.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
  // etcd preallocates 64 MB WAL segments: a small /dev/shm (containers default to 64 MB) won't do.
  if ((await freeKiB("/dev/shm")) >= 1024 * 1024) {
    return join("/dev/shm", `mcp-kubernetes-ro-testenv-${tag}`);
  }
  return join(root, "etcd-data");
}
