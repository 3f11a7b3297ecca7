// Every Kubernetes request is bounded by --request-timeout and by the client's cancellation.

import assert from "node:assert/strict";
import { connectStdio } from "../_helpers/connect.ts";
import { text } from "../_helpers/connect.ts";
import { localApi } from "../_helpers/local_api.ts";

/** An API server whose discovery answers and whose other paths hang, recording aborts. */
async function hangingApiServer() {
  const aborted: number[] = [];
  const hanging: string[] = [];
  const api = await localApi((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/api") return Response.json({ kind: "APIVersions", versions: ["v1"] });
    if (path === "/apis") return Response.json({ kind: "APIGroupList", groups: [] });
    if (path === "/api/v1") {
      return Response.json({
        kind: "APIResourceList",
        groupVersion: "v1",
        resources: [{
          name: "pods",
          singularName: "pod",
          namespaced: true,
          kind: "Pod",
          verbs: ["get", "list"],
        }],
      });
    }
    const started = Date.now();
    hanging.push(path);
    return new Promise<Response>((resolve) => {
      req.signal.addEventListener("abort", () => {
        aborted.push(Date.now() - started);
        resolve(new Response(null, { status: 499 }));
      });
      // A bound of its own, so the test can never hang.
      setTimeout(() => resolve(Response.json({}, { status: 503 })), 20_000);
    });
  });
  return { ...api, aborted, hanging };
}

Deno.test("--request-timeout bounds a request the API server never answers", async () => {
  const api = await hangingApiServer();
  const { client, close } = await connectStdio([
    "--always-start",
    "--kubeconfig",
    api.kubeconfig,
    "--request-timeout",
    "1s",
  ]);
  try {
    const started = Date.now();
    const r = await client.callTool({
      name: "list_resources",
      arguments: { resource_type: "pods" },
    });
    assert.equal(r.isError, true);
    assert.match(text(r), /timed out after 1s; narrow the query .* or raise --request-timeout/);
    assert.ok(Date.now() - started < 10_000);
    // The server notices the closed connection a moment after the client gave up.
    for (let i = 0; i < 50 && api.aborted.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(api.aborted.length >= 1, "the hanging request was closed");
  } finally {
    await close();
    await api.close();
  }
});

Deno.test("cancelling a call aborts its Kubernetes request", async () => {
  const api = await hangingApiServer();
  const { client, close } = await connectStdio(["--always-start", "--kubeconfig", api.kubeconfig]);
  try {
    const controller = new AbortController();
    const call = client.callTool(
      { name: "get_logs", arguments: { name: "p", namespace: "n", container: "c" } },
      undefined,
      { signal: controller.signal },
    );
    // Cancel once the request is at the API server (a fixed sleep raced start-up on a busy box).
    for (let i = 0; i < 150 && api.hanging.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(api.hanging.length, 1, "the call reached the API server");
    controller.abort("user pressed stop");
    await assert.rejects(call);
    for (let i = 0; i < 50 && api.aborted.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(api.aborted.length, 1, "the API request was aborted on cancel");
    assert.ok(api.aborted[0]! < 10_000);
    // The server is still healthy afterwards.
    const ok = await client.callTool({ name: "encode_base64", arguments: { data: "x" } });
    assert.equal(JSON.parse(text(ok)).encoded, "eA==");
  } finally {
    await close();
    await api.close();
  }
});
