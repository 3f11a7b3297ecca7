// The one place that names npm packages and their versions. Specifiers are written in full
// (no import map) so that `deno run <url>/main.ts` resolves the same graph as `deno task`.
// MCP SDK v2 (split packages): it serves both protocol generations from one server factory,
// 2025-11-25 (initialize handshake) and 2026-07-28 (stateless: server/discover, per-request
// _meta), on stdio (serveStdio) and streamable HTTP (createMcpHandler). Its export map is
// complete, so Deno type-checks it without the @ts-types lines SDK 1.x needed (proven by
// tests/typecheck_test.ts). zod is the version the SDK depends on, so the graph holds one copy.

export {
  type CallToolResult,
  createMcpHandler,
  type JSONRPCMessage,
  McpServer,
  type MessageExtraInfo,
  parseJSONRPCMessage,
  type ToolAnnotations,
  type Transport,
} from "npm:@modelcontextprotocol/server@2.4.0";
export { serveStdio, StdioServerTransport } from "npm:@modelcontextprotocol/server@2.4.0/stdio";
export { z } from "npm:zod@4.6.7";

export type { KubeConfig } from "npm:@kubernetes/client-node@2.0.1";

/** Loaded on first use only: client-node costs ~230 ms at import, which start-up must not pay. */
export function loadClientNode(): Promise<typeof import("npm:@kubernetes/client-node@2.0.1")> {
  return import("npm:@kubernetes/client-node@2.0.1");
}

/** The fetch client-node uses (same version, so one copy); loaded with the Kubernetes layer. */
export function loadUndici(): Promise<typeof import("npm:undici@8.12.4")> {
  return import("npm:undici@8.12.4");
}
