// list_resources' default answer against the real kube-apiserver's Table printing (as=Table):
// kubectl get's columns for built-in types and a CRD's printer columns, wide, the identity
// columns, Secrets (no values), and the shapes title_only keeps. Through main.ts over stdio.

import assert from "node:assert/strict";
import { callJson, connectStdio } from "../_helpers/connect.ts";
import { integration, seed } from "../_helpers/testenv.ts";

type Json = Record<string, unknown>;
type Table = { columns: string[]; items: unknown[][]; count: number; namespace: string };

function rows(t: Table): Json[] {
  return t.items.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

integration("list_resources: kubectl get's columns from the API server", async (env, t) => {
  const { client, close } = await connectStdio(["--kubeconfig", env.kubeconfig]);
  const list = async (args: Json) => await callJson(client, "list_resources", args) as Table;
  try {
    await t.step("nodes: STATUS shows the NotReady node", async () => {
      const nodes = await list({ resource_type: "nodes" });
      assert.deepEqual(nodes.columns, ["name", "status", "roles", "age", "version"]);
      const byName = Object.fromEntries(rows(nodes).map((n) => [n.name, n]));
      assert.equal(byName[seed.NOT_READY_NODE.name]!.status, "NotReady");
      assert.equal(byName["fake-node-1"]!.status, "Ready");
      const wide = await list({ resource_type: "nodes", wide: true });
      assert.ok(wide.columns.includes("internal-ip") && wide.columns.includes("kernel-version"));
    });

    await t.step("deployments across namespaces: name, namespace, READY", async () => {
      const deps = await list({ resource_type: "deployments", namespace: "*" });
      assert.deepEqual(deps.columns, [
        "name",
        "namespace",
        "ready",
        "up-to-date",
        "available",
        "age",
      ]);
      const web = rows(deps).find((d) => d.name === seed.WEB_DEPLOYMENT.name)!;
      assert.deepEqual(
        [web.namespace, web.ready, web.available],
        [seed.WEB_DEPLOYMENT.namespace, "2/2", 2],
      );
      const wide = await list({
        resource_type: "deploy",
        namespace: seed.WEB_DEPLOYMENT.namespace,
        wide: true,
      });
      const w = rows(wide).find((d) => d.name === seed.WEB_DEPLOYMENT.name)!;
      assert.equal(w.images, "nginx:1.27.3,fluent/fluent-bit:3.1");
      assert.equal(w.namespace, undefined, "one namespace: no namespace column");
    });

    await t.step("jobs and statefulsets", async () => {
      const jobs = await list({ resource_type: "jobs" });
      assert.deepEqual(jobs.columns, ["name", "status", "completions", "duration", "age"]);
      const migrate = rows(jobs).find((j) => j.name === seed.MIGRATE_JOB.name)!;
      assert.equal(migrate.status, "Complete");
      assert.equal(migrate.completions, "1/1");
      const sts = await list({ resource_type: "sts", namespace: seed.CACHE_STATEFULSET.namespace });
      assert.deepEqual(sts.columns, ["name", "ready", "age"]);
      assert.deepEqual(rows(sts).map((s) => [s.name, s.ready]), [["cache", "1/1"]]);
    });

    await t.step("a cluster-scoped CRD's printer columns; Secrets show no values", async () => {
      const gadgets = await list({ resource_type: "gadgets" });
      assert.equal(gadgets.columns[0], "name");
      assert.deepEqual(
        rows(gadgets).map((g) => [g.name, g.power]).sort(),
        seed.GADGETS.map((g) => [g.name, g.spec.power]).sort(),
      );
      const secrets = await list({ resource_type: "secrets", namespace: seed.SECRET_NAMESPACE });
      assert.deepEqual(secrets.columns, ["name", "type", "data", "age"]);
      const db = rows(secrets).find((s) => s.name === "db-credentials")!;
      assert.deepEqual([db.type, db.data], ["Opaque", 2]);
    });

    await t.step("events across namespaces: the namespace, no name (wide adds it)", async () => {
      const ev = await list({ resource_type: "events", namespace: "*" });
      assert.deepEqual(ev.columns, [
        "namespace",
        "last_seen",
        "type",
        "reason",
        "object",
        "message",
      ]);
      assert.ok(rows(ev).some((e) => e.object === `pod/${seed.POD.crashloop}`));
    });

    await t.step("fields under .metadata only (read as metadata alone)", async () => {
      const labels = await list({
        resource_type: "pods",
        label_selector: "app",
        fields: [".metadata.labels.app", ".metadata.namespace"],
      });
      assert.deepEqual(labels.columns, ["name", ".metadata.labels.app", ".metadata.namespace"]);
      const app = Object.fromEntries(labels.items.map((r) => [r[0], r[1]]));
      assert.equal(app[seed.POD.web1], "web");
      assert.equal(app[seed.POD.crashloop], "crashloop");
      assert.ok(labels.items.every((r) => r[2] === "mcp-test"));
    });

    await t.step("newest first, as names are", async () => {
      const table = await list({ resource_type: "pods" });
      const names = await callJson(client, "list_resources", {
        resource_type: "pods",
        title_only: true,
      }) as { items: { name: string }[] };
      assert.deepEqual(rows(table).map((p) => p.name), names.items.map((i) => i.name));
      const meta = await callJson(client, "list_resources", {
        resource_type: "pods",
        title_only: false,
      }) as { items: { metadata: Json }[] };
      const stamps = meta.items.map((i) => String(i.metadata.creationTimestamp));
      assert.deepEqual(stamps, [...stamps].sort().reverse());
      assert.deepEqual(meta.items.map((i) => i.metadata.name), names.items.map((i) => i.name));
    });
  } finally {
    await close();
  }
});
