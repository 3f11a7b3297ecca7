// A reader identity of a test's own, so that its audit-log assertions see only its own
// requests while other tests run in parallel as mcp-reader. The certificate is signed by the
// testenv's CA; a ClusterRoleBinding gives the group the same read-only role as mcp-reader.

import { dirname, join } from "node:path";
import { Kube, KubeError } from "../../scripts/testenv/kube_client.ts";
import type { TestEnv } from "./testenv.ts";

const GROUP = "mcp:hostile-readers";

async function openssl(args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl failed: ${new TextDecoder().decode(out.stderr)}`);
}

export interface OwnReader {
  /** The user name the audit log records. */
  user: string;
  /** A kubeconfig whose only context, "reader" (namespace mcp-test), is this user. */
  kubeconfig: string;
  cleanup(): Promise<void>;
}

export async function ownReader(env: TestEnv, label: string): Promise<OwnReader> {
  const state = env.state;
  if (!state) throw new Error("ownReader needs the local testenv (its CA)");
  const admin = await env.client("admin");
  try {
    await admin.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      metadata: { name: "mcp-hostile-readers" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "mcp-reader" },
      subjects: [{ kind: "Group", name: GROUP, apiGroup: "rbac.authorization.k8s.io" }],
    });
  } catch (e) {
    if (!(e instanceof KubeError) || e.status !== 409) throw e;
  } finally {
    admin.close();
  }
  const user = `mcp-${label}-${crypto.randomUUID().slice(0, 8)}`;
  const dir = await Deno.makeTempDir({ prefix: "mcp-own-reader-" });
  const [key, csr, crt] = ["user.key", "user.csr", "user.crt"].map((f) => join(dir, f));
  const pki = dirname(state.caCert);
  await openssl([
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    key!,
    "-out",
    csr!,
    "-subj",
    `/O=${GROUP}/CN=${user}`,
  ]);
  await Deno.writeTextFile(join(dir, "ext"), "extendedKeyUsage=clientAuth\n");
  await openssl([
    "x509",
    "-req",
    "-in",
    csr!,
    "-CA",
    state.caCert,
    "-CAkey",
    join(pki, "ca.key"),
    "-set_serial",
    String(Date.now()),
    "-days",
    "1",
    "-out",
    crt!,
    "-extfile",
    join(dir, "ext"),
  ]);
  const kubeconfig = join(dir, "kubeconfig");
  const q = JSON.stringify;
  await Deno.writeTextFile(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "current-context: reader",
      "clusters:",
      `- name: testenv`,
      `  cluster: {server: ${q(state.servers.main)}, certificate-authority: ${q(state.caCert)}}`,
      "users:",
      `- name: ${q(user)}`,
      `  user: {client-certificate: ${q(crt)}, client-key: ${q(key)}}`,
      "contexts:",
      `- name: reader`,
      `  context: {cluster: testenv, user: ${q(user)}, namespace: mcp-test}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  // The binding reaches the authorizer's cache within moments; wait until it has.
  const probe = await Kube.fromFiles(state.servers.main, state.caCert, crt!, key!);
  try {
    for (let i = 0;; i++) {
      const r = await probe.raw("GET", "/api/v1/namespaces/mcp-test/pods?limit=1");
      if (r.status === 200) break;
      if (i > 50) throw new Error(`the new reader ${user} still gets ${r.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    probe.close();
  }
  return { user, kubeconfig, cleanup: () => Deno.remove(dir, { recursive: true }) };
}
