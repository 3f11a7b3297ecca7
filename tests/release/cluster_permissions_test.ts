// The released server runs with RELEASE_PERMISSIONS only, while the other end-to-end tests run
// main.ts with -A. Here every tool is called against the test control plane (`deno task testenv
// up`) under exactly the release permissions, including a user authenticated by an exec
// credential plugin, so a permission the server needs but the binaries lack shows up in CI.
// The testenv is started if it is not up (and left up, as `deno task testenv up` would).

import assert from "node:assert/strict";
import { Client, StdioClientTransport } from "../_helpers/sdk.ts";
import { POD } from "../../scripts/testenv/seed_data.ts";
import { RELEASE_PERMISSIONS } from "../../scripts/release/permissions.ts";
import { REPO_ROOT, run, withTempDir } from "./_helpers.ts";
import { makeDirOutsideTmp } from "../_helpers/outside_tmp.ts";

/** `testenv up` is idempotent: it prints the kubeconfig path, building and starting if needed. */
async function testenvKubeconfig(): Promise<string> {
  const r = await run(Deno.execPath(), ["run", "-A", `${REPO_ROOT}/scripts/testenv/main.ts`, "up"]);
  assert.equal(r.code, 0, `deno task testenv up failed:\n${r.stderr}`);
  const path = r.stdout.trim().split("\n").at(-1) ?? "";
  assert.ok(path.endsWith("kubeconfig"), `testenv up printed no kubeconfig path: ${r.stdout}`);
  return path;
}

/** A kubeconfig whose only user gets the viewer's token from an exec credential plugin. */
async function execKubeconfig(dir: string, source: string): Promise<string> {
  const text = await Deno.readTextFile(source);
  const token = /- name: "mcp-viewer"\n\s+user:\n\s+token: ("[^"]+")/.exec(text)?.[1];
  const server = /server: ("https:[^"]+")/.exec(text)?.[1];
  const ca = /certificate-authority-data: (\S+)/.exec(text)?.[1];
  assert.ok(token && server && ca, "the testenv kubeconfig has the viewer token and cluster");
  const plugin = `${dir}/credential-plugin.sh`;
  const credential = JSON.stringify({
    apiVersion: "client.authentication.k8s.io/v1beta1",
    kind: "ExecCredential",
    status: { token: JSON.parse(token) },
  });
  await Deno.writeTextFile(plugin, `#!/bin/sh\ncat <<'EOF'\n${credential}\nEOF\n`, { mode: 0o755 });
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    "current-context": "exec",
    clusters: [{
      name: "c",
      cluster: { server: JSON.parse(server), "certificate-authority-data": ca },
    }],
    users: [{
      name: "exec-user",
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: plugin,
          interactiveMode: "Never",
        },
      },
    }],
    contexts: [{ name: "exec", context: { cluster: "c", user: "exec-user", namespace: "team-a" } }],
  };
  await Deno.writeTextFile(`${dir}/exec.kubeconfig`, JSON.stringify(kubeconfig)); // JSON is YAML
  return `${dir}/exec.kubeconfig`;
}

async function connect(kubeconfig: string): Promise<{ client: Client; stderr: () => string }> {
  let stderr = "";
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    // No --always-start: the start-up connectivity check runs under the permissions too.
    args: [
      "run",
      "--no-prompt",
      "--quiet",
      ...RELEASE_PERMISSIONS,
      `${REPO_ROOT}/main.ts`,
      "--kubeconfig",
      kubeconfig,
    ],
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: Deno.env.get("HOME") ?? "/" },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (d: Uint8Array) => stderr += new TextDecoder().decode(d));
  const client = new Client({ name: "release-permissions", version: "0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}

async function callOk(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const text = textOf(result);
  assert.doesNotMatch(text, /NotCapable|Requires \w+ access|--allow-/, `${name}: ${text}`);
  assert.ok(!result.isError, `${name} failed: ${text}`);
  return text;
}

Deno.test("every tool works against the testenv under exactly the release permissions", async () => {
  const { client, stderr } = await connect(await testenvKubeconfig());
  try {
    assert.match(await callOk(client, "list_contexts", {}), /reader/);
    assert.match(await callOk(client, "list_api_resources", {}), /pods/);
    assert.match(
      await callOk(client, "list_resources", { resource_type: "pods", namespace: "mcp-test" }),
      new RegExp(POD.web1),
    );
    await callOk(client, "get_resource", {
      resource_type: "pods",
      name: POD.web1,
      namespace: "mcp-test",
    });
    await callOk(client, "get_pod_containers", { name: POD.web1, namespace: "mcp-test" });
    await callOk(client, "get_logs", { name: POD.worker, namespace: "mcp-test", max_lines: 5 });
    await callOk(client, "get_node_metrics", {});
    await callOk(client, "get_pod_metrics", { namespace: "mcp-test" });
    // The admin context names its client certificate and key as files: --allow-read.
    await callOk(client, "list_resources", {
      resource_type: "namespaces",
      context: "admin",
    });
    assert.match(await callOk(client, "encode_base64", { data: "ok" }), /"encoded":"b2s="/);
    // The one write, under --allow-write=/tmp: a new folder in /tmp, and nowhere else.
    const saved = JSON.parse(
      await callOk(client, "save_secret_to_file", {
        name: "db-credentials",
        key: "username",
        namespace: "mcp-test",
      }),
    ) as { path: string; bytes: number };
    assert.match(saved.path, /^\/tmp\/mcp-kubernetes-ro-secret-\d+\/username$/);
    assert.equal(await Deno.readTextFile(saved.path), "app");
    await Deno.remove(saved.path.slice(0, saved.path.lastIndexOf("/")), { recursive: true });
    const outsideDir = await makeDirOutsideTmp(".release-permissions-");
    const outside = `${outsideDir}/value`;
    const refused = await client.callTool({
      name: "save_secret_to_file",
      arguments: { name: "db-credentials", key: "username", namespace: "mcp-test", path: outside },
    });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /is outside the folders this server may write to \(\/tmp;/);
    assert.equal(await Deno.lstat(outside).then(() => true, () => false), false);
    await Deno.remove(outsideDir);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nserver stderr:\n${stderr()}`);
  } finally {
    await client.close();
  }
});

Deno.test("an exec credential plugin authenticates under the release permissions", async () => {
  const source = await testenvKubeconfig();
  await withTempDir(async (dir) => {
    const { client, stderr } = await connect(await execKubeconfig(dir, source));
    try {
      // The viewer may list in team-a only, so a listing there proves the plugin's token was used.
      const text = await callOk(client, "list_resources", {
        resource_type: "pods",
        namespace: "team-a",
      });
      assert.match(text, new RegExp(POD.api));
    } catch (e) {
      throw new Error(`${(e as Error).message}\nserver stderr:\n${stderr()}`);
    } finally {
      await client.close();
    }
  });
});
