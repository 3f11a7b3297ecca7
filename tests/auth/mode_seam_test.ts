// An auth mode plugs in as one file and one line in the modes table: the test double in
// _proxy_header_mode.ts serves real MCP calls over streamable HTTP through app.run, unchanged.

import assert from "node:assert/strict";
import { callJson, testConfig } from "../_helpers/connect.ts";
import { Client, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { freePort } from "../_helpers/spawn_http.ts";
import { localApi } from "../_helpers/local_api.ts";
import { MODES } from "../../src/auth/modes.ts";
import { tokenKey } from "../../src/auth/identity.ts";
import type { AuthModeName } from "../../src/config/schema.ts";
import { run } from "../../src/app.ts";
import { HEADER, proxyHeaderMode, seen } from "./_proxy_header_mode.ts";

Deno.test("a third auth mode is one file plus one line in the modes table", async () => {
  // Only for its kubeconfig: list_contexts reads the kubeconfig, and nothing calls this server.
  const api = await localApi(() => new Response("not called", { status: 500 }));
  const port = freePort();
  const config = {
    ...testConfig({ kubeconfig: api.kubeconfig, transport: "streamable-http", port: String(port) }),
    auth: "proxy" as AuthModeName,
  };
  const stop = new AbortController();
  const served = run(config, stop.signal, { ...MODES, proxy: proxyHeaderMode });
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  try {
    let refused: Response | undefined;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = await fetch(url, { method: "POST", body: "{}" }).catch(() => undefined);
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(refused?.status, 401, "the mode refuses a request without its header");
    assert.equal(await refused?.text(), "the proxy sent no user\n");

    const client = new Client({ name: "test", version: "0" });
    await client.connect(
      new StreamableHTTPClientTransport(url, { requestInit: { headers: { [HEADER]: "ada" } } }),
    );
    try {
      const answer = await callJson(client, "list_contexts") as { contexts: { user: string }[] };
      const key = await tokenKey("ada");
      assert.deepEqual(answer.contexts.map((c) => c.user), [`proxy:${key}`]);
      assert.deepEqual(seen.map((i) => i.key), [key], "kubeFor got the request's identity");
      assert.equal(JSON.stringify(seen[0]), JSON.stringify({ key }), "serialised, only the key");
    } finally {
      await client.close();
    }
  } finally {
    stop.abort();
    assert.equal(await served, 0);
    await api.close();
  }
});
