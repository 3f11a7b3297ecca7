import assert from "node:assert/strict";
import { LAST_APPLIED, newestFirst, stripBookkeeping } from "../../src/kube/sanitize.ts";

Deno.test("stripBookkeeping() drops managedFields and last-applied, unless asked to keep", () => {
  const obj = {
    kind: "Pod",
    metadata: {
      name: "p",
      managedFields: [{ manager: "kubectl" }],
      annotations: { [LAST_APPLIED]: '{"big":"copy"}', team: "a" },
    },
    spec: { x: 1 },
  };
  assert.deepEqual(stripBookkeeping(obj), {
    kind: "Pod",
    metadata: { name: "p", annotations: { team: "a" } },
    spec: { x: 1 },
  });
  assert.equal(stripBookkeeping(obj, true), obj);
  assert.deepEqual(obj.metadata.managedFields, [{ manager: "kubectl" }], "input left untouched");
  assert.deepEqual(stripBookkeeping({ kind: "X" }), { kind: "X" });
});

Deno.test("newestFirst() sorts by creationTimestamp, undated last, ties by namespace/name", () => {
  const at = (name: string, t?: string) => ({ metadata: { name, creationTimestamp: t } });
  const sorted = newestFirst([
    at("old", "2026-01-01T00:00:00Z"),
    at("none"),
    at("new", "2026-03-01T00:00:00Z"),
    at("tie-a", "2026-02-01T00:00:00Z"),
    at("tie-b", "2026-02-01T00:00:00Z"),
  ]);
  assert.deepEqual(sorted.map((o) => o.metadata?.name), ["new", "tie-a", "tie-b", "old", "none"]);
});
