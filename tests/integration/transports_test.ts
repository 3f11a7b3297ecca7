// The whole tool suite against the real test cluster, over each transport, each time through the
// SDK's own client talking to main.ts spawned as a process.

import assert from "node:assert/strict";
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { connectStdio } from "../_helpers/connect.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { integration } from "../_helpers/testenv.ts";
import { toolSuite } from "./_suite.ts";
import { assertNoSecretIn, recordResults, secretSuite } from "./_secrets_suite.ts";

integration("tool suite over stdio", async (env, t) => {
  const { client, close, stderr } = await connectStdio(["--kubeconfig", env.kubeconfig]);
  const recorder = recordResults(client);
  try {
    await toolSuite(t, client);
    await secretSuite(t, client, "file");
  } finally {
    await close();
  }
  recorder.assertNoSecret();
  assertNoSecretIn(stderr(), "the server's stderr");
});

for (const transport of ["sse", "streamable-http"] as const) {
  integration(`tool suite over ${transport}`, async (env, t) => {
    const server = await startHttp(transport, ["--kubeconfig", env.kubeconfig]);
    const client = new Client({ name: "suite", version: "0" });
    const recorder = recordResults(client);
    try {
      await client.connect(
        transport === "sse"
          ? new SSEClientTransport(new URL(`${server.base}/sse`))
          : new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`)),
      );
      await toolSuite(t, client);
      // The HTTP transports default to encrypted secret access.
      await secretSuite(t, client, "encrypted");
      const ready = await fetch(`${server.base}/readyz`);
      assert.deepEqual([ready.status, await ready.json()], [200, { status: "ok" }]);
    } finally {
      await client.close();
      await server.stop();
    }
    recorder.assertNoSecret();
    assertNoSecretIn(server.stderr(), "the server's stderr");
  });
}
