import { z } from "../deps.ts";
import { LIMITS, text } from "./_shared.ts";
import { defineTool, LOCAL_ONLY } from "../mcp/define_tool.ts";
import * as o from "./_output.ts";
import { ok } from "../mcp/result.ts";
import { decodeBase64, isUtf8 } from "../text/base64.ts";

/** Hex is capped so one binary secret cannot flood the model's context. */
const MAX_HEX_BYTES = 4096;

export const decodeBase64Tool = defineTool({
  name: "decode_base64",
  title: "Decode base64",
  description: "Decode standard base64 (whitespace ignored, padding optional). Bytes that are " +
    "not UTF-8 show as U+FFFD in decoded; binary: true, bytes and decoded_hex then give them " +
    "exactly.",
  input: { data: text(LIMITS.base64Data).min(1).describe("Base64 text") },
  output: o.result({ decoded: z.string() }),
  annotations: LOCAL_ONLY,
  run({ data }) {
    const bytes = decodeBase64(data);
    if (isUtf8(bytes)) {
      return Promise.resolve(ok({ decoded: new TextDecoder().decode(bytes) }));
    }
    const shown = bytes.subarray(0, MAX_HEX_BYTES);
    return Promise.resolve(ok({
      // What the Go server returns (invalid bytes as U+FFFD), so clients reading `decoded` work.
      decoded: new TextDecoder().decode(bytes),
      binary: true,
      bytes: bytes.length,
      decoded_hex: Array.from(shown, (b) => b.toString(16).padStart(2, "0")).join(""),
      note: `The decoded bytes are not valid UTF-8 text: decoded marks invalid bytes with ` +
        `U+FFFD, decoded_hex has the exact bytes` +
        (bytes.length > MAX_HEX_BYTES ? ` (first ${MAX_HEX_BYTES} of ${bytes.length} bytes)` : ""),
    }));
  },
});
