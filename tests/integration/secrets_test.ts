// Secret access modes that need their own server: insecure restores the raw values, and
// --disabled-resources secrets makes either secret tool refuse.

import assert from "node:assert/strict";
import { callError, callJson, connectStdio } from "../_helpers/connect.ts";
import { keyPair } from "../_helpers/openssl.ts";
import { integration, seed } from "../_helpers/testenv.ts";
import { recordResults } from "./_secrets_suite.ts";
import { TOOLS } from "../../src/tools/registry.ts";

type Json = Record<string, unknown>;
const NS = seed.SECRET_NAMESPACE;

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

integration(
  "--insecure-secret-access returns Secret values as stored, with no secret tool",
  async (env) => {
    const { client, close, stderr } = await connectStdio([
      "--kubeconfig",
      env.kubeconfig,
      "--insecure-secret-access",
    ]);
    const recorder = recordResults(client);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.equal(names.length, TOOLS.length, "every tool but a secret one");
      assert.ok(!names.some((n) => n.includes("secret")), names.join());
      for (const s of seed.SEED_SECRETS) {
        const obj = await callJson(client, "get_resource", {
          resource_type: "secret",
          name: s.name,
          namespace: NS,
          include_managed_fields: true,
        }) as Json;
        const want = Object.fromEntries(
          Object.entries({ ...s.data, ...s.stringData }).map((
            [k, v],
          ) => [k, base64(seed.secretBytes(v))]),
        );
        assert.deepEqual(obj.data, want, s.name);
        const annotations = ((obj.metadata as Json).annotations ?? {}) as Json;
        assert.equal(seed.LAST_APPLIED_ANNOTATION in annotations, !!s.annotations, s.name);
      }
    } finally {
      await close();
    }
    // The recorder the transport suites use does see these values: its check is not vacuous.
    assert.throws(
      () => recorder.assertNoSecret(seed.SEED_SECRETS.length),
      /seeded secret value leaked/,
    );
    const warnings = stderr().split("\n").filter((l) => l.includes("insecure-secret-access"));
    assert.equal(warnings.length, 1, stderr());
    assert.match(warnings[0]!, /^WARNING: --insecure-secret-access is enabled\. /);
  },
);

integration(
  "--disabled-resources secrets makes both secret tools refuse every call",
  async (env) => {
    const message = "access to secrets (core/v1/secrets) is disabled by configuration";
    const file = await connectStdio([
      "--kubeconfig",
      env.kubeconfig,
      "--disabled-resources",
      "secrets",
    ]);
    try {
      for (const key of ["password", "nope"]) {
        assert.equal(
          await callError(file.client, "save_secret_to_file", {
            name: "mcp-opaque",
            key,
            namespace: NS,
          }),
          message,
        );
      }
      // The checks that come first still do.
      assert.equal(
        await callError(file.client, "save_secret_to_file", { name: "", key: "k" }),
        "name is required",
      );
    } finally {
      await file.close();
    }
    const pair = await keyPair();
    const encrypted = await connectStdio(
      ["--kubeconfig", env.kubeconfig, "--disabled-resources", "core/v1/secrets"],
      { MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS: "yes" },
    );
    try {
      const names = (await encrypted.client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes("get_secret_encrypted") && !names.includes("save_secret_to_file"));
      assert.equal(
        await callError(encrypted.client, "get_secret_encrypted", {
          public_key: pair.publicPem,
          private_key_path: `${pair.dir}/k`,
          output_path: `${pair.dir}/o`,
          name: "mcp-opaque",
          key: "password",
          namespace: NS,
        }),
        message,
      );
    } finally {
      await encrypted.close();
    }
  },
);
