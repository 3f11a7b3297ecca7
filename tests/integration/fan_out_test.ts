// Fan-out (context "*" or a list) against the real test cluster: every testenv context in one
// call, including `nometrics` (a second API server without metrics.k8s.io) and `nobody` (a user
// forbidden almost everything); each group is the single-context answer; failures stay in their
// group; the 2 MiB bound cuts whole groups and names them; an unreachable cluster times out in
// its group alone; passthrough refuses fan-out.

import assert from "node:assert/strict";
import type { CallToolResult } from "../../src/deps.ts";
import { MAX_RESULT_BYTES } from "../../src/mcp/server.ts";
import {
  callError,
  callJson,
  connectInMemory,
  connectStdio,
  testConfig,
} from "../_helpers/connect.ts";
import { kubeconfigWith } from "../_helpers/kubeconfig_variant.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { Client, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { integration, seed } from "../_helpers/testenv.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const ALL = Object.keys(seed.CONTEXTS);

function groupsOf(answer: unknown): Map<string, Json> {
  const groups = (answer as { contexts: Json[] }).contexts;
  return new Map(groups.map((g) => [g.context, g]));
}

/** A group without its `context` key: what the single-context call returns. */
function body(group: Json): Json {
  const { context: _, ...rest } = group;
  return rest;
}

integration(
  'get_node_metrics context "*": every context, failures in their groups',
  async (env) => {
    const { client, close } = await connectInMemory(testConfig({ kubeconfig: env.kubeconfig }));
    try {
      const answer = await callJson(client, "get_node_metrics", { context: "*", title_only: true });
      const groups = groupsOf(answer);
      // Every kubeconfig context, in the kubeconfig's order, once.
      assert.deepEqual([...groups.keys()].sort(), [...ALL].sort());
      assert.deepEqual(body(groups.get("reader")!).items, ["fake-node-1", "fake-node-2"]);
      assert.match(groups.get("nometrics")!.error, /does not serve the metrics API/);
      assert.match(groups.get("nobody")!.error, /403 \(Forbidden\)/);
      assert.equal((answer as Json).cut, undefined, "nothing cut");
      // The reader's group is exactly what the single-context call answers.
      const single = await callJson(client, "get_node_metrics", {
        context: "reader",
        title_only: true,
      });
      assert.deepEqual(body(groups.get("reader")!), single);
    } finally {
      await close();
    }
  },
);

integration(
  "list_resources over a list: groups equal single calls; unknown names fail alone",
  async (env) => {
    const { client, close } = await connectInMemory(testConfig({ kubeconfig: env.kubeconfig }));
    try {
      await client.listTools(); // the client now checks structuredContent against outputSchema
      const args = { resource_type: "deployments", namespace: "*" };
      const answer = await callJson(client, "list_resources", {
        ...args,
        context: ["reader", "nometrics", "viewer", "no-such-context", "reader"],
      });
      const list = (answer as { contexts: Json[] }).contexts;
      assert.deepEqual(
        list.map((g) => g.context),
        ["reader", "nometrics", "viewer", "no-such-context"],
        "in the order asked, duplicates once",
      );
      const groups = groupsOf(answer);
      for (const context of ["reader", "nometrics"]) {
        const single = await callJson(client, "list_resources", { ...args, context }) as Json;
        const group = body(groups.get(context)!);
        assert.deepEqual(group.items, single.items, context);
        assert.equal(group.count, single.count, context);
      }
      assert.ok(groups.get("reader")!.count > 0);
      assert.match(groups.get("viewer")!.error, /403/, "viewer may list only in team-a");
      assert.match(groups.get("no-such-context")!.error, /not in the kubeconfig/);
    } finally {
      await close();
    }
  },
);

integration(
  'get_cluster_health and get_pod_metrics "*": one call answers for every context',
  async (env) => {
    const { client, close } = await connectInMemory(testConfig({ kubeconfig: env.kubeconfig }));
    try {
      // Listed first, so the SDK client checks each structuredContent against the outputSchema.
      await client.listTools();
      const health = groupsOf(await callJson(client, "get_cluster_health", { context: "*" }));
      assert.equal(health.size, ALL.length);
      assert.equal(health.get("reader")!.status, "degraded", "fake-node-2 is NotReady there");
      assert.equal(health.get("nometrics")!.status, "healthy", "both nodes Ready there");
      const pods = groupsOf(
        await callJson(client, "get_pod_metrics", {
          context: "*",
          namespace: "mcp-test",
          title_only: true,
        }),
      );
      assert.ok(pods.get("reader")!.count > 0);
      assert.match(pods.get("nometrics")!.error, /metrics API/);
      assert.match(pods.get("podreader")!.error, /403/);
    } finally {
      await close();
    }
  },
);

integration("the 2 MiB bound cuts whole contexts and names them", async (env) => {
  const { client, close } = await connectInMemory(testConfig({ kubeconfig: env.kubeconfig }));
  try {
    // 1,500 pods with metadata: ~0.7 MiB per context that may read them.
    const r = await client.callTool({
      name: "list_resources",
      arguments: {
        resource_type: "pods",
        namespace: "bulk",
        title_only: false,
        context: ["reader", "admin", "podreader", "reader-alt", "nobody"],
      },
    }) as CallToolResult;
    assert.ok(!r.isError);
    const text = (r.content[0] as { text: string }).text;
    assert.ok(new TextEncoder().encode(text).length <= MAX_RESULT_BYTES);
    const answer = r.structuredContent as { contexts: Json[]; cut: string[] };
    const full = answer.contexts.filter((g) => g.count === 1500).map((g) => g.context);
    assert.ok(full.length >= 2, `at least two fit: ${full}`);
    assert.ok(answer.cut.length >= 1, "the rest is cut");
    assert.deepEqual([...full, ...answer.cut].sort(), [
      "admin",
      "podreader",
      "reader",
      "reader-alt",
    ]);
    for (const name of answer.cut) {
      assert.match(groupsOf(answer).get(name)!.error, /^cut: .* did not fit/);
    }
    assert.match(groupsOf(answer).get("nobody")!.error, /403/, "a small failure still fits");
  } finally {
    await close();
  }
});

integration("an unreachable cluster times out in its own group; the others answer", async (env) => {
  // A TCP listener on loopback that accepts and never speaks: the TLS handshake hangs.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of listener) held.push(conn);
    } catch { /* closed */ }
  })();
  const { dir, path } = await kubeconfigWith(env, {
    clusters: `- name: "silent"\n  cluster:\n    server: "https://127.0.0.1:${port}"\n`,
    contexts: `- name: "silent"\n  context:\n    cluster: "silent"\n    user: "mcp-viewer"\n`,
  });
  const { client, close } = await connectInMemory(
    testConfig({ kubeconfig: path, requestTimeout: "1s" }),
  );
  try {
    const started = performance.now();
    const answer = await callJson(client, "get_node_metrics", {
      context: ["silent", "reader"],
      title_only: true,
    });
    const elapsed = performance.now() - started;
    const groups = groupsOf(answer);
    assert.match(groups.get("silent")!.error, /timed out|no answer within 1s/);
    assert.deepEqual(groups.get("reader")!.items, ["fake-node-1", "fake-node-2"]);
    assert.ok(elapsed < 10_000, `bounded by the request timeout (${elapsed} ms)`);
  } finally {
    await close();
    listener.close();
    for (const c of held) c.close();
    await accepting;
    await Deno.remove(dir, { recursive: true });
  }
});

integration("bad fan-out arguments get clear errors", async (env) => {
  const { client, close } = await connectInMemory(testConfig({ kubeconfig: env.kubeconfig }));
  try {
    assert.match(
      await callError(client, "get_pod_metrics", { context: ["reader", "*"] }),
      /pass it alone/,
    );
    assert.match(
      await callError(client, "list_resources", {
        resource_type: "pods",
        context: "*",
        continue: "abc",
      }),
      /continue pages one context/,
    );
    const r = await client.callTool({
      name: "list_resources",
      arguments: { resource_type: "pods", context: [] },
    }) as CallToolResult;
    assert.ok(r.isError);
    assert.match((r.content[0] as { text: string }).text, /list 1 to 64 contexts/);
  } finally {
    await close();
  }
});

integration("passthrough: fan-out is a tool error; one context still works", async (env) => {
  const server = await startHttp("streamable-http", [
    "--kubeconfig",
    env.kubeconfig,
    "--auth=passthrough",
  ]);
  const client = new Client({ name: "fan-out-test", version: "0" });
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${env.state!.tokens["mcp-viewer"]}` } },
      }),
    );
    for (const context of ["*", ["reader", "admin"]]) {
      const message = await callError(client, "get_cluster_health", { context });
      assert.match(message, /refused: with --auth=passthrough your token is sent to one cluster/);
    }
    const one = await callJson(client, "list_resources", {
      resource_type: "pods",
      namespace: seed.VIEWER_NAMESPACE,
    }) as Json;
    assert.ok(one.count > 0);
  } finally {
    await client.close();
    await server.stop();
  }
});

integration(
  "the QPS limiter stays per API server: fan-out does not multiply the load",
  async (env) => {
    // Six contexts share the main API server, one (nometrics) has its own. At 2 requests per
    // second with a burst of 1, the main server's six metrics lists take at least 2.5 s however
    // many contexts run at once; discovery is not paced (src/kube/rate_limit.ts).
    const main = ALL.filter((c) => c !== "nometrics");
    const { client, close } = await connectStdio([
      "--kubeconfig",
      env.kubeconfig,
      "--always-start",
      "--qps",
      "2",
      "--burst",
      "1",
    ]);
    try {
      const started = performance.now();
      const answer = await callJson(client, "get_node_metrics", { context: "*", title_only: true });
      const elapsed = performance.now() - started;
      assert.equal(groupsOf(answer).size, ALL.length);
      assert.ok(elapsed >= (main.length - 1) / 2 * 1000 - 100, `paced: ${elapsed} ms`);
    } finally {
      await close();
    }
  },
);
