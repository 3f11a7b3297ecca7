// Shared helpers of the release tests: running commands, stand-in repository roots. Not a test
// file itself (no _test suffix).

import { fileURLToPath } from "node:url";
import { TARGETS } from "../../scripts/release/targets.ts";
import { binaryPath } from "../../scripts/release/targets.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
export const RELEASE_SCRIPT = `${REPO_ROOT}/scripts/release.ts`;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; clearEnv?: boolean } = {},
): Promise<RunResult> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: options.clearEnv,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/**
 * Runs scripts/release.ts with the same deno that runs the tests. The result must not depend on
 * the caller's GITHUB_*, DENORT_BIN or SOURCE_DATE_EPOCH, so those are removed unless given.
 */
export function runRelease(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const base = Deno.env.toObject();
  for (const key of Object.keys(base)) {
    if (/^(GITHUB_|DENORT_BIN$|SOURCE_DATE_EPOCH$)/.test(key)) delete base[key];
  }
  return run(Deno.execPath(), ["run", "-A", RELEASE_SCRIPT, ...args], {
    env: { ...base, NO_COLOR: "1", ...env },
    clearEnv: true,
  });
}

/** Stand-in binary bytes that are recognisably per target. */
export function standInBinary(triple: string): Uint8Array {
  return new TextEncoder().encode(`#!/bin/sh\necho stand-in for ${triple}\n`);
}

/**
 * A throwaway repository root: deno.json with the given version, README.md, LICENSE, a trivial
 * main.ts, and (unless told otherwise) stand-in binaries in dist/<target>/.
 */
export async function standInRoot(
  version: string,
  options: { binaries?: boolean } = {},
): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "release_test_" });
  await Deno.writeTextFile(`${root}/deno.json`, JSON.stringify({ version }));
  await Deno.writeTextFile(`${root}/README.md`, "# stand-in README\n");
  await Deno.writeTextFile(`${root}/LICENSE`, "stand-in LICENSE\n");
  await Deno.writeTextFile(`${root}/main.ts`, 'console.log("stand-in main");\n');
  if (options.binaries ?? true) {
    for (const t of TARGETS) {
      const path = `${root}/dist/${binaryPath(t)}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeFile(path, standInBinary(t.triple));
    }
  }
  return root;
}

/** Runs fn with a stand-in root, removed afterwards. */
export async function withRoot(
  version: string,
  fn: (root: string) => Promise<void>,
  options: { binaries?: boolean } = {},
): Promise<void> {
  const root = await standInRoot(version, options);
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** A temporary directory for fn, removed afterwards. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "release_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
