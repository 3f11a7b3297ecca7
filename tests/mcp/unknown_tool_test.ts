// A call to a tool this server does not have is a JSON-RPC error (-32602), as the MCP
// specification and the Go server answer it; known tools still answer as before.

import assert from "node:assert/strict";
import { connectInMemory, testConfig } from "../_helpers/connect.ts";
import { McpError } from "../../src/deps.ts";

Deno.test("an unknown tool name is a protocol error naming the tools that exist", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    await assert.rejects(
      () => client.callTool({ name: "delete_everything", arguments: {} }),
      (e: unknown) => {
        assert.ok(e instanceof McpError, String(e));
        assert.equal(e.code, -32602);
        assert.match(e.message, /Unknown tool: "delete_everything"\. .*get_cluster_health/);
        return true;
      },
    );
    const known = await client.callTool({ name: "encode_base64", arguments: { data: "a" } });
    assert.equal(known.isError, undefined);
    // A disabled tool is unknown too.
    const limited = await connectInMemory(testConfig({ disabledTools: ["encode_base64"] }));
    try {
      await assert.rejects(
        () => limited.client.callTool({ name: "encode_base64", arguments: { data: "a" } }),
        (e: unknown) => e instanceof McpError && e.code === -32602,
      );
    } finally {
      await limited.close();
    }
    // Bad arguments to a real tool stay a tool error the model can correct.
    const bad = await client.callTool({ name: "encode_base64", arguments: { data: 5 } });
    assert.equal(bad.isError, true);
  } finally {
    await close();
  }
});
