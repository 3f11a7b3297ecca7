// The tool suite against the real test cluster, through whatever MCP client it is given, so
// the same checks run over stdio, SSE and streamable HTTP.

import assert from "node:assert/strict";
import { callError, callJson, type ToolCaller } from "../_helpers/connect.ts";
import { seed } from "../_helpers/testenv.ts";

const { POD, LOGS, KNOWN_LOG_LINE } = seed;
type Json = Record<string, unknown>;
type Items = { name: string; namespace?: string }[];

async function json(client: ToolCaller, tool: string, args: Json = {}): Promise<Json> {
  return await callJson(client, tool, args) as Json;
}

/** A state table's rows (columns named once) as objects keyed by column. */
export function tableRows(r: Json): Json[] {
  const columns = r.columns as string[];
  assert.ok(Array.isArray(columns), `a table answer has columns: ${JSON.stringify(r)}`);
  return (r.items as unknown[][]).map((row) => {
    assert.equal(row.length, columns.length, "one cell per column");
    return Object.fromEntries(columns.map((c, i) => [c, row[i]]));
  });
}

function logText(key: string, which: "current" | "previous" = "current"): string[] {
  return LOGS[key]![which]!.map((l) => l.text);
}

export async function toolSuite(t: Deno.TestContext, client: ToolCaller): Promise<void> {
  await t.step("list_resources: names in the context's namespace, newest first", async () => {
    const r = await json(client, "list_resources", { resource_type: "po", title_only: true });
    assert.equal(r.namespace, "mcp-test");
    assert.equal(r.resource_type, "po");
    const names = (r.items as Items).map((i) => i.name);
    const expected = seed.PODS.filter((p) => p.namespace === "mcp-test").map((p) => p.name);
    assert.deepEqual([...names].sort(), [...expected].sort());
    assert.equal(r.count, expected.length);
    assert.ok((r.items as Items).every((i) => Object.keys(i).join() === "name"));
  });

  await t.step("list_resources: state columns by default, wide, fallback to names", async () => {
    const r = await json(client, "list_resources", { resource_type: "po" });
    assert.deepEqual(r.columns, ["name", "ready", "status", "restarts", "age"]);
    const rows = tableRows(r);
    const expected = seed.PODS.filter((p) => p.namespace === "mcp-test").map((p) => p.name);
    assert.deepEqual(rows.map((x) => x.name).sort(), [...expected].sort());
    assert.equal(r.count, expected.length);
    const by = Object.fromEntries(rows.map((x) => [x.name, x]));
    assert.equal(by[POD.crashloop]!.status, "CrashLoopBackOff");
    assert.equal(by[POD.crashloop]!.ready, "0/1");
    assert.match(String(by[POD.crashloop]!.restarts), /^5 \(.+ ago\)$/);
    assert.equal(by[POD.web1]!.ready, "2/2");
    assert.equal(by[POD.pending]!.status, "Pending");
    assert.equal(by[POD.migrate]!.status, "Completed");
    const wide = await json(client, "list_resources", { resource_type: "pods", wide: true });
    assert.deepEqual((wide.columns as string[]).slice(0, 7), [
      "name",
      "ready",
      "status",
      "restarts",
      "age",
      "ip",
      "node",
    ]);
    assert.equal(
      tableRows(wide).find((x) => x.name === POD.web1)!.node,
      "fake-node-1",
    );
    // The fake metrics-server (behind the real aggregator) answers a plain list: names, a note.
    const metrics = await json(client, "list_resources", { resource_type: "pods.metrics.k8s.io" });
    assert.equal(metrics.columns, undefined);
    assert.match(String(metrics.note), /sent no table for pods\.metrics\.k8s\.io.*names only/);
    assert.ok((metrics.items as Items).some((i) => i.name === POD.web1));
    assert.ok((metrics.items as Items).every((i) => Object.keys(i).join() === "name"));
  });

  await t.step("list_resources and get_resource: fields project values", async () => {
    const r = await json(client, "list_resources", {
      resource_type: "pods",
      label_selector: "app=web",
      fields: [".spec.containers[*].image", "status.phase", "{.metadata.labels.pod-template-hash}"],
    });
    assert.deepEqual(r.columns, [
      "name",
      ".spec.containers[*].image",
      ".status.phase",
      ".metadata.labels.pod-template-hash",
    ]);
    for (const row of tableRows(r)) {
      assert.deepEqual(row[".spec.containers[*].image"], ["nginx:1.27.3", "fluent/fluent-bit:3.1"]);
      assert.equal(row[".status.phase"], "Running");
      assert.equal(row[".metadata.labels.pod-template-hash"], "7d4b9c8f6d");
    }
    const pod = await json(client, "get_resource", {
      resource_type: "pod",
      name: POD.web1,
      fields: [
        '.spec.containers[?(@.name=="app")].image',
        ".status.containerStatuses[*].restartCount",
        ".metadata.annotations.missing",
      ],
    });
    assert.deepEqual(pod, {
      apiVersion: "v1",
      kind: "Pod",
      name: POD.web1,
      namespace: "mcp-test",
      '.spec.containers[?(@.name=="app")].image': ["nginx:1.27.3"],
      ".status.containerStatuses[*].restartCount": [1, 0],
      ".metadata.annotations.missing": null,
    });
    // One string of comma-separated paths works too (commas inside brackets stay).
    const asText = await json(client, "get_resource", {
      resource_type: "pod",
      name: POD.web1,
      fields: ".spec.nodeName, .spec.containers[0,1].name",
    });
    assert.equal(asText[".spec.nodeName"], "fake-node-1");
    assert.deepEqual(asText[".spec.containers[0,1].name"], ["app", "sidecar"]);
    // Redaction comes first: a Secret's data projects as its sizes, never its values.
    const secret = await json(client, "get_resource", {
      resource_type: "secret",
      name: "db-credentials",
      fields: [".data", ".data.username"],
    });
    assert.deepEqual(secret[".data"], {
      password: (secret[".data"] as Json).password,
      username: "[redacted: 3 bytes]",
    });
    assert.match(String((secret[".data"] as Json).password), /^\[redacted: \d+ bytes\]$/);
    assert.equal(secret[".data.username"], "[redacted: 3 bytes]");
    const secrets = await json(client, "list_resources", {
      resource_type: "secrets",
      fields: [".data"],
    });
    for (const row of tableRows(secrets)) {
      for (const v of Object.values(row[".data"] as Json ?? {})) {
        assert.match(String(v), /^\[redacted(: \d+ bytes)?\]$/);
      }
    }
    for (
      const [path, why] of [
        [".spec.[", /a \[ is not closed/],
        [".spec.containers[?match(@.name, 'a.*')]", /filters cannot call functions/],
        ["", /names no field/],
        [".spec..", /a name is missing after \.\./],
        [".metadata.labels[0", /a \[ is not closed/],
        [".spec.containers[*]]", /unexpected "\]"/],
      ] as const
    ) {
      const err = await callError(client, "get_resource", {
        resource_type: "pod",
        name: POD.web1,
        fields: [path],
      });
      assert.match(err, /^fields: .* is not a field path/, path);
      assert.match(err, why, path);
      assert.ok(err.includes(JSON.stringify(path)), `the error names ${path}: ${err}`);
    }
    assert.match(
      await callError(client, "list_resources", {
        resource_type: "pods",
        fields: Array.from({ length: 11 }, () => ".metadata.name"),
      }),
      /fields: must be a list of at most 10 paths of at most 256 characters each/,
    );
  });

  await t.step("list_resources: every namespace, selectors, full metadata", async () => {
    const all = await json(client, "list_resources", {
      resource_type: "Service",
      namespace: "*",
    });
    assert.deepEqual((all.columns as string[]).slice(0, 2), ["name", "namespace"]);
    const services = tableRows(all).map((i) => `${i.namespace}/${i.name}`);
    for (
      const s of [...seed.SERVICES.map((s) => `${s.namespace}/${s.name}`), "default/kubernetes"]
    ) {
      assert.ok(services.includes(s), s);
    }
    assert.equal(all.namespace, "");
    const labelled = await json(client, "list_resources", {
      resource_type: "pods",
      namespace: "mcp-test",
      label_selector: "app=web,tier=frontend",
      title_only: false,
    });
    const items = labelled.items as { apiVersion: string; kind: string; metadata: Json }[];
    assert.deepEqual(items.map((i) => i.metadata.name).sort(), [POD.web1, POD.web2].sort());
    for (const i of items) {
      assert.equal(i.apiVersion, "v1");
      assert.equal(i.kind, "Pod");
      assert.equal(i.metadata.managedFields, undefined);
      assert.equal((i as Json).spec, undefined);
      assert.ok(i.metadata.creationTimestamp);
    }
    const stamps = items.map((i) => String(i.metadata.creationTimestamp));
    assert.deepEqual(stamps, [...stamps].sort().reverse());
    const kept = await json(client, "list_resources", {
      resource_type: "pods",
      label_selector: "app=web",
      title_only: false,
      include_managed_fields: true,
    });
    assert.ok(
      (kept.items as { metadata: Json }[]).every((i) => Array.isArray(i.metadata.managedFields)),
    );
    const running = await json(client, "list_resources", {
      resource_type: "pods",
      field_selector: "status.phase=Succeeded",
    });
    assert.deepEqual(tableRows(running).map((i) => i.name), [POD.migrate]);
  });

  await t.step("list_resources: bad selectors quote the API server", async () => {
    const err = await callError(client, "list_resources", {
      resource_type: "pods",
      label_selector: "app in (web",
    });
    assert.match(err, /^Kubernetes API error 400 \(BadRequest\): .*unable to parse requirement/);
    const field = await callError(client, "list_resources", {
      resource_type: "pods",
      field_selector: "spec.bogus=1",
    });
    assert.match(field, /400 .*field label not supported: spec\.bogus/);
  });

  await t.step("list_resources: unknown types get suggestions", async () => {
    const err = await callError(client, "list_resources", { resource_type: "deploymnts" });
    assert.match(err, /unknown resource type "deploymnts"; did you mean deployments\.apps/);
    const v = await callError(client, "list_resources", {
      resource_type: "deployments",
      api_version: "apps/v2",
    });
    assert.match(v, /API version "apps\/v2" is not served by this cluster; it serves apps\/v1/);
  });

  await t.step("list_resources and get_resource: a CRD by every name", async () => {
    for (const type of ["widgets", "widget", "Widget", "wd", "widgets.example.com"]) {
      const r = await json(client, "list_resources", { resource_type: type });
      assert.deepEqual(tableRows(r).map((i) => i.name).sort(), ["alpha", "beta"], type);
    }
    // The CRD's additionalPrinterColumns, typed as the CRD types them.
    const widgets = await json(client, "list_resources", { resource_type: "wd" });
    assert.deepEqual((widgets.columns as string[]).slice(0, 3), ["name", "color", "size"]);
    assert.deepEqual(
      tableRows(widgets).map((w) => [w.name, w.color, w.size]).sort(),
      [["alpha", "red", 3], ["beta", "blue", 5]],
    );
    const w = await json(client, "get_resource", {
      resource_type: "wd",
      name: "beta",
      api_version: "example.com/v1",
    });
    assert.deepEqual(w.spec, { color: "blue", size: 5 });
    const gadgets = await json(client, "list_resources", { resource_type: "gadgets" });
    assert.equal(gadgets.namespace, "");
    assert.deepEqual(tableRows(gadgets).map((i) => i.name).sort(), ["doohickey", "gizmo"]);
  });

  await t.step("get_resource: the whole object, managedFields stripped", async () => {
    const pod = await json(client, "get_resource", { resource_type: "pod", name: POD.web1 });
    assert.equal((pod.metadata as Json).name, POD.web1);
    assert.equal((pod.metadata as Json).managedFields, undefined);
    assert.ok(pod.spec && pod.status);
    const kept = await json(client, "get_resource", {
      resource_type: "pod",
      name: POD.web1,
      include_managed_fields: true,
    });
    assert.ok(Array.isArray((kept.metadata as Json).managedFields));
    const node = await json(client, "get_resource", {
      resource_type: "nodes",
      name: "fake-node-1",
    });
    assert.equal(node.kind, "Node");
    const secret = await json(client, "get_resource", {
      resource_type: "secret",
      name: "db-credentials",
      namespace: "mcp-test",
    });
    assert.equal((secret.data as Json).username, "[redacted: 3 bytes]");
  });

  await t.step("get_resource: 404 names what was not found", async () => {
    const err = await callError(client, "get_resource", { resource_type: "pods", name: "nope" });
    assert.match(err, /^Kubernetes API error 404 \(NotFound\): pods "nope" not found\. Check/);
  });

  await t.step(
    "per-call context: another default namespace, a 403, an unknown context",
    async () => {
      const alt = await json(client, "list_resources", {
        resource_type: "pods",
        context: "reader-alt",
      });
      assert.equal(alt.namespace, "team-a");
      assert.deepEqual(tableRows(alt).map((i) => i.name).sort(), [POD.api, POD.cache].sort());
      const forbidden = await callError(client, "list_resources", {
        resource_type: "secrets",
        namespace: "team-b",
        context: "viewer",
      });
      assert.match(forbidden, /403 \(Forbidden\): secrets is forbidden: User "mcp-viewer"/);
      assert.match(forbidden, /retrying will not help/);
      const unknown = await callError(client, "list_resources", {
        resource_type: "pods",
        context: "prod",
      });
      assert.match(
        unknown,
        /context "prod" is not in the kubeconfig; available contexts: .*reader-alt/,
      );
    },
  );

  await t.step("list_api_resources: names, full entries, per context", async () => {
    const names = await json(client, "list_api_resources");
    const list = names.resources as string[];
    for (
      const n of ["pods", "deployments", "widgets", "gadgets", "events", "events.events.k8s.io"]
    ) {
      assert.ok(list.includes(n), n);
    }
    assert.equal(names.count, list.length);
    const full = await json(client, "list_api_resources", { title_only: false });
    const pods = (full.resources as Json[]).find((r) =>
      r.name === "pods" && r.apiVersion === "v1"
    )!;
    assert.deepEqual(pods, {
      name: "pods",
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      verbs: pods.verbs,
      shortNames: ["po"],
      apiVersion: "v1",
      categories: ["all"],
    });
    assert.ok((pods.verbs as string[]).includes("list"));
    const nometrics = await json(client, "list_api_resources", { context: "nometrics" });
    assert.ok(!(nometrics.resources as string[]).some((r) => r.endsWith(".metrics.k8s.io")));
    // A page carries fields the output schema does not name: a checking client must take them.
    const page = await json(client, "list_api_resources", { limit: 2 });
    assert.deepEqual([page.count, page.hasMore, page.nextOffset], [2, true, 2]);
  });

  await t.step("list_contexts: the testenv's contexts, current first", async () => {
    const r = await json(client, "list_contexts");
    const contexts = r.contexts as { name: string; current: boolean; namespace?: string }[];
    assert.equal(contexts[0]!.name, seed.CURRENT_CONTEXT);
    assert.equal(contexts[0]!.current, true);
    assert.deepEqual(contexts.map((c) => c.name).sort(), Object.keys(seed.CONTEXTS).sort());
    assert.equal(contexts.find((c) => c.name === "viewer")!.namespace, "team-a");
  });

  await t.step("get_pod_containers: init, regular and ephemeral containers", async () => {
    const r = await json(client, "get_pod_containers", { name: POD.web1 });
    // The Go server's shape: regular container names only, in spec order.
    assert.deepEqual(r.containers, ["app", "sidecar"]);
    const cs = r.container_details as Json[];
    assert.deepEqual(cs.map((c) => `${c.type}:${c.name}`), [
      "init:init-config",
      "container:app",
      "container:sidecar",
    ]);
    const app = cs[1]!;
    assert.equal(app.image, "nginx:1.27.3");
    assert.equal(app.state, "running");
    assert.equal(app.restartCount, 1);
    assert.equal(app.lastState, "terminated (OOMKilled, exit 137)");
    const debug = await json(client, "get_pod_containers", { name: POD.debugTarget });
    assert.deepEqual(
      (debug.container_details as Json[]).map((c) => `${c.type}:${c.name}`),
      ["container:app", "ephemeral:debugger"],
    );
    assert.deepEqual(debug.containers, ["app"]);
    const crash = await json(client, "get_pod_containers", { name: POD.crashloop });
    assert.equal((crash.container_details as Json[])[0]!.state, "waiting (CrashLoopBackOff)");
    const err = await callError(client, "get_pod_containers", {
      name: "ghost",
      namespace: "team-a",
    });
    assert.match(err, /404 .*pods "ghost" not found/);
  });

  await t.step("get_logs: tail, filters, regex, previous, containers", async () => {
    const web = `mcp-test/${POD.web1}/app`;
    const tail = await json(client, "get_logs", { name: POD.web1, container: "app", max_lines: 3 });
    assert.equal(tail.logs, logText(web).slice(-3).join("\n"));
    assert.equal(tail.pod, POD.web1);
    assert.equal(tail.namespace, "mcp-test");
    const asString = await json(client, "get_logs", {
      name: POD.web1,
      container: "app",
      max_lines: "2",
    });
    assert.equal(asString.logs, logText(web).slice(-2).join("\n"));
    const grep = await json(client, "get_logs", {
      name: POD.web1,
      container: "app",
      grep_include: "orders, WARN",
      grep_exclude: "404",
    });
    const want = logText(web).filter((l) =>
      (l.includes("orders") || l.includes("WARN")) && !l.includes("404")
    );
    assert.equal(grep.logs, want.join("\n"));
    assert.ok(want.includes(KNOWN_LOG_LINE));
    const meta = grep.metadata as Json;
    assert.equal(meta.filtered, true);
    assert.deepEqual(meta.grep_include, ["orders", "WARN"]);
    assert.deepEqual(meta.grep_exclude, ["404"]);
    assert.equal(meta.total_lines, logText(web).length);
    assert.equal(meta.matching_lines, want.length);
    const last = await json(client, "get_logs", {
      name: POD.web1,
      container: "app",
      grep_include: "GET",
      max_lines: 2,
    });
    assert.equal(last.logs, logText(web).filter((l) => l.includes("GET")).slice(-2).join("\n"));
    const regex = await json(client, "get_logs", {
      name: POD.web1,
      container: "app",
      grep_include: "^GET /api/orders/\\d{1,3} ",
      use_regex: true,
    });
    assert.equal(
      regex.logs,
      logText(web).filter((l) => /^GET \/api\/orders\/\d{1,3} /.test(l)).join("\n"),
    );
    const prev = await json(client, "get_logs", {
      name: POD.web1,
      container: "app",
      previous: true,
    });
    assert.equal(prev.logs, logText(web, "previous").join("\n"));
    const sidecar = await json(client, "get_logs", { name: POD.web1, container: "sidecar" });
    assert.equal(sidecar.logs, logText(`mcp-test/${POD.web1}/sidecar`).join("\n"));
    const init = await json(client, "get_logs", { name: POD.web1, container: "init-config" });
    assert.equal(init.logs, logText(`mcp-test/${POD.web1}/init-config`).join("\n"));
    const worker = await json(client, "get_logs", { name: POD.worker, previous: true });
    assert.match(String(worker.logs), /ValueError: bad payload in job 17/);
    // label_selector adds a top-level field the output schema does not name.
    const byLabel = await json(client, "get_logs", { label_selector: "app=web", max_lines: 1 });
    assert.equal(byLabel.label_selector, "app=web");
  });

  await t.step("get_logs: since, control sequences and errors", async () => {
    const recent = await json(client, "get_logs", { name: POD.worker, since: "1m" });
    assert.equal(recent.logs, "");
    const all = await json(client, "get_logs", { name: POD.worker, since: "2026-01-01T00:00:00Z" });
    assert.equal(all.logs, logText(`mcp-test/${POD.worker}/main`).join("\n"));
    const ansi = await json(client, "get_logs", { name: POD.ansi });
    assert.equal(ansi.logs, seed.ANSI_LOG_PLAIN.join("\n"));
    assert.ok(!String(ansi.logs).includes("\x1b") && !String(ansi.logs).includes("\r"));
    // Several containers: kubectl's default (the annotation, else the first), named, the
    // others listed, and a restart pointed at previous.
    const first = await json(client, "get_logs", { name: POD.web1 });
    assert.equal(first.container, "app");
    assert.equal(first.logs, logText(`mcp-test/${POD.web1}/app`).join("\n"));
    const firstMeta = first.metadata as Json;
    assert.deepEqual(firstMeta.other_containers, ["sidecar"]);
    assert.equal(firstMeta.restarts, 1);
    assert.match(String(firstMeta.restart_note), /app restarted 1 time; previous: true/);
    const annotated = await json(client, "get_logs", { name: POD.web2 });
    assert.equal(annotated.container, "sidecar");
    assert.equal(annotated.logs, logText(`mcp-test/${POD.web2}/sidecar`).join("\n"));
    assert.deepEqual((annotated.metadata as Json).other_containers, ["app"]);
    assert.equal((annotated.metadata as Json).restart_note, undefined);
    const lastRun = await json(client, "get_logs", { name: POD.web1, previous: true });
    assert.equal(lastRun.logs, logText(`mcp-test/${POD.web1}/app`, "previous").join("\n"));
    assert.equal((lastRun.metadata as Json).restart_note, undefined);
    assert.match(
      await callError(client, "get_logs", { name: POD.web1, since: "yesterday" }),
      /"5m"/,
    );
    assert.match(
      await callError(client, "get_logs", { name: POD.ansi, grep_include: "(", use_regex: true }),
      /invalid include regex "\("/,
    );
    assert.match(
      await callError(client, "get_logs", { name: POD.web2, container: "app", previous: true }),
      /400 .*previous terminated container "app" in pod/,
    );
    assert.match(
      await callError(client, "get_logs", {
        name: POD.api,
        namespace: "team-b",
        context: "viewer",
      }),
      /403 \(Forbidden\): pods "api-6b8d9f7c5-q7w2e" is forbidden: User "mcp-viewer" cannot get resource "pods\/log"/,
    );
  });

  await t.step("get_pod_metrics and get_node_metrics: lists, pages, single objects", async () => {
    const one = await json(client, "get_pod_metrics", {
      namespace: "mcp-test",
      pod_name: POD.web1,
    });
    assert.equal((one.metadata as Json).name, POD.web1);
    assert.deepEqual(
      (one.containers as { name: string; usage: Json }[]).find((c) => c.name === "app")!.usage,
      seed.containerUsage("mcp-test", POD.web1, "app"),
    );
    const ns = await json(client, "get_pod_metrics", { namespace: "team-a" });
    assert.equal(ns.kind, "PodMetricsList");
    assert.deepEqual(
      (ns.items as { metadata: Json }[]).map((i) => i.metadata.name).sort(),
      [POD.api, POD.cache].sort(),
    );
    const stamps = (ns.items as { timestamp: string }[]).map((i) => i.timestamp);
    assert.deepEqual(stamps, [...stamps].sort().reverse());
    const pages: string[] = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const page = await json(client, "get_pod_metrics", {
        namespace: "mcp-test",
        limit: 3,
        ...(token ? { continue: token } : {}),
      });
      pages.push(...(page.items as { metadata: Json }[]).map((i) => String(i.metadata.name)));
      token = page.continue as string | undefined;
      calls++;
    } while (token && calls < 20);
    const expected = seed.PODS.filter((p) => p.namespace === "mcp-test" && seed.hasMetrics(p));
    assert.equal(pages.length, expected.length);
    assert.deepEqual([...pages].sort(), expected.map((p) => p.name).sort());
    assert.equal(calls, Math.ceil(expected.length / 3));
    const nodes = await json(client, "get_node_metrics", { title_only: true });
    assert.deepEqual(nodes.items, [...seed.NODES]);
    const node = await json(client, "get_node_metrics", { node_name: "fake-node-2" });
    assert.deepEqual(node.usage, seed.nodeUsage("fake-node-2"));
  });

  await t.step("metrics: not found, bad tokens, no metrics API", async () => {
    assert.match(
      await callError(client, "get_pod_metrics", { namespace: "mcp-test", pod_name: "ghost" }),
      /^no metrics for pod "mcp-test\/ghost": it does not exist/,
    );
    assert.match(
      await callError(client, "get_node_metrics", { node_name: "ghost" }),
      /^no metrics for node "ghost"/,
    );
    assert.match(
      await callError(client, "get_pod_metrics", { pod_name: POD.web1 }),
      /namespace is required when specifying pod_name/,
    );
    assert.match(
      await callError(client, "get_pod_metrics", { limit: 5, continue: btoa('{"offset":-4}') }),
      /whole number of 0 or more/,
    );
    assert.match(
      await callError(client, "get_node_metrics", { context: "nometrics" }),
      /does not serve the metrics API \(metrics\.k8s\.io\): metrics-server is not installed/,
    );
  });

  // Every transport and generation carries the diagnosis tools' structured answers too (their
  // cases are in diagnose_test.ts).
  await t.step("describe_resource and get_cluster_health", async () => {
    const d = await json(client, "describe_resource", { resource_type: "pod", name: POD.web1 });
    assert.equal((d.resource as { metadata: Json }).metadata.name, POD.web1);
    assert.ok(Array.isArray(d.events) && d.events.length > 0);
    assert.deepEqual(d.event_columns, ["type", "reason", "age", "from", "message"]);
    assert.deepEqual(d.owners, [
      `ReplicaSet/${seed.WEB_DEPLOYMENT.replicaSet}`,
      `Deployment/${seed.WEB_DEPLOYMENT.name}`,
    ]);
    const h = await json(client, "get_cluster_health");
    assert.equal(h.status, "degraded", "the seeded not-Ready node");
    assert.match(String(h.summary), /API server ready/);
  });

  await t.step("base64 tools", async () => {
    // Not a seeded Secret value: the session recorder fails on any of those in a result.
    const r = await json(client, "decode_base64", { data: btoa("plain-mcp-text") });
    assert.equal(r.decoded, "plain-mcp-text");
    const e = await json(client, "encode_base64", { data: "plain-mcp-text" });
    assert.equal(e.encoded, btoa("plain-mcp-text"));
  });
}
