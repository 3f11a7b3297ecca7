// MCP over stdin/stdout through the SDK. This module never writes to stdout itself.

import process from "node:process";
import { type McpServer, StdioServerTransport } from "../deps.ts";

/** Serves until stdin closes or `stop` aborts; resolves once the server is closed. */
export async function serveStdio(server: McpServer, stop: AbortSignal): Promise<void> {
  // A dependency that logs with console.log must not corrupt the JSON-RPC stream.
  // deno-lint-ignore no-console
  console.log = console.error;
  const closed = new Promise<void>((resolve) => {
    const done = () => resolve();
    process.stdin.once("end", done);
    process.stdin.once("close", done);
    stop.addEventListener("abort", done, { once: true });
  });
  await server.connect(new StdioServerTransport());
  await closed;
  await server.close();
}
