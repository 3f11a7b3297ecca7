// A second, private kube-apiserver on the testenv's etcd (same data, same RBAC), for fault tests
// that pause, kill or restart an API server: the shared one keeps serving the other tests. Every
// start makes a fresh CA, serving and client certificates and a free port, and rewrites its own
// kubeconfig (user mcp-reader by client certificate), as a cluster rebuilt elsewhere would.

import { join } from "node:path";
import { encodeBase64 } from "../../scripts/testenv/base64.ts";
import { apiserverCoreArgs, apiserverReady, waitFor } from "../../scripts/testenv/cluster.ts";
import { statePaths } from "../../scripts/testenv/paths.ts";
import { makePki } from "../../scripts/testenv/pki.ts";
import type { TestEnv } from "./testenv.ts";
import { freePort } from "./spawn_http.ts";

export interface SpareApiserver {
  kubeconfig: string;
  server(): string;
  pause(): void;
  resume(): void;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** Starts again on a new port with new certificates, and rewrites the kubeconfig. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function spareApiserver(env: TestEnv): Promise<SpareApiserver> {
  const state = env.state;
  if (!state) throw new Error("the spare apiserver needs the local testenv (state.json)");
  const paths = statePaths(state.stateDir);
  const dir = await Deno.makeTempDir({ prefix: "spare-apiserver-" });
  const kubeconfig = join(dir, "kubeconfig");
  let child: Deno.ChildProcess | undefined;
  let server = "";
  let generation = 0;

  async function start(): Promise<void> {
    const pkiDir = join(dir, `pki-${++generation}`);
    const pki = await makePki(pkiDir);
    const port = freePort();
    server = `https://127.0.0.1:${port}`;
    child = new Deno.Command(join(state!.binDir, "kube-apiserver"), {
      args: [
        ...apiserverCoreArgs(paths, pki, {
          etcdPort: state!.ports.etcd,
          etcdPrefix: "/registry",
          port,
          certDir: pkiDir,
        }),
        "--v=0",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const ca = await Deno.readTextFile(pki.caCert);
    await waitFor("the spare kube-apiserver", () => apiserverReady(server, ca), 60_000);
    const reader = pki.clients["mcp-reader"]!;
    const text = `apiVersion: v1
kind: Config
current-context: spare
clusters:
- name: spare
  cluster:
    server: "${server}"
    certificate-authority-data: ${encodeBase64(ca)}
users:
- name: mcp-reader
  user:
    client-certificate-data: ${encodeBase64(await Deno.readTextFile(reader.cert))}
    client-key-data: ${encodeBase64(await Deno.readTextFile(reader.key))}
contexts:
- name: spare
  context: {cluster: spare, user: mcp-reader, namespace: mcp-test}
`;
    const tmp = `${kubeconfig}.tmp`;
    await Deno.writeTextFile(tmp, text, { mode: 0o600 });
    await Deno.rename(tmp, kubeconfig);
  }

  async function kill(): Promise<void> {
    if (!child) return;
    try {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    child = undefined;
  }

  await start();
  return {
    kubeconfig,
    server: () => server,
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    kill,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
