// Shared by the install tests: README snippets, commands, and an MCP session over stdio with a
// command given as the README gives it. Not a test file itself.

import assert from "node:assert/strict";
import { Client, StdioClientTransport } from "../_helpers/sdk.ts";
import type { TestEnv } from "../_helpers/testenv.ts";
import { REPO_ROOT, run, type RunResult } from "../release/_helpers.ts";

export { REPO_ROOT as ROOT };

export type Output = RunResult;

/** `run` of the release tests, with NO_COLOR: these tests read deno's and npm's text. */
export function exec(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Output> {
  return run(cmd, args, { cwd: options.cwd, env: { NO_COLOR: "1", ...options.env } });
}

/** The fenced blocks of README.md in the given language whose text includes `marker`. */
export async function readmeBlocks(lang: string, marker: string): Promise<string[]> {
  const readme = await Deno.readTextFile(`${REPO_ROOT}/README.md`);
  const blocks = [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)]
    .filter((m) => m[1] === lang && m[2]!.includes(marker))
    .map((m) => m[2]!);
  assert.ok(blocks.length > 0, `README.md has no ${lang} block with ${marker}`);
  return blocks;
}

export interface StdioServer {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** The one stdio server entry of an editor config snippet (mcpServers or servers). */
export function editorServer(snippet: string): StdioServer {
  const config = JSON.parse(snippet) as Record<string, Record<string, StdioServer>>;
  const servers = Object.values(config.mcpServers ?? config.servers ?? {});
  assert.equal(servers.length, 1, snippet);
  return servers[0]!;
}

/**
 * A real SDK client session with a server started as `command args`: initialize, tools/list,
 * and list_resources of namespaces through the cluster. Returns the server's stderr.
 */
export async function mcpSession(
  server: StdioServer,
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ tools: string[]; namespaces: string[]; stderr: string }> {
  let stderr = "";
  const transport = new StdioClientTransport({
    command: server.command,
    args: server.args,
    cwd: options.cwd,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...server.env,
      ...options.env,
    },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (d: Uint8Array) => (stderr += new TextDecoder().decode(d)));
  const client = new Client({ name: "install-test", version: "0" });
  try {
    await client.connect(transport);
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    const r = await client.callTool({
      name: "list_resources",
      arguments: { resource_type: "namespaces" },
    });
    const first = (r.content as { type: string; text?: string }[])[0];
    if (r.isError || first?.type !== "text") {
      throw new Error(`list_resources failed: ${JSON.stringify(r)}\nstderr:\n${stderr}`);
    }
    // The start-up check runs beside the session and may still be going after the call: wait
    // (bounded) for its outcome line, so a test can assert it.
    for (let i = 0; i < 300 && !/Successfully connected|Failed to connect/.test(stderr); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const body = JSON.parse(first.text!) as { items?: unknown[] };
    // A row of the default state table (name first), a name, or a named object.
    const namespaces = (body.items ?? []).map((i) =>
      Array.isArray(i)
        ? String(i[0])
        : typeof i === "string"
        ? i
        : (i as { name?: string; metadata?: { name?: string } }).name ??
          (i as { metadata?: { name?: string } }).metadata?.name ?? ""
    );
    return { tools, namespaces, stderr };
  } finally {
    await client.close();
  }
}

/** Expectations every install path shares: all tools, and the seeded namespaces. */
export function assertSession(
  session: { tools: string[]; namespaces: string[]; stderr: string },
  env: TestEnv,
): void {
  assert.ok(session.tools.includes("list_resources"), session.tools.join(","));
  assert.ok(session.tools.length >= 10, session.tools.join(","));
  assert.ok(session.namespaces.includes("default"), JSON.stringify(session));
  assert.ok(session.namespaces.length >= 2, JSON.stringify(session));
  void env;
}
