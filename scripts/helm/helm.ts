// helm, built once from the Go module proxy (go install helm.sh/helm/v3/cmd/helm@VERSION) into
// ${XDG_CACHE_HOME:-~/.cache}/mcp-kubernetes-ro/helm-VERSION/helm, like the test cluster's
// binaries: into a temp dir first, then renamed, so a half-built helm is never used.

import { existsSync } from "node:fs";
import { join } from "node:path";

export const HELM_VERSION = "v3.22.0";
export const CHART_DIR = new URL("../../deploy/helm/mcp-kubernetes-ro", import.meta.url).pathname;
export const MANIFESTS_DIR = new URL("../../deploy/manifests", import.meta.url).pathname;

function cacheDir(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  const base = xdg ? xdg : join(Deno.env.get("HOME") ?? "/tmp", ".cache");
  return join(base, "mcp-kubernetes-ro", `helm-${HELM_VERSION}`);
}

function goBinary(): string {
  for (const p of ["/usr/local/go/bin/go", "/usr/lib/go/bin/go"]) if (existsSync(p)) return p;
  return "go";
}

/** The path of helm, building it first when it is not cached (a few minutes, once). */
export async function ensureHelm(log: (m: string) => void = () => {}): Promise<string> {
  const dir = cacheDir();
  const helm = join(dir, "helm");
  if (existsSync(helm)) return helm;
  const tmp = `${dir}.tmp-${crypto.randomUUID()}`;
  await Deno.mkdir(tmp, { recursive: true });
  log(`building helm ${HELM_VERSION} from the Go module proxy into ${dir} (once)...`);
  const out = await new Deno.Command(goBinary(), {
    args: ["install", "-ldflags=-s -w", `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`],
    env: { GOBIN: tmp, CGO_ENABLED: "0" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw new Error(`go install of helm ${HELM_VERSION} failed (exit ${out.code})`);
  }
  try {
    await Deno.rename(tmp, dir);
  } catch (e) {
    // Another process built it meanwhile: keep theirs.
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    if (!existsSync(helm)) throw e;
  }
  return helm;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function helm(args: string[]): Promise<HelmResult> {
  const out = await new Deno.Command(await ensureHelm(), {
    args,
    env: { HELM_CACHE_HOME: "/tmp/mcp-helm-cache", HELM_CONFIG_HOME: "/tmp/mcp-helm-config" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The rendered manifests for kubectl users: [file name, values files, --set pairs]. */
export const RENDERINGS: readonly { file: string; values: string[]; title: string }[] = [
  { file: "mcp-kubernetes-ro.yaml", values: [], title: "default: the server's own identity" },
  {
    file: "mcp-kubernetes-ro-passthrough.yaml",
    values: ["values-passthrough.yaml"],
    title: "passthrough: each caller's bearer token",
  },
];

export async function render(values: string[], namespace = "mcp-kubernetes-ro"): Promise<string> {
  const r = await helm([
    "template",
    "mcp-kubernetes-ro",
    CHART_DIR,
    "--namespace",
    namespace,
    ...values.flatMap((v) => ["-f", join(CHART_DIR, v)]),
  ]);
  if (r.code !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return r.stdout;
}
