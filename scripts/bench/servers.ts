// The two servers under test, ours (the bundle the npm package ships, or main.ts) and the Go
// reference binary: how each is started over stdio or streamable-http, with the same flags, and
// how its memory is read.

import { fileURLToPath } from "node:url";
import { DEFAULT_BUDGET_BYTES, heapFlag } from "../../src/budget/plan.ts";
import {
  identify,
  type ProcIdentity,
  type ProcMemory,
  readMemory,
  ServerProcess,
} from "./process.ts";
import { StdioSession } from "./stdio_client.ts";
import { freePort } from "../../tests/_helpers/spawn_http.ts";
import { RELEASE_RUN_FLAGS } from "../release/permissions.ts";
import { BUNDLE_RUN_FLAGS } from "../release/bundle.ts";

export type Side = "ours" | "reference";

export interface ServerSpec {
  side: Side;
  command: string;
  /** Arguments before the server's own flags. */
  prefix: string[];
  /** The binary expected at /proc/<pid>/exe (the pid we measure must be the server itself). */
  expectExe: string;
}

export const MAIN_TS = fileURLToPath(new URL("../../main.ts", import.meta.url));

/**
 * How ours runs. "bundle": as the npm package and the container image run it (the bundled
 * server/main.js under the release permissions and V8 flags, with no config, lock, npm or
 * remote); "source": main.ts from the checkout.
 */
export type OursForm = { kind: "bundle"; entry: string } | { kind: "source" };

/** With cpuProfDir, V8 writes a .cpuprofile there when the server exits (for profiling). */
export function oursSpec(form: OursForm, cpuProfDir?: string): ServerSpec {
  const prof = cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : [];
  const prefix = form.kind === "bundle"
    ? ["run", ...BUNDLE_RUN_FLAGS, "--quiet", ...RELEASE_RUN_FLAGS, ...prof, form.entry]
    : ["run", "-A", "--quiet", ...prof, MAIN_TS];
  return { side: "ours", command: Deno.execPath(), prefix, expectExe: Deno.execPath() };
}

export function referenceSpec(bin: string): ServerSpec {
  return { side: "reference", command: bin, prefix: [], expectExe: bin };
}

export interface ServeOptions {
  kubeconfig: string;
  alwaysStart: boolean;
}

/** The environment without anything that configures either server behind the bench's back. */
export function cleanEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  for (const key of Object.keys(env)) {
    if (key.startsWith("MCP_KUBERNETES_RO_") || key === "KUBECONFIG") delete env[key];
  }
  for (const key of ["DISABLED_TOOLS", "ENABLE_PORT_FORWARDING"]) delete env[key];
  // V8's heap limit as the npm package and the image set it for the default memory budget (the
  // Go server ignores it).
  env.DENO_V8_FLAGS = heapFlag(DEFAULT_BUDGET_BYTES);
  return env;
}

function flags(opts: ServeOptions, transport: string, port?: number): string[] {
  return [
    "--kubeconfig",
    opts.kubeconfig,
    "--transport",
    transport,
    ...(port === undefined ? [] : ["--port", String(port)]),
    ...(opts.alwaysStart ? ["--always-start"] : []),
  ];
}

export function startStdio(spec: ServerSpec, opts: ServeOptions): StdioSession {
  return new StdioSession({
    command: spec.command,
    args: [...spec.prefix, ...flags(opts, "stdio")],
    env: cleanEnv(),
  });
}

export interface HttpServer {
  proc: ServerProcess;
  url: URL;
}

/** Starts a streamable-http server and waits (bounded) until its port accepts connections. */
export async function startHttp(
  spec: ServerSpec,
  opts: ServeOptions,
  timeoutMs = 30_000,
): Promise<HttpServer> {
  const port = freePort();
  const proc = new ServerProcess({
    command: spec.command,
    args: [...spec.prefix, ...flags(opts, "streamable-http", port)],
    env: cleanEnv(),
    stdio: false,
  });
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (proc.exitStatus) {
      throw new Error(`server ${proc.describeExit()} before listening:\n${proc.stderr()}`);
    }
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return { proc, url: new URL(`http://127.0.0.1:${port}/mcp`) };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await proc.stop();
  throw new Error(`server not listening on ${port} within ${timeoutMs / 1000}s:\n${proc.stderr()}`);
}

export interface Measured {
  memory: ProcMemory | null;
  identity: ProcIdentity;
}

/**
 * Reads VmHWM just before the stop, and checks that the pid is the server binary itself with no
 * child process (so its peak RSS is the server's whole footprint).
 */
export async function measureThenStop(
  spec: ServerSpec,
  proc: ServerProcess,
  before?: () => Promise<void>,
): Promise<Measured> {
  const identity = await identify(proc.pid);
  const memory = await readMemory(proc.pid);
  await proc.stop(before);
  const expected = await Deno.realPath(spec.expectExe).catch(() => spec.expectExe);
  if (identity.exe !== null && identity.exe !== expected) {
    throw new Error(`pid ${proc.pid} runs ${identity.exe}, not ${spec.expectExe}`);
  }
  if (identity.children.length > 0) {
    throw new Error(`pid ${proc.pid} has child processes ${identity.children.join(", ")}`);
  }
  return { memory, identity };
}
