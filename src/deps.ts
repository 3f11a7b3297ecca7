// The one place that names npm packages and their versions. Specifiers are written in full
// (no import map) so that `deno run <url>/main.ts` resolves the same graph as `deno task`.
// MCP SDK v2 (split packages): it serves both protocol generations from one server factory,
// 2025-11-25 (initialize handshake) and 2026-07-28 (stateless: server/discover, per-request
// _meta), on stdio (serveStdio) and streamable HTTP (createMcpHandler). Its export map is
// complete, so Deno type-checks it without the @ts-types lines SDK 1.x needed (proven by
// tests/typecheck_test.ts). zod is the version the SDK depends on, so the graph holds one copy.

export {
  type AuthInfo,
  type CallToolResult,
  createMcpHandler,
  isLegacyRequest,
  type JSONRPCMessage,
  McpServer,
  type MessageExtraInfo,
  parseJSONRPCMessage,
  type ToolAnnotations,
  type Transport,
  WebStandardStreamableHTTPServerTransport,
} from "npm:@modelcontextprotocol/server@2.4.0";
export { serveStdio, StdioServerTransport } from "npm:@modelcontextprotocol/server@2.4.0/stdio";
export { z } from "npm:zod@4.6.7";

// client-node, lean: its kubeconfig parsing and credential plugins only. The package root (and
// dist/config.js, its KubeConfig) imports the 61 MB generated API, which costs ~600 ms and
// ~100 MiB on Deno; these modules do not. The package has no "exports" map, so deep paths are
// the package's own public files. OIDC's module imports config.js, so it loads only for a user
// whose auth-provider is oidc (see loadOidcAuth).
export type {
  Cluster,
  Context,
  User,
} from "npm:@kubernetes/client-node@2.0.1/dist/config_types.js";

/** client-node's kubeconfig field parsing, and the YAML parser it uses (same version). */
export async function loadKubeconfigParser(): Promise<{
  configTypes: typeof import("npm:@kubernetes/client-node@2.0.1/dist/config_types.js");
  yaml: typeof import("npm:js-yaml@5.5.0");
}> {
  const [configTypes, yaml] = await Promise.all([
    import("npm:@kubernetes/client-node@2.0.1/dist/config_types.js"),
    import("npm:js-yaml@5.5.0"),
  ]);
  return { configTypes, yaml };
}

/**
 * client-node's credential plugins, each loaded only for a kubeconfig user that needs it (azure
 * and gcp bring jsonpath-plus): a user with a token or a client certificate loads none.
 */
export const loadAuthPlugin = {
  exec: async (): Promise<
    typeof import("npm:@kubernetes/client-node@2.0.1/dist/exec_auth.js").ExecAuth
  > => (await import("npm:@kubernetes/client-node@2.0.1/dist/exec_auth.js")).ExecAuth,
  file: async (): Promise<
    typeof import("npm:@kubernetes/client-node@2.0.1/dist/file_auth.js").FileAuth
  > => (await import("npm:@kubernetes/client-node@2.0.1/dist/file_auth.js")).FileAuth,
  azure: async (): Promise<
    typeof import("npm:@kubernetes/client-node@2.0.1/dist/azure_auth.js").AzureAuth
  > => (await import("npm:@kubernetes/client-node@2.0.1/dist/azure_auth.js")).AzureAuth,
  gcp: async (): Promise<
    typeof import("npm:@kubernetes/client-node@2.0.1/dist/gcp_auth.js").GoogleCloudPlatformAuth
  > => (await import("npm:@kubernetes/client-node@2.0.1/dist/gcp_auth.js")).GoogleCloudPlatformAuth,
};

/** OIDC pulls in the whole of client-node (~600 ms): only for users whose provider is oidc. */
export async function loadOidcAuth(): Promise<
  typeof import("npm:@kubernetes/client-node@2.0.1/dist/oidc_auth.js").OpenIDConnectAuth
> {
  return (await import("npm:@kubernetes/client-node@2.0.1/dist/oidc_auth.js")).OpenIDConnectAuth;
}

/**
 * A CommonJS package's exports from a dynamic import. Deno's npm loader gives them as named
 * exports (and as `default`); the bundle the npm package and image ship (esbuild) gives only
 * `default`, module.exports. Reading `default` when it is there works for both.
 */
function commonJs<T extends object>(mod: T): T {
  const exports = (mod as { default?: unknown }).default;
  return exports !== null && typeof exports === "object" ? exports as T : mod;
}

/**
 * undici, only for what Deno's fetch cannot do: clusters with insecure-skip-tls-verify,
 * tls-server-name or a SOCKS proxy. Everything else goes through Deno's fetch (no load cost).
 */
export async function loadUndici(): Promise<typeof import("npm:undici@8.12.4")> {
  return commonJs(await import("npm:undici@8.12.4"));
}

/**
 * Prometheus text exposition for /metrics: the de-facto standard client (siimon/prom-client,
 * two small dependencies), which runs on Deno. Loaded by the HTTP transports only: its import
 * costs ~150 ms, which stdio start-up must not pay.
 */
export async function loadPromClient(): Promise<typeof import("npm:prom-client@15.1.3")> {
  return commonJs(await import("npm:prom-client@15.1.3"));
}

/** TTL + LRU map (isaacs/lru-cache) for passthrough's per-caller clients; passthrough only. */
export function loadLruCache(): Promise<typeof import("npm:lru-cache@11.5.3")> {
  return import("npm:lru-cache@11.5.3");
}

/** Linear-time regexes for get_logs use_regex; loaded on the first regex call only. */
export function loadRe2js(): Promise<typeof import("npm:re2js@2.10.0")> {
  return import("npm:re2js@2.10.0");
}

/**
 * RFC 9535 JSONPath (P0lip/jsonpath-rfc9535: no eval, no dependencies) for the `fields`
 * projection of get_resource and list_resources; loaded on the first call that passes fields.
 */
export function loadJsonPath(): Promise<typeof import("npm:jsonpath-rfc9535@1.3.0")> {
  return import("npm:jsonpath-rfc9535@1.3.0");
}
