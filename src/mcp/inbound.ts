// Checks on tools/call requests that the SDK's own parsing gets wrong for hostile input, applied
// to every transport as messages arrive: arguments that are not a JSON object get the spec's
// -32602 (the SDK answers -32603 with a raw zod dump), an argument named `constructor` no
// longer fails the SDK's record check (it is no parameter of any tool, so it is dropped), and a
// tool name that no tool could have is refused with a short quoted excerpt, not echoed whole.

import type { JSONRPCMessage, Transport } from "../deps.ts";
import { quote } from "../text/quote.ts";

/** The characters and length MCP allows in a tool name. */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

type Params = Record<string, unknown>;

/** The protocol error a tools/call with these params gets, or undefined when it may proceed. */
export function invalidToolCall(params: unknown): string | undefined {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return "Invalid params: tools/call params must be an object with name and arguments";
  }
  const { name, arguments: args } = params as Params;
  if (typeof name !== "string") return "Invalid params: name must be a string (see tools/list)";
  if (!TOOL_NAME.test(name)) {
    return `Unknown tool ${quote(name, 40)}: tools/list shows the tool names`;
  }
  if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) {
    return `Invalid params: arguments of ${name} must be a JSON object, not ` +
      (args === null ? "null" : Array.isArray(args) ? "an array" : `a ${typeof args}`);
  }
  return undefined;
}

/** Wraps a connected transport's onmessage with the checks above. */
export function guardToolCalls(transport: Transport): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message, extra) => {
    const m = message as { method?: unknown; id?: unknown; params?: unknown };
    if (m.method === "tools/call" && m.id !== undefined) {
      const problem = invalidToolCall(m.params);
      if (problem) {
        transport.send({
          jsonrpc: "2.0",
          id: m.id as string | number,
          error: { code: -32602, message: problem },
        }).catch(() => {});
        return;
      }
      const args = (m.params as Params).arguments as Params | undefined;
      if (args && Object.hasOwn(args, "constructor")) Reflect.deleteProperty(args, "constructor");
    }
    deliver(message as JSONRPCMessage, extra);
  };
}
