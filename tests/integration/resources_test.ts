// Server-level behaviour against the real cluster that needs its own flags: pagination across
// 1,500 pods, --namespace with cluster-scoped types, --disabled-resources, the big log.

import assert from "node:assert/strict";
import { callError, callJson, connectStdio } from "../_helpers/connect.ts";
import { integration, seed } from "../_helpers/testenv.ts";

type Page = { items: { name: string }[]; continue?: string; count: number };
/** A default (state table) answer: columns named once, a row per object. */
type Table = { columns: string[]; items: unknown[][]; continue?: string; count: number };

/** The name column of a state table. */
function names(t: Table): string[] {
  assert.equal(t.columns[0], "name");
  return t.items.map((row) => String(row[0]));
}

integration(
  "list_resources pages through 1,500 pods with no duplicate and none missing",
  async (env) => {
    const { client, close } = await connectStdio([
      "--kubeconfig",
      env.kubeconfig,
      "--always-start",
    ]);
    try {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        // The default answer (kubectl get's columns) pages as the names did.
        const page = await callJson(client, "list_resources", {
          resource_type: "pods",
          namespace: seed.BULK_NAMESPACE,
          limit: 100,
          ...(token ? { continue: token } : {}),
        }) as Table;
        assert.ok(page.count <= 100);
        assert.deepEqual(page.columns, ["name", "ready", "status", "restarts", "age"]);
        seen.push(...names(page));
        token = page.continue;
        pages++;
      } while (token && pages < 50);
      assert.equal(pages, Math.ceil(seed.BULK_POD_COUNT / 100));
      assert.equal(new Set(seen).size, seen.length, "no duplicates");
      assert.deepEqual(
        [...seen].sort(),
        Array.from({ length: seed.BULK_POD_COUNT }, (_, i) => seed.bulkPodName(i)).sort(),
      );
      const shard = await callJson(client, "list_resources", {
        resource_type: "pods",
        namespace: seed.BULK_NAMESPACE,
        label_selector: "shard=3",
      }) as Table;
      assert.equal(shard.count, seed.BULK_POD_COUNT / seed.BULK_SHARDS);
      assert.equal(shard.items.length, shard.count);
      const named = await callJson(client, "list_resources", {
        resource_type: "pods",
        namespace: seed.BULK_NAMESPACE,
        label_selector: "shard=3",
        title_only: true,
      }) as Page;
      assert.deepEqual(named.items.map((i) => i.name).sort(), names(shard).sort());
    } finally {
      await close();
    }
  },
);

integration("--namespace is never applied to cluster-scoped types", async (env) => {
  const { client, close } = await connectStdio([
    "--kubeconfig",
    env.kubeconfig,
    "--always-start",
    "--namespace",
    "team-a",
  ]);
  try {
    const nodes = await callJson(client, "list_resources", { resource_type: "nodes" }) as Table;
    assert.deepEqual(names(nodes).sort(), [...seed.NODES]);
    const ns = await callJson(client, "get_resource", { resource_type: "ns", name: "bulk" }) as {
      kind: string;
    };
    assert.equal(ns.kind, "Namespace");
    const gadget = await callJson(client, "get_resource", {
      resource_type: "gd",
      name: "gizmo",
    }) as {
      spec: unknown;
    };
    assert.deepEqual(gadget.spec, { power: 9000 });
    // Namespaced types do use it.
    const pods = await callJson(client, "list_resources", { resource_type: "pods" }) as Table & {
      namespace: string;
    };
    assert.equal(pods.namespace, "team-a");
    assert.deepEqual(names(pods).sort(), [seed.POD.api, seed.POD.cache].sort());
  } finally {
    await close();
  }
});

integration("--disabled-resources refuses list, get and logs, and hides the types", async (env) => {
  const { client, close, stderr } = await connectStdio(
    [
      "--kubeconfig",
      env.kubeconfig,
      "--disabled-resources",
      "Secret,apps/v1/deployments",
      "--disabled-resources=events",
    ],
    { MCP_KUBERNETES_RO_DISABLED_RESOURCES: "core/v1/pods" },
  );
  try {
    const refused: [string, Record<string, unknown>, RegExp][] = [
      [
        "list_resources",
        { resource_type: "secrets" },
        /access to resource "secrets" \(core\/v1\/secrets\) is disabled/,
      ],
      [
        "get_resource",
        { resource_type: "secret", name: "db-credentials" },
        /"secret" \(core\/v1\/secrets\)/,
      ],
      [
        "list_resources",
        { resource_type: "deploy", namespace: "*" },
        /"deploy" \(apps\/v1\/deployments\)/,
      ],
      ["list_resources", { resource_type: "ev" }, /"ev" \(core\/v1\/events\)/],
      [
        "list_resources",
        { resource_type: "events.events.k8s.io" },
        /\(events\.k8s\.io\/v1\/events\)/,
      ],
      [
        "get_logs",
        { name: seed.POD.worker },
        /access to resource "pods" \(core\/v1\/pods\) is disabled/,
      ],
      ["get_pod_containers", { name: seed.POD.worker }, /\(core\/v1\/pods\) is disabled/],
      [
        "list_resources",
        { resource_type: "secrets", context: "reader-alt" },
        /is disabled by configuration/,
      ],
      [
        "save_secret_to_file",
        { name: "db-credentials", key: "password" },
        /^access to secrets \(core\/v1\/secrets\) is disabled by configuration$/,
      ],
    ];
    for (const [tool, args, message] of refused) {
      assert.match(await callError(client, tool, args), message, `${tool} ${JSON.stringify(args)}`);
    }
    const { resources } = await callJson(client, "list_api_resources") as { resources: string[] };
    for (const hidden of ["secrets", "deployments", "events", "events.events.k8s.io", "pods"]) {
      assert.ok(!resources.includes(hidden), hidden);
    }
    assert.ok(resources.includes("configmaps"));
    const cms = await callJson(client, "list_resources", { resource_type: "configmaps" }) as Table;
    assert.ok(names(cms).includes("web-config"));
  } finally {
    await close();
  }
  for (const line of ["core/v1/secrets", "apps/v1/deployments", "core/v1/events", "core/v1/pods"]) {
    assert.match(stderr(), new RegExp(`Disabling access to resource: "${line}"`));
  }
});

integration(
  "--always-start with an unresolvable disabled resource fails closed, then resolves",
  async (env) => {
    const { client, close } = await connectStdio([
      "--kubeconfig",
      env.kubeconfig,
      "--always-start",
      "--disabled-resources",
      "widgetz",
    ]);
    try {
      const err = await callError(client, "list_resources", { resource_type: "configmaps" });
      assert.match(err, /cannot resolve disabled resource spec "widgetz": unknown resource type/);
      assert.match(await callError(client, "list_api_resources"), /widgetz/);
      // Base64 needs no cluster and still works.
      assert.deepEqual(await callJson(client, "encode_base64", { data: "a" }), {
        encoded: "YQ==",
      });
    } finally {
      await close();
    }
  },
);

integration("get_logs over the >100 MB log: a rare match and a tail", async (env) => {
  const { client, close } = await connectStdio(["--kubeconfig", env.kubeconfig, "--always-start"]);
  const { BIGLOG } = seed;
  try {
    const grep = await callJson(client, "get_logs", {
      name: BIGLOG.pod,
      namespace: BIGLOG.namespace,
      grep_include: BIGLOG.marker,
    }) as { logs: string; metadata: Record<string, number> };
    const lines = grep.logs.split("\n");
    assert.equal(lines.length, seed.BIGLOG_MARKER_COUNT);
    assert.ok(lines.every((l) => l.includes(BIGLOG.marker)));
    assert.equal(grep.metadata.total_lines, BIGLOG.lines);
    assert.equal(grep.metadata.matching_lines, seed.BIGLOG_MARKER_COUNT);
    const tail = await callJson(client, "get_logs", {
      name: BIGLOG.pod,
      namespace: BIGLOG.namespace,
      max_lines: 100,
    }) as { logs: string; metadata: Record<string, number> };
    assert.equal(tail.logs.split("\n").length, 100);
    assert.equal(tail.metadata.total_lines, 100, "the kubelet tailed the file itself");
    const all = await callJson(client, "get_logs", {
      name: BIGLOG.pod,
      namespace: BIGLOG.namespace,
    }) as { logs: string; metadata: Record<string, unknown> };
    assert.ok(new TextEncoder().encode(all.logs).length <= 64 * 1024);
    assert.equal(all.metadata.truncated, true);
    assert.match(String(all.metadata.note), /Narrow the query with grep_include/);
  } finally {
    await close();
  }
});
