// Secret values against the real test cluster: redaction on every path by which an object
// reaches the model, and the secret tool of the mode handing values over out of band. Run over
// every transport by transports_test.ts, with a recorder that checks no tool result of the whole
// session ever holds a seeded value.

import assert from "node:assert/strict";
import { callError, callJson, type ToolCaller } from "../_helpers/connect.ts";
import { keyPair, runShell } from "../_helpers/openssl.ts";
import { seed } from "../_helpers/testenv.ts";
import type { SecretAccess } from "../../src/config/schema.ts";

type Json = Record<string, unknown>;
const NS = seed.SECRET_NAMESPACE;
const LAST_APPLIED = seed.LAST_APPLIED_ANNOTATION;

/** Records the text of every tool result of `client` (and any other text given to it). */
export function recordResults(
  client: ToolCaller,
): { texts: string[]; assertNoSecret(minCalls?: number): void } {
  const texts: string[] = [];
  const call = client.callTool.bind(client);
  client.callTool = (async (...args: Parameters<ToolCaller["callTool"]>) => {
    const result = await call(...args);
    texts.push(JSON.stringify(result));
    return result;
  }) as ToolCaller["callTool"];
  return {
    texts,
    assertNoSecret(minCalls = 10) {
      assert.ok(texts.length >= minCalls, "the recorder saw the session's results");
      const needles = seed.secretNeedles();
      for (const text of texts) {
        for (const needle of needles) {
          assert.ok(!text.includes(needle), `a seeded secret value leaked: ${needle} in ${text}`);
        }
      }
    },
  };
}

/** Throws when a text holds a seeded Secret value (for server logs). */
export function assertNoSecretIn(text: string, what: string): void {
  for (const needle of seed.secretNeedles()) {
    assert.ok(!text.includes(needle), `a seeded secret value is in ${what}: ${needle}`);
  }
}

function expectedData(s: seed.SeedSecret): Record<string, string> {
  const all = { ...s.data, ...s.stringData };
  return Object.fromEntries(
    Object.entries(all).map(([k, v]) => [k, `[redacted: ${seed.secretBytes(v).length} bytes]`]),
  );
}

async function json(client: ToolCaller, tool: string, args: Json): Promise<Json> {
  return await callJson(client, tool, args) as Json;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

export async function secretSuite(
  t: Deno.TestContext,
  client: ToolCaller,
  mode: Exclude<SecretAccess, "insecure">,
): Promise<void> {
  await t.step(`tools/list offers exactly the ${mode} mode's secret tool`, async () => {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    const want = mode === "file" ? "save_secret_to_file" : "get_secret_encrypted";
    assert.deepEqual(names.filter((n) => n.includes("secret")), [want]);
  });

  await t.step("get_resource: every spelling and version redacts every seeded Secret", async () => {
    const spellings: Json[] = [
      { resource_type: "secret" },
      { resource_type: "Secret" },
      { resource_type: "secrets" },
      { resource_type: "SECRETS" },
      { resource_type: "secrets", api_version: "v1" },
      { resource_type: "Secret", api_version: "core/v1" },
    ];
    for (const s of seed.SEED_SECRETS) {
      for (const [i, spelling] of spellings.entries()) {
        const obj = await json(client, "get_resource", {
          ...spelling,
          name: s.name,
          namespace: NS,
          include_managed_fields: i % 2 === 0,
        });
        const label = `${s.name} ${JSON.stringify(spelling)}`;
        assert.deepEqual(obj.data, expectedData(s), label);
        assert.equal(obj.stringData, undefined, label);
        assert.equal(obj.type, s.type, label);
        const meta = obj.metadata as Json;
        const annotations = (meta.annotations ?? {}) as Json;
        assert.ok(!(LAST_APPLIED in annotations), `${label}: no last-applied copy`);
        if (s.annotations) assert.equal(annotations.team, "payments", label);
        assert.equal(Array.isArray(meta.managedFields), i % 2 === 0, `${label}: managedFields`);
      }
    }
  });

  await t.step(
    "get_resource: a per-call context redacts too; CRDs and ConfigMaps do not",
    async () => {
      const alt = await json(client, "get_resource", {
        resource_type: "secret",
        name: "mcp-opaque",
        namespace: NS,
        context: "reader-alt",
        include_managed_fields: true,
      });
      assert.deepEqual(alt.data, expectedData(seed.SEED_SECRETS[0]!));
      const old = await json(client, "get_resource", {
        resource_type: "secret",
        name: "db-credentials",
        namespace: "mcp-test",
      });
      assert.deepEqual(old.data, {
        password: "[redacted: 15 bytes]",
        username: "[redacted: 3 bytes]",
      });
      for (
        const args of [
          { resource_type: "secrets.vault.example.com" },
          { resource_type: "secrets", api_version: "vault.example.com/v1" },
        ]
      ) {
        const crd = await json(client, "get_resource", {
          ...args,
          name: seed.LOOKALIKE_SECRET.name,
          namespace: NS,
        });
        assert.deepEqual(crd.data, seed.LOOKALIKE_SECRET.data, JSON.stringify(args));
      }
      const cm = await json(client, "get_resource", {
        resource_type: "configmap",
        name: "web-config",
        namespace: "mcp-test",
      });
      assert.equal((cm.data as Json).LOG_LEVEL, "info");
    },
  );

  await t.step("describe_resource: the object part is redacted the same way", async () => {
    for (const s of seed.SEED_SECRETS) {
      const d = await json(client, "describe_resource", {
        resource_type: "Secret",
        name: s.name,
        namespace: NS,
        include_managed_fields: true,
      });
      const obj = d.resource as Json;
      assert.deepEqual(obj.data, expectedData(s), s.name);
      const annotations = ((obj.metadata as Json).annotations ?? {}) as Json;
      assert.ok(!(LAST_APPLIED in annotations), `${s.name}: no last-applied copy`);
    }
  });

  await t.step("list_resources: full metadata never carries the last-applied copy", async () => {
    for (const namespace of [NS, "*"]) {
      for (const include_managed_fields of [false, true]) {
        const r = await json(client, "list_resources", {
          resource_type: "secrets",
          namespace,
          title_only: false,
          include_managed_fields,
        });
        const items = r.items as { metadata: Json }[];
        const names = items.map((i) => i.metadata.name);
        for (const s of seed.SEED_SECRETS) assert.ok(names.includes(s.name), s.name);
        for (const i of items) {
          assert.ok(!(LAST_APPLIED in ((i.metadata.annotations ?? {}) as Json)), namespace);
        }
        const opaque = items.find((i) => i.metadata.name === "mcp-opaque")!;
        assert.equal((opaque.metadata.annotations as Json).team, "payments");
        assert.equal(Array.isArray(opaque.metadata.managedFields), include_managed_fields);
      }
    }
  });

  await t.step(`${mode} mode: the secret tool hands over each value byte for byte`, async () => {
    if (mode === "file") await fileMode(client);
    else await encryptedMode(client);
  });

  const tool = mode === "file" ? "save_secret_to_file" : "get_secret_encrypted";
  await t.step(`${tool}: errors in the reference's order, without values`, async () => {
    const base = mode === "file" ? {} : {
      public_key: (await keyPair()).publicPem,
      private_key_path: "/k",
      output_path: "/o",
    };
    const err = (args: Json) => callError(client, tool, { ...base, ...args });
    assert.equal(await err({ name: "", key: "k" }), "name is required");
    assert.equal(await err({ name: "mcp-opaque", key: "" }), "key is required");
    assert.match(await err({ name: "..", key: "k" }), /"\.\." cannot be \. or \.\./);
    assert.match(await err({ name: "a/b", key: "k" }), /cannot contain \/ or %/);
    assert.match(
      await err({ name: "nope", key: "k", namespace: NS }),
      /^failed to get secret "nope": Kubernetes API error 404 \(NotFound\): secrets "nope" not found/,
    );
    assert.equal(
      await err({ name: "mcp-opaque", key: "pass", namespace: NS }),
      `secret "mcp-opaque" has no key "pass"; available keys: api.key, password`,
    );
    assert.match(
      await err({ name: "mcp-opaque", key: "password", namespace: "team-b", context: "viewer" }),
      /^failed to get secret "mcp-opaque": Kubernetes API error 403 \(Forbidden\)/,
    );
    if (mode === "encrypted") {
      assert.equal(
        await callError(client, tool, { ...base, public_key: " ", name: "x", key: "y" }),
        "public_key is required",
      );
      assert.match(
        await callError(client, tool, { ...base, public_key: "nope", name: "x", key: "y" }),
        /not a PEM public key/,
      );
    }
  });
}

async function fileMode(client: ToolCaller): Promise<void> {
  const dirs = new Set<string>();
  for (const v of seed.seededSecretValues()) {
    const r = await json(client, "save_secret_to_file", {
      name: v.name,
      key: v.key,
      namespace: NS,
    });
    assert.equal(r.bytes, v.bytes.length);
    assert.ok(!("value" in r) && Object.keys(r).sort().join() === "bytes,note,path");
    const path = String(r.path);
    assert.deepEqual(await Deno.readFile(path), v.bytes, `${v.name}/${v.key}`);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const dir = path.slice(0, path.lastIndexOf("/"));
    assert.match(dir, /\/mcp-kubernetes-ro-secret-\d+$/);
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    dirs.add(dir);
  }
  assert.equal(dirs.size, seed.seededSecretValues().length, "a new folder per call");
  const target = await Deno.makeTempDir({ prefix: "mcp-secret-path-" });
  dirs.add(target);
  try {
    const path = `${target}/chosen.bin`;
    const r = await json(client, "save_secret_to_file", {
      name: "mcp-binary",
      key: "blob.bin",
      namespace: NS,
      path,
    });
    assert.equal(r.path, path);
    assert.deepEqual(await Deno.readFile(path), seed.BINARY_SECRET_VALUE);
    assert.equal(
      await callError(client, "save_secret_to_file", {
        name: "mcp-binary",
        key: "blob.bin",
        namespace: NS,
        path,
      }),
      `failed to write secret value: file "${path}" already exists, choose a new path`,
    );
    assert.deepEqual(await Deno.readFile(path), seed.BINARY_SECRET_VALUE, "left untouched");
    assert.equal(
      await callError(client, "save_secret_to_file", {
        name: "mcp-binary",
        key: "blob.bin",
        namespace: NS,
        path: "relative.bin",
      }),
      `failed to write secret value: path "relative.bin" must be absolute`,
    );
  } finally {
    for (const dir of dirs) await Deno.remove(dir, { recursive: true });
  }
}

async function encryptedMode(client: ToolCaller): Promise<void> {
  const pair = await keyPair();
  for (const v of seed.seededSecretValues()) {
    const key = `${pair.dir}/${crypto.randomUUID()}.pem`;
    await Deno.copyFile(pair.privateKey, key);
    const output = `${pair.dir}/${crypto.randomUUID()}.out`;
    const r = await json(client, "get_secret_encrypted", {
      public_key: pair.publicPem,
      private_key_path: key,
      output_path: output,
      name: v.name,
      key: v.key,
      namespace: NS,
    });
    assert.equal(r.bytes, v.bytes.length);
    assert.equal(r.blocks, Math.max(1, Math.ceil(v.bytes.length / (256 - 42))));
    const run = await runShell(String(r.decrypt_command));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await Deno.readFile(output), v.bytes, `${v.name}/${v.key}`);
    assert.equal((await Deno.stat(output)).mode! & 0o777, 0o600);
    assert.equal(await exists(key), false, "the private key is deleted");
  }
  const refused = await callError(client, "get_secret_encrypted", {
    public_key: await Deno.readTextFile(pair.privateKey),
    private_key_path: "/k",
    output_path: "/o",
    name: "mcp-opaque",
    key: "password",
    namespace: NS,
  });
  assert.match(refused, /holds a private key .*never send a private key/);
}
