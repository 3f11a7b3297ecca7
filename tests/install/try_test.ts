// `deno task try`, as the README gives it: it brings up (or reuses) the test cluster and serves
// MCP over streamable HTTP; a real SDK client lists the cluster's namespaces through it.

import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { freePort } from "../_helpers/spawn_http.ts";
import { integration } from "../_helpers/testenv.ts";
import { ROOT } from "./_helpers.ts";

integration(
  "deno task try: the test cluster and the server on it, over streamable HTTP",
  async () => {
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "try", "--port", String(port)],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let stderr = "";
    const ready = Promise.withResolvers<void>();
    const reading = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        stderr += chunk;
        if (/Successfully connected to Kubernetes cluster/.test(stderr)) ready.resolve();
      }
      ready.reject(new Error(`deno task try ended:\n${stderr}`));
    })();
    const timer = setTimeout(
      () => ready.reject(new Error(`not ready in 120 s:\n${stderr}`)),
      120_000,
    );
    try {
      await ready.promise;
      assert.match(stderr, new RegExp(`MCP endpoint: http://localhost:${port}/mcp`));
      const client = new Client({ name: "try-test", version: "0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)),
      );
      try {
        const r = await client.callTool({
          name: "list_resources",
          arguments: { resource_type: "namespaces" },
        });
        assert.ok(!r.isError, JSON.stringify(r));
        const text = (r.content as { text: string }[])[0]!.text;
        assert.match(text, /"default"/);
      } finally {
        await client.close();
      }
    } finally {
      clearTimeout(timer);
      child.kill("SIGTERM");
      await child.status;
      await reading.catch(() => {});
    }
    // The task passed the signal on: nothing is left listening.
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  },
);
