import { z } from "../deps.ts";
import { LIMITS, text } from "./_shared.ts";
import { defineTool, LOCAL_ONLY } from "../mcp/define_tool.ts";
import * as o from "./_output.ts";
import { ok } from "../mcp/result.ts";
import { encodeBase64 } from "../text/base64.ts";

export const encodeBase64Tool = defineTool({
  name: "encode_base64",
  title: "Encode base64",
  description: "Encode text (UTF-8) as standard base64 with padding, as Secret data is stored.",
  input: { data: text(LIMITS.plainData).describe("Text (may be empty)") },
  output: o.result({ encoded: z.string() }),
  annotations: LOCAL_ONLY,
  run({ data }) {
    return Promise.resolve(
      ok({ encoded: encodeBase64(new TextEncoder().encode(data)) }),
    );
  },
});
