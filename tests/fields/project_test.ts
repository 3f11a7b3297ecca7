import assert from "node:assert/strict";
import { fieldList, MAX_PROJECTED_BYTES, parseField, projector } from "../../src/fields/project.ts";

Deno.test("parseField: kubectl's relaxed paths become RFC 9535 queries", () => {
  assert.deepEqual(parseField(".spec.containers[*].image"), {
    key: ".spec.containers[*].image",
    query: '$["spec"]["containers"][*]["image"]',
    singular: false,
  });
  assert.deepEqual(parseField("{.metadata.labels.pod-template-hash}"), {
    key: ".metadata.labels.pod-template-hash",
    query: '$["metadata"]["labels"]["pod-template-hash"]',
    singular: true,
  });
  assert.equal(parseField("status.phase").key, ".status.phase");
  assert.equal(parseField("$.spec.nodeName").query, '$["spec"]["nodeName"]');
  assert.equal(parseField(".status.conditions[0].type").singular, true);
  assert.equal(parseField("..image").singular, false);
  assert.equal(parseField(".metadata.labels['app.kubernetes.io/name']").singular, true);
  assert.equal(parseField('.spec.containers[?(@.name=="a]")].image').singular, false);
});

Deno.test("parseField: bad paths name themselves and the reason", () => {
  for (
    const [path, why] of [
      ["", /names no field/],
      [".a[", /a \[ is not closed/],
      [".a..", /a name is missing after \.\./],
      [".a]", /unexpected "\]"/],
      [".a[?search(@.b, 'x')]", /filters cannot call functions/],
    ] as const
  ) {
    assert.throws(() => parseField(path), (e: Error) => {
      assert.match(e.message, why);
      assert.ok(e.message.includes(JSON.stringify(path)), e.message);
      return true;
    });
  }
});

Deno.test("projector: values in order; singular paths give one value or null", async () => {
  const p = await projector([".spec.containers[*].image", ".spec.nodeName", ".spec.missing"]);
  const pod = { spec: { containers: [{ image: "a" }, { image: "b" }], nodeName: "n1" } };
  assert.deepEqual(p.project(pod), [["a", "b"], "n1", null]);
  await assert.rejects(() => projector([".a", "b.["]), /"b\.\[" is not a field path/);
  await assert.rejects(
    () => projector(Array.from({ length: 11 }, () => ".a")),
    /at most 10 paths/,
  );
});

Deno.test("projector: the projected bytes are bounded", async () => {
  const p = await projector([".blob"]);
  const big = { blob: "x".repeat(64 * 1024) };
  assert.throws(() => {
    for (let i = 0; i * 64 * 1024 <= MAX_PROJECTED_BYTES; i++) p.project(big);
  }, /exceed 512 KiB; pass limit/);
});

Deno.test("fieldList: a list as is; one string split at commas outside brackets and quotes", () => {
  assert.deepEqual(fieldList([".a", ".b"]), [".a", ".b"]);
  assert.deepEqual(fieldList(".a, .b[0,1],.c[?(@.n=='x,y')]"), [
    ".a",
    " .b[0,1]",
    ".c[?(@.n=='x,y')]",
  ]);
  assert.deepEqual(fieldList(".spec.nodeName"), [".spec.nodeName"]);
  assert.deepEqual(fieldList(undefined), []);
  assert.throws(() => parseField(".a,.b"), /a comma outside brackets: one path per item/);
});
