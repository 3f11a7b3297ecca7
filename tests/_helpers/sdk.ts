// The SDK's client side, for tests only (kept out of src/deps.ts so the server never loads it).
// Same @ts-types fix as src/deps.ts; the version must match it.

// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/index"
export { Client } from "npm:@modelcontextprotocol/sdk@1.32.2/client/index.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/stdio"
export { StdioClientTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/client/stdio.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/sse"
export { SSEClientTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/client/sse.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/client/streamableHttp"
export { StreamableHTTPClientTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/client/streamableHttp.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/inMemory"
export { InMemoryTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/inMemory.js";
// @ts-types="npm:@modelcontextprotocol/sdk@1.32.2/types"
export { McpError } from "npm:@modelcontextprotocol/sdk@1.32.2/types.js";

// SDK v2 client, which speaks 2026-07-28 (server/discover, per-request _meta) when pinned with
// versionNegotiation: { mode: { pin: "2026-07-28" } }, and 2025-11-25 otherwise. Its export map
// is complete, so it needs no @ts-types; the version must match src/deps.ts.
export {
  Client as ClientV2,
  SSEClientTransport as SSEClientTransportV2,
  StreamableHTTPClientTransport as StreamableHTTPClientTransportV2,
} from "npm:@modelcontextprotocol/client@2.4.0";
export { StdioClientTransport as StdioClientTransportV2 } from "npm:@modelcontextprotocol/client@2.4.0/stdio";
