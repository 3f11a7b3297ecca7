#!/usr/bin/env node
// The npx entry of this package: runs the server it ships (server/main.js, the bundled server with
// its chunks; scripts/release/bundle.ts) with the pinned Deno from the `deno` npm dependency and
// the flags in run_flags.json (written by scripts/npm_pack.ts). Server flags pass through unchanged;
// stdin, stdout and stderr are inherited (stdio MCP works), and so are signals and the exit code.
// Nothing is fetched at run time: the bundle holds every npm package the server uses. V8's heap
// limit is set from the server's memory budget before deno starts (heapFlags below).
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");

function denoExecutable() {
  const dir = path.dirname(require.resolve("deno/package.json"));
  const exe = path.join(dir, process.platform === "win32" ? "deno.exe" : "deno");
  if (fs.existsSync(exe)) return exe;
  // The deno package's own fallback when its postinstall did not run (npm --ignore-scripts).
  return require("deno/install_api.cjs").runInstall();
}

let deno;
try {
  deno = denoExecutable();
} catch (err) {
  process.stderr.write(
    `mcp-kubernetes-ro: cannot find the Deno runtime from the "deno" npm package: ${
      err && err.message ? err.message : err
    }\nReinstall this package with npm (its "deno" dependency provides the runtime).\n`,
  );
  process.exit(1);
}

const MiB = 1024 * 1024;
const UNITS = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 1024,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mi: MiB,
  mib: MiB,
  g: 1e9,
  gb: 1e9,
  gi: 1024 * MiB,
  gib: 1024 * MiB,
};

/** Bytes of a size (192Mi, 1Gi, 200M, digits), as src/budget/plan.ts parseSize; else undefined. */
function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(String(text).trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  return unit === undefined ? undefined : Math.floor(Number(m[1]) * unit);
}

/** The value of --memory-budget (or -memory-budget) in the server's arguments. */
function flagValue(argv, name) {
  let found;
  for (let i = 0; i < argv.length; i++) {
    const m = new RegExp(`^--?${name}(?:=(.*))?$`).exec(argv[i]);
    if (m) found = m[1] !== undefined ? m[1] : argv[i + 1];
  }
  return found;
}

/**
 * V8's heap limit cannot change once deno runs, so it is computed here, as the server computes
 * its memory budget (flag, then env, then 3/4 of the cgroup limit over HTTP, then the default; the
 * figures come from bin/budget.json, written from src/budget/plan.ts), and handed over as
 * DENO_V8_FLAGS. A --max-old-space-size the user set there is kept.
 */
function heapFlags(env) {
  const own = env.DENO_V8_FLAGS || "";
  if (/max-old-space-size/.test(own)) return own;
  let b;
  try {
    b = require("./budget.json");
  } catch {
    return own;
  }
  const given = flagValue(process.argv.slice(2), "memory-budget") ||
    (env.MCP_KUBERNETES_RO_MEMORY_BUDGET || "").trim() || undefined;
  let mib = given !== undefined ? Math.floor((parseSize(given) || 0) / MiB) : undefined;
  if (!(mib >= b.minMiB)) mib = undefined; // the server reports a bad value itself
  const transport = flagValue(process.argv.slice(2), "transport");
  const http = transport !== undefined && transport !== "stdio";
  // As the server: the cgroup's limit counts only for an HTTP transport without a budget.
  if (mib === undefined && given === undefined && http) {
    for (const file of b.cgroupFiles) {
      let text;
      try {
        text = fs.readFileSync(file, "utf8").trim();
      } catch {
        continue;
      }
      const limit = /^\d+$/.test(text) ? Number(text) : NaN;
      if (limit > 0 && limit < 2 ** 50) {
        mib = Math.max(b.minMiB, Math.floor(limit * b.cgroupShare / MiB));
      }
      break;
    }
  }
  if (mib === undefined) mib = b.defaultMiB;
  const heap = `--max-old-space-size=${Math.max(b.heapMinMiB, Math.floor(mib * b.heapShare))}`;
  return own ? `${own},${heap}` : heap;
}

const args = [
  "run",
  // Exactly what this package ships, never a prompt, the release permissions and V8 flags
  // (scripts/release/bundle.ts BUNDLE_RUN_FLAGS, then permissions.ts RELEASE_RUN_FLAGS).
  ...require("./run_flags.json"),
  path.join(root, "server", "main.js"),
  ...process.argv.slice(2),
];

const child = spawn(deno, args, {
  stdio: "inherit",
  env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_V8_FLAGS: heapFlags(process.env) },
  windowsHide: true,
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (err) => {
  process.stderr.write(`mcp-kubernetes-ro: cannot start ${deno}: ${err.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
