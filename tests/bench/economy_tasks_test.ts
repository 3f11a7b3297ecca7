// The tasks' ground truth comes from the seed, and every task has a plan on every server.

import assert from "node:assert/strict";
import {
  allPods,
  API_DEPLOYMENT,
  BILLING_DEPLOYMENT,
  BULK_DEPLOYMENT,
  CACHE_STATEFULSET,
  CRDS,
  GADGETS,
  MIGRATE_JOB,
  NODES,
  SEED_SECRETS,
  WEB_DEPLOYMENT,
  WIDGETS,
} from "../../scripts/testenv/seed_data.ts";
import { subjects, TASKS } from "../../scripts/bench/economy/tasks.ts";
import { SERVER_IDS } from "../../scripts/bench/economy/types.ts";

Deno.test("at least 12 tasks, ids unique, each with facts and a plan per server", () => {
  assert.ok(TASKS.length >= 12, `${TASKS.length} tasks`);
  assert.equal(new Set(TASKS.map((t) => t.id)).size, TASKS.length);
  for (const t of TASKS) {
    assert.ok(t.facts.length > 0, `${t.id} has no facts`);
    for (const f of t.facts) assert.ok(f.needles.length > 0, `${t.id}: ${f.label} has no needles`);
    for (const s of SERVER_IDS) assert.ok(t.plans[s].length > 0, `${t.id} has no plan for ${s}`);
    assert.equal(t.plans.ours.length, 1, `${t.id}: ours has one plan, the one its tools lead to`);
  }
});

Deno.test("every subject is an object the seed creates", () => {
  const seeded = new Set<string>([
    ...allPods().map((p) => p.name),
    ...NODES,
    ...WIDGETS.map((w) => w.name),
    ...GADGETS.map((g) => g.name),
    ...[WEB_DEPLOYMENT, API_DEPLOYMENT, BILLING_DEPLOYMENT, BULK_DEPLOYMENT].map((d) => d.name),
    CACHE_STATEFULSET.name,
    MIGRATE_JOB.name,
    ...SEED_SECRETS.map((s) => s.name),
  ]);
  for (const s of subjects()) assert.ok(seeded.has(s), `${s} is not seeded`);
});

Deno.test("the images task expects each pod's regular containers' images, from the seed", () => {
  const images = TASKS.find((t) => t.id === "pod_images")!;
  const crashloop = images.facts.find((f) => f.subject === "crashloop")!;
  assert.deepEqual(crashloop.needles, ["ghcr.io/example/flaky:0.3"]);
  const web = images.facts.find((f) => f.subject === "web-7d4b9c8f6d-x2x7k")!;
  assert.deepEqual(web.needles, ["nginx:1.27.3", "fluent/fluent-bit:3.1"]);
  assert.equal(images.facts.length, allPods().filter((p) => p.namespace === "mcp-test").length);
  const crd = TASKS.find((t) => t.id === "crd_objects")!;
  assert.equal(crd.plans.ours.length, 1);
  assert.match(crd.plans.ours[0]!.label, new RegExp(CRDS.widget.plural));
});

Deno.test("a plan runs its calls through the given caller, adaptively", async () => {
  const failing = TASKS.find((t) => t.id === "failing_pods")!;
  const calls: [string, Record<string, unknown>][] = [];
  await failing.plans.go[0]!.run((tool, args) => {
    calls.push([tool, args]);
    return Promise.resolve({
      ok: true,
      text: tool === "list_resources" ? '{"items":[{"name":"a"},{"name":"b"}]}' : "{}",
    });
  });
  assert.deepEqual(calls.map(([tool, a]) => `${tool} ${a.name ?? ""}`.trim()), [
    "list_resources",
    "get_resource a",
    "get_resource b",
  ]);
});

Deno.test("the Secret task wants key names and forbids every seeded value", () => {
  const t = TASKS.find((x) => x.id === "secret_keys")!;
  assert.deepEqual(t.facts[0]!.needles, ["password", "api.key"]);
  assert.ok(t.forbidden!.includes("OPAQUE-pw-7f3a9c21e5"));
  assert.ok(t.forbidden!.includes(btoa("OPAQUE-pw-7f3a9c21e5")));
});
