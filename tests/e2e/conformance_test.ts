// The MCP conformance scenarios that apply to a generic tools-only server, one by one, against
// the real entrypoint over streamable HTTP. (0.1.16 reports some fixture-tool scenarios as passed
// against any server, so the whole-suite exit code cannot be trusted; these five can.)

import assert from "node:assert/strict";
import { startHttp } from "../_helpers/spawn_http.ts";

const SCENARIOS = [
  "server-initialize",
  "ping",
  "tools-list",
  "dns-rebinding-protection",
  "logging-set-level",
];

Deno.test("MCP conformance 0.1.16: generic server scenarios pass", async (t) => {
  const server = await startHttp("streamable-http", [
    "--always-start",
    "--kubeconfig",
    "/nonexistent/kubeconfig",
  ]);
  const outdir = await Deno.makeTempDir();
  try {
    for (const scenario of SCENARIOS) {
      await t.step(scenario, async () => {
        const out = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "--quiet",
            "npm:@modelcontextprotocol/conformance@0.1.16",
            "server",
            "--url",
            `${server.base.replace("127.0.0.1", "localhost")}/mcp`,
            "--scenario",
            scenario,
            "-o",
            outdir,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const log = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
        assert.equal(out.code, 0, log);
        const passed = /Passed: (\d+)\/(\d+), 0 failed/.exec(log);
        assert.ok(passed && passed[1] === passed[2] && Number(passed[1]) > 0, log);
      });
    }
  } finally {
    assert.equal(await server.stop(), 0);
    await Deno.remove(outdir, { recursive: true });
  }
});
