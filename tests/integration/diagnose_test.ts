// The diagnosis tools and parameters against the real test cluster, through main.ts over stdio:
// describe_resource, get_cluster_health, events newest first, list extras, API discovery
// filters and pages, get_logs timestamps / skip_lines / label_selector, and every partial
// failure (403 on events, on an owner, on nodes; a disabled part) answered with the rest.

import assert from "node:assert/strict";
import { callError, callJson, connectStdio } from "../_helpers/connect.ts";
import { integration, seed } from "../_helpers/testenv.ts";

const { POD, LOGS, EVENTS, WEB_DEPLOYMENT, NOT_READY_NODE } = seed;
type Json = Record<string, unknown>;
type Unavailable = { part: string; reason: string }[];

/** Reasons of the seeded events about one object, newest first (by their own time). */
function reasonsOf(name: string): string[] {
  return EVENTS.filter((e) => e.namespace === "mcp-test" && e.involvedPod === name)
    .sort((a, b) => a.ageSeconds - b.ageSeconds).map((e) => e.reason);
}

/** describe_resource's event rows as objects keyed by its event_columns. */
function eventRows(d: Json): Json[] {
  const columns = d.event_columns as string[] | undefined;
  const rows = d.events as string[][];
  if (rows.length) assert.deepEqual(columns, ["type", "reason", "age", "from", "message"]);
  return rows.map((r) => Object.fromEntries(columns!.map((c, i) => [c, r[i]])));
}

function logLines(key: string): { ts: string; text: string }[] {
  return LOGS[key]!.current;
}

integration("diagnosis tools against the test cluster", async (env, t) => {
  const { client, close } = await connectStdio(["--kubeconfig", env.kubeconfig]);
  const json = async (tool: string, args: Json = {}) => await callJson(client, tool, args) as Json;
  try {
    await t.step("describe_resource: a pod with its events and owner chain", async () => {
      const d = await json("describe_resource", { resource_type: "pod", name: POD.web1 });
      const resource = d.resource as Json & { metadata: Json; spec: Json; status: Json };
      assert.equal(resource.metadata.name, POD.web1);
      assert.equal(resource.metadata.managedFields, undefined, "stripped as get_resource does");
      assert.ok(resource.spec && resource.status);
      // kubectl describe's cut: ids, owner references and API defaults out, states kept.
      assert.equal(resource.metadata.uid, undefined);
      assert.equal(resource.metadata.ownerReferences, undefined, "owners has them");
      assert.equal(resource.spec.dnsPolicy, undefined);
      assert.equal(resource.spec.tolerations, undefined, "only the default tolerations");
      const containers = resource.spec.containers as Json[];
      assert.deepEqual(containers.map((c) => [c.name, c.image, c.terminationMessagePath]), [
        ["app", "nginx:1.27.3", undefined],
        ["sidecar", "fluent/fluent-bit:3.1", undefined],
      ]);
      const statuses = resource.status.containerStatuses as Json[];
      assert.deepEqual(statuses[0]!.lastState, {
        terminated: {
          exitCode: 137,
          reason: "OOMKilled",
          startedAt: (statuses[0]!.lastState as { terminated: Json }).terminated.startedAt,
          finishedAt: (statuses[0]!.lastState as { terminated: Json }).terminated.finishedAt,
        },
      });
      assert.equal(statuses[0]!.restartCount, 1);
      assert.equal(statuses[0]!.containerID, undefined);
      assert.ok(
        (resource.status.conditions as Json[]).some((c) => c.type === "Ready"),
        "conditions stay",
      );
      const events = eventRows(d);
      // The events.k8s.io event has only eventTime: it sorts by that, not by creation.
      assert.deepEqual(events.map((e) => e.reason), reasonsOf(POD.web1));
      const oom = events.find((e) => e.reason === "OOMKilling")!;
      assert.equal(oom.type, "Warning");
      assert.match(String(oom.age), /^\d+[smhd][\dsmh]*$/, "one occurrence: its age only");
      assert.equal(oom.from, "kubelet, fake-node-1");
      assert.match(String(oom.message), /Memory cgroup out of memory/);
      assert.match(
        String(events.find((e) => e.reason === "Started")!.age),
        /^\S+ \(x2 over \S+\)$/,
      );
      const probe = events.find((e) => e.reason === "Unhealthy")!;
      assert.match(String(probe.message), /Readiness probe failed/);
      assert.equal(probe.from, "kubelet, fake-node-1");
      assert.deepEqual(d.owners, [
        `ReplicaSet/${WEB_DEPLOYMENT.replicaSet}`,
        `Deployment/${WEB_DEPLOYMENT.name}`,
      ]);
      assert.equal(d.unavailable, undefined);
      assert.equal(d.events_total, undefined);
    });

    await t.step(
      "describe_resource: events_limit, a ReplicaSet, a Deployment, a Node",
      async () => {
        const few = await json("describe_resource", {
          resource_type: "po",
          name: POD.web1,
          events_limit: 2,
        });
        assert.deepEqual(
          eventRows(few).map((e) => e.reason),
          reasonsOf(POD.web1).slice(0, 2),
        );
        assert.equal(few.events_total, reasonsOf(POD.web1).length);
        assert.match(String(few.events_note), /raise events_limit/);
        const none = await json("describe_resource", {
          resource_type: "po",
          name: POD.web1,
          events_limit: 0,
        });
        assert.equal(none.events, undefined);
        const rs = await json("describe_resource", {
          resource_type: "replicasets",
          name: WEB_DEPLOYMENT.replicaSet,
        });
        assert.deepEqual(
          eventRows(rs).map((e) => e.reason),
          reasonsOf(WEB_DEPLOYMENT.replicaSet),
        );
        assert.equal(
          eventRows(rs).find((e) => e.reason === "FailedCreate")!.type,
          "Warning",
        );
        assert.equal(eventRows(rs)[0]!.from, "replicaset-controller");
        assert.deepEqual(rs.owners, [`Deployment/${WEB_DEPLOYMENT.name}`]);
        const dep = await json("describe_resource", {
          resource_type: "deploy",
          name: WEB_DEPLOYMENT.name,
          api_version: "apps/v1",
        });
        assert.deepEqual(eventRows(dep).map((e) => e.reason), ["ScalingReplicaSet"]);
        assert.equal(dep.owners, undefined, "no owners: none listed");
        const template = (dep.resource as { spec: { template: { spec: Json } } }).spec.template
          .spec;
        assert.equal(template.dnsPolicy, undefined, "the pod template's defaults are cut too");
        assert.equal((template.containers as Json[]).length, 2);
        const node = await json("describe_resource", {
          resource_type: "node",
          name: "fake-node-1",
        });
        assert.equal((node.resource as Json).kind, "Node");
        assert.deepEqual(node.events, []);
        assert.equal(node.event_columns, undefined);
        assert.match(
          await callError(client, "describe_resource", { resource_type: "pod", name: "ghost" }),
          /404 \(NotFound\): pods "ghost" not found/,
        );
      },
    );

    await t.step("describe_resource: 403 on events and on an owner leaves the rest", async () => {
      const d = await json("describe_resource", {
        resource_type: "pod",
        name: POD.web1,
        context: "podreader",
      });
      assert.equal(((d.resource as Json).metadata as Json).name, POD.web1);
      assert.equal(d.events, undefined);
      assert.deepEqual(d.owners, [
        `ReplicaSet/${WEB_DEPLOYMENT.replicaSet}`,
        `Deployment/${WEB_DEPLOYMENT.name}`,
      ]);
      const unavailable = d.unavailable as Unavailable;
      assert.deepEqual(unavailable.map((u) => u.part).sort(), ["events", "owners"]);
      assert.match(
        unavailable.find((u) => u.part === "events")!.reason,
        /^forbidden: events is forbidden: User "mcp-podreader" cannot list resource "events"/,
      );
      assert.match(
        unavailable.find((u) => u.part === "owners")!.reason,
        /^Deployment web: forbidden: .*"mcp-podreader" cannot get resource "deployments"/,
      );
    });

    await t.step("get_cluster_health: degraded by a node that is not Ready", async () => {
      const h = await json("get_cluster_health");
      assert.equal(h.status, "degraded");
      assert.match(String(h.summary), /API server ready; 1 of 2 nodes not Ready/);
      const nodes = h.nodes as Json[];
      assert.equal(nodes[0]!.name, NOT_READY_NODE.name, "the worst node first");
      assert.equal(nodes[0]!.ready, false);
      assert.deepEqual(
        (nodes[0]!.conditions as Json[]).map((c) => [c.type, c.status, c.reason]),
        [
          ["DiskPressure", "True", "KubeletHasDiskPressure"],
          ["Ready", "False", "KubeletNotReady"],
        ],
      );
      assert.deepEqual(nodes[0]!.ok_conditions, ["MemoryPressure", "PIDPressure"]);
      assert.deepEqual(nodes[1], {
        name: "fake-node-1",
        ready: true,
        conditions: [],
        ok_conditions: ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"],
      });
      assert.deepEqual(h.node_counts, { total: 2, ready: 1, not_ready: 1, shown: 2 });
      const components = h.components as Record<string, Json>;
      for (const endpoint of ["readyz", "livez"]) {
        // Every check passed: counted, and none listed.
        assert.deepEqual(
          { ...components[endpoint]!, passed: undefined },
          { status: "ok", passed: undefined, checks: [] },
          endpoint,
        );
        assert.ok((components[endpoint]!.passed as number) > 10, endpoint);
      }
      // No scheduler or controller-manager runs in the test cluster: componentstatuses says so.
      const statuses = components.componentstatuses as unknown as Json[];
      assert.ok(Array.isArray(statuses), JSON.stringify(components));
      const scheduler = statuses.find((c) => c.name === "scheduler");
      assert.equal(scheduler?.status, "Unhealthy");
      assert.ok(scheduler?.message);
      assert.equal(h.unavailable, undefined);
    });

    await t.step("get_cluster_health: healthy cluster; forbidden parts reported", async () => {
      const ok = await json("get_cluster_health", { context: "nometrics" });
      assert.equal(ok.status, "healthy");
      assert.deepEqual(ok.node_counts, { total: 2, ready: 2, not_ready: 0, shown: 2 });
      const nobody = await json("get_cluster_health", { context: "nobody" });
      assert.equal(nobody.status, "healthy");
      assert.match(String(nobody.summary), /nodes could not be read/);
      assert.equal(nobody.nodes, undefined);
      assert.equal((nobody.components as Json).readyz !== undefined, true);
      const unavailable = nobody.unavailable as Unavailable;
      assert.deepEqual(unavailable.map((u) => u.part).sort(), ["componentstatuses", "nodes"]);
      assert.match(
        unavailable.find((u) => u.part === "nodes")!.reason,
        /^forbidden: nodes is forbidden: User "mcp-nobody" cannot list resource "nodes"/,
      );
    });

    await t.step(
      "list_resources: events newest first by their own time, limit, selectors",
      async () => {
        const all = await json("list_resources", {
          resource_type: "events",
          title_only: false,
          field_selector: `involvedObject.name=${POD.web1}`,
        });
        const items = all.items as { metadata: Json; event: Json }[];
        assert.deepEqual(items.map((i) => i.event.reason), reasonsOf(POD.web1));
        assert.equal(items[0]!.event.type, "Normal");
        const warnings = EVENTS.filter((e) => e.namespace === "mcp-test" && e.type === "Warning")
          .sort((a, b) => a.ageSeconds - b.ageSeconds).map((e) => e.name);
        const warn = await json("list_resources", {
          resource_type: "ev",
          field_selector: "type=Warning",
          title_only: true,
        });
        assert.deepEqual((warn.items as Json[]).map((i) => i.name), warnings);
        const newest = await json("list_resources", {
          resource_type: "ev",
          field_selector: "type=Warning",
          limit: 2,
          title_only: true,
        });
        assert.deepEqual((newest.items as Json[]).map((i) => i.name), warnings.slice(0, 2));
        assert.equal(newest.remaining_items, warnings.length - 2);
        assert.equal(newest.continue, undefined);
        const v1 = await json("list_resources", {
          resource_type: "events.events.k8s.io",
          field_selector: "type=Warning",
          title_only: true,
        });
        assert.deepEqual((v1.items as Json[]).map((i) => i.name), warnings);
        // The default: kubectl get events' columns, newest first by the events' own time,
        // the same order and the same cut as the names above.
        const warnReasons = EVENTS.filter((e) => e.namespace === "mcp-test" && e.type === "Warning")
          .sort((a, b) => a.ageSeconds - b.ageSeconds).map((e) => e.reason);
        for (const type of ["ev", "events.events.k8s.io"]) {
          const table = await json("list_resources", {
            resource_type: type,
            field_selector: "type=Warning",
            limit: 2,
          });
          assert.deepEqual(table.columns, ["last_seen", "type", "reason", "object", "message"]);
          const rows = table.items as string[][];
          assert.deepEqual(rows.map((r) => r[2]), warnReasons.slice(0, 2), type);
          assert.ok(rows.every((r) => r[1] === "Warning" && /^\w+\/\S+$/.test(r[3]!)), type);
          assert.equal(table.remaining_items, warnings.length - 2);
          const wide = await json("list_resources", { resource_type: type, wide: true, limit: 1 });
          assert.ok((wide.columns as string[]).includes("name"), "wide adds the event's name");
        }
      },
    );

    await t.step("list_resources: remaining_items and resource_version", async () => {
      const page = await json("list_resources", {
        resource_type: "pods",
        namespace: seed.BULK_NAMESPACE,
        limit: 100,
      });
      assert.equal(page.count, 100);
      assert.equal(page.remaining_items, seed.BULK_POD_COUNT - 100);
      assert.match(String(page.resource_version), /^\d+$/);
      assert.ok(page.continue);
      const small = await json("list_resources", { resource_type: "pods" });
      assert.match(String(small.resource_version), /^\d+$/);
      assert.equal(small.remaining_items, undefined);
    });

    await t.step("list_api_resources: api_group, namespaced, verbs, limit and offset", async () => {
      const plain = await json("list_api_resources");
      assert.equal(plain.totalCount, undefined, "defaults keep today's answer");
      const apps = await json("list_api_resources", { api_group: "apps", title_only: false });
      const appsItems = apps.resources as Json[];
      assert.ok(appsItems.length >= 4);
      assert.ok(appsItems.every((r) => r.apiVersion === "apps/v1"));
      assert.equal(apps.totalCount, appsItems.length);
      assert.equal(apps.hasMore, false);
      const core = await json("list_api_resources", { api_group: "core" });
      assert.ok((core.resources as string[]).includes("pods"));
      assert.ok(!(core.resources as string[]).includes("deployments"));
      const cluster = await json("list_api_resources", { namespaced: false, title_only: false });
      assert.ok((cluster.resources as Json[]).every((r) => r.namespaced === false));
      assert.ok((cluster.resources as Json[]).some((r) => r.name === "nodes"));
      const watchable = await json("list_api_resources", {
        verbs: ["list", "watch"],
        title_only: false,
      });
      assert.ok(
        (watchable.resources as { verbs: string[] }[]).every((r) =>
          r.verbs.includes("list") && r.verbs.includes("watch")
        ),
      );
      assert.ok(!(watchable.resources as Json[]).some((r) => r.name === "bindings"));
      const asText = await json("list_api_resources", { verbs: "list, watch" });
      assert.equal(asText.count, watchable.count);
      const walked: string[] = [];
      let offset: number | undefined = 0;
      let pages = 0;
      while (offset !== undefined && pages < 50) {
        const page = await json("list_api_resources", { limit: 10, offset });
        assert.equal(page.totalCount, plain.count);
        assert.ok(page.count as number <= 10);
        walked.push(...page.resources as string[]);
        assert.equal(page.hasMore, page.nextOffset !== undefined);
        offset = page.nextOffset as number | undefined;
        pages++;
      }
      assert.deepEqual(walked, plain.resources);
      assert.equal(pages, Math.ceil((plain.count as number) / 10));
    });

    await t.step("get_logs: timestamps; filters still match the message", async () => {
      const key = `mcp-test/${POD.web1}/app`;
      const r = await json("get_logs", { name: POD.web1, container: "app", timestamps: true });
      assert.equal(r.logs, logLines(key).map((l) => `${l.ts} ${l.text}`).join("\n"));
      assert.equal((r.metadata as Json).timestamps, true);
      const grep = await json("get_logs", {
        name: POD.web1,
        container: "app",
        timestamps: true,
        grep_include: "^GET /api",
        use_regex: true,
      });
      const want = logLines(key).filter((l) => /^GET \/api/.test(l.text));
      assert.ok(want.length >= 3);
      assert.equal(grep.logs, want.map((l) => `${l.ts} ${l.text}`).join("\n"));
    });

    await t.step("get_logs: skip_lines pages forward through matches", async () => {
      const key = `mcp-test/${POD.web1}/app`;
      const matches = logLines(key).map((l) => l.text).filter((l) => l.startsWith("GET"));
      const pages: string[][] = [];
      let skip: number | undefined = 0;
      while (skip !== undefined && pages.length < 10) {
        const r = await json("get_logs", {
          name: POD.web1,
          container: "app",
          grep_include: "GET",
          skip_lines: skip,
          max_lines: 2,
        });
        const meta = r.metadata as Json;
        assert.equal(meta.skip_lines, skip);
        pages.push(String(r.logs).split("\n"));
        skip = meta.next_skip_lines as number | undefined;
        if (skip !== undefined) assert.match(String(meta.note), new RegExp(`skip_lines=${skip}`));
      }
      assert.deepEqual(pages.flat(), matches);
      assert.equal(pages.length, Math.ceil(matches.length / 2));
      const head = await json("get_logs", {
        name: POD.web1,
        container: "app",
        skip_lines: 0,
        max_lines: 3,
      });
      assert.equal(head.logs, logLines(key).slice(0, 3).map((l) => l.text).join("\n"));
    });

    await t.step("get_logs: label_selector reads every matching pod, merged by time", async () => {
      const web = await json("get_logs", { label_selector: "app=web", container: "app" });
      const expected = [POD.web1, POD.web2].flatMap((pod) =>
        logLines(`mcp-test/${pod}/app`).map((l) => ({ ts: l.ts, line: `[${pod}/app] ${l.text}` }))
      ).sort((a, b) => (a.ts < b.ts ? -1 : 1)).map((x) => x.line);
      assert.equal(web.logs, expected.join("\n"));
      const meta = web.metadata as Json;
      assert.deepEqual((meta.pods as string[]).sort(), [POD.web1, POD.web2].sort());
      assert.equal(meta.total_lines, expected.length);
      assert.equal(web.label_selector, "app=web");
      // Without container: each pod's default, as kubectl logs -l reads (web2's annotation
      // names its sidecar; web1 has none, so its first container, app).
      const every = await json("get_logs", {
        label_selector: "app=web",
        grep_include: "fluent-bit, nginx",
        timestamps: true,
      });
      const lines = String(every.logs).split("\n");
      assert.ok(
        lines.includes(
          `[${POD.web2}/sidecar] ${
            logLines(`mcp-test/${POD.web2}/sidecar`)[0]!.ts
          } [fluent-bit] started`,
        ),
        every.logs as string,
      );
      assert.deepEqual(
        [...new Set(lines.map((l) => l.slice(0, l.indexOf("]") + 1)))].sort(),
        [`[${POD.web1}/app]`, `[${POD.web2}/sidecar]`].sort(),
      );
      const everyMeta = every.metadata as Json;
      assert.deepEqual(everyMeta.other_containers, {
        [POD.web1]: ["sidecar"],
        [POD.web2]: ["app"],
      });
      assert.deepEqual(everyMeta.restarts, { [`${POD.web1}/app`]: 1 });
      assert.match(String(everyMeta.restart_note), /previous: true/);
      const tail = await json("get_logs", {
        label_selector: "app=web",
        container: "app",
        max_lines: 2,
      });
      assert.deepEqual(String(tail.logs).split("\n"), expected.slice(-2));
    });

    await t.step("get_logs: label_selector bounds pods and reports a failing one", async () => {
      const prev = await json("get_logs", {
        label_selector: "app=web",
        container: "app",
        previous: true,
      });
      const meta = prev.metadata as Json;
      assert.match(String(prev.logs), /\[web-7d4b9c8f6d-x2x7k\/app\] PREVIOUS-INSTANCE/);
      const failed = meta.failed as Json[];
      assert.equal(failed.length, 1);
      assert.equal(failed[0]!.pod, POD.web2);
      assert.match(String(failed[0]!.error), /previous terminated container "app"/);
      const bulk = await json("get_logs", {
        label_selector: "shard=3",
        namespace: seed.BULK_NAMESPACE,
      });
      const bm = bulk.metadata as Json;
      assert.equal((bm.pods as string[]).length, 10);
      assert.equal(bm.more_pods, true);
      assert.match(String(bm.pods_note), /raise max_pods/);
      assert.equal(bm.returned_lines, 10 * seed.BULK_LOG.length);
      const three = await json("get_logs", {
        label_selector: "shard=3",
        namespace: seed.BULK_NAMESPACE,
        max_pods: 3,
        grep_include: "heartbeat",
      });
      assert.equal(String(three.logs).split("\n").length, 3);
      assert.ok(
        String(three.logs).split("\n").every((l) =>
          /^\[bulk-worker-[^/]+\/worker\] heartbeat ok$/.test(l)
        ),
      );
      const viaPodreader = await json("get_logs", {
        label_selector: "app=web",
        container: "app",
        context: "podreader",
      });
      assert.equal((viaPodreader.metadata as Json).failed, undefined);
    });

    await t.step("get_logs: name or label_selector, clearly", async () => {
      assert.match(await callError(client, "get_logs", {}), /name is required/);
      assert.match(
        await callError(client, "get_logs", { name: POD.web1, label_selector: "app=web" }),
        /either name .* or label_selector/,
      );
      assert.match(
        await callError(client, "get_logs", { label_selector: "app=web", skip_lines: 2 }),
        /skip_lines pages through one pod's log/,
      );
      assert.match(
        await callError(client, "get_logs", { label_selector: "app in (web" }),
        /400 .*unable to parse requirement/,
      );
    });

    await t.step("honest shapes: metrics list items keep kind and apiVersion", async () => {
      const list = await json("get_pod_metrics", { namespace: "team-a" });
      for (const item of list.items as Json[]) {
        assert.equal(item.kind, "PodMetrics");
        assert.equal(item.apiVersion, "metrics.k8s.io/v1beta1");
      }
      const nodes = await json("get_node_metrics");
      assert.ok((nodes.items as Json[]).every((i) => i.kind === "NodeMetrics"));
    });
  } finally {
    await close();
  }
});

integration("get_cluster_health: a part disabled by configuration is reported", async (env) => {
  const { client, close } = await connectStdio([
    "--kubeconfig",
    env.kubeconfig,
    "--disabled-resources",
    "componentstatuses",
  ]);
  try {
    const h = await callJson(client, "get_cluster_health") as Json;
    assert.equal(h.status, "degraded");
    assert.deepEqual(h.unavailable, [{
      part: "componentstatuses",
      reason: 'access to resource "componentstatuses" (core/v1/componentstatuses) is disabled ' +
        "by configuration and cannot be queried",
    }]);
    assert.equal((h.components as Json).componentstatuses, undefined);
  } finally {
    await close();
  }
});
