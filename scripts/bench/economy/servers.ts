// The four servers of the economy bench and how each starts over stdio, read-only, on the same
// kubeconfig: ours and the Go server as the rest of the bench runs them, and the two npm peers
// that ../shared/reference/peers.sh fetches and caches (containers/kubernetes-mcp-server with
// --read-only; Flux159's mcp-server-kubernetes with ALLOW_ONLY_READONLY_TOOLS=true, which needs
// kubectl on PATH). A server that cannot run is kept with the reason, for the table.

import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, type ServerSpec, startStdio } from "../servers.ts";
import { StdioSession } from "../stdio_client.ts";
import type { ReferenceInfo } from "../types.ts";
import type { ServerId, ServerInfo } from "./types.ts";

const LABELS: Record<ServerId, string> = {
  ours: "ours",
  go: "Go",
  containers: "containers 0.0.67",
  flux159: "Flux159 4.1.7",
};

export const PEERS_SCRIPT_ENV = "MCP_K8S_RO_PEERS_SCRIPT";
const REPO = fileURLToPath(new URL("../../..", import.meta.url));

export interface Runnable {
  info: ServerInfo;
  start(kubeconfig: string): StdioSession;
}

/** peers.sh: the env override, else shared/ next to the checkout or next to its parent. */
async function findPeersScript(): Promise<string | null> {
  const env = Deno.env.get(PEERS_SCRIPT_ENV);
  const candidates = env ? [env] : [
    join(REPO, "../shared/reference/peers.sh"),
    join(REPO, "../../shared/reference/peers.sh"),
  ];
  for (const c of candidates) {
    if (await Deno.stat(c).then((s) => s.isFile, () => false)) return c;
  }
  return null;
}

/** Parses peers.sh's output: one `name<TAB>command` line per peer. */
export function parsePeers(stdout: string): Map<string, string> {
  const peers = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const [name, path] = line.split("\t");
    if (name && path) peers.set(name.trim(), path.trim());
  }
  return peers;
}

async function fetchPeers(): Promise<{ peers: Map<string, string> } | { reason: string }> {
  const script = await findPeersScript();
  if (!script) {
    return {
      reason: `no shared/reference/peers.sh next to this checkout (set ${PEERS_SCRIPT_ENV})`,
    };
  }
  try {
    const out = await new Deno.Command("bash", {
      args: [script],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(600_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" / ");
      return { reason: `peers.sh failed (exit code ${out.code}): ${err}` };
    }
    return { peers: parsePeers(text) };
  } catch (e) {
    return { reason: `peers.sh failed: ${e instanceof Error ? e.message : e}` };
  }
}

/** The first executable named `name` on PATH, or null. */
export async function which(
  name: string,
  path = Deno.env.get("PATH") ?? "",
): Promise<string | null> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    const st = await Deno.stat(candidate).catch(() => null);
    if (st?.isFile && ((st.mode ?? 0o111) & 0o111) !== 0) return candidate;
  }
  return null;
}

function unavailable(id: ServerId, name: string, reason: string): Runnable {
  return {
    info: { id, name, label: LABELS[id], how: "", available: false, reason },
    start() {
      throw new Error(reason);
    },
  };
}

/** Ours and the Go server: the bench's own specs and flags. */
export function benchServer(
  id: "ours" | "go",
  name: string,
  spec: ServerSpec,
  label = LABELS[id],
  what = [spec.command.split("/").at(-1), ...spec.prefix.slice(-1)].join(" "),
): Runnable {
  const how = `${what} --kubeconfig KC --transport stdio`;
  return {
    info: { id, name, label, how, available: true },
    start: (kubeconfig) => startStdio(spec, { kubeconfig, alwaysStart: false }),
  };
}

export function goServer(reference: ReferenceInfo, spec: ServerSpec | null): Runnable {
  const name = `Go mcp-kubernetes-ro ${reference.version}`;
  if (!reference.available || !spec) return unavailable("go", name, reference.reason ?? "n/a");
  return benchServer("go", name, spec, `Go ${reference.version}`);
}

const CONTAINERS = "containers/kubernetes-mcp-server 0.0.67";
const FLUX = "Flux159/mcp-server-kubernetes 4.1.7";

/** containers and Flux159 from peers.sh (fetched once into the cache). */
export async function peerServers(skip: boolean): Promise<Runnable[]> {
  if (skip) {
    return [
      unavailable("containers", CONTAINERS, "skipped with --no-peers"),
      unavailable("flux159", FLUX, "skipped with --no-peers"),
    ];
  }
  const fetched = await fetchPeers();
  if ("reason" in fetched) {
    return [
      unavailable("containers", CONTAINERS, fetched.reason),
      unavailable("flux159", FLUX, fetched.reason),
    ];
  }
  const out: Runnable[] = [];
  const bin = fetched.peers.get("containers");
  out.push(
    bin
      ? {
        info: {
          id: "containers",
          name: CONTAINERS,
          label: LABELS.containers,
          how: "kubernetes-mcp-server --kubeconfig KC --read-only --disable-multi-cluster",
          available: true,
        },
        start: (kubeconfig) =>
          new StdioSession({
            command: bin,
            args: ["--kubeconfig", kubeconfig, "--read-only", "--disable-multi-cluster"],
            env: cleanEnv(),
          }),
      }
      : unavailable("containers", CONTAINERS, "peers.sh printed no containers line"),
  );
  const entry = fetched.peers.get("flux159");
  const node = await which("node");
  const kubectl = await which("kubectl");
  if (!entry) out.push(unavailable("flux159", FLUX, "peers.sh printed no flux159 line"));
  else if (!node) out.push(unavailable("flux159", FLUX, "node is not on PATH"));
  else if (!kubectl) {
    out.push(unavailable("flux159", FLUX, "kubectl is not on PATH (it shells out to kubectl)"));
  } else {
    out.push({
      info: {
        id: "flux159",
        name: FLUX,
        label: LABELS.flux159,
        how: "ALLOW_ONLY_READONLY_TOOLS=true KUBECONFIG=KC node dist/index.js (kubectl " +
          `${kubectl})`,
        available: true,
      },
      start: (kubeconfig) =>
        new StdioSession({
          command: node,
          args: [entry],
          env: { ...cleanEnv(), KUBECONFIG: kubeconfig, ALLOW_ONLY_READONLY_TOOLS: "true" },
        }),
    });
  }
  return out;
}
