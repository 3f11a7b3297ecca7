// deno task testenv up | down | status
//   up:     build the binaries once (cached), start etcd + kube-apiservers + fake kubelet + fake
//           metrics-server on 127.0.0.1, seed them, print the kubeconfig path (only that, on stdout).
//           Idempotent: when already up and healthy, just prints the path.
//   down:   stop exactly the processes `up` started and remove the cluster state.
//   status: print a JSON summary on stdout; exit 0 healthy, 1 unhealthy, 3 not running.

import { join } from "node:path";
import { ensureBinaries, ensurePortForwardKubelet, PORTFORWARD_MODULE_DIR } from "./build.ts";
import {
  apiserverReady,
  etcdHealthy,
  httpsHealthy,
  type Ports,
  randomToken,
  startApiserver,
  startDenoServer,
  startEtcd,
  startPortForwardKubelet,
  type Tokens,
  waitFor,
  writeAuthFiles,
} from "./cluster.ts";
import { Kube } from "./kube_client.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { log } from "./log.ts";
import { bigLogFileName, ensureBigLog, writeLogsAndIndex } from "./logs.ts";
import { etcdDataDir, type StatePaths, statePaths, TESTENV_DIR } from "./paths.ts";
import { makePki } from "./pki.ts";
import { freePorts, isAlive, type ProcRecord, stopAll } from "./procs.ts";
import { seedMain, seedNoMetrics, waitApiServiceAvailable } from "./seed.ts";
import { readState, type State, writeState } from "./state.ts";

const READY_TIMEOUT_MS = 180_000;

async function acquireLock(paths: StatePaths): Promise<() => Promise<void>> {
  await Deno.mkdir(paths.root, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  let told = false;
  for (;;) {
    try {
      const f = await Deno.open(paths.lock, { write: true, createNew: true });
      await f.write(new TextEncoder().encode(String(Deno.pid)));
      f.close();
      return () => Deno.remove(paths.lock).catch(() => {});
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const holder = Number(await Deno.readTextFile(paths.lock).catch(() => "0"));
    let alive = false;
    try {
      alive = holder > 0 && (await Deno.stat(`/proc/${holder}`)).isDirectory;
    } catch {
      alive = false;
    }
    if (!alive) {
      await Deno.remove(paths.lock).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`lock ${paths.lock} held by pid ${holder} for too long`);
    }
    if (!told) log(`waiting for another testenv command (pid ${holder}) to finish`);
    told = true;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function healthy(st: State): Promise<string[]> {
  const problems: string[] = [];
  for (const p of st.procs) {
    if (!(await isAlive(p))) problems.push(`${p.name} (pid ${p.pid}) is not running`);
  }
  const ca = await Deno.readTextFile(st.caCert).catch(() => "");
  const checks: [string, () => Promise<boolean>][] = [
    ["etcd", () => etcdHealthy(st.ports.etcd)],
    ["kube-apiserver /readyz", () => apiserverReady(st.servers.main, ca)],
    ["kube-apiserver-nometrics /readyz", () => apiserverReady(st.servers.nometrics, ca)],
    ["fake kubelet", () => httpsHealthy(st.ports.kubelet, ca)],
    ["fake metrics-server", () => httpsHealthy(st.ports.metrics, ca)],
  ];
  for (const [name, check] of checks) {
    if (!(await check().catch(() => false))) problems.push(`${name} is not healthy`);
  }
  return problems;
}

async function teardown(paths: StatePaths, st: State | null): Promise<void> {
  if (st) {
    await stopAll(st.procs);
    await Deno.remove(st.etcdData, { recursive: true }).catch(() => {});
  }
  // Everything but the lock and keep/ (the generated big log).
  let entries: Deno.DirEntry[] = [];
  try {
    entries = await Array.fromAsync(Deno.readDir(paths.root));
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === "keep" || e.name === "lock") continue;
    await Deno.remove(join(paths.root, e.name), { recursive: true }).catch(() => {});
  }
}

/** Hash of the testenv's own code (seed data, servers): a running cluster seeded by other code is restarted. */
async function testenvCodeKey(): Promise<string> {
  const files = async (dir: string, re: RegExp) =>
    (await Array.fromAsync(Deno.readDir(dir)))
      .filter((e) => e.isFile && re.test(e.name)).map((e) => join(dir, e.name)).sort();
  const names = [
    ...await files(TESTENV_DIR, /\.ts$/),
    ...await files(PORTFORWARD_MODULE_DIR, /^(go\.mod|go\.sum|.*\.go)$/),
  ];
  const parts = await Promise.all(names.map((n) => Deno.readTextFile(n)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

async function up(paths: StatePaths): Promise<void> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const mark = (name: string) => (timings[name] = Math.round(performance.now() - t0) / 1000);
  const bins = await ensureBinaries();
  const pfKubelet = await ensurePortForwardKubelet();
  mark("binaries");
  const codeKey = await testenvCodeKey();
  const prev = await readState(paths.stateFile);
  if (prev) {
    const problems = !prev.ready
      ? ["a previous `up` did not finish"]
      : prev.binDir !== bins.dir
      ? ["the pinned versions changed"]
      : prev.codeKey !== codeKey
      ? ["scripts/testenv changed since it was started"]
      : await healthy(prev);
    if (problems.length === 0) {
      log("already up and healthy");
      // deno-lint-ignore no-console
      console.log(prev.kubeconfig);
      return;
    }
    log(`restarting: ${problems.join("; ")}`);
  }
  await teardown(paths, prev);

  for (const d of [paths.logs, paths.keep]) await Deno.mkdir(d, { recursive: true });
  const [pki] = await Promise.all([makePki(paths.pki)]);
  const [etcd, etcdPeer, apiserver, apiserverNoMetrics, kubelet, metrics, kubeletLogs] = freePorts(
    7,
  );
  const ports: Ports = {
    etcd: etcd!,
    etcdPeer: etcdPeer!,
    apiserver: apiserver!,
    apiserverNoMetrics: apiserverNoMetrics!,
    kubelet: kubelet!,
    kubeletLogs: kubeletLogs!,
    metrics: metrics!,
  };
  const tokens: Tokens = {
    "mcp-viewer": randomToken("viewer"),
    "mcp-nobody": randomToken("nobody"),
    "mcp-podreader": randomToken("podreader"),
    "mcp-forwarder": randomToken("forwarder"),
    "mcp-forwarder-2": randomToken("forwarder2"),
  };
  await writeAuthFiles(paths, tokens);
  const etcdData = await etcdDataDir(paths.root);
  await Deno.remove(etcdData, { recursive: true }).catch(() => {});
  const procs: ProcRecord[] = [];
  const st: State = {
    version: 1,
    ready: false,
    startedAt: new Date().toISOString(),
    stateDir: paths.root,
    binDir: bins.dir,
    codeKey,
    etcdData,
    ports,
    servers: {
      main: `https://127.0.0.1:${ports.apiserver}`,
      nometrics: `https://127.0.0.1:${ports.apiserverNoMetrics}`,
    },
    kubeconfig: paths.kubeconfig,
    caCert: pki.caCert,
    audit: { main: paths.audit, nometrics: paths.auditNoMetrics },
    tokens,
    procs,
    timings,
  };
  let saving: Promise<void> = Promise.resolve();
  const save = () => (saving = saving.then(() => writeState(paths.stateFile, st)));
  const track = async (p: Promise<ProcRecord>) => {
    const rec = await p;
    procs.push(rec);
    await save();
    return rec;
  };
  await save();
  mark("pki");

  let logsReady: Promise<void> = Promise.resolve();
  try {
    const etcdProc = await track(startEtcd(bins, paths, ports, etcdData));
    logsReady = (async () => {
      const big = bigLogFileName(paths.keep);
      await ensureBigLog(big);
      await writeLogsAndIndex(paths.containerLogs, paths.podIndex, big);
      await track(startDenoServer("fake-kubelet", "kubelet.ts", ports.kubeletLogs, pki, paths));
      await track(startPortForwardKubelet(pfKubelet, ports, pki, paths));
      await track(
        startDenoServer("fake-metrics-server", "metrics_server.ts", ports.metrics, pki, paths),
      );
    })();
    await waitFor("etcd", () => etcdHealthy(ports.etcd), 30_000, etcdProc);
    mark("etcd");
    const caPem = await Deno.readTextFile(pki.caCert);
    const [main, nometrics] = await Promise.all([
      track(startApiserver(bins, paths, pki, ports, {
        name: "kube-apiserver",
        port: ports.apiserver,
        etcdPrefix: "/registry",
        auditLog: paths.audit,
        certDir: join(paths.root, "cert"),
      })),
      track(startApiserver(bins, paths, pki, ports, {
        name: "kube-apiserver-nometrics",
        port: ports.apiserverNoMetrics,
        etcdPrefix: "/registry-nometrics",
        auditLog: paths.auditNoMetrics,
        certDir: join(paths.root, "cert-nometrics"),
      })),
    ]);
    await Promise.all([
      waitFor(
        "kube-apiserver /readyz",
        () => apiserverReady(st.servers.main, caPem),
        READY_TIMEOUT_MS,
        main,
      ),
      waitFor(
        "kube-apiserver-nometrics /readyz",
        () => apiserverReady(st.servers.nometrics, caPem),
        READY_TIMEOUT_MS,
        nometrics,
      ),
    ]);
    mark("apiservers");
    await logsReady;
    const [kubeletProc, metricsProc] = [
      procs.find((p) => p.name === "fake-kubelet")!,
      procs.find((p) => p.name === "fake-metrics-server")!,
    ];
    await Promise.all([
      waitFor("fake kubelet", () => httpsHealthy(ports.kubelet, caPem), 30_000, kubeletProc),
      waitFor("fake metrics-server", () => httpsHealthy(ports.metrics, caPem), 30_000, metricsProc),
    ]);
    mark("fakes");

    const admin = pki.clients["mcp-admin"]!;
    const kubeMain = await Kube.fromFiles(st.servers.main, pki.caCert, admin.cert, admin.key);
    const kubeNoMetrics = await Kube.fromFiles(
      st.servers.nometrics,
      pki.caCert,
      admin.cert,
      admin.key,
    );
    try {
      await Promise.all([
        seedMain(kubeMain, {
          kubeletPort: ports.kubelet,
          metrics: { port: ports.metrics, caCert: caPem },
        }),
        seedNoMetrics(kubeNoMetrics, { kubeletPort: ports.kubelet }),
      ]);
      mark("seed");
      await waitApiServiceAvailable(kubeMain);
      mark("apiservice");
    } finally {
      kubeMain.close();
      kubeNoMetrics.close();
    }
    await writeKubeconfig(paths.kubeconfig, st.servers, pki, tokens);
    st.ready = true;
    mark("total");
    await save();
    log(
      `up in ${timings.total} s (${
        Object.entries(timings).map(([k, v]) => `${k}@${v}s`).join(", ")
      })`,
    );
    // deno-lint-ignore no-console
    console.log(paths.kubeconfig);
  } catch (e) {
    log(`up failed; stopping what was started (logs kept in ${paths.logs})`);
    await logsReady.catch(() => {});
    await stopAll(procs);
    await Deno.remove(etcdData, { recursive: true }).catch(() => {});
    await Deno.remove(paths.stateFile).catch(() => {});
    throw e;
  }
}

async function down(paths: StatePaths): Promise<void> {
  const st = await readState(paths.stateFile);
  if (!st) {
    log("not running (no state.json)");
    await teardown(paths, null);
    return;
  }
  await teardown(paths, st);
  const left = [];
  for (const p of st.procs) if (await isAlive(p)) left.push(`${p.name} (pid ${p.pid})`);
  if (left.length > 0) throw new Error(`still running after down: ${left.join(", ")}`);
  log(`stopped ${st.procs.length} processes`);
}

async function status(paths: StatePaths): Promise<number> {
  const st = await readState(paths.stateFile);
  if (!st) {
    // deno-lint-ignore no-console
    console.log(JSON.stringify({ running: false }));
    return 3;
  }
  const problems = st.ready ? await healthy(st) : ["`up` has not finished"];
  const procs = await Promise.all(
    st.procs.map(async (p) => ({ name: p.name, pid: p.pid, alive: await isAlive(p), log: p.log })),
  );
  // deno-lint-ignore no-console
  console.log(
    JSON.stringify(
      {
        running: true,
        healthy: problems.length === 0,
        problems,
        kubeconfig: st.kubeconfig,
        servers: st.servers,
        ports: st.ports,
        procs,
        timings: st.timings,
      },
      null,
      2,
    ),
  );
  return problems.length === 0 ? 0 : 1;
}

if (import.meta.main) {
  const cmd = Deno.args[0];
  const paths = statePaths();
  if (cmd !== "up" && cmd !== "down" && cmd !== "status") {
    log("usage: deno task testenv up | down | status");
    Deno.exit(2);
  }
  let code = 0;
  // `status` only reads: it must answer while an `up` is building or seeding.
  const release = cmd === "status" ? async () => {} : await acquireLock(paths);
  try {
    if (cmd === "up") await up(paths);
    else if (cmd === "down") await down(paths);
    else code = await status(paths);
  } catch (e) {
    log(`${cmd} failed: ${e instanceof Error ? e.message : e}`);
    code = 1;
  } finally {
    await release();
  }
  Deno.exit(code);
}
