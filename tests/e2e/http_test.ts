// Both HTTP transports, driven by the SDK's own clients against the real entrypoint.

import assert from "node:assert/strict";
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { type HttpServerProcess, startHttp } from "../_helpers/spawn_http.ts";
import { text } from "../_helpers/connect.ts";
import { TOOLS } from "../../src/tools/registry.ts";

const NO_CLUSTER = ["--always-start", "--kubeconfig", "/nonexistent/kubeconfig"];

/** The status code of one HTTP/1.1 request written by hand. */
async function rawStatus(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(base).port) });
  try {
    const head = Object.entries({
      ...headers,
      "content-length": String(body.length),
      connection: "close",
    })
      .map(([k, v]) => `${k}: ${v}\r\n`).join("");
    await conn.write(new TextEncoder().encode(`${method} ${path} HTTP/1.1\r\n${head}\r\n${body}`));
    const buf = new Uint8Array(64);
    const n = await conn.read(buf);
    return Number(
      /^HTTP\/1\.1 (\d{3})/.exec(new TextDecoder().decode(buf.subarray(0, n ?? 0)))?.[1],
    );
  } finally {
    conn.close();
  }
}

function clientFor(server: HttpServerProcess, transport: "sse" | "streamable-http") {
  return transport === "sse"
    ? new SSEClientTransport(new URL(`${server.base}/sse`))
    : new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`));
}

async function withServer(
  transport: "sse" | "streamable-http",
  args: string[],
  fn: (server: HttpServerProcess) => Promise<void>,
): Promise<void> {
  const server = await startHttp(transport, args);
  try {
    await fn(server);
  } finally {
    assert.equal(await server.stop(), 0, server.stderr());
  }
}

for (const transport of ["sse", "streamable-http"] as const) {
  Deno.test(`${transport}: the SDK client lists and calls tools`, async () => {
    await withServer(transport, NO_CLUSTER, async (server) => {
      const client = new Client({ name: "t", version: "0" });
      await client.connect(clientFor(server, transport));
      try {
        assert.equal((await client.listTools()).tools.length, TOOLS.length + 1);
        const r = await client.callTool({ name: "encode_base64", arguments: { data: "hi" } });
        assert.deepEqual(JSON.parse(text(r)), { encoded: "aGk=" });
        const err = await client.callTool({ name: "list_contexts", arguments: {} });
        assert.equal(err.isError, true);
        assert.match(text(err), /kubeconfig \/nonexistent\/kubeconfig .* does not exist/);
      } finally {
        await client.close();
      }
      assert.match(server.stderr(), /listening|endpoint: http:\/\/127\.0\.0\.1:\d+/);
    });
  });

  Deno.test(`${transport}: DNS rebinding attempts get 403`, async () => {
    await withServer(transport, [...NO_CLUSTER, "--allowed-hosts", "mcp.internal"], async (s) => {
      const path = transport === "sse" ? "/sse" : "/mcp";
      // fetch() will not send a forged Host header, so speak HTTP/1.1 over a raw socket.
      const probe = (headers: Record<string, string>) =>
        rawStatus(s.base, transport === "sse" ? "GET" : "POST", path, {
          host: "127.0.0.1",
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        }, transport === "sse" ? "" : JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
      assert.equal(await probe({ host: "evil.example.com" }), 403);
      assert.equal(await probe({ host: "evil.example.com:8080" }), 403);
      assert.equal(await probe({ origin: "http://evil.example.com" }), 403);
      assert.equal(await probe({ origin: "null" }), 403);
      // The reported bypasses: a loopback prefix, and a tab the URL parser would drop.
      for (
        const host of [
          "127.0.0.1.evil.com",
          "127.0.0.1.evil.com:8080",
          "127.0.0.1\tevil.com",
          "127.evil.com",
          "[::1].evil.com",
          "localhost.evil.com",
          "mcp.internal.evil.com",
        ]
      ) {
        assert.equal(await probe({ host, origin: `http://${host}` }), 403, host);
        assert.equal(await probe({ host }), 403, host);
      }
      assert.equal(await probe({ origin: "http://127.0.0.1.evil.com" }), 403);
      assert.equal(await probe({ origin: "http://127.0.0.1\tevil.com" }), 403);
      assert.equal(await probe({ host: "[::1]:8080", origin: "http://[::1]:6274" }), 200);
      assert.equal(await probe({ host: "[0:0:0:0:0:0:0:1]" }), 200);
      assert.equal(await probe({ host: "127.9.8.7:1" }), 200);
      assert.equal(await probe({ host: "mcp.internal:9999" }), 200);
      assert.equal(await probe({ host: "localhost", origin: "http://localhost:3000" }), 200);
      assert.equal(await probe({}), 200);
      if (transport === "sse") {
        // The message endpoint is guarded too, before any session is looked up.
        const post = (host: string) =>
          rawStatus(s.base, "POST", "/message?sessionId=x", {
            host,
            "content-type": "application/json",
          }, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
        assert.equal(await post("127.0.0.1.evil.com"), 403);
        assert.equal(await post("127.0.0.1\tevil.com"), 403);
        assert.equal(await post("127.0.0.1"), 404);
      }
    });
  });
}

Deno.test("streamable-http: 405 for GET and DELETE, 413 over 4 MiB, parse errors as JSON-RPC", async () => {
  await withServer("streamable-http", NO_CLUSTER, async (s) => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(`${s.base}/mcp`, { method });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), "POST");
      await res.body?.cancel();
    }
    const post = (body: string) =>
      fetch(`${s.base}/mcp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body,
      });
    const big = await post(
      `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"${"a".repeat(5 << 20)}"}}`,
    );
    assert.equal(big.status, 413);
    await big.body?.cancel();
    const bad = await post("{not json");
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code, -32700);
    const health = await fetch(`${s.base}/healthz`, { headers: { host: "10.0.0.7:8080" } });
    assert.deepEqual([health.status, await health.text()], [200, "ok\n"]);
    const ready = await fetch(`${s.base}/readyz`);
    assert.equal(ready.status, 503);
    assert.match((await ready.json()).error, /kubeconfig/);
    const other = await fetch(`${s.base}/`);
    assert.equal(other.status, 404);
    await other.body?.cancel();
  });
});

Deno.test("sse: session errors, 413 and parse errors", async () => {
  await withServer("sse", NO_CLUSTER, async (s) => {
    const post = (query: string, body: string, type = "application/json") =>
      fetch(`${s.base}/message${query}`, {
        method: "POST",
        headers: { "content-type": type },
        body,
      });
    let res = await post("", "{}");
    assert.equal(res.status, 400);
    await res.body?.cancel();
    res = await post("?sessionId=nope", "{}");
    assert.equal(res.status, 404);
    await res.body?.cancel();
    // A live session: read the endpoint event, then post to it.
    const stream = await fetch(`${s.base}/sse`);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let head = "";
    while (!head.includes("\n\n")) head += (await reader.read()).value ?? "";
    const endpoint = /data: (\S+)/.exec(head)![1]!;
    assert.match(endpoint, /^\/message\?sessionId=[0-9a-f-]{36}$/);
    const query = endpoint.slice("/message".length);
    res = await post(query, "{broken");
    assert.deepEqual([res.status, (await res.json()).error.code], [400, -32700]);
    res = await post(query, "{}", "text/plain");
    assert.equal(res.status, 415);
    await res.body?.cancel();
    res = await post(query, "x".repeat(5 << 20));
    assert.equal(res.status, 413);
    await res.body?.cancel();
    res = await post(query, JSON.stringify({ jsonrpc: "2.0", id: 7, method: "ping" }));
    assert.equal(res.status, 202);
    await res.body?.cancel();
    let events = "";
    while (!events.includes('"id":7')) events += (await reader.read()).value ?? "";
    assert.match(events, /event: message\ndata: \{"result":\{\},"jsonrpc":"2.0","id":7\}/);
    await reader.cancel();
    // The closed stream ends its session.
    await new Promise((r) => setTimeout(r, 200));
    res = await post(query, JSON.stringify({ jsonrpc: "2.0", id: 8, method: "ping" }));
    assert.equal(res.status, 404);
    await res.body?.cancel();
  });
});

Deno.test("sse: SIGTERM closes open streams and exits 0", async () => {
  const s = await startHttp("sse", NO_CLUSTER);
  const stream = await fetch(`${s.base}/sse`);
  const reader = stream.body!.getReader();
  await reader.read();
  const code = await s.stop("SIGTERM");
  assert.equal(code, 0);
  // The stream ends instead of hanging: the server closed it on the way out.
  let done = false;
  for (let i = 0; i < 100 && !done; i++) {
    done = (await reader.read().catch(() => ({ done: true }))).done;
  }
  assert.ok(done);
  assert.match(s.stderr(), /Shutting down: closing open streams/);
});

Deno.test("streamable-http: 50 concurrent clients all get correct answers", async () => {
  await withServer("streamable-http", NO_CLUSTER, async (s) => {
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const client = new Client({ name: `c${i}`, version: "0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${s.base}/mcp`)));
      try {
        const out: string[] = [];
        for (let j = 0; j < 5; j++) {
          const data = `client-${i}-call-${j}`;
          const r = await client.callTool({ name: "encode_base64", arguments: { data } });
          assert.equal(r.isError, undefined);
          assert.equal(JSON.parse(text(r)).encoded, btoa(data));
          out.push(data);
        }
        return out.length;
      } finally {
        await client.close();
      }
    }));
    assert.deepEqual(results, Array(50).fill(5));
  });
});

Deno.test("a non-loopback --host is logged as a warning", async () => {
  await withServer("streamable-http", [...NO_CLUSTER, "--host", "0.0.0.0"], (s) => {
    assert.match(s.stderr(), /WARNING: listening on 0\.0\.0\.0: anyone who can reach this port/);
    return Promise.resolve();
  });
});
