// `deno task try`: the server against a real cluster, for someone who has none. Brings up the
// test cluster (`deno task testenv up`: built once from Go modules, then ~10 s), then runs the
// server on it with the release permissions over streamable HTTP on 127.0.0.1:8080 (so an MCP
// client or the MCP Inspector can connect), until Ctrl-C. Flags after `--` go to the server and
// win over these defaults (`deno task try --transport stdio`, `--port 9000`). The cluster keeps
// running afterwards; `deno task testenv down` stops it.

import { fileURLToPath } from "node:url";
import { RELEASE_RUN_FLAGS } from "./release/permissions.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

function say(message: string): void {
  // deno-lint-ignore no-console
  console.error(`try: ${message}`);
}

say("starting the test cluster (deno task testenv up; the first run builds it from Go modules)");
const up = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "scripts/testenv/main.ts", "up"],
  cwd: root,
  stdin: "null",
  stdout: "piped",
  stderr: "inherit",
}).output();
if (!up.success) {
  say("the test cluster did not start (it needs Go and openssl; see scripts/testenv/README.md)");
  Deno.exit(1);
}
const kubeconfig = new TextDecoder().decode(up.stdout).trim().split("\n").at(-1)!;

const given = Deno.args;
/** The value of a server flag in the given arguments (`--f v`, `--f=v`, Go's `-f v`). */
function flag(name: string): string | undefined {
  for (const [i, a] of given.entries()) {
    if (a === `--${name}` || a === `-${name}`) return given[i + 1] ?? "";
    for (const prefix of [`--${name}=`, `-${name}=`]) {
      if (a.startsWith(prefix)) return a.slice(prefix.length);
    }
  }
  return undefined;
}
const has = (name: string) => flag(name) !== undefined;
const transport = flag("transport") ?? "streamable-http";
const args = [
  ...(has("kubeconfig") ? [] : ["--kubeconfig", kubeconfig]),
  ...(has("transport") ? [] : ["--transport", transport]),
  ...given,
];
if (transport !== "stdio") {
  const port = flag("port") ?? "8080";
  const path = transport === "sse" ? "/sse" : "/mcp";
  say(`kubeconfig: ${kubeconfig}`);
  say(`MCP endpoint: http://localhost:${port}${path} (Ctrl-C stops the server)`);
  say(`inspect it: npx -y @modelcontextprotocol/inspector, then connect to that URL`);
  say("stop the cluster afterwards with: deno task testenv down");
}
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "--no-prompt", ...RELEASE_RUN_FLAGS, "main.ts", ...args],
  cwd: root,
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => server.kill(signal));
}
Deno.exit((await server.status).code);
