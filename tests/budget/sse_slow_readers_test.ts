// Answers held for SSE clients that stopped reading count against the budget as a whole: many
// sessions, each below its own 16 MiB bound, together pass the unsent share, and the slowest are
// dropped first, with a log line and on /metrics, while the server's memory stays bounded.

import assert from "node:assert/strict";
import { startHttp } from "../_helpers/spawn_http.ts";
import { metric } from "../../scripts/bench/budget_load.ts";
import { DEFAULT_BUDGET_BYTES, heapFlag, planBudget } from "../../src/budget/plan.ts";
import { RELEASE_V8_FLAGS } from "../../scripts/release/permissions.ts";
import { LIMITS } from "../../src/tools/_shared.ts";

const SESSIONS = 30;
const CALLS = 10;
const JSON_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

Deno.test("sse: past the unsent share, the slowest readers are dropped", async () => {
  const budget = DEFAULT_BUDGET_BYTES;
  const plan = planBudget(budget);
  const server = await startHttp("sse", [
    "--always-start",
    "--kubeconfig",
    "/nonexistent/kubeconfig",
  ], {
    // V8's flags as shipped: the release ones, and the heap limit the budget gives.
    DENO_V8_FLAGS: `${RELEASE_V8_FLAGS.replace("--v8-flags=", "")},${heapFlag(budget)}`,
  });
  const readers: ReadableStreamDefaultReader<string>[] = [];
  try {
    const urls: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const res = await fetch(`${server.base}/sse`);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let head = "";
      while (!head.includes("\n\n")) head += (await reader.read()).value ?? "";
      urls.push(`${server.base}${/data: (\S+)/.exec(head)![1]}`);
      readers.push(reader); // never read again
    }
    // Each answer is ~0.7 MB (the text and its base64, twice): 30 × 10 of them is ~200 MB, over
    // the budget's unsent share but under each session's own bound.
    const data = "x".repeat(LIMITS.plainData / 2);
    const post = (url: string, body: unknown) =>
      fetch(url, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) })
        .then((r) => r.body?.cancel());
    await Promise.all(urls.map((url) =>
      post(url, {
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: {
          protocolVersion: "2024-11-05",
          capabilities: {},
          clientInfo: { name: "t", version: "0" },
        },
      })
    ));
    for (let c = 1; c <= CALLS; c++) {
      await Promise.all(urls.map((url) =>
        post(url, {
          jsonrpc: "2.0",
          id: c,
          method: "tools/call",
          params: { name: "encode_base64", arguments: { data } },
        })
      ));
    }
    let dropped = 0;
    for (let i = 0; i < 100 && dropped === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      dropped = await metric(
        server.base,
        'mcp_kubernetes_ro_answers_dropped_total{reason="over_budget"}',
      ) ?? 0;
    }
    const held = await metric(server.base, "mcp_kubernetes_ro_unsent_answer_bytes") ?? -1;
    const status = await Deno.readTextFile(`/proc/${server.pid}/status`);
    const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) * 1024;
    // deno-lint-ignore no-console
    console.error(
      `sse slow readers: ${dropped} dropped, ${(held / 1048576).toFixed(1)} MiB still held, ` +
        `peak RSS ${(peak / 1048576).toFixed(0)} MiB`,
    );
    assert.ok(dropped > 0, "no reader was dropped");
    assert.ok(held <= plan.unsentBytes, `${held} bytes held, over ${plan.unsentBytes}`);
    assert.match(server.stderr(), /Dropped \d+ answer\(s\) to clients that stopped reading/);
    assert.ok(peak < budget, `peak RSS ${peak} over the budget ${budget}`);
    assert.equal(await (await fetch(`${server.base}/healthz`)).text(), "ok\n");
  } finally {
    await Promise.all(readers.map((r) => r.cancel().catch(() => {})));
    await server.stop();
  }
});
