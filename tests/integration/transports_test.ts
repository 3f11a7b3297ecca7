// The whole tool suite against the real test cluster, over each transport and each protocol
// generation the transport speaks, each time through a real SDK client talking to main.ts
// spawned as a process: SDK 1.32.2 (2025-11-25, initialize) over stdio, SSE and streamable
// HTTP; SDK v2 pinned to 2026-07-28 (server/discover, per-request _meta) over stdio and
// streamable HTTP. Every successful call's structuredContent is validated against the tool's
// outputSchema, and every listed tool must have been validated at least once. No result and no
// server log may hold a seeded Secret value.

import assert from "node:assert/strict";
import {
  Client,
  ClientV2,
  SSEClientTransport,
  StdioClientTransportV2,
  StreamableHTTPClientTransport,
  StreamableHTTPClientTransportV2,
} from "../_helpers/sdk.ts";
import { connectStdio, FROM_SOURCE } from "../_helpers/connect.ts";
import { checkOutputs } from "../_helpers/output_check.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { integration } from "../_helpers/testenv.ts";
import { toolSuite } from "./_suite.ts";
import { assertNoSecretIn, recordResults, secretSuite } from "./_secrets_suite.ts";

type Listing = Parameters<typeof checkOutputs>[0];

/** The tool suite and the secret suite, with every result checked and recorded. */
async function suites(
  t: Deno.TestContext,
  client: Listing,
  mode: "file" | "encrypted",
): Promise<void> {
  const recorder = recordResults(client);
  const checked = await checkOutputs(client);
  await toolSuite(t, checked);
  await secretSuite(t, checked, mode);
  assert.deepEqual([...checked.validated].sort(), [...checked.listed].sort());
  recorder.assertNoSecret();
}

function modernClient(): ClientV2 {
  return new ClientV2({ name: "suite", version: "0" }, {
    versionNegotiation: { mode: { pin: "2026-07-28" } },
  });
}

integration("tool suite over stdio, 2025-11-25", async (env, t) => {
  const { client, close, stderr } = await connectStdio(["--kubeconfig", env.kubeconfig]);
  try {
    await suites(t, client, "file");
  } finally {
    await close();
  }
  assertNoSecretIn(stderr(), "the server's stderr");
});

integration("tool suite over stdio, 2026-07-28", async (env, t) => {
  let stderr = "";
  const transport = new StdioClientTransportV2({
    command: Deno.execPath(),
    args: [...FROM_SOURCE, "--kubeconfig", env.kubeconfig],
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (d: Uint8Array) => (stderr += new TextDecoder().decode(d)));
  const client = modernClient();
  await client.connect(transport);
  try {
    assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
    await suites(t, client, "file");
  } finally {
    await client.close();
  }
  assertNoSecretIn(stderr, "the server's stderr");
});

for (const transport of ["sse", "streamable-http"] as const) {
  integration(`tool suite over ${transport}, 2025-11-25`, async (env, t) => {
    const server = await startHttp(transport, ["--kubeconfig", env.kubeconfig]);
    const client = new Client({ name: "suite", version: "0" });
    try {
      await client.connect(
        transport === "sse"
          ? new SSEClientTransport(new URL(`${server.base}/sse`))
          : new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`)),
      );
      // The HTTP transports default to encrypted secret access.
      await suites(t, client, "encrypted");
      const ready = await fetch(`${server.base}/readyz`);
      assert.deepEqual([ready.status, await ready.json()], [200, { status: "ok" }]);
    } finally {
      await client.close();
      await server.stop();
    }
    assertNoSecretIn(server.stderr(), "the server's stderr");
  });
}

integration("tool suite over streamable-http, 2026-07-28", async (env, t) => {
  const server = await startHttp("streamable-http", ["--kubeconfig", env.kubeconfig]);
  const client = modernClient();
  try {
    await client.connect(new StreamableHTTPClientTransportV2(new URL(`${server.base}/mcp`)));
    assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
    await suites(t, client, "encrypted");
  } finally {
    await client.close();
    await server.stop();
  }
  assertNoSecretIn(server.stderr(), "the server's stderr");
});
