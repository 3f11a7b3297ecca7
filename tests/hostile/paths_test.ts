// Dot segments, slashes and encoded slashes in names and namespaces never reach a request path:
// they are refused before any request is built, and the audit log shows only intended paths.

import assert from "node:assert/strict";
import { callError, callJson, connectStdio } from "../_helpers/connect.ts";
import { integration, seed } from "../_helpers/testenv.ts";
import { ownReader } from "../_helpers/own_reader.ts";

integration("dot segments in names and namespaces are refused and never requested", async (env) => {
  // An identity of its own: other tests read pods as mcp-reader in parallel.
  const reader = await ownReader(env, "paths");
  const mark = await env.auditMark();
  const { client, close } = await connectStdio([
    "--kubeconfig",
    reader.kubeconfig,
    "--always-start",
    "--disabled-resources",
    "namespaces",
  ]);
  try {
    // The reported escapes: every pod in the cluster, a Namespace, a get turned list, and the
    // NamespaceList past --disabled-resources namespaces.
    const refused: [string, Record<string, unknown>, RegExp][] = [
      [
        "list_resources",
        { resource_type: "pods", namespace: ".." },
        /DNS-1123 label.* at namespace/,
      ],
      [
        "get_resource",
        { resource_type: "pods", name: "..", namespace: "mcp-test" },
        /cannot be \./,
      ],
      ["get_resource", { resource_type: "pods", name: ".", namespace: "mcp-test" }, /cannot be \./],
      ["get_resource", { resource_type: "pods", namespace: ".", name: ".." }, /at namespace/],
      ["get_resource", { resource_type: "pods", name: "..%2f..", namespace: "x" }, /\/ or %/],
      ["get_resource", { resource_type: "configmaps", name: "a/../../b" }, /\/ or %/],
      ["list_resources", { resource_type: "pods", namespace: "%2e%2e" }, /DNS-1123/],
      ["get_logs", { name: "..", namespace: "mcp-test" }, /cannot be \./],
      ["get_logs", { name: seed.POD.web1, namespace: "mcp-test", container: ".." }, /container/],
      ["get_pod_containers", { name: ".", namespace: "mcp-test" }, /cannot be \./],
      ["get_pod_metrics", { namespace: "..", pod_name: "x" }, /DNS-1123/],
      ["get_node_metrics", { node_name: ".." }, /cannot be \./],
    ];
    for (const [tool, args, want] of refused) {
      const text = await callError(client, tool, args);
      assert.match(text, want, `${tool} ${JSON.stringify(args)}: ${text}`);
    }
    // A valid call after them still works and is the only pod read.
    const pod = await callJson(client, "get_resource", {
      resource_type: "pods",
      name: seed.POD.web1,
      namespace: "mcp-test",
    }) as { metadata: { name: string } };
    assert.equal(pod.metadata.name, seed.POD.web1);
  } finally {
    await close();
    await reader.cleanup();
  }
  const events = await env.auditEvents(reader.user, {
    since: mark,
    userAgent: "mcp-kubernetes-ro/",
  });
  const paths = events.map((e) => `${e.verb} ${e.requestURI.split("?")[0]}`);
  for (const p of paths) {
    assert.doesNotMatch(p, /\/\.\.?(\/|$)|%2f|%2e/i, p);
    assert.ok(p.startsWith("get ") || p.startsWith("list "), p);
  }
  const podReads = paths.filter((p) => /\/pods(\/|$)/.test(p));
  assert.deepEqual(podReads, [`get /api/v1/namespaces/mcp-test/pods/${seed.POD.web1}`]);
  assert.ok(!paths.some((p) => /\/namespaces$/.test(p)), "no NamespaceList was read");
  assert.ok(paths.length > 0, "the server's requests were audited");
});
