// The pure parts of the diagnosis tools: event time and slim view in both event shapes, the
// API server's verbose check lists, node conditions, part failures, discovery filters, and the
// time key that merges workload logs.

import assert from "node:assert/strict";
import { eventTime, newestEventsFirst, slimEvent } from "../../src/diagnose/events.ts";
import { isHealthy, nodeHealth, parseChecks, worstFirst } from "../../src/diagnose/health.ts";
import { partFailure } from "../../src/diagnose/unavailable.ts";
import { KubeApiError, KubeConnectionError, ResourceTypeError } from "../../src/kube/errors.ts";
import { filterApiResources } from "../../src/tools/list_api_resources.ts";
import { timeKey } from "../../src/logs/workload.ts";
import type { ApiResource } from "../../src/kube/types.ts";

Deno.test("events sort by their own time in either shape, creation time last", () => {
  const core = {
    metadata: { name: "a", creationTimestamp: "2026-01-01T00:09:00Z" },
    lastTimestamp: "2026-01-01T00:01:00Z",
  };
  const modern = {
    metadata: { name: "b", creationTimestamp: "2026-01-01T00:09:00Z" },
    lastTimestamp: null,
    eventTime: "2026-01-01T00:03:00.000000Z",
  };
  const series = {
    metadata: { name: "c", creationTimestamp: "2026-01-01T00:00:00Z" },
    eventTime: "2026-01-01T00:00:00.000000Z",
    series: { count: 4, lastObservedTime: "2026-01-01T00:05:00.000000Z" },
  };
  const v1View = {
    metadata: { name: "d", creationTimestamp: "2026-01-01T00:09:00Z" },
    deprecatedLastTimestamp: "2026-01-01T00:02:00Z",
  };
  const undated = { metadata: { name: "e", creationTimestamp: "2026-01-01T00:04:00Z" } };
  assert.equal(eventTime(series), "2026-01-01T00:05:00.000000Z");
  assert.deepEqual(
    newestEventsFirst([core, modern, series, v1View, undated]).map((e) => e.metadata!.name),
    ["c", "e", "b", "d", "a"],
  );
});

Deno.test("slimEvent: core and events.k8s.io fields give the same slim view", () => {
  assert.deepEqual(
    slimEvent({
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting",
      count: 12,
      firstTimestamp: "2026-01-01T00:00:00Z",
      lastTimestamp: "2026-01-01T00:10:00Z",
      source: { component: "kubelet", host: "node-1" },
    }),
    {
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting",
      count: 12,
      first_seen: "2026-01-01T00:00:00Z",
      last_seen: "2026-01-01T00:10:00Z",
      source: "kubelet, node-1",
    },
  );
  assert.deepEqual(
    slimEvent({
      type: "Normal",
      reason: "Pulled",
      note: "pulled",
      eventTime: "2026-01-01T00:00:00.000000Z",
      series: { count: 3, lastObservedTime: "2026-01-01T00:02:00.000000Z" },
      reportingController: "kubelet",
      reportingInstance: "node-2",
    }),
    {
      type: "Normal",
      reason: "Pulled",
      message: "pulled",
      count: 3,
      first_seen: "2026-01-01T00:00:00.000000Z",
      last_seen: "2026-01-01T00:02:00.000000Z",
      source: "kubelet, node-2",
    },
  );
  assert.equal(slimEvent({ reason: "x" }).count, 1);
});

Deno.test("parseChecks reads the verbose check list, failures with their message", () => {
  const text = "[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n" +
    "[+]informer-sync excluded: excluded by request\nreadyz check failed\n";
  assert.deepEqual(parseChecks(text, false), {
    ok: false,
    checks: [
      { name: "ping", status: "ok" },
      { name: "log", status: "ok" },
      { name: "etcd", status: "failed", message: "reason withheld" },
      { name: "informer-sync", status: "excluded", message: "excluded by request" },
    ],
  });
});

Deno.test("node conditions: only the unhealthy ones in full, worst nodes first", () => {
  assert.ok(isHealthy({ type: "Ready", status: "True" }));
  assert.ok(!isHealthy({ type: "Ready", status: "Unknown" }));
  assert.ok(isHealthy({ type: "KernelDeadlock", status: "False" }));
  const node = (name: string, ready: string, extra: Record<string, unknown> = {}) => ({
    metadata: { name },
    ...extra,
    status: {
      conditions: [
        { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory" },
        { type: "Ready", status: ready, reason: "R", message: "m" },
      ],
    },
  });
  const lost = nodeHealth(node("b", "Unknown"));
  assert.deepEqual(lost, {
    name: "b",
    ready: false,
    conditions: [{ type: "Ready", status: "Unknown", reason: "R", message: "m" }],
    ok_conditions: ["MemoryPressure"],
  });
  const cordoned = nodeHealth(node("a", "True", { spec: { unschedulable: true } }));
  assert.equal(cordoned.unschedulable, true);
  const fine = nodeHealth(node("0", "True"));
  assert.deepEqual(worstFirst([fine, cordoned, lost]).map((n) => n.name), ["b", "a", "0"]);
});

Deno.test("partFailure names 403, 404, other statuses, timeouts, unknown types; rethrows the rest", () => {
  const api = (status: number) => new KubeApiError(status, "r", "msg", "/p");
  assert.deepEqual(partFailure("nodes", api(403)), { part: "nodes", reason: "forbidden: msg" });
  assert.deepEqual(partFailure("x", api(404)), { part: "x", reason: "not found: msg" });
  assert.match(partFailure("x", api(503)).reason, /^the API server answered 503: msg/);
  assert.match(
    partFailure("componentstatuses", new ResourceTypeError("unknown")).reason,
    /^not served by this cluster/,
  );
  const slow = new KubeConnectionError("timeout", "the request timed out", "https://x");
  assert.deepEqual(partFailure("nodes", slow), {
    part: "nodes",
    reason: "timed out: the request timed out",
  });
  const down = new KubeConnectionError("unreachable", "down", "https://x");
  assert.throws(() => partFailure("nodes", down), (e) => e === down);
});

Deno.test("filterApiResources: group (core too), scope and every verb", () => {
  const r = (name: string, group: string, namespaced: boolean, verbs: string[]): ApiResource => ({
    name,
    singularName: name,
    namespaced,
    kind: name,
    verbs,
    group,
    version: "v1",
    apiVersion: group ? `${group}/v1` : "v1",
    preferred: true,
  });
  const all = [
    r("pods", "", true, ["get", "list", "watch"]),
    r("bindings", "", true, ["create"]),
    r("nodes", "", false, ["get", "list"]),
    r("deployments", "apps", true, ["get", "list", "watch"]),
  ];
  const names = (f: Parameters<typeof filterApiResources>[1]) =>
    filterApiResources(all, f).map((x) => x.name);
  assert.deepEqual(names({ apiGroup: "core" }), ["pods", "bindings", "nodes"]);
  assert.deepEqual(names({ apiGroup: "" }), ["pods", "bindings", "nodes"]);
  assert.deepEqual(names({ apiGroup: "Apps" }), ["deployments"]);
  assert.deepEqual(names({ namespaced: false }), ["nodes"]);
  assert.deepEqual(names({ verbs: ["list", " WATCH "] }), ["pods", "deployments"]);
  assert.deepEqual(names({}), all.map((x) => x.name));
});

Deno.test("timeKey orders RFC 3339 times with any number of fraction digits", () => {
  const lines = [
    "2026-01-15T10:00:01Z c",
    "2026-01-15T10:00:00.5Z b",
    "2026-01-15T10:00:00.123456789Z a",
    "2026-01-15T11:00:00.1+01:00 a0",
  ];
  assert.deepEqual(
    [...lines].sort((x, y) => (timeKey(x) < timeKey(y) ? -1 : 1)).map((l) => l.split(" ")[1]),
    ["a0", "a", "b", "c"],
  );
  assert.equal(timeKey("no time here"), "");
});
