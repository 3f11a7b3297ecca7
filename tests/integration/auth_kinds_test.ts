// Each way a kubeconfig can authenticate and connect, against the real API server: an exec
// credential plugin (with token refresh when it expires), a bearer token, a client certificate
// (embedded data and file paths), and a proxy-url (a CONNECT proxy on loopback).

import assert from "node:assert/strict";
import { callJson, connectStdio } from "../_helpers/connect.ts";
import { connectProxy } from "../_helpers/connect_proxy.ts";
import { execUser, kubeconfigWith, script } from "../_helpers/kubeconfig_variant.ts";
import { integration } from "../_helpers/testenv.ts";

type Page = { items: { name: string }[]; count: number };

integration(
  "an exec credential plugin authenticates, and runs again when its token expires",
  async (env) => {
    const token = env.state?.tokens["mcp-viewer"];
    assert.ok(token, "needs the local testenv's tokens");
    const dir = await Deno.makeTempDir();
    const count = `${dir}/runs`;
    // Expired at once: ExecAuth must run it again for the next request.
    const plugin = await script(
      dir,
      "viewer-plugin",
      `echo run >> "${count}"
cat <<EOF
{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
 "status":{"token":"${token}","expirationTimestamp":"2000-01-01T00:00:00Z"}}
EOF`,
    );
    const kc = await kubeconfigWith(env, {
      users: execUser("exec-viewer", plugin),
      contexts: `- name: exec
  context: {cluster: testenv, user: exec-viewer, namespace: team-a}
`,
      current: "exec",
    });
    const { client, close } = await connectStdio(["--kubeconfig", kc.path, "--always-start"]);
    try {
      const first = await callJson(client, "list_resources", { resource_type: "pods" }) as Page;
      assert.ok(first.count > 0, "the viewer sees team-a's pods");
      const runs = (await Deno.readTextFile(count)).trim().split("\n").length;
      await callJson(client, "list_resources", { resource_type: "services" });
      const after = (await Deno.readTextFile(count)).trim().split("\n").length;
      assert.ok(after > runs, `the expired token was refreshed (${runs} → ${after} runs)`);
    } finally {
      await close();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(kc.dir, { recursive: true });
    }
  },
);

integration(
  "bearer tokens and client certificates (data and file paths) authenticate",
  async (env) => {
    for (
      const [context, namespace] of [["viewer", "team-a"], ["reader", "mcp-test"], [
        "admin",
        "mcp-test",
      ]]
    ) {
      const { client, close } = await connectStdio([
        "--kubeconfig",
        env.kubeconfig,
        "--always-start",
      ]);
      try {
        const page = await callJson(client, "list_resources", {
          resource_type: "pods",
          context,
          namespace,
        }) as Page;
        assert.ok(page.count > 0, `${context} lists pods in ${namespace}`);
      } finally {
        await close();
      }
    }
  },
);

integration("a proxy-url in the kubeconfig carries the requests", async (env) => {
  const proxy = connectProxy();
  const server = env.state?.servers.main;
  assert.ok(server);
  const kc = await kubeconfigWith(env, {
    clusters: `- name: via-proxy
  cluster:
    server: "${server}"
    proxy-url: "http://127.0.0.1:${proxy.port}"
    certificate-authority: "${env.state!.caCert}"
`,
    contexts: `- name: proxied
  context: {cluster: via-proxy, user: mcp-reader, namespace: mcp-test}
`,
    current: "proxied",
  });
  const { client, close } = await connectStdio(["--kubeconfig", kc.path, "--always-start"]);
  try {
    const page = await callJson(client, "list_resources", { resource_type: "pods" }) as Page;
    assert.ok(page.count > 0);
    assert.ok(
      proxy.targets.includes(new URL(server).host),
      `the proxy was asked for ${new URL(server).host}: ${proxy.targets}`,
    );
  } finally {
    await close();
    proxy.close();
    await Deno.remove(kc.dir, { recursive: true });
  }
});
