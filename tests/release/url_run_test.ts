// `deno run <url>/main.ts` with no local config: the checkout is served over HTTP on loopback,
// as raw.githubusercontent.com would serve a tag, and run from there with only the release
// permission flags, --no-config and an empty DENO_DIR (so npm packages come from the registry
// and nothing from this checkout's node_modules or cache is used). Then it is spoken to as an
// MCP client would over stdio.

import assert from "node:assert/strict";
import { RELEASE_PERMISSIONS } from "../../scripts/release/permissions.ts";
import { REPO_ROOT, run, withTempDir } from "./_helpers.ts";

const TYPES: Record<string, string> = {
  ".ts": "application/typescript",
  ".json": "application/json",
};

/** A static file server for the checkout, typed like a raw file host serves TypeScript. */
function serveCheckout(): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    if (path.split("/").includes("..")) return new Response("bad path", { status: 400 });
    const ext = path.slice(path.lastIndexOf("."));
    try {
      const body = await Deno.readFile(`${REPO_ROOT}${path}`);
      return new Response(body, {
        headers: { "content-type": TYPES[ext] ?? "text/plain; charset=utf-8" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

async function withServedCheckout(fn: (url: string, denoDir: string) => Promise<void>) {
  const server = serveCheckout();
  try {
    await withTempDir(async (denoDir) => {
      await fn(`http://127.0.0.1:${server.addr.port}/main.ts`, denoDir);
    });
  } finally {
    await server.shutdown();
  }
}

function denoRunArgs(url: string, serverArgs: string[]): string[] {
  return ["run", "--no-config", "--no-prompt", ...RELEASE_PERMISSIONS, url, ...serverArgs];
}

/** Reads newline-delimited JSON-RPC messages from the server's stdout. */
class LineReader {
  #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }
  async next(): Promise<string> {
    while (!this.#buffer.includes("\n")) {
      const { value, done } = await this.#reader.read();
      if (done) throw new Error(`stdout ended; partial line: ${this.#buffer}`);
      this.#buffer += value;
    }
    const at = this.#buffer.indexOf("\n");
    const line = this.#buffer.slice(0, at);
    this.#buffer = this.#buffer.slice(at + 1);
    return line;
  }
  /** The next message that answers request `id`, skipping notifications. */
  async reply(id: number): Promise<Record<string, unknown>> {
    for (;;) {
      const msg = JSON.parse(await this.next());
      if (msg.id === id) return msg;
    }
  }
  async rest(): Promise<string> {
    let text = this.#buffer;
    for (;;) {
      const { value, done } = await this.#reader.read();
      if (done) return text;
      text += value;
    }
  }
}

function deadline<T>(p: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer in ${seconds}s`)),
      seconds * 1000,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

Deno.test("deno run <url>/main.ts --version works with no local config", async () => {
  await withServedCheckout(async (url, denoDir) => {
    const { default: meta } = await import("../../deno.json", { with: { type: "json" } });
    const r = await run(Deno.execPath(), denoRunArgs(url, ["--version"]), {
      cwd: denoDir,
      env: { DENO_DIR: denoDir, NO_COLOR: "1" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `mcp-kubernetes-ro ${meta.version}`);
  });
});

Deno.test("deno run <url>/main.ts serves MCP over stdio and exits cleanly on EOF", async () => {
  await withServedCheckout(async (url, denoDir) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: denoRunArgs(url, ["--always-start"]),
      cwd: denoDir,
      // No kubeconfig anywhere: --always-start must not need a cluster.
      env: { DENO_DIR: denoDir, NO_COLOR: "1", HOME: denoDir, KUBECONFIG: "" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const out = new LineReader(child.stdout);
    const stdin = child.stdin.getWriter();
    const send = (msg: unknown) =>
      stdin.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
    try {
      await send({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "url-run-test", version: "1" },
        },
      });
      const init = await deadline(out.reply(1), 180, "initialize");
      const result = init.result as { serverInfo: { name: string; version: string } };
      assert.equal(result.serverInfo.name, "mcp-kubernetes-ro");

      await send({ jsonrpc: "2.0", method: "notifications/initialized" });
      await send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
      const list = await deadline(out.reply(2), 30, "tools/list");
      const tools = (list.result as { tools: { name: string }[] }).tools;
      assert.ok(tools.length > 0, "tools/list is not empty");
      assert.ok(tools.some((t) => t.name === "list_resources"), JSON.stringify(tools));

      await stdin.close();
      const status = await deadline(child.status, 30, "exit after stdin closed");
      assert.equal(status.code, 0, await stderr);
      assert.equal((await out.rest()).trim(), "", "nothing but JSON-RPC replies on stdout");
    } catch (e) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      throw new Error(`${(e as Error).message}\nserver stderr:\n${await stderr}`);
    }
  });
});
