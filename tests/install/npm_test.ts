// The npm package, as a user gets it: `deno task npm-pack` builds the tarball, npm installs it
// into an empty folder, and its bin is driven by `npx` like the README's editor snippet: --version,
// a bad flag, and a full MCP session over stdio against the test cluster.

import assert from "node:assert/strict";
import { integration } from "../_helpers/testenv.ts";
import { NPM_NAME } from "../../scripts/release/npm_package.ts";
import { BUNDLE_RUN_FLAGS, foreignImports } from "../../scripts/release/bundle.ts";
import { RELEASE_RUN_FLAGS } from "../../scripts/release/permissions.ts";
import { VERSION } from "../../src/version.ts";
import { heapMiBFor, launcherBudget } from "../../src/budget/plan.ts";
import { freePort } from "../_helpers/spawn_http.ts";
import {
  assertSession,
  editorServer,
  exec,
  mcpSession,
  readmeBlocks,
  ROOT,
  type StdioServer,
} from "./_helpers.ts";

interface Installed {
  tarball: string;
  /** The empty folder the tarball was installed into. */
  dir: string;
}

let installed: Promise<Installed> | undefined;

/** Packs and installs once for the whole file. */
function install(): Promise<Installed> {
  installed ??= (async () => {
    const out = await Deno.makeTempDir({ prefix: "npm_pack_" });
    const pack = await exec(Deno.execPath(), ["task", "npm-pack", "--out", out], { cwd: ROOT });
    assert.equal(pack.code, 0, pack.stderr);
    const tarball = pack.stdout.trim().split("\n").at(-1)!;
    const dir = await Deno.makeTempDir({ prefix: "npm_install_" });
    await Deno.writeTextFile(`${dir}/package.json`, '{ "private": true }\n');
    const npm = await exec("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: dir });
    assert.equal(npm.code, 0, npm.stdout + npm.stderr);
    return { tarball, dir };
  })();
  return installed;
}

/** The README's npx editor snippet, pointed at the test cluster's kubeconfig. */
async function readmeServer(kubeconfig: string): Promise<StdioServer> {
  const [snippet] = await readmeBlocks("json", `"${NPM_NAME}"`);
  const server = editorServer(snippet!);
  assert.equal(server.command, "npx");
  assert.deepEqual(server.args, ["-y", NPM_NAME, "--kubeconfig", "/path/to/kubeconfig"]);
  return { ...server, args: server.args.map((a) => a === "/path/to/kubeconfig" ? kubeconfig : a) };
}

Deno.test("npm package: holds the bundled server and the bin, nothing else", async () => {
  const { tarball } = await install();
  const list = await exec("tar", ["-tzf", tarball]);
  const files = list.stdout.trim().split("\n").map((f) => f.replace(/^package\//, ""));
  for (const f of ["package.json", "server/main.js", "bin/mcp-kubernetes-ro.cjs", "LICENSE"]) {
    assert.ok(files.includes(f), `${f} missing from ${files.join(", ")}`);
  }
  // No sources, lock, tests or scripts: the bundle is the whole server.
  assert.deepEqual(
    files.filter((f) =>
      !/^(server\/[\w.-]+\.js|bin\/[\w.-]+|package\.json|README\.md|LICENSE)$/.test(f)
    ),
    [],
  );
  const pkg = JSON.parse(
    (await exec("tar", ["-xzOf", tarball, "package/package.json"])).stdout,
  ) as { name: string; version: string; bin: Record<string, string>; dependencies: unknown };
  assert.equal(pkg.name, NPM_NAME);
  assert.equal(pkg.version, VERSION);
  assert.deepEqual(pkg.dependencies, { deno: Deno.version.deno });
  assert.deepEqual(Object.keys(pkg.bin).sort(), ["mcp-kubernetes-ro", NPM_NAME]);
  // Nothing in it is fetched at run time: no npm:, jsr: or remote import is left in the bundle.
  for (const f of files.filter((f) => f.startsWith("server/"))) {
    const source = (await exec("tar", ["-xzOf", tarball, `package/${f}`])).stdout;
    assert.deepEqual(foreignImports(source), [], f);
  }
  const permissions = JSON.parse(
    (await exec("tar", ["-xzOf", tarball, "package/bin/run_flags.json"])).stdout,
  );
  assert.deepEqual(permissions, [...BUNDLE_RUN_FLAGS, ...RELEASE_RUN_FLAGS]);
  const budget = JSON.parse(
    (await exec("tar", ["-xzOf", tarball, "package/bin/budget.json"])).stdout,
  );
  assert.deepEqual(budget, launcherBudget());
});

/**
 * Starts the installed bin over HTTP until it listens; returns its stderr, then stops it. The bin
 * is run itself, not through npx: npm exec does not pass SIGTERM on, so the launcher and its Deno
 * outlived the test.
 */
async function startupLog(dir: string, args: string[], env: Record<string, string> = {}) {
  const bin = `${dir}/node_modules/.bin/${NPM_NAME}`;
  const child = new Deno.Command(bin, {
    args: ["--transport", "streamable-http", "--port", String(freePort()), ...args],
    cwd: dir,
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
  for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    if (/MCP endpoint: /.test(text)) break;
  }
  child.kill("SIGTERM");
  await child.status;
  clearTimeout(deadline);
  return text;
}

Deno.test("npm package: the launcher sets V8's heap limit from the memory budget", async () => {
  const { dir } = await install();
  const NO_CLUSTER = ["--always-start", "--kubeconfig", "/nonexistent"];
  const limit = (log: string) => Number(/V8 heap limit (\d+) MiB/.exec(log)?.[1]);
  for (
    const [args, env, budgetMiB] of [
      [["--memory-budget", "512Mi"], {}, 512],
      [[], { MCP_KUBERNETES_RO_MEMORY_BUDGET: "1Gi" }, 1024],
    ] as const
  ) {
    const log = await startupLog(dir, [...NO_CLUSTER, ...args], env);
    assert.match(log, new RegExp(`Memory budget ${budgetMiB} MiB`), log);
    const heap = limit(log);
    // heap_size_limit is the old generation's limit plus the young generation's few MiB.
    const old = heapMiBFor(budgetMiB * 1024 * 1024);
    assert.ok(heap >= old && heap < old + 16, `heap limit ${heap} MiB for ${old} MiB: ${log}`);
    assert.doesNotMatch(log, /is above the memory budget/);
  }
  // A limit the user set is kept.
  const own = await startupLog(dir, NO_CLUSTER, { DENO_V8_FLAGS: "--max-old-space-size=300" });
  assert.ok(limit(own) >= 300 && limit(own) < 316, own);
});

Deno.test("npm package: npx <bin> --version prints the version; a bad flag exits 2", async () => {
  const { dir } = await install();
  const version = await exec("npx", [NPM_NAME, "--version"], { cwd: dir });
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), `mcp-kubernetes-ro ${VERSION}`);
  const other = await exec("npx", ["mcp-kubernetes-ro", "--version"], { cwd: dir });
  assert.equal(other.stdout.trim(), `mcp-kubernetes-ro ${VERSION}`);
  const bad = await exec("npx", [NPM_NAME, "--transport", "carrier-pigeon"], { cwd: dir });
  assert.equal(bad.code, 2, bad.stdout + bad.stderr);
  assert.match(bad.stderr, /transport/);
  assert.equal(bad.stdout, "");
});

integration("npm package: the README's npx snippet runs a full MCP session", async (env) => {
  const { dir } = await install();
  const server = await readmeServer(env.kubeconfig);
  // npx -y finds the installed package first, as it would find the published one.
  const session = await mcpSession(server, { cwd: dir });
  assertSession(session, env);
  assert.match(session.stderr, /Successfully connected to Kubernetes cluster/);
});
