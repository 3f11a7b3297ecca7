// Both MCP protocol generations against the real entrypoint, with no cluster: the SDK v2 client
// pinned to 2026-07-28 (server/discover, per-request _meta, cache hints) over stdio and
// streamable HTTP; an unsupported revision gets the spec's -32022 error; a 2025 initialize with
// an unknown version is answered with the newest 2025 one. The 1.32.2 (2025-11-25) client is
// used by every other test.

import assert from "node:assert/strict";
import {
  ClientV2,
  SSEClientTransport,
  StdioClientTransportV2,
  StreamableHTTPClientTransport,
  StreamableHTTPClientTransportV2,
} from "../_helpers/sdk.ts";
import { Client } from "../_helpers/sdk.ts";
import { FROM_SOURCE } from "../_helpers/connect.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { LIST_CACHE_HINT } from "../../src/mcp/server.ts";
import { SECRET_TOOLS, TOOLS } from "../../src/tools/registry.ts";

const ARGS = ["--always-start", "--kubeconfig", "/nonexistent/kubeconfig"];
const MODERN = "2026-07-28";
const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2099-01-01",
  "io.modelcontextprotocol/clientInfo": { name: "t", version: "0" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

function modernClient() {
  return new ClientV2({ name: "t", version: "0" }, {
    versionNegotiation: { mode: { pin: MODERN } },
  });
}

async function modernChecks(client: ClientV2) {
  assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
  assert.equal(client.getProtocolEra(), "modern");
  const discover = client.getDiscoverResult();
  assert.ok(discover?.supportedVersions.includes(MODERN), JSON.stringify(discover));
  const listed = await client.listTools();
  const known = [...TOOLS, ...Object.values(SECRET_TOOLS)].map((t) => t?.name);
  assert.ok(listed.tools.length >= 10, "the tools are listed");
  for (const tool of listed.tools) {
    assert.ok(known.includes(tool.name), tool.name);
    assert.equal(tool.outputSchema?.type, "object", `${tool.name} has an outputSchema`);
  }
  assert.equal(listed.ttlMs, LIST_CACHE_HINT.ttlMs);
  assert.equal(listed.cacheScope, LIST_CACHE_HINT.cacheScope);
  const r = await client.callTool({ name: "encode_base64", arguments: { data: "hi" } });
  assert.deepEqual(r.structuredContent, { encoded: "aGk=" });
  assert.deepEqual(r.content, [{ type: "text", text: '{"encoded":"aGk="}' }]);
  const bad = await client.callTool({ name: "decode_base64", arguments: { data: "!!" } });
  assert.equal(bad.isError, true, "a tool error stays a tool error");
  assert.equal(bad.structuredContent, undefined);
}

Deno.test("2026-07-28 over stdio: discover, list with cache hints, call", async () => {
  const client = modernClient();
  await client.connect(
    new StdioClientTransportV2({
      command: Deno.execPath(),
      args: [...FROM_SOURCE, ...ARGS],
      env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
      stderr: "pipe",
    }),
  );
  try {
    await modernChecks(client);
  } finally {
    await client.close();
  }
});

Deno.test("2026-07-28 and 2025-11-25 over streamable HTTP", async (t) => {
  const server = await startHttp("streamable-http", ARGS);
  const url = `${server.base}/mcp`;
  try {
    await t.step("2026-07-28 client", async () => {
      const client = modernClient();
      await client.connect(new StreamableHTTPClientTransportV2(new URL(url)));
      try {
        await modernChecks(client);
      } finally {
        await client.close();
      }
    });
    await t.step("2025-11-25 client (SDK 1.32.2)", async () => {
      const client = new Client({ name: "t", version: "0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      try {
        const r = await client.callTool({ name: "encode_base64", arguments: { data: "hi" } });
        assert.deepEqual(r.structuredContent, { encoded: "aGk=" });
      } finally {
        await client.close();
      }
    });
    await t.step("Mcp-Method and Mcp-Name headers must match the body", async () => {
      const post = (headers: Record<string, string>) =>
        fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            "mcp-protocol-version": MODERN,
            ...headers,
          },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "tools/call",
            params: {
              name: "encode_base64",
              arguments: { data: "x" },
              _meta: { ...ENVELOPE, "io.modelcontextprotocol/protocolVersion": MODERN },
            },
          }),
        });
      const good = await post({ "mcp-method": "tools/call", "mcp-name": "encode_base64" });
      assert.equal(good.status, 200);
      assert.deepEqual((await good.json()).result.structuredContent, { encoded: "eA==" });
      for (
        const headers of [
          { "mcp-method": "tools/call", "mcp-name": "decode_base64" },
          { "mcp-method": "tools/list" },
          {},
        ] as Record<string, string>[]
      ) {
        const bad = await post(headers);
        const body = await bad.json();
        assert.equal(body.error?.code, -32020, JSON.stringify(body));
        assert.equal(bad.status, 400, JSON.stringify(headers));
      }
    });
    await t.step("unsupported revision: -32022 naming the supported ones", async () => {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2099-01-01",
          "mcp-method": "tools/list",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/list",
          params: { _meta: ENVELOPE },
        }),
      });
      const body = await res.json();
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(body.error.code, -32022, JSON.stringify(body));
      assert.ok(JSON.stringify(body.error.data).includes(MODERN), JSON.stringify(body));
    });
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

Deno.test("stdio: unsupported revision gets -32022; unknown 2025 version is negotiated", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...FROM_SOURCE, ...ARGS],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines = [
    { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: ENVELOPE } },
    {
      jsonrpc: "2.0",
      id: 2,
      method: "initialize",
      params: {
        protocolVersion: "1999-01-01",
        capabilities: {},
        clientInfo: { name: "t", version: "0" },
      },
    },
  ];
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join("\n") + "\n"),
  );
  await writer.close();
  const out = new TextDecoder().decode((await child.output()).stdout).trim().split("\n")
    .map((l) => JSON.parse(l));
  const byId = new Map(out.map((m) => [m.id, m]));
  assert.equal(byId.get(1)?.error?.code, -32022, JSON.stringify(out));
  assert.ok(JSON.stringify(byId.get(1).error.data).includes(MODERN), JSON.stringify(out));
  assert.equal(byId.get(2)?.result?.protocolVersion, "2025-11-25", JSON.stringify(out));
});

Deno.test("legacy SSE speaks 2025-11-25 only", async () => {
  const server = await startHttp("sse", ARGS);
  try {
    const client = new Client({ name: "t", version: "0" });
    const transport = new SSEClientTransport(new URL(`${server.base}/sse`));
    await client.connect(transport);
    const r = await client.callTool({ name: "encode_base64", arguments: { data: "hi" } });
    assert.deepEqual(r.structuredContent, { encoded: "aGk=" });
    await client.close();
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
