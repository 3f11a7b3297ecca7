// The test control plane itself (scripts/testenv): RBAC, logs through the real apiserver's log
// proxy, metrics through the aggregator, the cluster without metrics, the audit log. The
// requests here are raw API calls (no MCP server): they prove what the server's tests rely on.

import assert from "node:assert/strict";
import { integration, seed, testenv } from "./_helpers/testenv.ts";
import { parseLabelSelector } from "../scripts/testenv/label_selector.ts";
import { readLog } from "../scripts/testenv/log_reader.ts";

const { POD, LOGS, KNOWN_LOG_LINE } = seed;
const podPath = (ns: string, pod: string) => `/api/v1/namespaces/${ns}/pods/${pod}`;
const web1App = LOGS[`mcp-test/${POD.web1}/app`]!;
const text = (lines: seed.LogLine[]) => lines.map((l) => `${l.text}\n`).join("");

integration(
  "RBAC: viewer reads team-a only, nobody reads nothing, reader reads everything",
  async (env) => {
    const viewer = await env.client("viewer");
    const nobody = await env.client("nobody");
    const reader = await env.client("reader");
    try {
      const own = await viewer.get(`/api/v1/namespaces/${seed.VIEWER_NAMESPACE}/pods`);
      assert.deepEqual(
        own.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort(),
        [POD.api, POD.cache],
      );
      const other = await viewer.raw("GET", "/api/v1/namespaces/team-b/pods");
      assert.equal(other.status, 403);
      const status = JSON.parse(other.text);
      assert.equal(status.reason, "Forbidden");
      assert.match(status.message, /User "mcp-viewer" cannot list resource "pods".*"team-b"/);
      assert.equal((await viewer.raw("GET", "/api/v1/namespaces/team-a/secrets")).status, 200);
      assert.equal((await viewer.raw("GET", "/api/v1/pods")).status, 403); // cluster-wide
      assert.equal((await nobody.raw("GET", "/api/v1/namespaces/mcp-test/pods")).status, 403);
      assert.equal((await reader.raw("GET", "/api/v1/namespaces/team-b/secrets")).status, 200);
      const bulk = await reader.get(`/api/v1/namespaces/${seed.BULK_NAMESPACE}/pods`);
      assert.equal(bulk.items.length, seed.BULK_POD_COUNT);
      const widgets = await reader.get("/apis/example.com/v1/namespaces/mcp-test/widgets");
      assert.deepEqual(widgets.items.map((w: { metadata: { name: string } }) => w.metadata.name), [
        "alpha",
        "beta",
      ]);
    } finally {
      viewer.close();
      nobody.close();
      reader.close();
    }
  },
);

integration(
  "kubeconfig: the contexts, current-context reader, cert and token users",
  async (env) => {
    const kc = await Deno.readTextFile(env.kubeconfig);
    assert.match(kc, /current-context: "reader"/);
    for (const name of Object.keys(seed.CONTEXTS)) {
      assert.match(
        kc,
        new RegExp(`- name: "${name}"`),
      );
    }
    assert.match(kc, /client-certificate-data: /);
    assert.match(kc, /client-certificate: "/);
    assert.match(kc, /token: "viewer-/);
  },
);

integration(
  "logs through the apiserver: tailLines, previous, timestamps, sinceTime, limitBytes",
  async (env) => {
    const reader = await env.client("reader");
    try {
      const log = (pod: string, q: string) =>
        reader.raw("GET", `${podPath("mcp-test", pod)}/log?${q}`);
      const all = await log(POD.web1, "container=app");
      assert.equal(all.status, 200);
      assert.equal(all.text, text(web1App.current));
      assert.ok(all.text.includes(KNOWN_LOG_LINE));

      assert.equal(
        (await log(POD.web1, "container=app&tailLines=2")).text,
        text(web1App.current.slice(-2)),
      );
      assert.equal((await log(POD.web1, "container=app&tailLines=0")).text, "");
      assert.equal(
        (await log(POD.web1, "container=app&previous=true")).text,
        text(web1App.previous!),
      );
      const ts = await log(POD.web1, "container=app&timestamps=true&tailLines=1");
      assert.equal(ts.text, `${web1App.current.at(-1)!.ts} ${web1App.current.at(-1)!.text}\n`);
      // sinceTime has seconds precision on the API: every line at or after that second.
      const since = web1App.current[7]!.ts.slice(0, 19) + "Z";
      assert.equal(
        (await log(POD.web1, `container=app&sinceTime=${since}`)).text,
        text(web1App.current.slice(7)),
      );
      assert.equal((await log(POD.web1, "container=app&sinceSeconds=60")).text, ""); // lines are old
      assert.equal(
        (await log(POD.web1, "container=app&limitBytes=10")).text,
        text(web1App.current).slice(0, 10),
      );

      const noPrevious = await log(POD.web2, "container=app&previous=true");
      assert.equal(noPrevious.status, 400);
      assert.match(
        JSON.parse(noPrevious.text).message,
        /previous terminated container "app" in pod ".*" not found/,
      );
      const noContainer = await log(POD.web1, "container=nope");
      assert.equal(noContainer.status, 400);
      assert.equal((await log(POD.web1, "")).status, 400); // multi-container pod needs a container

      const ansi = await log(POD.ansi, "");
      assert.ok(ansi.text.includes("\u001b[1;31mERROR"));
      assert.ok(ansi.text.includes("\r\n\r\n"));
      assert.equal((await log(POD.initDemo, "container=init-db")).status, 200);
      assert.equal((await log(POD.debugTarget, "container=debugger")).status, 200);
      assert.equal((await log(POD.pending, "")).text, ""); // not scheduled: empty, like a real cluster

      const big = await log(POD.biglog, "tailLines=1");
      assert.match(big.text, new RegExp(`^${seed.BIGLOG.marker} `));
    } finally {
      reader.close();
    }
  },
);

integration("metrics.k8s.io through the aggregator", async (env) => {
  const reader = await env.client("reader");
  try {
    const list = await reader.get("/apis/metrics.k8s.io/v1beta1/namespaces/mcp-test/pods");
    assert.equal(list.kind, "PodMetricsList");
    const expected = seed.PODS.filter((p) => p.namespace === "mcp-test" && seed.hasMetrics(p));
    assert.deepEqual(
      list.items.map((m: { metadata: { name: string } }) => m.metadata.name).sort(),
      expected.map((p) => p.name).sort(),
    );
    const web = list.items.find((m: { metadata: { name: string } }) =>
      m.metadata.name === POD.web1
    );
    assert.deepEqual(web.containers, [
      { name: "app", usage: seed.containerUsage("mcp-test", POD.web1, "app") },
      { name: "sidecar", usage: seed.containerUsage("mcp-test", POD.web1, "sidecar") },
    ]);
    assert.ok(new Set(list.items.map((m: { timestamp: string }) => m.timestamp)).size > 1);

    const bulk = await reader.get("/apis/metrics.k8s.io/v1beta1/namespaces/bulk/pods");
    assert.equal(bulk.items.length, seed.BULK_POD_COUNT);
    const shard = await reader.get(
      "/apis/metrics.k8s.io/v1beta1/namespaces/bulk/pods?labelSelector=shard%3D3",
    );
    assert.equal(shard.items.length, seed.BULK_POD_COUNT / seed.BULK_SHARDS);
    const nodes = await reader.get("/apis/metrics.k8s.io/v1beta1/nodes");
    assert.deepEqual(nodes.items.map((n: { metadata: { name: string } }) => n.metadata.name), [
      ...seed.NODES,
    ]);

    const missing = await reader.raw(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/namespaces/mcp-test/pods/x",
    );
    assert.equal(missing.status, 404);
    const st = JSON.parse(missing.text);
    assert.equal(st.message, 'podmetrics.metrics.k8s.io "x" not found');
    assert.equal(st.reason, "NotFound");

    const viewer = await env.client("viewer");
    try {
      assert.equal(
        (await viewer.raw("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/team-b/pods")).status,
        403,
      );
      assert.equal(
        (await viewer.raw("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods")).status,
        200,
      );
    } finally {
      viewer.close();
    }
  } finally {
    reader.close();
  }
});

integration("nometrics context: a real apiserver without metrics.k8s.io", async (env) => {
  const c = await env.client("nometrics");
  try {
    const disc = await c.raw("GET", "/apis/metrics.k8s.io/v1beta1");
    assert.equal(disc.status, 404);
    const groups = await c.get("/apis");
    assert.ok(!groups.groups.some((g: { name: string }) => g.name === "metrics.k8s.io"));
    const pods = await c.get("/api/v1/namespaces/mcp-test/pods");
    assert.deepEqual(pods.items.map((p: { metadata: { name: string } }) => p.metadata.name), [
      POD.solo,
    ]);
    assert.equal((await c.raw("GET", `${podPath("mcp-test", POD.solo)}/log`)).status, 200);
  } finally {
    c.close();
  }
});

integration("audit log: verbs and resources a user issued", async (env) => {
  const mark = await env.auditMark();
  const userAgent = `testenv-audit-${crypto.randomUUID()}`;
  const viewer = await env.client("viewer", { userAgent });
  try {
    await viewer.raw("GET", "/api/v1/namespaces/team-a/pods");
    await viewer.raw("GET", `${podPath("team-a", POD.api)}/log?tailLines=1`);
    await viewer.raw("GET", "/api/v1/namespaces/team-b/configmaps");
  } finally {
    viewer.close();
  }
  const query = { since: mark, userAgent };
  const summary = await env.auditSummary("mcp-viewer", query);
  assert.deepEqual(summary, ["list pods", "get pods/log", "list configmaps"]);
  const events = await env.auditEvents("mcp-viewer", query);
  assert.deepEqual(events.map((e) => [e.namespace, e.code, e.decision]), [
    ["team-a", 200, "allow"],
    ["team-a", 200, "allow"],
    ["team-b", 403, "forbid"],
  ]);
  assert.ok(events.every((e) => e.stage === "ResponseComplete"));
});

integration("testenv() gives the same environment", async (env) => {
  const again = await testenv();
  assert.equal(again.kubeconfig, env.kubeconfig);
  assert.equal(env.currentContext, "reader");
});

// ---------------------------------------------------------------- no cluster needed

Deno.test("label selectors like the apiserver's", () => {
  const l = { app: "web", tier: "frontend" };
  assert.ok(parseLabelSelector("app=web,tier in (frontend, backend)")(l));
  assert.ok(parseLabelSelector("app==web,!missing,tier")(l));
  assert.ok(!parseLabelSelector("app!=web")(l));
  assert.ok(!parseLabelSelector("tier notin (frontend)")(l));
  assert.throws(() => parseLabelSelector("app=(x"));
});

Deno.test("fake kubelet log reader: tail, since, timestamps, limit, no final newline", async () => {
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(
      file,
      "2026-01-01T00:00:01Z one\n2026-01-01T00:00:02.5Z two\n\n2026-01-01T00:00:03Z three",
    );
    const read = async (q: Parameters<typeof readLog>[1]) =>
      await new Response(await readLog(file, q)).text();
    assert.equal(await read({ timestamps: false }), "one\ntwo\n\nthree\n");
    assert.equal(await read({ timestamps: false, tailLines: 2 }), "\nthree\n");
    assert.equal(await read({ timestamps: true, tailLines: 1 }), "2026-01-01T00:00:03Z three\n");
    assert.equal(
      await read({
        timestamps: false,
        since: [Date.parse("2026-01-01T00:00:02Z") / 1000, 600_000_000],
      }),
      "\nthree\n",
    );
    assert.equal(await read({ timestamps: false, limitBytes: 5 }), "one\nt");
  } finally {
    await Deno.remove(file);
  }
});
