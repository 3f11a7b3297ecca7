// Wraps an MCP client so that every successful tool call is checked against the tool's
// outputSchema from tools/list, with the SDK's own JSON Schema validator (ajv, draft 2020-12,
// MCP's default dialect): structuredContent must be present, valid, and equal to the text.

import assert from "node:assert/strict";
import { AjvJsonSchemaValidator } from "npm:@modelcontextprotocol/client@2.4.0/validators/ajv";
import type { CallToolResult } from "../../src/deps.ts";
import type { ToolCaller } from "./connect.ts";

interface Lister {
  listTools(): Promise<{ tools: { name: string; outputSchema?: Record<string, unknown> }[] }>;
}

export interface CheckedCaller extends ToolCaller {
  /** The tools the server listed. */
  listed: string[];
  /** Tools whose structuredContent validated at least once. */
  validated: Set<string>;
}

export async function checkOutputs(
  client: Omit<ToolCaller, "listTools"> & Lister,
): Promise<CheckedCaller> {
  const ajv = new AjvJsonSchemaValidator();
  const { tools } = await client.listTools();
  const validators = new Map(tools.map((t) => {
    assert.ok(t.outputSchema, `${t.name} declares an outputSchema`);
    return [t.name, ajv.getValidator(t.outputSchema as never)];
  }));
  const validated = new Set<string>();
  return {
    listed: tools.map((t) => t.name),
    validated,
    listTools: () => client.listTools(),
    async callTool(params) {
      const r = await client.callTool(params) as CallToolResult;
      if (!r.isError) {
        const check = validators.get(params.name)!(r.structuredContent);
        assert.ok(check.valid, `${params.name}: ${check.errorMessage}`);
        const first = r.content[0];
        assert.equal(first?.type, "text");
        assert.deepEqual(JSON.parse((first as { text: string }).text), r.structuredContent);
        validated.add(params.name);
      } else {
        assert.equal(r.structuredContent, undefined, `${params.name}: errors carry no output`);
      }
      return r;
    },
  };
}
