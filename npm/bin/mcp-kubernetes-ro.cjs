#!/usr/bin/env node
// The npx entry of this package: runs the server it ships (server/main.js, the bundled server with
// its chunks; scripts/release/bundle.ts) with the pinned Deno from the `deno` npm dependency and
// the flags in run_flags.json (written by scripts/npm_pack.ts). Server flags pass through unchanged;
// stdin, stdout and stderr are inherited (stdio MCP works), and so are signals and the exit code.
// Nothing is fetched at run time: the bundle holds every npm package the server uses.
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
  env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" },
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
