// Proves that `deno check` really type-checks tool code through the SDK types: if the SDK's
// types did not resolve under Deno (as SDK 1.x's did not without @ts-types lines) it would be
// `any` and these deliberate errors would pass.

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

Deno.test("deno check rejects a type error inside a tool handler", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/broken_tool.ts`;
  await Deno.writeTextFile(
    file,
    `import { z } from "${new URL("src/deps.ts", ROOT)}";
import { defineTool, LOCAL_ONLY } from "${new URL("src/mcp/define_tool.ts", ROOT)}";
import { ok } from "${new URL("src/mcp/result.ts", ROOT)}";
import { McpServer } from "${new URL("src/deps.ts", ROOT)}";
export const broken = defineTool({
  name: "broken", title: "Broken", description: "d", annotations: LOCAL_ONLY,
  input: { text: z.string() }, output: z.object({ n: z.number() }),
  run({ text }) { const n: number = text.toUpperCase(); return Promise.resolve(ok({ n })); },
});
new McpServer({ name: "x", version: "1" }).registerTool("y", { inputSchema: { s: z.string() } },
  ({ s }) => { const m: number = s; return { content: [{ type: "text", text: String(m) }] }; });
`,
  );
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", new URL("deno.json", ROOT).pathname, file],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.notEqual(out.code, 0, "deno check passed a type error");
    assert.match(stderr, /TS2322[\s\S]*Type 'string' is not assignable to type 'number'/);
    assert.match(stderr, /Found 2 errors/, stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
