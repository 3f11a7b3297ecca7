// One small request cannot make the server hold without bound: batches are capped on both HTTP
// transports, one answer has a byte limit, and an SSE client that stops reading is dropped.

import assert from "node:assert/strict";
import { type HttpServerProcess, startHttp } from "../_helpers/spawn_http.ts";
import { rawPeer } from "../_helpers/raw_rpc.ts";
import { MAX_BATCH } from "../../src/transports/http_util.ts";
import { MAX_RESULT_BYTES } from "../../src/mcp/server.ts";
import { LIMITS } from "../../src/tools/_shared.ts";

const NO_CLUSTER = ["--always-start", "--kubeconfig", "/nonexistent/kubeconfig"];

async function withServer(
  transport: "sse" | "streamable-http",
  fn: (s: HttpServerProcess) => Promise<void>,
): Promise<void> {
  const server = await startHttp(transport, NO_CLUSTER);
  try {
    await fn(server);
  } finally {
    assert.equal(await server.stop(), 0, server.stderr());
  }
}

const ping = (id: number) => ({ jsonrpc: "2.0", id, method: "ping" });
const batch = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ping(i + 1)));
const JSON_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

/** Opens /sse and returns its reader and the session's POST URL. */
async function openSse(base: string) {
  const res = await fetch(`${base}/sse`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let head = "";
  while (!head.includes("\n\n")) head += (await reader.read()).value ?? "";
  return { reader, url: `${base}${/data: (\S+)/.exec(head)![1]}` };
}

Deno.test(`streamable-http: a batch over ${MAX_BATCH} messages gets 400`, async () => {
  await withServer("streamable-http", async (s) => {
    const post = (body: string) =>
      fetch(`${s.base}/mcp`, { method: "POST", headers: JSON_HEADERS, body });
    const big = await post(batch(MAX_BATCH + 1));
    const answer = await big.json();
    assert.equal(big.status, 400);
    assert.equal(answer.error.code, -32600);
    assert.match(answer.error.message, new RegExp(`at most ${MAX_BATCH} messages`));
    // At the cap the batch is served (ping needs no initialize in stateless mode).
    const ok = await post(batch(MAX_BATCH));
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).length, MAX_BATCH);
    // The tools/call guard answers over HTTP too: non-object arguments get -32602.
    const bad = await post(JSON.stringify({
      jsonrpc: "2.0",
      id: 9,
      method: "tools/call",
      params: { name: "encode_base64", arguments: "str" },
    }));
    assert.equal((await bad.json()).error.code, -32602);
  });
});

Deno.test(`sse: a batch over ${MAX_BATCH} messages gets 400`, async () => {
  await withServer("sse", async (s) => {
    const { reader, url } = await openSse(s.base);
    try {
      const post = (body: string) => fetch(url, { method: "POST", headers: JSON_HEADERS, body });
      const big = await post(batch(MAX_BATCH + 1));
      assert.equal(big.status, 400);
      assert.match((await big.json()).error.message, /at most 20 messages/);
      const ok = await post(batch(MAX_BATCH));
      assert.equal(ok.status, 202);
      await ok.body?.cancel();
    } finally {
      await reader.cancel();
    }
  });
});

Deno.test("an answer over the byte limit becomes a tool error that says how to ask for less", async () => {
  const peer = await rawPeer();
  try {
    // JSON writes each control character as six bytes: the decoded answer outgrows its input.
    const data = btoa("\u0001".repeat(LIMITS.base64Data / 4 * 3));
    assert.equal(data.length, LIMITS.base64Data);
    const a = await peer.request("tools/call", { name: "decode_base64", arguments: { data } });
    assert.equal(a.result?.isError, true);
    const text = a.result!.content[0]!.text;
    assert.match(text, new RegExp(`over the ${MAX_RESULT_BYTES / 1024 / 1024}\\.0 MiB limit`));
    assert.match(text, /limit \(then continue/);
    assert.ok(text.length < 1000);
    // An answer under the limit is untouched.
    const small = await peer.request("tools/call", {
      name: "decode_base64",
      arguments: { data: btoa("x".repeat(768 * 1024)) },
    });
    assert.equal(small.result?.isError, undefined);
  } finally {
    await peer.close();
  }
});

Deno.test("sse: a client that stops reading is dropped once its unread bytes pass the bound", async () => {
  await withServer("sse", async (s) => {
    const { reader, url } = await openSse(s.base);
    // Each call answers ~0.7 MB; the client never reads its stream again.
    const body = (id: number) =>
      JSON.stringify({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name: "encode_base64", arguments: { data: "x".repeat(LIMITS.plainData) } },
      });
    const init = {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2024-11-05",
        capabilities: {},
        clientInfo: { name: "t", version: "0" },
      },
    };
    await (await fetch(url, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(init) }))
      .body?.cancel();
    let status = 202;
    for (let id = 1; id <= 200 && status === 202; id++) {
      const res = await fetch(url, { method: "POST", headers: JSON_HEADERS, body: body(id) });
      status = res.status;
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 404, "the session was closed");
    assert.match(s.stderr(), /left over \d+ bytes unread; closing it/);
    await reader.cancel().catch(() => {});
  });
});
