// The one place that names npm packages and their versions. Specifiers are written in full
// (no import map) so that `deno run <url>/main.ts` resolves the same graph as `deno task`.
// The @ts-types lines are needed because the SDK's "./*" export map points Deno at types that
// do not exist; without them every SDK symbol silently type-checks as `any`.

// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/server/mcp"
export { McpServer } from "npm:@modelcontextprotocol/sdk@1.32.2/server/mcp.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/server/stdio"
export { StdioServerTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/server/stdio.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/server/webStandardStreamableHttp"
export { WebStandardStreamableHTTPServerTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/server/webStandardStreamableHttp.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/shared/transport"
export type { Transport } from "npm:@modelcontextprotocol/sdk@1.32.2/shared/transport.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/types"
export {
  type CallToolResult,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type MessageExtraInfo,
  type ToolAnnotations,
} from "npm:@modelcontextprotocol/sdk@1.32.2/types.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/server/auth/types"
export type { AuthInfo } from "npm:@modelcontextprotocol/sdk@1.32.2/server/auth/types.js";
export { z } from "npm:zod@4.1.12";

export type { KubeConfig } from "npm:@kubernetes/client-node@2.0.1";

/** Loaded on first use only: client-node costs ~230 ms at import, which start-up must not pay. */
export function loadClientNode(): Promise<typeof import("npm:@kubernetes/client-node@2.0.1")> {
  return import("npm:@kubernetes/client-node@2.0.1");
}

/** The fetch client-node uses (same version, so one copy); loaded with the Kubernetes layer. */
export function loadUndici(): Promise<typeof import("npm:undici@8.12.4")> {
  return import("npm:undici@8.12.4");
}

/**
 * Prometheus text exposition for /metrics: the de-facto standard client (siimon/prom-client,
 * two small dependencies), which runs on Deno. Loaded by the HTTP transports only: its import
 * costs ~150 ms, which stdio start-up must not pay.
 */
export function loadPromClient(): Promise<typeof import("npm:prom-client@15.1.3")> {
  return import("npm:prom-client@15.1.3");
}

/** TTL + LRU map (isaacs/lru-cache) for passthrough's per-caller clients; passthrough only. */
export function loadLruCache(): Promise<typeof import("npm:lru-cache@11.5.3")> {
  return import("npm:lru-cache@11.5.3");
}
