// The Go reference server: MCP_K8S_RO_REFERENCE_BIN, else the binary that the shared
// reference/go/build.sh builds from the Go server's source archive (once; later calls print the
// cached path at once). Never `go install`, never a placeholder version. When neither works the
// reason is kept, so the report can say why the reference columns are n/a.

import { dirname, join, resolve } from "node:path";
import type { ReferenceInfo } from "./types.ts";

export const REFERENCE_MODULE = "github.com/patrickdappollonio/mcp-kubernetes-ro";
/** The source archive's commit that build.sh builds. */
export const REFERENCE_VERSION = "00ae637";
export const REFERENCE_BIN_ENV = "MCP_K8S_RO_REFERENCE_BIN";
/** Where build.sh is, when not in ../shared/reference/go of the checkout (or of its parent). */
export const REFERENCE_BUILD_ENV = "MCP_K8S_RO_REFERENCE_BUILD";
const BUILD_TIMEOUT_MS = 900_000;
const REPO = resolve(dirname(new URL(import.meta.url).pathname), "../..");

async function isExecutable(path: string): Promise<boolean> {
  try {
    const st = await Deno.stat(path);
    return st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** build.sh: the env override, else shared/ next to the checkout or next to its parent. */
export async function findBuildScript(env = Deno.env.toObject()): Promise<string | null> {
  const candidates = env[REFERENCE_BUILD_ENV] ? [env[REFERENCE_BUILD_ENV]!] : [
    join(REPO, "../shared/reference/go/build.sh"),
    join(REPO, "../../shared/reference/go/build.sh"),
  ];
  for (const c of candidates) {
    try {
      if ((await Deno.stat(c)).isFile) return c;
    } catch {
      // not there
    }
  }
  return null;
}

/** The last meaningful lines of the build's output, for the report. */
export function buildFailureReason(output: string, code: number | "timeout"): string {
  const lines = output.split("\n").map((l) => l.trim().replace(/\.+$/, "")).filter(Boolean)
    .slice(-3);
  const what = code === "timeout"
    ? `timed out after ${BUILD_TIMEOUT_MS / 1000}s`
    : `exit code ${code}`;
  return `the reference build failed (${what})${lines.length ? `: ${lines.join(" / ")}` : ""}`;
}

async function build(script: string): Promise<{ bin: string } | { reason: string }> {
  const path = [Deno.env.get("PATH") ?? "", "/usr/local/go/bin"].join(":");
  const child = new Deno.Command("bash", {
    args: [script],
    env: { PATH: path },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), BUILD_TIMEOUT_MS);
  const out = await child.output();
  clearTimeout(timer);
  const stdout = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (out.success && await isExecutable(stdout)) return { bin: stdout };
  const text = new TextDecoder().decode(out.stderr) + stdout;
  return { reason: buildFailureReason(text, out.signal === "SIGKILL" ? "timeout" : out.code) };
}

export async function resolveReference(opts: { skip?: boolean } = {}): Promise<ReferenceInfo> {
  const base = { available: false, module: REFERENCE_MODULE, version: REFERENCE_VERSION };
  const fromEnv = Deno.env.get(REFERENCE_BIN_ENV);
  if (fromEnv) {
    return await isExecutable(fromEnv)
      ? { ...base, available: true, bin: fromEnv, source: "env", version: "from env" }
      : { ...base, reason: `${REFERENCE_BIN_ENV}=${fromEnv} is not an executable file` };
  }
  if (opts.skip) return { ...base, reason: "skipped with --no-reference" };
  const script = await findBuildScript();
  if (!script) {
    return {
      ...base,
      reason: `no shared/reference/go/build.sh next to this checkout; set ${REFERENCE_BUILD_ENV} ` +
        `to it, or ${REFERENCE_BIN_ENV} to a reference binary`,
    };
  }
  const built = await build(script);
  if ("bin" in built) return { ...base, available: true, bin: built.bin, source: "build.sh" };
  return { ...base, reason: `${built.reason}. Set ${REFERENCE_BIN_ENV} to a reference binary.` };
}
