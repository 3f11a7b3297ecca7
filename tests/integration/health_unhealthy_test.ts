// get_cluster_health against an API server that is not ready: a private kube-apiserver on a
// private etcd (both the testenv's binaries), whose etcd is then killed. /readyz answers 500 with
// the failed check, the nodes cannot be read, and the tool still answers: unhealthy, and why.

import assert from "node:assert/strict";
import { join } from "node:path";
import { encodeBase64 } from "../../scripts/testenv/base64.ts";
import { apiserverReady, etcdHealthy, waitFor } from "../../scripts/testenv/cluster.ts";
import { makePki } from "../../scripts/testenv/pki.ts";
import { callJson, connectStdio } from "../_helpers/connect.ts";
import { freePort } from "../_helpers/spawn_http.ts";
import { integration } from "../_helpers/testenv.ts";

type Json = Record<string, unknown>;

function spawn(bin: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(bin, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn();
}

async function stop(child: Deno.ChildProcess | undefined): Promise<void> {
  if (!child) return;
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
  await child.status;
}

integration("get_cluster_health: unhealthy when the API server's etcd is gone", async (env) => {
  const state = env.state;
  if (!state) throw new Error("this test needs the local testenv (its binaries)");
  const dir = await Deno.makeTempDir({ prefix: "unhealthy-apiserver-" });
  let etcd: Deno.ChildProcess | undefined;
  let apiserver: Deno.ChildProcess | undefined;
  try {
    const pki = await makePki(join(dir, "pki"));
    const [etcdPort, peerPort, apiPort] = [freePort(), freePort(), freePort()];
    const url = (p: number) => `http://127.0.0.1:${p}`;
    etcd = spawn(join(state.binDir, "etcd"), [
      "--name=unhealthy",
      `--data-dir=${join(dir, "etcd")}`,
      `--listen-client-urls=${url(etcdPort)}`,
      `--advertise-client-urls=${url(etcdPort)}`,
      `--listen-peer-urls=${url(peerPort)}`,
      `--initial-advertise-peer-urls=${url(peerPort)}`,
      `--initial-cluster=unhealthy=${url(peerPort)}`,
      "--unsafe-no-fsync",
    ]);
    await waitFor("the private etcd", () => etcdHealthy(etcdPort), 60_000);
    const server = `https://127.0.0.1:${apiPort}`;
    apiserver = spawn(join(state.binDir, "kube-apiserver"), [
      `--etcd-servers=${url(etcdPort)}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      "--advertise-address=127.0.0.1",
      "--endpoint-reconciler-type=none",
      "--service-cluster-ip-range=10.96.0.0/12",
      `--cert-dir=${join(dir, "cert")}`,
      `--tls-cert-file=${pki.apiserverCert}`,
      `--tls-private-key-file=${pki.apiserverKey}`,
      `--client-ca-file=${pki.caCert}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      "--authorization-mode=RBAC",
      "--etcd-healthcheck-timeout=1s",
      "--etcd-readycheck-timeout=1s",
      "--profiling=false",
    ]);
    const ca = await Deno.readTextFile(pki.caCert);
    await waitFor("the private kube-apiserver", () => apiserverReady(server, ca), 120_000);
    const admin = pki.clients["mcp-admin"]!;
    const kubeconfig = join(dir, "kubeconfig");
    await Deno.writeTextFile(
      kubeconfig,
      `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: c
  cluster: {server: "${server}", certificate-authority-data: ${encodeBase64(ca)}}
users:
- name: admin
  user:
    client-certificate-data: ${encodeBase64(await Deno.readTextFile(admin.cert))}
    client-key-data: ${encodeBase64(await Deno.readTextFile(admin.key))}
contexts:
- name: c
  context: {cluster: c, user: admin, namespace: default}
`,
      { mode: 0o600 },
    );
    await stop(etcd);
    etcd = undefined;
    await waitFor("/readyz to fail", async () => !(await apiserverReady(server, ca)), 60_000);
    const { client, close } = await connectStdio([
      "--kubeconfig",
      kubeconfig,
      "--always-start",
      "--request-timeout",
      "20s",
    ]);
    try {
      const h = await callJson(client, "get_cluster_health") as Json;
      assert.equal(h.status, "unhealthy", JSON.stringify(h));
      assert.match(String(h.summary), /^API server not ready \(failed: [^)]*etcd/);
      const readyz = (h.components as Record<string, Json>).readyz!;
      assert.equal(readyz.status, "failed");
      const etcdCheck = (readyz.checks as Json[]).find((c) => c.name === "etcd");
      assert.equal(etcdCheck?.status, "failed");
      assert.equal(h.nodes, undefined);
      assert.ok(
        (h.unavailable as { part: string }[]).some((u) => u.part === "nodes"),
        JSON.stringify(h.unavailable),
      );
    } finally {
      await close();
    }
  } finally {
    await stop(apiserver);
    await stop(etcd);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
