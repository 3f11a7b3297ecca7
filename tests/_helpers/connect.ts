// Connects an SDK Client to a server built from our factory, in memory, or to main.ts spawned
// as a real process over stdio.

import { Client, InMemoryTransport, StdioClientTransport } from "./sdk.ts";
import type { CallToolResult } from "../../src/deps.ts";
import { resolveConfig } from "../../src/config/resolve.ts";
import type { Config } from "../../src/config/schema.ts";
import type { FlagLayer } from "../../src/config/flags.ts";
import type { Kube } from "../../src/kube/types.ts";
import { KubeAccess } from "../../src/kube/access.ts";
import { selectTools } from "../../src/tools/registry.ts";
import { createServer } from "../../src/mcp/server.ts";

export const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** How a spawned server is run: `deno` + these arguments, then the server's flags. */
export const FROM_SOURCE: readonly string[] = ["run", "-A", "--quiet", MAIN];

export function testConfig(flags: FlagLayer = {}): Config {
  return resolveConfig({ flags: { alwaysStart: true, ...flags }, env: {} }).config;
}

export interface Connected {
  client: Client;
  close(): Promise<void>;
}

export async function connectInMemory(
  config: Config,
  kube: Kube = new KubeAccess(config),
): Promise<Connected> {
  const server = createServer({
    kube,
    config,
    tools: selectTools(config.disabledTools, config.secretAccess).tools,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "0" });
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export async function connectStdio(
  args: string[],
  env: Record<string, string> = {},
  server: readonly string[] = FROM_SOURCE,
): Promise<Connected & { stderr: () => string }> {
  let stderr = "";
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: [...server, ...args],
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...env },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (d: Uint8Array) => (stderr += new TextDecoder().decode(d)));
  const client = new Client({ name: "test", version: "0" });
  await client.connect(transport);
  return { client, close: () => client.close(), stderr: () => stderr };
}

/** What the tool helpers need of a client: SDK 1.32.2 and v2 clients both fit. */
export interface ToolCaller {
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  listTools(): Promise<{ tools: { name: string }[] }>;
}

/** The text of a tool result, failing loudly if the call errored when it should not. */
export function text(result: unknown): string {
  const r = result as CallToolResult;
  const first = r.content[0];
  if (first?.type !== "text") throw new Error(`no text content in ${JSON.stringify(r)}`);
  return first.text;
}

export async function callJson(
  client: ToolCaller,
  name: string,
  args: Record<string, unknown> = {},
): Promise<unknown> {
  const r = await client.callTool({ name, arguments: args }) as CallToolResult;
  if (r.isError) throw new Error(`${name} failed: ${text(r)}`);
  return JSON.parse(text(r));
}

export async function callError(
  client: ToolCaller,
  name: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const r = await client.callTool({ name, arguments: args }) as CallToolResult;
  if (!r.isError) throw new Error(`${name} should have failed but returned ${text(r)}`);
  return text(r);
}
