// The server as one minified ES module graph (`deno bundle`, esbuild underneath): main.js plus the
// chunks its dynamic imports load (the Kubernetes credential plugins, undici, prom-client, re2js,
// OIDC). The npm package and the container image ship this folder, and the release binaries
// compile it, instead of main.ts, src/ and a deno.lock. From the source graph Deno resolves and
// compiles ~400 npm and local modules on every start; the bundle is a handful of files with
// nothing to resolve and nothing fetched (no npm: import is left). On the benchmark machine
// spawn → tools/list went from 232 to 162 ms and peak RSS after the first call from 87 to 75 MiB
// (docs/benchmarks.md), and a binary embeds 2.45 MB instead of 84 MB. Code splitting keeps
// every lazy import lazy.

import { join } from "node:path";

export const BUNDLE_DIR = "server";
export const BUNDLE_ENTRY = `${BUNDLE_DIR}/main.js`;

/**
 * How the bundle is run (npm bin, image, bench, tests) or compiled, before the release flags:
 * exactly the shipped files (no deno.json or package.json from the user's folder, no lock file,
 * nothing from npm or the network as code) and never a permission prompt (stdin is the MCP
 * channel in stdio mode). The Dockerfile spells the same list (tests/install/container_test.ts).
 */
export const BUNDLE_RUN_FLAGS: readonly string[] = [
  "--no-config",
  "--no-lock",
  "--no-npm",
  "--no-remote",
  "--no-prompt",
];

/** The deno bundle command line, run in the repository root (its deno.json and deno.lock). */
export function bundleArgs(outDir: string): string[] {
  return [
    "bundle",
    "--quiet",
    "--platform=deno",
    // The lock decides every npm version, as for `deno task start`; nothing is re-resolved.
    "--frozen",
    "--minify",
    // Class and function names stay: libraries print them in errors.
    "--keep-names",
    "--code-splitting",
    "--outdir",
    outDir,
    "main.ts",
  ];
}

/**
 * The npm:, jsr: and remote imports left in a bundle (it may import only Deno's node: built-ins
 * and its own chunks): any of them would be fetched at run time, which the shipped server must
 * never need.
 */
export function foreignImports(source: string): string[] {
  const found = new Set<string>();
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']((?:npm|jsr|https?):[^"']*)["']/g;
  for (const m of source.matchAll(re)) found.add(m[1]!);
  return [...found].sort();
}

/**
 * esbuild turns a CommonJS package's require() of a Node built-in (prom-client's require("util"))
 * into a call to its __require shim, which uses the module-scope `require` when there is one and
 * otherwise throws 'Dynamic require of "util" is not supported': Deno's ES modules have no
 * `require`. The chunk that defines the shim gets one, from node:module (~1.5 ms to load).
 */
export const REQUIRE_SHIM = 'Dynamic require of "';
export const REQUIRE_BANNER = 'import{createRequire as __mcpCreateRequire}from"node:module";' +
  "const require=__mcpCreateRequire(import.meta.url);\n";

export function withRequire(source: string): string {
  return source.includes(REQUIRE_SHIM) ? REQUIRE_BANNER + source : source;
}

export interface Bundled {
  /** Files written, relative to outDir's parent (server/main.js, server/chunk-*.js). */
  files: string[];
  bytes: number;
}

/** Bundles root/main.ts into dir/server; throws with deno's output when that fails. */
export async function bundle(root: string, dir: string): Promise<Bundled> {
  const outDir = join(dir, BUNDLE_DIR);
  await Deno.remove(outDir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  const out = await new Deno.Command(Deno.execPath(), {
    args: bundleArgs(outDir),
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`deno bundle failed:\n${text}`);
  const files: string[] = [];
  let bytes = 0;
  for await (const entry of Deno.readDir(outDir)) {
    if (!entry.isFile) continue;
    const path = join(outDir, entry.name);
    const source = withRequire(await Deno.readTextFile(path));
    await Deno.writeTextFile(path, source);
    const foreign = foreignImports(source);
    if (foreign.length > 0) {
      throw new Error(`${BUNDLE_DIR}/${entry.name} still imports ${foreign.join(", ")}`);
    }
    files.push(`${BUNDLE_DIR}/${entry.name}`);
    bytes += new TextEncoder().encode(source).length;
  }
  if (!files.includes(BUNDLE_ENTRY)) throw new Error(`deno bundle wrote no ${BUNDLE_ENTRY}`);
  return { files: files.sort(), bytes };
}
