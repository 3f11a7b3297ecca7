// The end of stdin always ends the server: calls that can finish are answered, one stuck on a
// stream that never ends is answered with an error once the drain bound passes, then it exits.

import assert from "node:assert/strict";
import { FROM_SOURCE } from "../_helpers/connect.ts";
import { localApi } from "../_helpers/local_api.ts";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "t", version: "0" },
  },
};

Deno.test("stdio: a call stuck on an endless log stream does not outlive the end of input", async () => {
  // Stands in for an API server whose log body never ends (a paused or wedged apiserver):
  // headers at once, then a line now and then, forever.
  const timers = new Set<ReturnType<typeof setInterval>>();
  const api = await localApi((req) => {
    if (!new URL(req.url).pathname.endsWith("/log")) {
      return Response.json({ kind: "Status", code: 404, message: "not here" }, { status: 404 });
    }
    let timer: ReturnType<typeof setInterval> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        timer = setInterval(() => controller.enqueue(new TextEncoder().encode("tick\n")), 200);
        timers.add(timer!);
      },
      cancel() {
        clearInterval(timer);
        timers.delete(timer!);
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        ...FROM_SOURCE,
        "--always-start",
        "--kubeconfig",
        api.kubeconfig,
        "--request-timeout",
        "2s",
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const calls = [
      INIT,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      {
        jsonrpc: "2.0",
        id: 5,
        method: "tools/call",
        params: { name: "get_logs", arguments: { name: "endless", namespace: "default" } },
      },
      {
        jsonrpc: "2.0",
        id: 6,
        method: "tools/call",
        params: { name: "encode_base64", arguments: { data: "hi" } },
      },
    ];
    const writer = child.stdin.getWriter();
    await writer.write(
      new TextEncoder().encode(calls.map((c) => JSON.stringify(c) + "\n").join("")),
    );
    await new Promise((r) => setTimeout(r, 500));
    const closedAt = performance.now();
    await writer.close();
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const out = await child.output();
    clearTimeout(killer);
    const took = performance.now() - closedAt;
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    // Request timeout (2 s) plus the 2 s extra, with generous room for a loaded machine.
    assert.ok(took < 20_000, `exited ${Math.round(took)} ms after the end of input`);
    const answers = new TextDecoder().decode(out.stdout).split("\n").filter(Boolean)
      .map((l) => JSON.parse(l));
    const stuck = answers.find((a) => a.id === 5);
    assert.ok(stuck, "the stuck call was answered");
    assert.ok(
      stuck.error?.code === -32000 || stuck.result?.isError === true,
      JSON.stringify(stuck),
    );
    assert.equal(
      answers.find((a) => a.id === 6)?.result?.content[0].text,
      '{"encoded":"aGk="}',
    );
  } finally {
    for (const t of timers) clearInterval(t);
    await api.close();
  }
});
