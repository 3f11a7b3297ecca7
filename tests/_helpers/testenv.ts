// Integration tests against the real test control plane (`deno task testenv up`, see
// scripts/testenv/README.md).
//
//   import { integration, seed } from "./_helpers/testenv.ts";
//   integration("lists pods as the reader", async (env) => { ... env.kubeconfig ... });
//
// Which cluster:
// - MCP_TESTENV_KUBECONFIG=/path: that kubeconfig (another disposable cluster; the audit log is
//   available only when a testenv state.json sits next to it).
// - otherwise the local testenv (.testenv/state.json, or MCP_TESTENV_STATE_DIR) when it is up.
// - otherwise: with CI=true every integration test FAILS (a missing environment is an error in
//   CI); locally they are ignored, and the reason is printed once on stderr.

import { dirname, join } from "node:path";
import { Kube } from "../../scripts/testenv/kube_client.ts";
import { stateDir } from "../../scripts/testenv/paths.ts";
import * as seed from "../../scripts/testenv/seed_data.ts";
import type { State } from "../../scripts/testenv/state.ts";

export { seed };
export type ContextName = seed.ContextName;

export interface AuditEvent {
  auditID: string;
  /** Latest stage seen: ResponseComplete, Panic, or ResponseStarted (a watch still open). */
  stage: string;
  verb: string;
  user: string;
  groups: string[];
  userAgent: string;
  requestURI: string;
  apiGroup: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  code?: number;
  /** annotations["authorization.k8s.io/decision"]: "allow" or "forbid". */
  decision?: string;
  requestReceivedTimestamp: string;
}

/** Byte offsets of the audit logs: pass to auditEvents({ since }) to see only later requests. */
export interface AuditMark {
  main: number;
  nometrics: number;
}

export interface AuditQuery {
  since?: AuditMark;
  /** Which apiserver's log: "main" (default) or "nometrics". */
  cluster?: "main" | "nometrics";
  /** Only requests whose User-Agent contains this. */
  userAgent?: string;
  /** How long to wait for ResponseComplete of requests already received (default 3000 ms). */
  timeoutMs?: number;
}

export interface TestEnv {
  /** Path of the kubeconfig (current-context `reader`, the identity the MCP server runs as). */
  kubeconfig: string;
  /** Context names → user and default namespace (seed.CONTEXTS). */
  contexts: typeof seed.CONTEXTS;
  currentContext: ContextName;
  /** true when MCP_TESTENV_KUBECONFIG points at a cluster not started by this checkout's testenv. */
  external: boolean;
  /** The testenv's state (ports, servers, tokens, audit paths), when available. */
  state: State | null;
  /** A raw API client authenticated as the context's user (local testenv only). */
  client(context: ContextName, opts?: { userAgent?: string }): Promise<Kube>;
  auditMark(): Promise<AuditMark>;
  /** Completed requests of `user` (e.g. "mcp-reader"), oldest first. */
  auditEvents(user: string, query?: AuditQuery): Promise<AuditEvent[]>;
  /** "verb group/resource/subresource" (or "verb /nonresource/uri") per request of `user`. */
  auditSummary(user: string, query?: AuditQuery): Promise<string[]>;
}

type Detected = { env: TestEnv } | { missing: string };

const IN_CI = (Deno.env.get("CI") ?? "").toLowerCase() === "true" || Deno.env.get("CI") === "1";

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(file)) as T;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await Deno.stat(file);
    return true;
  } catch {
    return false;
  }
}

function fileSize(file: string): Promise<number> {
  return Deno.stat(file).then((s) => s.size, () => 0);
}

async function readAudit(file: string, from: number): Promise<Record<string, unknown>[]> {
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file, { read: true });
  } catch {
    return [];
  }
  try {
    await f.seek(from, Deno.SeekMode.Start);
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const n = await f.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
    // Ignore a last line still being written.
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    return complete.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
  } finally {
    f.close();
  }
}

const STAGE_RANK: Record<string, number> = {
  RequestReceived: 0,
  ResponseStarted: 1,
  ResponseComplete: 2,
  Panic: 2,
};

function toEvent(e: Record<string, unknown>): AuditEvent {
  // deno-lint-ignore no-explicit-any
  const x = e as any;
  const ref = x.objectRef ?? {};
  return {
    auditID: x.auditID,
    stage: x.stage,
    verb: x.verb,
    user: x.user?.username ?? "",
    groups: x.user?.groups ?? [],
    userAgent: x.userAgent ?? "",
    requestURI: x.requestURI,
    apiGroup: ref.apiGroup ?? "",
    apiVersion: ref.apiVersion,
    resource: ref.resource,
    subresource: ref.subresource,
    namespace: ref.namespace,
    name: ref.name,
    code: x.responseStatus?.code,
    decision: x.annotations?.["authorization.k8s.io/decision"],
    requestReceivedTimestamp: x.requestReceivedTimestamp,
  };
}

export function summarizeAudit(events: AuditEvent[]): string[] {
  return events.map((e) => {
    if (!e.resource) return `${e.verb} ${e.requestURI.split("?")[0]}`;
    const group = e.apiGroup ? `${e.apiGroup}/` : "";
    return `${e.verb} ${group}${e.resource}${e.subresource ? `/${e.subresource}` : ""}`;
  });
}

function makeEnv(kubeconfig: string, state: State | null, external: boolean): TestEnv {
  const auditFile = (cluster: "main" | "nometrics") => {
    if (!state) {
      throw new Error(
        "no audit log for this cluster: MCP_TESTENV_KUBECONFIG points at a cluster " +
          "without a testenv state.json next to its kubeconfig",
      );
    }
    return state.audit[cluster];
  };
  const auditEvents = async (user: string, q: AuditQuery = {}): Promise<AuditEvent[]> => {
    const file = auditFile(q.cluster ?? "main");
    const from = q.since?.[q.cluster ?? "main"] ?? 0;
    const deadline = Date.now() + (q.timeoutMs ?? 3000);
    for (;;) {
      const latest = new Map<string, Record<string, unknown>>();
      for (const e of await readAudit(file, from)) {
        // deno-lint-ignore no-explicit-any
        const x = e as any;
        if (x.user?.username !== user) continue;
        if (q.userAgent && !String(x.userAgent ?? "").includes(q.userAgent)) continue;
        // deno-lint-ignore no-explicit-any
        const prev = latest.get(x.auditID) as any;
        if (!prev || (STAGE_RANK[x.stage] ?? 0) >= (STAGE_RANK[prev.stage] ?? 0)) {
          latest.set(x.auditID, e);
        }
      }
      const events = [...latest.values()].map(toEvent);
      const pending = events.filter((e) => e.stage === "RequestReceived");
      if (pending.length === 0 || Date.now() > deadline) {
        return events.filter((e) => e.stage !== "RequestReceived")
          .sort((a, b) => a.requestReceivedTimestamp.localeCompare(b.requestReceivedTimestamp));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    kubeconfig,
    contexts: seed.CONTEXTS,
    currentContext: seed.CURRENT_CONTEXT,
    external,
    state,
    async client(context: ContextName, opts: { userAgent?: string } = {}): Promise<Kube> {
      if (!state) throw new Error("env.client() needs the local testenv (state.json)");
      const c = seed.CONTEXTS[context];
      const server = context === "nometrics" ? state.servers.nometrics : state.servers.main;
      const caCert = await Deno.readTextFile(state.caCert);
      if (c.auth === "token") {
        return new Kube(server, {
          caCert,
          token: state.tokens[c.user as keyof State["tokens"]],
          userAgent: opts.userAgent,
        });
      }
      const pki = join(state.stateDir, "pki");
      return new Kube(server, {
        caCert,
        cert: await Deno.readTextFile(join(pki, `${c.user}.crt`)),
        key: await Deno.readTextFile(join(pki, `${c.user}.key`)),
        userAgent: opts.userAgent,
      });
    },
    async auditMark(): Promise<AuditMark> {
      return {
        main: await fileSize(auditFile("main")),
        nometrics: await fileSize(auditFile("nometrics")),
      };
    },
    auditEvents,
    async auditSummary(user: string, q?: AuditQuery): Promise<string[]> {
      return summarizeAudit(await auditEvents(user, q));
    },
  };
}

async function detect(): Promise<Detected> {
  const explicit = Deno.env.get("MCP_TESTENV_KUBECONFIG");
  if (explicit) {
    if (!(await exists(explicit))) {
      return { missing: `MCP_TESTENV_KUBECONFIG=${explicit} does not exist` };
    }
    const state = await readJson<State>(join(dirname(explicit), "state.json"));
    const ours = state?.ready === true && state.kubeconfig === explicit;
    return { env: makeEnv(explicit, ours ? state : null, !ours) };
  }
  const stateFile = join(stateDir(), "state.json");
  const state = await readJson<State>(stateFile);
  if (!state) {
    return {
      missing: `no test cluster: ${stateFile} not found (run \`deno task testenv up\`, ` +
        "or set MCP_TESTENV_KUBECONFIG to a disposable cluster's kubeconfig)",
    };
  }
  if (!state.ready) {
    return { missing: `the testenv in ${state.stateDir} is still starting or failed` };
  }
  // One cheap liveness probe, so a stale state.json gives a clear message instead of timeouts.
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(state.caCert)] });
  try {
    const r = await fetch(`${state.servers.main}/readyz`, {
      client,
      signal: AbortSignal.timeout(5000),
    });
    await r.body?.cancel();
    if (r.status !== 200) {
      return { missing: `the testenv apiserver is not ready (HTTP ${r.status})` };
    }
  } catch (e) {
    return {
      missing: `the testenv in ${state.stateDir} is not running (${(e as Error).message}); ` +
        "run `deno task testenv up`",
    };
  } finally {
    client.close();
  }
  return { env: makeEnv(state.kubeconfig, state, false) };
}

const detected: Detected = await detect();

if ("missing" in detected && !IN_CI) {
  // deno-lint-ignore no-console
  console.error(`integration tests ignored: ${detected.missing}`);
}

/** The test environment; throws (with the reason) when there is none. */
export function testenv(): Promise<TestEnv> {
  if ("missing" in detected) return Promise.reject(new Error(detected.missing));
  return Promise.resolve(detected.env);
}

/** True when integration tests will run (a cluster was found). */
export const hasTestenv: boolean = "env" in detected;

/**
 * Deno.test for a test that needs the cluster. In CI (CI=true) a missing cluster fails the test;
 * locally the test is ignored (the reason is printed once).
 */
export function integration(
  name: string,
  fn: (env: TestEnv, t: Deno.TestContext) => Promise<void> | void,
  options: Omit<Deno.TestDefinition, "name" | "fn" | "ignore"> = {},
): void {
  Deno.test({
    ...options,
    name,
    ignore: !hasTestenv && !IN_CI,
    async fn(t) {
      if ("missing" in detected) {
        throw new Error(`integration test environment missing in CI: ${detected.missing}`);
      }
      await fn(detected.env, t);
    },
  });
}
