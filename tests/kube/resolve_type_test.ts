import assert from "node:assert/strict";
import { resolveType } from "../../src/kube/resolve_type.ts";
import { resolveBlockList } from "../../src/kube/block_list.ts";
import type { ApiResource } from "../../src/kube/types.ts";

function r(
  group: string,
  version: string,
  name: string,
  kind: string,
  extra: Partial<ApiResource> = {},
): ApiResource {
  return {
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    name,
    singularName: name.replace(/s$/, ""),
    kind,
    namespaced: true,
    verbs: ["get", "list"],
    preferred: true,
    ...extra,
  };
}

const RESOURCES: ApiResource[] = [
  r("", "v1", "pods", "Pod", { shortNames: ["po"] }),
  r("", "v1", "events", "Event", { shortNames: ["ev"] }),
  r("", "v1", "secrets", "Secret"),
  r("", "v1", "services", "Service", { shortNames: ["svc"] }),
  r("", "v1", "nodes", "Node", { namespaced: false, shortNames: ["no"] }),
  r("apps", "v1", "deployments", "Deployment", { shortNames: ["deploy"] }),
  r("events.k8s.io", "v1", "events", "Event", { shortNames: ["ev"] }),
  r("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", {
    shortNames: ["hpa"],
  }),
  r("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", {
    shortNames: ["hpa"],
    preferred: false,
  }),
  r("example.com", "v1", "widgets", "Widget", { shortNames: ["wd"] }),
];

function label(type: string, apiVersion?: string): string {
  const res = resolveType(RESOURCES, type, apiVersion);
  return "resource" in res ? res.resource.apiVersion + " " + res.resource.name : res.error;
}

Deno.test("resolveType() accepts plural, singular, kind and short names in any case", () => {
  for (const type of ["pods", "pod", "Pod", "PO", " pods "]) assert.equal(label(type), "v1 pods");
  assert.equal(label("deploy"), "apps/v1 deployments");
  assert.equal(label("Deployment"), "apps/v1 deployments");
  assert.equal(label("wd"), "example.com/v1 widgets");
});

Deno.test("resolveType() prefers the core group and preferred versions", () => {
  assert.equal(label("events"), "v1 events");
  assert.equal(label("hpa"), "autoscaling/v2 horizontalpodautoscalers");
});

Deno.test("resolveType() takes resource.group, resource.version.group and api_version", () => {
  assert.equal(label("events.events.k8s.io"), "events.k8s.io/v1 events");
  assert.equal(label("deployments.apps"), "apps/v1 deployments");
  assert.equal(label("hpa.v1.autoscaling"), "autoscaling/v1 horizontalpodautoscalers");
  assert.equal(label("hpa", "autoscaling/v1"), "autoscaling/v1 horizontalpodautoscalers");
  assert.equal(label("pods", "core/v1"), "v1 pods");
  assert.equal(label("widgets.example.com"), "example.com/v1 widgets");
});

Deno.test("resolveType() suggests close names and explains unknown versions", () => {
  assert.match(label("podz"), /unknown resource type "podz"; did you mean pods/);
  assert.match(label("deploymnts"), /did you mean deployments\.apps/);
  assert.match(label("zzzzzzzz"), /unknown resource type "zzzzzzzz". Call list_api_resources/);
  assert.match(
    label("deployments", "apps/v2"),
    /API version "apps\/v2" is not served by this cluster; it serves apps\/v1/,
  );
  assert.match(label("pods", "apps/v1"), /unknown resource type "pods" in API version "apps\/v1"/);
});

Deno.test("resolveBlockList() resolves names and triples to group/resource keys", () => {
  const blocks = resolveBlockList(RESOURCES, ["secret", "apps/v1/deploy", "Core/v1/PO", "events"]);
  assert.deepEqual(blocks.labels, [
    "core/v1/secrets",
    "apps/v1/deployments",
    "core/v1/pods",
    "core/v1/events",
  ]);
  assert.deepEqual(
    [...blocks.keys].sort(),
    ["/events", "/pods", "/secrets", "apps/deployments", "events.k8s.io/events"],
  );
  assert.throws(
    () => resolveBlockList(RESOURCES, ["also/invalid"]),
    /invalid disabled resource spec/,
  );
  assert.throws(() => resolveBlockList(RESOURCES, ["a/b/c/d"]), /expected "resource" or/);
  assert.throws(
    () => resolveBlockList(RESOURCES, ["secretz"]),
    /cannot resolve disabled resource spec "secretz": unknown resource type/,
  );
});

Deno.test("resolveType() bounds its work and its echo for a huge or hostile type", () => {
  // Many served types, each compared: the reported case was quadratic in a 1 MB input.
  const many = Array.from({ length: 2000 }, (_, i) => r("g.example.com", "v1", `kind${i}s`, "K"));
  const huge = `${"p".repeat(1 << 20)}.x`;
  const started = performance.now();
  const result = resolveType([...RESOURCES, ...many], huge);
  assert.ok(performance.now() - started < 2000, "answers promptly");
  assert.ok("error" in result);
  assert.ok(result.error.length < 400, `${result.error.length} characters`);
  assert.match(result.error, /unknown resource type "p{80}"… \(1048578 characters\)/);
  const odd = resolveType(RESOURCES, "pod\u0000\u001b[2J");
  assert.ok("error" in odd && odd.error.includes("\\u0000\\u001b[2J"));
});
