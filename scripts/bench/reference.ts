// The Go reference server: MCP_K8S_RO_REFERENCE_BIN, else the cached `go install` of the pinned
// version, else one bounded `go install` attempt per run. When none works the reason is kept, so
// the report can say why the reference columns are n/a.

import { join } from "node:path";
import type { ReferenceInfo } from "./types.ts";

export const REFERENCE_MODULE = "github.com/patrickdappollonio/mcp-kubernetes-ro";
/** The release compared against; MCP_K8S_RO_REFERENCE_VERSION overrides it. */
export const REFERENCE_VERSION = "v1.0.0";
export const REFERENCE_BIN_ENV = "MCP_K8S_RO_REFERENCE_BIN";
export const REFERENCE_VERSION_ENV = "MCP_K8S_RO_REFERENCE_VERSION";
const INSTALL_TIMEOUT_MS = 300_000;

/** `${XDG_CACHE_HOME:-$HOME/.cache}/mcp-kubernetes-ro/reference/<version>` */
export function referenceDir(version: string, env = Deno.env.toObject()): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && xdg !== "" ? xdg : join(env.HOME ?? "/tmp", ".cache");
  return join(base, "mcp-kubernetes-ro", "reference", version);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const st = await Deno.stat(path);
    return st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** The last meaningful lines of go's output: "403 Forbidden ... not available" and the like. */
export function installFailureReason(output: string, code: number | "timeout"): string {
  const lines = output.split("\n").map((l) => l.trim().replace(/\.+$/, "")).filter(Boolean)
    .slice(-3);
  const what = code === "timeout"
    ? `timed out after ${INSTALL_TIMEOUT_MS / 1000}s`
    : `exit code ${code}`;
  return `go install failed (${what})${lines.length ? `: ${lines.join(" / ")}` : ""}`;
}

async function goInstall(version: string, dir: string): Promise<string | null> {
  await Deno.mkdir(dir, { recursive: true });
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("go", {
      args: ["install", `${REFERENCE_MODULE}@${version}`],
      env: { GOBIN: dir, GOFLAGS: "-mod=mod" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    return `go is not available (${e instanceof Error ? e.message : e})`;
  }
  const timer = setTimeout(() => child.kill("SIGKILL"), INSTALL_TIMEOUT_MS);
  const out = await child.output();
  clearTimeout(timer);
  if (out.success) return null;
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return installFailureReason(text, out.signal === "SIGKILL" ? "timeout" : out.code);
}

export async function resolveReference(
  opts: { skip?: boolean; install?: boolean } = {},
): Promise<ReferenceInfo> {
  const version = Deno.env.get(REFERENCE_VERSION_ENV) || REFERENCE_VERSION;
  const base = { available: false, module: REFERENCE_MODULE, version };
  const fromEnv = Deno.env.get(REFERENCE_BIN_ENV);
  if (fromEnv) {
    return await isExecutable(fromEnv)
      ? { ...base, available: true, bin: fromEnv, source: "env", version: "from env" }
      : { ...base, reason: `${REFERENCE_BIN_ENV}=${fromEnv} is not an executable file` };
  }
  if (opts.skip) return { ...base, reason: "skipped with --no-reference" };
  const dir = referenceDir(version);
  const bin = join(dir, "mcp-kubernetes-ro");
  if (await isExecutable(bin)) return { ...base, available: true, bin, source: "cache" };
  if (opts.install === false) {
    return { ...base, reason: `not installed in ${dir} and installing is off` };
  }
  const failure = await goInstall(version, dir);
  if (failure === null && await isExecutable(bin)) {
    return { ...base, available: true, bin, source: "go install" };
  }
  return {
    ...base,
    reason: `${failure ?? `go install left no binary in ${dir}`}. Set ${REFERENCE_BIN_ENV} to ` +
      `a reference binary to compare against it.`,
  };
}
