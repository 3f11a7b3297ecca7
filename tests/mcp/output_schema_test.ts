// Every tool must declare an outputSchema: structuredContent is how 2026-07-28 clients (and
// 2025-11-25 ones that read it) get typed results. A tool added without one fails here (and
// `deno check`, since ToolDefinition.output is required). See src/tools/_output.ts.

import assert from "node:assert/strict";
import { z } from "../../src/deps.ts";
import { SECRET_TOOLS, TOOLS } from "../../src/tools/registry.ts";
import { connectInMemory, testConfig } from "../_helpers/connect.ts";

Deno.test("every tool in the registry declares a zod object output", () => {
  const all = [...TOOLS, ...Object.values(SECRET_TOOLS).filter((t) => t !== undefined)];
  assert.ok(all.some((t) => t.name === "save_secret_to_file"));
  for (const tool of all) {
    assert.ok(tool.output instanceof z.ZodObject, `${tool.name} declares output: z.object(...)`);
  }
});

Deno.test("every listed tool has an object outputSchema, without a $schema line", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    const { tools } = await client.listTools();
    assert.ok(tools.length >= 10);
    for (const tool of tools) {
      assert.equal(tool.outputSchema?.type, "object", `${tool.name} has an object outputSchema`);
      assert.equal("$schema" in tool.outputSchema!, false, `${tool.name}: no $schema line`);
      assert.equal("$schema" in tool.inputSchema, false, `${tool.name}: no $schema line`);
    }
  } finally {
    await close();
  }
});

Deno.test("output schemas are open: a client that checks structuredContent takes extra fields", async () => {
  // list_api_resources adds paging fields and get_logs adds label_selector when asked; with
  // `additionalProperties: false` an SDK client rejected those answers.
  const { client, close } = await connectInMemory(testConfig());
  try {
    const { tools } = await client.listTools();
    for (const tool of tools) {
      assert.equal(
        JSON.stringify(tool.outputSchema).includes('"additionalProperties":false'),
        false,
        `${tool.name}: outputSchema is closed somewhere`,
      );
    }
  } finally {
    await close();
  }
});

Deno.test("tools/list carries no JSON Schema keys that say nothing", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    const { tools } = await client.listTools();
    const json = JSON.stringify(tools);
    assert.equal(json.includes(String(Number.MAX_SAFE_INTEGER)), false, "a safe-integer bound");
    assert.equal(json.includes('"properties":{}'), false, "an empty properties");
    assert.equal(
      json.includes('"additionalProperties":{}'),
      false,
      "an empty additionalProperties",
    );
  } finally {
    await close();
  }
});
