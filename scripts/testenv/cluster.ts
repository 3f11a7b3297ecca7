// Starts the control plane processes: etcd, the two kube-apiservers (main + nometrics, sharing
// etcd under different prefixes), the fake kubelet and the fake metrics server.

import { join } from "node:path";
import type { Binaries } from "./build.ts";
import type { StatePaths } from "./paths.ts";
import type { Pki } from "./pki.ts";
import { isAlive, type ProcRecord, spawnDetached } from "./procs.ts";
import { TESTENV_DIR } from "./paths.ts";

export interface Ports {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  apiserverNoMetrics: number;
  /** The fake kubelet as the apiserver sees it (the Node's kubeletEndpoint): the port-forward front. */
  kubelet: number;
  /** kubelet.ts (logs), reached through the front. */
  kubeletLogs: number;
  metrics: number;
}

export interface Tokens {
  "mcp-viewer": string;
  "mcp-nobody": string;
  "mcp-podreader": string;
  "mcp-forwarder": string;
  "mcp-forwarder-2": string;
}

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
# Every request, at Metadata level (who, verb, resource, response code; no bodies).
rules:
- level: Metadata
`;

export function randomToken(prefix: string): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return prefix + "-" + Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export async function writeAuthFiles(paths: StatePaths, tokens: Tokens): Promise<void> {
  await Deno.writeTextFile(paths.auditPolicy, AUDIT_POLICY);
  await Deno.writeTextFile(
    paths.tokens,
    `${tokens["mcp-viewer"]},mcp-viewer,uid-mcp-viewer,"mcp:viewers"\n` +
      `${tokens["mcp-nobody"]},mcp-nobody,uid-mcp-nobody\n` +
      `${tokens["mcp-podreader"]},mcp-podreader,uid-mcp-podreader\n` +
      `${tokens["mcp-forwarder"]},mcp-forwarder,uid-mcp-forwarder\n` +
      `${tokens["mcp-forwarder-2"]},mcp-forwarder-2,uid-mcp-forwarder-2\n`,
  );
}

export function startEtcd(
  bins: Binaries,
  paths: StatePaths,
  ports: Ports,
  dataDir: string,
): Promise<ProcRecord> {
  const url = (p: number) => `http://127.0.0.1:${p}`;
  return spawnDetached("etcd", [
    bins.etcd,
    "--name=testenv",
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${url(ports.etcd)}`,
    `--advertise-client-urls=${url(ports.etcd)}`,
    `--listen-peer-urls=${url(ports.etcdPeer)}`,
    `--initial-advertise-peer-urls=${url(ports.etcdPeer)}`,
    `--initial-cluster=testenv=${url(ports.etcdPeer)}`,
    "--unsafe-no-fsync",
    "--log-level=warn",
  ], join(paths.logs, "etcd.log"));
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  proc?: ProcRecord,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (proc && !(await isAlive(proc))) {
      throw new Error(
        `${proc.name} exited while waiting for ${what}; see ${proc.log}:\n` +
          (await tail(proc.log)),
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}` +
      (proc ? `; see ${proc.log}:\n${await tail(proc.log)}` : ""),
  );
}

export async function tail(file: string, n = 20): Promise<string> {
  const text = await Deno.readTextFile(file).catch(() => "");
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

export async function etcdHealthy(port: number): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${port}/health`);
  const body = await r.json();
  return r.ok && body.health === "true";
}

export interface ApiserverSpec {
  name: string;
  port: number;
  etcdPrefix: string;
  auditLog: string;
  certDir: string;
}

/**
 * What every kube-apiserver here runs with (the testenv's two and the fault tests' spare):
 * loopback only, the testenv's etcd, its client CA, token file and service-account keys, RBAC.
 */
export function apiserverCoreArgs(
  paths: StatePaths,
  pki: Pki,
  a: { etcdPort: number; etcdPrefix: string; port: number; certDir: string },
): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${a.etcdPort}`,
    `--etcd-prefix=${a.etcdPrefix}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${a.port}`,
    "--advertise-address=127.0.0.1",
    "--endpoint-reconciler-type=none",
    "--service-cluster-ip-range=10.96.0.0/12",
    `--cert-dir=${a.certDir}`,
    `--tls-cert-file=${pki.apiserverCert}`,
    `--tls-private-key-file=${pki.apiserverKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--token-auth-file=${paths.tokens}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    "--authorization-mode=RBAC",
    "--allow-privileged=true",
    // No kube-controller-manager: nothing creates default ServiceAccounts or removes the
    // not-ready taint from new nodes.
    "--disable-admission-plugins=ServiceAccount,TaintNodesByCondition",
    "--kubelet-preferred-address-types=InternalIP",
    "--profiling=false",
  ];
}

export function startApiserver(
  bins: Binaries,
  paths: StatePaths,
  pki: Pki,
  ports: Ports,
  spec: ApiserverSpec,
): Promise<ProcRecord> {
  return spawnDetached(spec.name, [
    bins.kubeApiserver,
    ...apiserverCoreArgs(paths, pki, { etcdPort: ports.etcd, ...spec }),
    `--audit-policy-file=${paths.auditPolicy}`,
    `--audit-log-path=${spec.auditLog}`,
    "--audit-log-maxage=0",
    "--audit-log-maxbackup=0",
    "--audit-log-maxsize=0",
    `--proxy-client-cert-file=${pki.frontProxyCert}`,
    `--proxy-client-key-file=${pki.frontProxyKey}`,
    `--requestheader-client-ca-file=${pki.caCert}`,
    "--requestheader-allowed-names=front-proxy-client",
    "--requestheader-username-headers=X-Remote-User",
    "--requestheader-group-headers=X-Remote-Group",
    "--requestheader-extra-headers-prefix=X-Remote-Extra-",
    // Events expire after --event-ttl (default 1h): keep the seeded ones for a long test session.
    "--event-ttl=168h",
    "--v=1",
  ], join(paths.logs, `${spec.name}.log`));
}

/** GET /readyz as an anonymous client (allowed by system:public-info-viewer). */
export async function apiserverReady(server: string, caCert: string): Promise<boolean> {
  const client = Deno.createHttpClient({ caCerts: [caCert] });
  try {
    const r = await fetch(`${server}/readyz`, { client });
    await r.body?.cancel();
    return r.status === 200;
  } finally {
    client.close();
  }
}

/** Starts one of our Deno HTTPS servers (kubelet.ts, metrics_server.ts) as a background process. */
export function startDenoServer(
  name: string,
  script: string,
  port: number,
  pki: Pki,
  paths: StatePaths,
): Promise<ProcRecord> {
  return spawnDetached(name, [
    Deno.execPath(),
    "run",
    "--no-prompt",
    "--allow-read",
    "--allow-net=127.0.0.1",
    join(TESTENV_DIR, script),
    `--port=${port}`,
    `--cert=${pki.servingCert}`,
    `--key=${pki.servingKey}`,
    `--index=${paths.podIndex}`,
  ], join(paths.logs, `${name}.log`));
}

/** Starts the fake kubelet's front (portforward/main.go): /portForward/ served with the kubelet's
 * streaming library, everything else passed to kubelet.ts on `ports.kubeletLogs`. */
export function startPortForwardKubelet(
  bin: string,
  ports: Ports,
  pki: Pki,
  paths: StatePaths,
): Promise<ProcRecord> {
  const admin = pki.clients["mcp-admin"]!;
  return spawnDetached("fake-kubelet-portforward", [
    bin,
    `--port=${ports.kubelet}`,
    `--cert=${pki.servingCert}`,
    `--key=${pki.servingKey}`,
    `--upstream=https://127.0.0.1:${ports.kubeletLogs}`,
    `--apiserver=https://127.0.0.1:${ports.apiserver}`,
    `--ca=${pki.caCert}`,
    `--client-cert=${admin.cert}`,
    `--client-key=${admin.key}`,
  ], join(paths.logs, "fake-kubelet-portforward.log"));
}

/** True when an HTTPS server of ours answers /healthz. */
export async function httpsHealthy(port: number, caCert: string): Promise<boolean> {
  const client = Deno.createHttpClient({ caCerts: [caCert] });
  try {
    const r = await fetch(`https://127.0.0.1:${port}/healthz`, { client });
    await r.body?.cancel();
    return r.ok;
  } finally {
    client.close();
  }
}
