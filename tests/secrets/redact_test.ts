import assert from "node:assert/strict";
import { LAST_APPLIED } from "../../src/kube/sanitize.ts";
import { forModel, isCoreSecret, redactSecret } from "../../src/secrets/redact.ts";

const SECRETS = { group: "", version: "v1", name: "secrets" };

function secret() {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name: "db",
      labels: { app: "db" },
      annotations: { [LAST_APPLIED]: '{"data":{"password":"czNjcjN0"}}', team: "a" },
      managedFields: [{ manager: "kubectl", fieldsV1: { "f:data": { "f:password": {} } } }],
    },
    data: {
      password: btoa("s3cr3t"),
      empty: "",
      binary: btoa("\xff\xfe\x00"),
      broken: "not base64!",
      unpadded: "YQ",
      wrapped: "czNj\ncjN0",
      nothing: null,
    },
    stringData: { plain: "héllo", blank: "" },
  };
}

Deno.test("isCoreSecret() is the core v1 secrets resource only", () => {
  assert.equal(isCoreSecret(SECRETS), true);
  assert.equal(isCoreSecret({ group: "example.com", version: "v1", name: "secrets" }), false);
  assert.equal(isCoreSecret({ group: "", version: "v1", name: "configmaps" }), false);
  assert.equal(isCoreSecret({ group: "", version: "v2", name: "secrets" }), false);
});

Deno.test("redactSecret() replaces every value by its size and keeps everything else", () => {
  const input = secret();
  const out = redactSecret(input);
  assert.deepEqual(out.data, {
    password: "[redacted: 6 bytes]",
    empty: "[redacted: 0 bytes]",
    binary: "[redacted: 3 bytes]",
    broken: "[redacted]",
    unpadded: "[redacted]",
    wrapped: "[redacted: 6 bytes]",
    nothing: "[redacted: 0 bytes]",
  });
  assert.deepEqual(out.stringData, { plain: "[redacted: 6 bytes]", blank: "[redacted: 0 bytes]" });
  assert.deepEqual((out.metadata as { annotations: unknown }).annotations, { team: "a" });
  assert.equal(out.type, "Opaque");
  assert.equal(input.data.password, btoa("s3cr3t"), "input left untouched");
  assert.ok(LAST_APPLIED in input.metadata.annotations, "input annotations left untouched");
  assert.deepEqual(redactSecret({ kind: "Secret" }), { kind: "Secret" });
});

Deno.test("forModel() hides Secret values in file and encrypted modes, with or without bookkeeping", () => {
  for (const secretAccess of ["file", "encrypted"] as const) {
    for (const keepBookkeeping of [false, true]) {
      const out = forModel(SECRETS, secret(), { secretAccess, keepBookkeeping });
      const text = JSON.stringify(out);
      assert.ok(!text.includes(btoa("s3cr3t")) && !text.includes("czNjcjN0"), text);
      assert.ok(!text.includes("héllo"), text);
      assert.ok(!text.includes(LAST_APPLIED), "last-applied is stripped even when kept");
      const meta = out.metadata as Record<string, unknown>;
      assert.equal(Array.isArray(meta.managedFields), keepBookkeeping);
    }
  }
});

Deno.test("forModel() returns Secrets as stored in insecure mode, and leaves other types alone", () => {
  const raw = forModel(SECRETS, secret(), { secretAccess: "insecure", keepBookkeeping: true });
  assert.deepEqual(raw, secret());
  const stripped = forModel(SECRETS, secret(), { secretAccess: "insecure" });
  assert.equal((stripped.data as Record<string, string>).password, btoa("s3cr3t"));
  const crd = forModel(
    { group: "example.com", version: "v1", name: "secrets" },
    secret(),
    { secretAccess: "file" },
  );
  assert.equal((crd.data as Record<string, string>).password, btoa("s3cr3t"));
  const cm = forModel(
    { group: "", version: "v1", name: "configmaps" },
    { kind: "ConfigMap", data: { a: "b" } },
    { secretAccess: "file" },
  );
  assert.deepEqual(cm.data, { a: "b" });
});
