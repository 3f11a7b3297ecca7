// The real entrypoint, spawned as a process, driven by the SDK Client over stdio.

import assert from "node:assert/strict";
import { connectStdio, FROM_SOURCE } from "../_helpers/connect.ts";
import { localApi } from "../_helpers/local_api.ts";
import { TOOLS } from "../../src/tools/registry.ts";

const NO_CLUSTER = ["--always-start", "--kubeconfig", "/nonexistent/kubeconfig"];

async function toolNames(env: Record<string, string>, args: string[] = []): Promise<string[]> {
  const { client, close } = await connectStdio([...NO_CLUSTER, ...args], env);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await close();
  }
}

Deno.test("stdio: disabled-tools precedence as seen through tools/list", async (t) => {
  await t.step("flag beats both env vars", async () => {
    const names = await toolNames(
      { MCP_KUBERNETES_RO_DISABLED_TOOLS: "get_logs", DISABLED_TOOLS: "get_pod_metrics" },
      ["--disabled-tools=encode_base64,decode_base64"],
    );
    assert.equal(names.length, TOOLS.length - 1);
    assert.ok(!names.includes("encode_base64") && !names.includes("decode_base64"));
    assert.ok(names.includes("get_logs") && names.includes("get_pod_metrics"));
  });
  await t.step("app env var beats the generic one", async () => {
    const names = await toolNames({
      MCP_KUBERNETES_RO_DISABLED_TOOLS: "encode_base64,decode_base64",
      DISABLED_TOOLS: "get_logs,get_pod_metrics",
    });
    assert.equal(names.length, TOOLS.length - 1);
    assert.ok(names.includes("get_logs") && names.includes("get_pod_metrics"));
  });
  await t.step("generic env var alone", async () => {
    const names = await toolNames({ DISABLED_TOOLS: "get_logs" });
    assert.deepEqual(names.length, TOOLS.length);
    assert.ok(!names.includes("get_logs"));
  });
});

Deno.test("stdio: skipped and unknown tool names are reported on stderr", async () => {
  const { client, close, stderr } = await connectStdio([
    ...NO_CLUSTER,
    "--disabled-tools",
    "GET_LOGS, get_lgos",
  ]);
  try {
    assert.equal((await client.listTools()).tools.length, TOOLS.length);
  } finally {
    await close();
  }
  assert.match(stderr(), /Skipping disabled tool: "get_logs"/);
  assert.match(stderr(), /unknown tool name\(s\) in --disabled-tools: get_lgos; valid names are/);
});

async function spawnRaw(
  args: string[],
  input: string,
  signal?: { name: "SIGTERM" | "SIGINT"; afterLines: number },
) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...FROM_SOURCE, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  let stdout = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  if (signal) {
    // Wait for the answers (not for a fixed time: a loaded machine starts slowly), then signal
    // while stdin is still open.
    while (stdout.split("\n").filter(Boolean).length < signal.afterLines) {
      const { value, done } = await reader.read();
      if (done) break;
      stdout += value;
    }
    child.kill(signal.name);
  }
  await writer.close().catch(() => {});
  for (let r = await reader.read(); !r.done; r = await reader.read()) stdout += r.value;
  const { code } = await child.status;
  return { code, stdout, stderr: await stderr };
}

const REQUESTS = [
  {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw", version: "0" },
    },
  },
  { jsonrpc: "2.0", method: "notifications/initialized" },
  { jsonrpc: "2.0", id: 2, method: "tools/list" },
  { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "list_contexts", arguments: {} } },
  { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "nope", arguments: {} } },
].map((m) => JSON.stringify(m) + "\n").join("");

Deno.test("stdio: stdout carries only JSON-RPC, and EOF ends the process cleanly", async () => {
  const { code, stdout, stderr } = await spawnRaw(NO_CLUSTER, REQUESTS);
  assert.equal(code, 0, stderr);
  const lines = stdout.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 4);
  for (const line of lines) assert.equal(JSON.parse(line).jsonrpc, "2.0", line);
  assert.deepEqual(lines.map((l) => JSON.parse(l).id).sort(), [1, 2, 3, 4]);
  assert.match(stderr, /Starting MCP server with stdio transport/);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`stdio: ${signal} ends the process with exit code 0`, async () => {
    const { code, stdout } = await spawnRaw(NO_CLUSTER, REQUESTS, { name: signal, afterLines: 4 });
    assert.equal(code, 0);
    assert.equal(stdout.split("\n").filter(Boolean).length, 4);
  });
}

Deno.test("bad flags: one clear message on stderr, exit 2, nothing on stdout", async () => {
  const cases: [string[], RegExp][] = [
    [["--transport=carrier-pigeon"], /--transport must be one of stdio, sse, streamable-http/],
    [["--port=70000"], /--port must be a whole number from 1 to 65535; got "70000"/],
    [["--frobnicate"], /unknown flag --frobnicate; valid flags are/],
  ];
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await spawnRaw(args, "");
    assert.equal(code, 2, args.join(" "));
    assert.equal(stdout, "");
    assert.match(stderr, message);
  }
});

Deno.test("--version and --help print to stdout and exit 0", async () => {
  const version = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)))
    .version;
  const v = await spawnRaw(["--version"], "");
  assert.deepEqual([v.code, v.stdout.trim()], [0, `mcp-kubernetes-ro ${version}`]);
  const h = await spawnRaw(["--help"], "");
  assert.equal(h.code, 0);
  for (const env of ["MCP_KUBERNETES_RO_DISABLED_TOOLS", "DISABLED_TOOLS", "KUBECONFIG"]) {
    assert.ok(h.stdout.includes(env), env);
  }
  for (const flag of ["--kubeconfig", "--transport", "--port", "--host", "--always-start"]) {
    assert.ok(h.stdout.includes(flag), flag);
  }
});

Deno.test("stdio: a request still in flight when stdin closes is answered before exit", async () => {
  // An API server that answers slowly, so the call is still running when input ends.
  const slow = await localApi(async () => {
    await new Promise((r) => setTimeout(r, 1500));
    return Response.json({ kind: "Status", message: "slow and failing", code: 503 }, {
      status: 503,
    });
  });
  try {
    const call = JSON.stringify({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "list_resources", arguments: { resource_type: "pods" } },
    });
    const { code, stdout } = await spawnRaw(
      ["--always-start", "--kubeconfig", slow.kubeconfig],
      REQUESTS.split("\n")[0] + "\n" + call + "\n",
    );
    assert.equal(code, 0);
    const answers = stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const five = answers.find((a) => a.id === 5);
    assert.ok(five, stdout);
    assert.equal(five.result.isError, true);
    assert.match(five.result.content[0].text, /503/);
  } finally {
    await slow.close();
  }
});
