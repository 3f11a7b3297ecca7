// The MCP prompts against the real entrypoint, with no cluster: prompts/list and prompts/get over
// stdio, streamable HTTP and SSE, with the 2025-11-25 client (SDK 1.32.2) and the 2026-07-28
// one (SDK v2, pinned); --disabled-tools hides a prompt whose tools are off; bad arguments get
// a clear error.

import assert from "node:assert/strict";
import {
  Client,
  ClientV2,
  SSEClientTransport,
  StdioClientTransport,
  StdioClientTransportV2,
  StreamableHTTPClientTransport,
  StreamableHTTPClientTransportV2,
} from "../_helpers/sdk.ts";
import { FROM_SOURCE } from "../_helpers/connect.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { PROMPTS } from "../../src/prompts/registry.ts";
import { LIST_CACHE_HINT } from "../../src/mcp/server.ts";

const ARGS = ["--always-start", "--kubeconfig", "/nonexistent/kubeconfig"];
const MODERN = "2026-07-28";
const ENV = { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" };

/** What both SDK generations' clients offer for prompts. */
interface PromptClient {
  listPrompts(): Promise<{ prompts: { name: string; arguments?: { name: string }[] }[] }>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<{
    messages: { role: string; content: { type: string; text?: string } }[];
  }>;
  close(): Promise<void>;
}

async function checkPrompts(client: PromptClient): Promise<void> {
  const { prompts } = await client.listPrompts();
  assert.deepEqual(prompts.map((p) => p.name), PROMPTS.map((p) => p.name));
  const diagnose = prompts.find((p) => p.name === "diagnose_workload")!;
  assert.deepEqual(diagnose.arguments?.map((a) => a.name), [
    "namespace",
    "name",
    "kind",
    "context",
  ]);

  const got = await client.getPrompt({
    name: "diagnose_workload",
    arguments: { namespace: "shop", name: "web", context: "prod" },
  });
  assert.equal(got.messages.length, 1);
  assert.equal(got.messages[0]!.role, "user");
  const text = got.messages[0]!.content.text ?? "";
  for (const tool of ["describe_resource", "list_resources", "get_logs"]) {
    assert.match(text, new RegExp(`\\b${tool}\\b`), `names ${tool}`);
  }
  assert.match(text, /name="web" namespace="shop" context="prod"/);
  assert.match(text, /previous=true/);

  const overview = await client.getPrompt({
    name: "cluster_overview",
    arguments: { context: "*" },
  });
  const o = overview.messages[0]!.content.text ?? "";
  assert.match(o, /get_cluster_health context="\*"/);
  assert.match(o, /get_node_metrics/);
  const find = await client.getPrompt({ name: "find_workload", arguments: { name: "web" } });
  const f = find.messages[0]!.content.text ?? "";
  assert.match(f, /list_resources resource_type="deployment" namespace="\*" /);
  assert.match(f, /field_selector="metadata.name=web" context="\*"/);
  assert.match(f, /get_resource/);
  const current = await client.getPrompt({ name: "cluster_overview", arguments: {} });
  assert.doesNotMatch(current.messages[0]!.content.text ?? "", /context=/);

  await assert.rejects(
    client.getPrompt({
      name: "diagnose_workload",
      arguments: { namespace: "Not A Namespace", name: "web" },
    }),
    /DNS-1123 label/,
  );
  await assert.rejects(client.getPrompt({ name: "no_such_prompt", arguments: {} }));
}

function modern(): ClientV2 {
  return new ClientV2({ name: "t", version: "0" }, {
    versionNegotiation: { mode: { pin: MODERN } },
  });
}

Deno.test("prompts over stdio: 2025-11-25 and 2026-07-28 clients", async (t) => {
  await t.step("2025-11-25 (SDK 1.32.2)", async () => {
    const client = new Client({ name: "t", version: "0" });
    await client.connect(
      new StdioClientTransport({
        command: Deno.execPath(),
        args: [...FROM_SOURCE, ...ARGS],
        env: ENV,
        stderr: "pipe",
      }),
    );
    try {
      assert.ok(client.getServerCapabilities()?.prompts, "prompts capability announced");
      await checkPrompts(client);
    } finally {
      await client.close();
    }
  });
  await t.step("2026-07-28 (SDK v2)", async () => {
    const client = modern();
    await client.connect(
      new StdioClientTransportV2({
        command: Deno.execPath(),
        args: [...FROM_SOURCE, ...ARGS],
        env: ENV,
        stderr: "pipe",
      }),
    );
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
      await checkPrompts(client);
      const listed = await client.listPrompts();
      assert.equal(
        listed.ttlMs,
        LIST_CACHE_HINT.ttlMs,
        "prompts/list is cacheable like tools/list",
      );
    } finally {
      await client.close();
    }
  });
});

Deno.test("prompts over streamable HTTP (both generations) and SSE", async (t) => {
  for (const transport of ["streamable-http", "sse"] as const) {
    const server = await startHttp(transport, ARGS);
    try {
      if (transport === "streamable-http") {
        const url = new URL(`${server.base}/mcp`);
        await t.step("streamable HTTP, 2026-07-28", async () => {
          const client = modern();
          await client.connect(new StreamableHTTPClientTransportV2(url));
          try {
            await checkPrompts(client);
          } finally {
            await client.close();
          }
        });
        await t.step("streamable HTTP, 2025-11-25", async () => {
          const client = new Client({ name: "t", version: "0" });
          await client.connect(new StreamableHTTPClientTransport(url));
          try {
            await checkPrompts(client);
          } finally {
            await client.close();
          }
        });
      } else {
        await t.step("SSE, 2025-11-25", async () => {
          const client = new Client({ name: "t", version: "0" });
          await client.connect(new SSEClientTransport(new URL(`${server.base}/sse`)));
          try {
            await checkPrompts(client);
          } finally {
            await client.close();
          }
        });
      }
    } finally {
      await server.stop();
    }
  }
});

Deno.test("--disabled-tools: a prompt whose tools are off is not offered", async () => {
  const run = async (disabled: string) => {
    const client = new Client({ name: "t", version: "0" });
    await client.connect(
      new StdioClientTransport({
        command: Deno.execPath(),
        args: [...FROM_SOURCE, ...ARGS, "--disabled-tools", disabled],
        env: ENV,
        stderr: "pipe",
      }),
    );
    return client;
  };
  const noLogs = await run("get_logs");
  try {
    const { prompts } = await noLogs.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name), ["cluster_overview", "find_workload"]);
  } finally {
    await noLogs.close();
  }
  const noMetrics = await run("get_node_metrics");
  try {
    const got = await noMetrics.getPrompt({ name: "cluster_overview", arguments: {} });
    assert.doesNotMatch((got.messages[0]!.content as { text: string }).text, /get_node_metrics/);
  } finally {
    await noMetrics.close();
  }
  const noLists = await run("list_resources");
  try {
    assert.equal(noLists.getServerCapabilities()?.prompts, undefined, "no prompts at all");
    await assert.rejects(noLists.listPrompts(), /Method not found/);
  } finally {
    await noLists.close();
  }
});
