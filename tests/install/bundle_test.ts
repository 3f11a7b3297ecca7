// The bundled server (scripts/release/bundle.ts), run as the npm package and the image run it:
// `deno run` of server/main.js with no config, lock, npm or remote, under the release flags. The
// rest of the suite runs main.ts; these tests take the paths where a bundle can differ from the
// source graph: every lazily loaded chunk, CommonJS packages (prom-client for /metrics, undici for
// insecure-skip-tls-verify), the exec credential plugin and the RE2 engine.

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  bundle,
  BUNDLE_DIR,
  BUNDLE_ENTRY,
  BUNDLE_RUN_FLAGS,
} from "../../scripts/release/bundle.ts";
import { RELEASE_RUN_FLAGS } from "../../scripts/release/permissions.ts";
import { callJson, connectStdio, text } from "../_helpers/connect.ts";
import { execUser, kubeconfigWith, script } from "../_helpers/kubeconfig_variant.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { integration } from "../_helpers/testenv.ts";
import { ROOT } from "./_helpers.ts";

let built: Promise<{ dir: string; server: string[] }> | undefined;

/** Bundles once for the file; `server` is the deno command line before the server's flags. */
function bundled(): Promise<{ dir: string; server: string[] }> {
  built ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "bundle_test_" });
    await bundle(ROOT, dir);
    return {
      dir,
      server: [
        "run",
        ...BUNDLE_RUN_FLAGS,
        "--quiet",
        ...RELEASE_RUN_FLAGS,
        join(dir, BUNDLE_ENTRY),
      ],
    };
  })();
  return built;
}

Deno.test("bundle: every chunk loads under the release flags, with nothing fetched", async () => {
  const { dir } = await bundled();
  const chunks: string[] = [];
  for await (const e of Deno.readDir(join(dir, BUNDLE_DIR))) {
    if (e.name.endsWith(".js") && e.name !== "main.js") chunks.push(e.name);
  }
  assert.ok(chunks.length >= 5, chunks.join(", "));
  const probe = join(dir, "probe.js");
  await Deno.writeTextFile(
    probe,
    chunks.map((c) => `await import(${JSON.stringify(`./${BUNDLE_DIR}/${c}`)});`).join("\n") +
      '\nconsole.log("loaded");\n',
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...BUNDLE_RUN_FLAGS, ...RELEASE_RUN_FLAGS, probe],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, err);
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "loaded");
});

integration("bundle: /metrics (prom-client) and a tool call over streamable HTTP", async (env) => {
  const { server } = await bundled();
  const http = await startHttp(
    "streamable-http",
    ["--kubeconfig", env.kubeconfig, "--always-start"],
    { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    server,
  );
  try {
    const metrics = await fetch(`${http.base}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^# HELP mcp_kubernetes_ro_/m);
    const res = await fetch(`${http.base}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "bundle-test", version: "0" },
        },
      }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(await res.text(), /"serverInfo"/);
  } finally {
    await http.stop();
  }
});

integration(
  "bundle: an exec plugin, insecure-skip-tls-verify (undici) and an RE2 grep over stdio",
  async (env) => {
    const { server } = await bundled();
    const token = env.state?.tokens["mcp-viewer"];
    assert.ok(token, "needs the local testenv's tokens");
    const dir = await Deno.makeTempDir();
    const plugin = await script(
      dir,
      "viewer-plugin",
      `cat <<EOF
{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}
EOF`,
    );
    const main = (await Deno.readTextFile(env.kubeconfig)).match(/server: "?([^"\n]+)"?/)?.[1];
    assert.ok(main, "the testenv kubeconfig names its server");
    const kc = await kubeconfigWith(env, {
      clusters: `- name: skip-tls
  cluster: {server: "${main}", insecure-skip-tls-verify: true}
`,
      users: execUser("exec-viewer", plugin),
      contexts: `- name: exec
  context: {cluster: testenv, user: exec-viewer, namespace: team-a}
- name: skip-tls
  context: {cluster: skip-tls, user: mcp-reader, namespace: mcp-test}
`,
      current: "exec",
    });
    const { client, close, stderr } = await connectStdio(
      ["--kubeconfig", kc.path, "--always-start"],
      {},
      server,
    );
    try {
      const viaExec = await callJson(client, "list_resources", { resource_type: "pods" }) as {
        count: number;
      };
      assert.ok(viaExec.count > 0, `the exec plugin's viewer sees team-a's pods: ${stderr()}`);
      const viaUndici = await callJson(client, "list_resources", {
        resource_type: "pods",
        context: "skip-tls",
      }) as { count: number };
      assert.ok(viaUndici.count > 0, "the reader lists mcp-test's pods without verifying TLS");
      const grep = await client.callTool({
        name: "get_logs",
        arguments: {
          name: "biglog",
          namespace: "mcp-test",
          context: "skip-tls",
          grep_include: "FATAL.*shutting down",
          use_regex: true,
          since: "1s",
        },
      });
      // The RE2 chunk loaded and ran: a regex answer (possibly no line in the last second),
      // never a load error.
      assert.doesNotMatch(text(grep), /not supported|Cannot find|is not a (constructor|function)/);
      assert.ok(!(grep as { isError?: boolean }).isError, text(grep));
      // The JSONPath chunk (fields) loads and runs from the bundle too.
      const projected = await callJson(client, "get_resource", {
        resource_type: "pods",
        name: "biglog",
        namespace: "mcp-test",
        context: "skip-tls",
        fields: [".spec.containers[*].image"],
      }) as Record<string, unknown>;
      assert.deepEqual(projected[".spec.containers[*].image"], ["ghcr.io/example/chatty:2.0"]);
    } finally {
      await close();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(kc.dir, { recursive: true });
    }
  },
);
