// How every tool answers: the payload as structuredContent (matching the tool's outputSchema)
// and the same payload as one text item of compact JSON for clients that read only text (the
// reference's shapes, without its indentation, which costs a model tokens and tells it
// nothing); or an error a model can act on, which carries no structuredContent.

import type { CallToolResult } from "../deps.ts";

export function ok(payload: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(payload) }], structuredContent: payload };
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}
