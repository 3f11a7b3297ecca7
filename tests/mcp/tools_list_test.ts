// Golden snapshot of tools/list: any change to a name, schema, description or annotation shows
// up in review. Refresh with: UPDATE_SNAPSHOTS=1 deno test -A tests/mcp/tools_list_test.ts

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { connectInMemory, testConfig } from "../_helpers/connect.ts";
import { parseFlags } from "../../src/config/flags.ts";

const SNAPSHOT = new URL("./__snapshots__/tools_list.json", import.meta.url);

Deno.test("tools/list matches the golden snapshot", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    const { tools } = await client.listTools();
    const actual = JSON.stringify(tools, null, 2) + "\n";
    if (Deno.env.get("UPDATE_SNAPSHOTS") === "1" || !existsSync(SNAPSHOT)) {
      if (Deno.env.get("CI")) assert.fail("the tools/list snapshot is missing in CI");
      await Deno.writeTextFile(SNAPSHOT, actual);
    }
    assert.equal(actual, await Deno.readTextFile(SNAPSHOT));
  } finally {
    await close();
  }
});

Deno.test("every tool is read-only, described, and named as the reference names it", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      "decode_base64",
      "describe_resource",
      "encode_base64",
      "get_cluster_health",
      "get_logs",
      "get_node_metrics",
      "get_pod_containers",
      "get_pod_metrics",
      "get_resource",
      "list_api_resources",
      "list_contexts",
      "list_resources",
      "save_secret_to_file",
    ]);
    for (const tool of tools) {
      const local = ["encode_base64", "decode_base64", "list_contexts"].includes(tool.name);
      // save_secret_to_file creates a new local file: not read-only (clients should ask), never
      // destructive (it refuses existing files), not idempotent (a new file per call). The others
      // are read-only, where the spec gives destructiveHint and idempotentHint no meaning; the
      // title is the top-level one, not repeated here.
      const writes = tool.name === "save_secret_to_file";
      assert.deepEqual(
        tool.annotations,
        writes
          ? {
            readOnlyHint: false,
            destructiveHint: false,
            idempotentHint: false,
            openWorldHint: true,
          }
          : { readOnlyHint: true, openWorldHint: !local },
        tool.name,
      );
      assert.ok(tool.title, `${tool.name} has a title`);
      assert.ok((tool.description ?? "").length > 40, `${tool.name} has a real description`);
      const props = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      for (const [name, schema] of Object.entries(props)) {
        assert.match(name, /^[a-z_]+$/, `${tool.name}.${name} is snake_case`);
        assert.ok(schema.description, `${tool.name}.${name} has a description`);
      }
      const file = new URL(`../../src/tools/${tool.name}.ts`, import.meta.url);
      assert.ok(existsSync(file), `src/tools/${tool.name}.ts holds ${tool.name}`);
    }
  } finally {
    await close();
  }
});

Deno.test("tools/list offers exactly one secret tool per mode, none when insecure", async () => {
  const cases: [string[], string[]][] = [
    [[], ["save_secret_to_file"]],
    [["--transport=sse"], ["get_secret_encrypted"]],
    [["--transport=streamable-http"], ["get_secret_encrypted"]],
    [["--encrypted-secret-access"], ["get_secret_encrypted"]],
    [["--insecure-secret-access"], []],
    [["--encrypted-secret-access", "--disabled-tools=get_secret_encrypted"], []],
  ];
  for (const [argv, want] of cases) {
    const { client, close } = await connectInMemory(testConfig(parseFlags(argv)));
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      assert.deepEqual(names.filter((n) => /secret/.test(n)), want, argv.join(" "));
      if (want.length) assert.equal(names.at(-1), want[0], "the secret tool comes last");
      const getResource = tools.find((t) => t.name === "get_resource")!;
      const instructions = client.getInstructions() ?? "";
      assert.match(instructions, /\n\nSECRETS: /);
      for (const tool of want) {
        assert.ok(getResource.description!.includes(tool), `get_resource names ${tool}`);
        assert.ok(instructions.includes(tool), `instructions name ${tool}`);
      }
    } finally {
      await close();
    }
  }
});
