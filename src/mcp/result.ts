// How every tool answers: one text item of compact JSON (the reference's shapes, without its
// indentation, which costs a model tokens and tells it nothing), or an error a model can act on.

import type { CallToolResult } from "../deps.ts";

export function ok(payload: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(payload) }] };
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Thrown by tools for a failure the model should read: bad input, not found, forbidden. */
export class ToolError extends Error {
  override name = "ToolError";
}
