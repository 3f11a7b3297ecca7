// Client-side back-pressure against the real cluster: calls beyond --burst wait for tokens at
// --qps; one whose wait outlives --request-timeout is a clear tool error, never a hang; the waits
// show on /metrics. Also passthrough's cache evictions (lru, expired) as /metrics reports them.

import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { integration, seed } from "../_helpers/testenv.ts";

function metric(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.split(" ")[1]);
}

integration(
  "rate limit: calls wait their turn; a wait past the timeout is a clear error",
  async (env) => {
    const server = await startHttp("streamable-http", [
      "--kubeconfig",
      env.kubeconfig,
      "--qps=1",
      "--burst=45",
      "--request-timeout=4s",
    ]);
    const client = new Client({ name: "rate", version: "0" });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`)));
      const args = { resource_type: "namespaces", name: "team-a" };
      // Discovery first (and the start-up check): about as many requests as the burst allows.
      await client.callTool({ name: "get_resource", arguments: args });
      const started = Date.now();
      const results = await Promise.all(
        Array.from(
          { length: 60 },
          () => client.callTool({ name: "get_resource", arguments: args }),
        ),
      );
      assert.ok(Date.now() - started < 30_000, "no call hangs");
      const texts = results.map((r) => (r.content as { text: string }[])[0]!.text);
      const failed = texts.filter((_, i) => results[i]!.isError);
      assert.ok(failed.length > 0, "some calls waited longer than --request-timeout");
      assert.ok(failed.length < 60, "calls within the burst and the refill succeed");
      for (const t of failed) {
        assert.match(t, /for this server's own rate limit toward https:\/\/127\.0\.0\.1:\d+/);
        assert.match(t, /--qps 1, --burst 45/);
      }
      const m = await (await fetch(`${server.base}/metrics`)).text();
      assert.ok(metric(m, 'mcp_kubernetes_ro_rate_limit_wait_seconds_count{kind="rate"}') > 0);
    } finally {
      await client.close();
      await server.stop();
    }
  },
);

integration("passthrough cache: LRU and expiry evictions show on /metrics", async (env) => {
  const server = await startHttp("streamable-http", [
    "--kubeconfig",
    env.kubeconfig,
    "--auth=passthrough",
    "--client-cache-size=1",
    "--client-cache-ttl=1s",
  ]);
  const tokens = [env.state!.tokens["mcp-viewer"], env.state!.tokens["mcp-nobody"]];
  try {
    for (const token of tokens) {
      const client = new Client({ name: "cache", version: "0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      await client.callTool({
        name: "list_resources",
        arguments: { resource_type: "pods", namespace: seed.VIEWER_NAMESPACE },
      });
      await client.close();
    }
    let m = await (await fetch(`${server.base}/metrics`)).text();
    assert.equal(metric(m, 'mcp_kubernetes_ro_client_cache_evictions_total{reason="lru"}'), 1);
    assert.equal(metric(m, "mcp_kubernetes_ro_client_cache_size"), 1);
    // The sweep drops the last one once it has been unused for the TTL.
    const deadline = Date.now() + 10_000;
    do {
      await new Promise((r) => setTimeout(r, 500));
      m = await (await fetch(`${server.base}/metrics`)).text();
    } while (metric(m, "mcp_kubernetes_ro_client_cache_size") !== 0 && Date.now() < deadline);
    assert.equal(metric(m, "mcp_kubernetes_ro_client_cache_size"), 0);
    assert.equal(
      metric(m, 'mcp_kubernetes_ro_client_cache_evictions_total{reason="expired"}'),
      1,
    );
  } finally {
    await server.stop();
  }
  for (const token of tokens) assert.ok(!server.stderr().includes(token));
});
