// Legacy SSE sessions each hold a server and a stream: past what the budget holds, a new one is
// refused with 429, Retry-After and a JSON-RPC busy error, and /healthz keeps answering.

import assert from "node:assert/strict";
import { startHttp } from "../_helpers/spawn_http.ts";
import { planBudget } from "../../src/budget/plan.ts";

Deno.test("sse: sessions past the budget's bound get 429 with Retry-After", async () => {
  const server = await startHttp("sse", [
    "--always-start",
    "--kubeconfig",
    "/nonexistent/kubeconfig",
    "--memory-budget",
    "160Mi",
  ]);
  const max = planBudget(160 * 1024 * 1024).maxSseSessions;
  const open: ReadableStreamDefaultReader<Uint8Array>[] = [];
  try {
    for (let i = 0; i < max; i++) {
      const res = await fetch(`${server.base}/sse`);
      assert.equal(res.status, 200, `session ${i + 1} of ${max}`);
      const reader = res.body!.getReader();
      await reader.read(); // the endpoint event
      open.push(reader);
    }
    const refused = await fetch(`${server.base}/sse`);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    const body = await refused.json();
    assert.equal(body.error.code, -32000);
    assert.equal(body.error.data.reason, "sessions_full");
    assert.match(body.error.message, new RegExp(`Server busy: ${max} SSE sessions are open`));
    assert.equal(await (await fetch(`${server.base}/healthz`)).text(), "ok\n");
    // A session that ends frees its place.
    await open.pop()!.cancel();
    let status = 429;
    for (let i = 0; i < 50 && status === 429; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const again = await fetch(`${server.base}/sse`);
      status = again.status;
      if (status === 200) open.push(again.body!.getReader());
      else await again.body?.cancel();
    }
    assert.equal(status, 200);
  } finally {
    await Promise.all(open.map((r) => r.cancel().catch(() => {})));
    await server.stop();
  }
});
