// The scenarios and how each is measured for one server: cold starts (a fresh process each),
// reads and logs (one long-lived stdio server per scenario), a paged metrics walk, and many
// concurrent streamable-http clients. Every tool result is checked; a failure ends the side.

import {
  BIGLOG,
  BIGLOG_MARKER_COUNT,
  BULK_NAMESPACE,
  BULK_POD_COUNT,
  bulkPodName,
  CONTEXTS,
  POD,
  WEB_DEPLOYMENT,
} from "../testenv/seed_data.ts";
import { runLoad } from "./http_client.ts";
import {
  openIdleReaders,
  probeHealthz,
  runCallers,
  type ToolCall,
  waitIdle,
} from "./budget_load.ts";
import type { ServerProcess } from "./process.ts";
import {
  type Measured,
  measureThenStop,
  type ServerSpec,
  startHttp,
  startStdio,
} from "./servers.ts";
import type { StdioSession, ToolOutcome } from "./stdio_client.ts";
import { summarize, type Summary, throughput } from "./stats.ts";
import type { Metric, Settings, SideResult } from "./types.ts";

export interface Ctx {
  kubeconfig: string;
  settings: Settings;
}

export interface Scenario {
  id: string;
  title: string;
  description: string;
  run(spec: ServerSpec, ctx: Ctx): Promise<SideResult>;
}

/**
 * `scale` (0 < scale ≤ 1, --scale) shrinks the full run's iteration counts, never below 3, for a
 * machine too loaded to finish the full run in reasonable time; sizes stay those of the full run.
 */
export function settingsFor(quick: boolean, scale = 1): Settings {
  const n = (full: number) => Math.max(3, Math.round(full * scale));
  return quick
    ? {
      coldStartIterations: 1,
      readIterations: 2,
      bigListIterations: 2,
      logIterations: 1,
      metricsWalks: 1,
      metricsPageSize: 500,
      httpClients: 5,
      httpCallsPerClient: 5,
      httpTool: HTTP_TOOL_LABEL,
      idleReaders: 20,
      budgetClients: 10,
      budgetCallsPerClient: 5,
    }
    : {
      coldStartIterations: n(30),
      readIterations: n(200),
      bigListIterations: n(100),
      logIterations: n(20),
      metricsWalks: n(50),
      metricsPageSize: 500,
      httpClients: 50,
      httpCallsPerClient: 100,
      httpTool: HTTP_TOOL_LABEL,
      idleReaders: 1000,
      budgetClients: 500,
      budgetCallsPerClient: 20,
    };
}

const CALL_TIMEOUT_MS = 300_000;
const START_TIMEOUT_MS = 60_000;
const MAX_PAGES = 1_000;

// ---------------------------------------------------------------- metrics from samples

function spreadOf(s: Summary): Pick<Metric, "lo" | "hi" | "spread"> {
  return s.n >= 10
    ? { lo: s.p10, hi: s.p90, spread: "p10–p90" }
    : { lo: s.min, hi: s.max, spread: "min–max" };
}

export function medianMetric(
  key: string,
  label: string,
  unit: Metric["unit"],
  samples: number[],
  better: Metric["better"] = "lower",
): Metric {
  const s = summarize(samples);
  return { key, label, unit, better, value: s.median, ...(s.n > 1 ? spreadOf(s) : {}) };
}

function rssMetric(measured: Measured[]): Metric[] {
  const kib = measured.map((m) => m.memory?.peakKiB).filter((v): v is number => v !== undefined);
  if (kib.length === 0) return [];
  const mib = kib.map((k) => k / 1024);
  const max = Math.max(...mib);
  return [{
    key: "peak_rss",
    label: "peak RSS (VmHWM)",
    unit: "MiB",
    better: "lower",
    value: max,
    ...(mib.length > 1 ? { lo: Math.min(...mib), hi: max, spread: "min–max" as const } : {}),
  }];
}

function bytesMetric(bytes: number[], label = "bytes per call"): Metric {
  return medianMetric("bytes", label, "bytes", bytes);
}

// ---------------------------------------------------------------- running one side

class ScenarioError extends Error {
  override name = "ScenarioError";
}

/** A crash is an exit that no signal of ours caused and that is not a clean 0. */
function crashed(proc: ServerProcess): string | null {
  const s = proc.exitStatus;
  return s && !s.success && s.signal === null ? `server ${proc.describeExit()}` : null;
}

function processDetails(measured: Measured[]) {
  const first = measured[0]?.identity;
  return {
    processes: measured.length,
    exe: first?.exe ?? null,
    childProcesses: measured.reduce((n, m) => n + m.identity.children.length, 0),
    peakKiB: measured.map((m) => m.memory?.peakKiB ?? null),
  };
}

async function side(
  spec: ServerSpec,
  body: () => Promise<{ metrics: Metric[]; details: Record<string, unknown> }>,
): Promise<SideResult> {
  try {
    return { side: spec.side, ok: true, ...(await body()) };
  } catch (e) {
    return {
      side: spec.side,
      ok: false,
      error: e instanceof Error ? e.message : String(e),
      metrics: [],
      details: {},
    };
  }
}

/** Runs body against a fresh stdio server, then reads its memory and stops it. */
async function withStdio<T>(
  spec: ServerSpec,
  ctx: Ctx,
  alwaysStart: boolean,
  body: (s: StdioSession) => Promise<T>,
): Promise<{ value: T; measured: Measured }> {
  const session = startStdio(spec, { kubeconfig: ctx.kubeconfig, alwaysStart });
  let value: T;
  try {
    value = await body(session);
  } catch (e) {
    await session.proc.stop(() => session.close());
    const why = e instanceof Error ? e.message : String(e);
    throw new ScenarioError(`${why}\n--- server stderr (tail) ---\n${tail(session.proc.stderr())}`);
  }
  const measured = await measureThenStop(spec, session.proc, () => session.close());
  const crash = crashed(session.proc);
  if (crash) throw new ScenarioError(`${crash}\n${tail(session.proc.stderr())}`);
  return { value, measured };
}

function tail(text: string): string {
  return text.split("\n").slice(-15).join("\n");
}

async function checkedCall(
  s: StdioSession,
  tool: string,
  args: Record<string, unknown>,
  check: (text: string) => string | null,
): Promise<ToolOutcome> {
  const r = await s.callTool(tool, args, CALL_TIMEOUT_MS);
  if (!r.ok) throw new ScenarioError(`${tool} returned a tool error: ${r.text.slice(0, 500)}`);
  const problem = check(r.text);
  if (problem) throw new ScenarioError(`${tool}: ${problem}`);
  return r;
}

// ---------------------------------------------------------------- checks of results

function includesAll(...needles: string[]): (text: string) => string | null {
  return (text) => {
    const missing = needles.filter((n) => !text.includes(n));
    return missing.length ? `result lacks ${missing.join(", ")}` : null;
  };
}

function atLeast(needle: string, count: number): (text: string) => string | null {
  return (text) => {
    const found = text.split(needle).length - 1;
    return found >= count ? null : `expected ${count} × "${needle}", found ${found}`;
  };
}

const nonEmpty = (text: string) => (text.length > 0 ? null : "empty result");

// ---------------------------------------------------------------- 1. cold start

function coldStart(alwaysStart: boolean): Scenario {
  const mode = alwaysStart ? "--always-start" : "startup check";
  return {
    id: alwaysStart ? "cold_start_always_start" : "cold_start_check",
    title: `Cold start over stdio (${mode})`,
    description: `A fresh process per iteration: spawn → initialize answered → tools/list ` +
      `answered → first tool call answered (get_resource of one pod, which loads the ` +
      `Kubernetes client)${alwaysStart ? ", with --always-start" : ", with the start-up check"}. ` +
      `Peak RSS is read after the first call.`,
    run: (spec, ctx) =>
      side(spec, async () => {
        const toInit: number[] = [];
        const toList: number[] = [];
        const toFirst: number[] = [];
        const bytes: number[] = [];
        const measured: Measured[] = [];
        for (let i = 0; i < ctx.settings.coldStartIterations; i++) {
          const { value, measured: m } = await withStdio(spec, ctx, alwaysStart, async (s) => {
            await s.initialize(START_TIMEOUT_MS);
            const init = performance.now() - s.proc.spawnedAt;
            const list = await s.request("tools/list", {}, START_TIMEOUT_MS);
            const done = performance.now() - s.proc.spawnedAt;
            await checkedCall(s, "get_resource", GET_POD_ARGS, includesAll(bulkPodName(0)));
            const first = performance.now() - s.proc.spawnedAt;
            const bytes = new TextEncoder().encode(JSON.stringify(list)).length;
            return { init, done, first, bytes };
          });
          toInit.push(value.init);
          toList.push(value.done);
          toFirst.push(value.first);
          bytes.push(value.bytes);
          measured.push(m);
        }
        return {
          metrics: [
            medianMetric("latency", "spawn → tools/list answered", "ms", toList),
            medianMetric("initialize", "spawn → initialize answered", "ms", toInit),
            medianMetric("first_call", "spawn → first tool call answered", "ms", toFirst),
            ...rssMetric(measured),
            bytesMetric(bytes, "tools/list result bytes"),
          ],
          details: {
            toolsListMs: summarize(toList),
            initializeMs: summarize(toInit),
            firstCallMs: summarize(toFirst),
            ...processDetails(measured),
          },
        };
      }),
  };
}

// ---------------------------------------------------------------- 2, 3. calls on one server

interface CallSpec {
  id: string;
  title: string;
  description: string;
  tool: string;
  args: Record<string, unknown>;
  check: (text: string) => string | null;
  iterations: (s: Settings) => number;
}

function repeatedCall(c: CallSpec): Scenario {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    run: (spec, ctx) =>
      side(spec, async () => {
        const n = c.iterations(ctx.settings);
        const { value, measured } = await withStdio(spec, ctx, false, async (s) => {
          await s.initialize(START_TIMEOUT_MS);
          await checkedCall(s, c.tool, c.args, c.check); // warm-up, not measured
          const outcomes: ToolOutcome[] = [];
          for (let i = 0; i < n; i++) outcomes.push(await checkedCall(s, c.tool, c.args, c.check));
          return outcomes;
        });
        const ms = value.map((o) => o.ms);
        return {
          metrics: [
            medianMetric("latency", "latency per call", "ms", ms),
            ...rssMetric([measured]),
            bytesMetric(value.map((o) => o.bytes)),
          ],
          details: { calls: n, latencyMs: summarize(ms), ...processDetails([measured]) },
        };
      }),
  };
}

const bulkArgs = (titleOnly: boolean) => ({
  resource_type: "pods",
  namespace: BULK_NAMESPACE,
  title_only: titleOnly,
});
const bulkCheck = includesAll(bulkPodName(0), bulkPodName(BULK_POD_COUNT - 1));

const listTitles = repeatedCall({
  id: "list_pods_titles",
  title: `list_resources: ${BULK_POD_COUNT} pods, title_only=true`,
  description: `Pods of namespace "${BULK_NAMESPACE}" (namespace passed explicitly), names only.`,
  tool: "list_resources",
  args: bulkArgs(true),
  check: bulkCheck,
  iterations: (s) => s.readIterations,
});

// Issue 21's budget: the default answer (kubectl get's columns) against the Go server's
// default (names only) for the same call: at most half its latency.
const listState = repeatedCall({
  id: "list_pods_state",
  title: `list_resources: ${BULK_POD_COUNT} pods, default arguments (ours: state columns)`,
  description: `Pods of namespace "${BULK_NAMESPACE}", title_only omitted: ours answers ` +
    "kubectl get's columns (as=Table), the Go server names only.",
  tool: "list_resources",
  args: { resource_type: "pods", namespace: BULK_NAMESPACE },
  check: bulkCheck,
  iterations: (s) => s.readIterations,
});

const listFull = repeatedCall({
  id: "list_pods_full",
  title: `list_resources: ${BULK_POD_COUNT} pods, title_only=false`,
  description:
    `Pods of namespace "${BULK_NAMESPACE}" (namespace passed explicitly), with metadata.`,
  tool: "list_resources",
  args: bulkArgs(false),
  check: bulkCheck,
  iterations: (s) => s.bigListIterations,
});

const GET_POD_ARGS = { resource_type: "pods", namespace: BULK_NAMESPACE, name: bulkPodName(0) };

const getPod = repeatedCall({
  id: "get_pod",
  title: "get_resource: one pod",
  description: `Pod ${BULK_NAMESPACE}/${bulkPodName(0)}.`,
  tool: "get_resource",
  args: GET_POD_ARGS,
  check: includesAll(bulkPodName(0)),
  iterations: (s) => s.readIterations,
});

const apiResources = repeatedCall({
  id: "list_api_resources",
  title: "list_api_resources",
  description: "Default arguments (names only).",
  tool: "list_api_resources",
  args: {},
  check: includesAll("pods"),
  iterations: (s) => s.readIterations,
});

const LOG_TARGET = { namespace: BIGLOG.namespace, name: BIGLOG.pod, container: BIGLOG.container };

const logsGrep = repeatedCall({
  id: "logs_grep",
  title: `get_logs: grep "${BIGLOG.marker}" over a >100 MB log`,
  description: `${BIGLOG.namespace}/${BIGLOG.pod}/${BIGLOG.container}: ` +
    `${BIGLOG.lines.toLocaleString("en-US")} lines, grep_include "${BIGLOG.marker}" ` +
    `(${BIGLOG_MARKER_COUNT} matching lines).`,
  tool: "get_logs",
  args: { ...LOG_TARGET, grep_include: BIGLOG.marker },
  check: atLeast(BIGLOG.marker, BIGLOG_MARKER_COUNT),
  iterations: (s) => s.logIterations,
});

const logsGrepRegex = repeatedCall({
  id: "logs_grep_regex",
  title: `get_logs: regex grep over a >100 MB log (RE2)`,
  description: `The same log, grep_include "${BIGLOG.marker}.*shutting down" with use_regex ` +
    "(re2js, linear time; the Go server uses RE2 as well).",
  tool: "get_logs",
  args: { ...LOG_TARGET, grep_include: `${BIGLOG.marker}.*shutting down`, use_regex: true },
  check: atLeast(BIGLOG.marker, BIGLOG_MARKER_COUNT),
  iterations: (s) => s.logIterations,
});

const logsTail = repeatedCall({
  id: "logs_tail",
  title: "get_logs: max_lines=100 over a >100 MB log",
  description: "The same log, the last 100 lines, no filter (max_lines as a JSON number).",
  tool: "get_logs",
  args: { ...LOG_TARGET, max_lines: 100 },
  check: nonEmpty,
  iterations: (s) => s.logIterations,
});

// ---------------------------------------------------------------- 3b. diagnosis (ours only)

/** A scenario for a tool the Go server does not have: its side is skipped, not failed. */
function oursOnly(sc: Scenario): Scenario {
  return {
    ...sc,
    run: (spec, ctx) =>
      spec.side === "reference"
        ? Promise.resolve({
          side: spec.side,
          ok: true,
          metrics: [],
          details: { skipped: "the Go server has no such tool" },
        })
        : sc.run(spec, ctx),
  };
}

const describePod = oursOnly(repeatedCall({
  id: "describe_pod",
  title: "describe_resource: one pod with events and owners",
  description: `Pod mcp-test/${POD.web1}: the object, its 5 events (newest first) and its ` +
    `owner chain (ReplicaSet → Deployment ${WEB_DEPLOYMENT.name}): 1 GET, 1 event list, ` +
    `2 owner GETs.`,
  tool: "describe_resource",
  args: { resource_type: "pods", namespace: "mcp-test", name: POD.web1 },
  check: includesAll(POD.web1, "OOMKilling", `"Deployment/${WEB_DEPLOYMENT.name}"`),
  iterations: (s) => s.readIterations,
}));

const clusterHealth = oursOnly(repeatedCall({
  id: "cluster_health",
  title: "get_cluster_health",
  description: "readyz and livez (verbose), componentstatuses and the nodes, read concurrently.",
  tool: "get_cluster_health",
  args: {},
  check: includesAll(`"status":"degraded"`, "readyz", "fake-node-2"),
  iterations: (s) => s.readIterations,
}));

// ---------------------------------------------------------------- 3c. fan-out (ours only)

const EVERY_CONTEXT = Object.keys(CONTEXTS);

/**
 * "Is anything unhealthy anywhere?": get_cluster_health with context "*" (one call, the
 * contexts read 4 at a time) against the same question asked one context after another, as a
 * client without fan-out must. Contexts whose user may not read are answered either way (in
 * their group, or as a tool error): both count.
 */
const fanOut = oursOnly({
  id: "fan_out_health",
  title: `get_cluster_health over all ${EVERY_CONTEXT.length} testenv contexts`,
  description: `context "*" in one call against one call per context (${
    EVERY_CONTEXT.join(", ")
  }), one after another; latency and bytes of the whole question.`,
  run: (spec, ctx) =>
    side(spec, async () => {
      const n = ctx.settings.readIterations;
      const { value, measured } = await withStdio(spec, ctx, false, async (s) => {
        const oneByOne = async () => {
          const t0 = performance.now();
          let bytes = 0;
          for (const context of EVERY_CONTEXT) {
            bytes += (await s.callTool("get_cluster_health", { context }, CALL_TIMEOUT_MS)).bytes;
          }
          return { ms: performance.now() - t0, bytes };
        };
        const all = () =>
          checkedCall(s, "get_cluster_health", { context: "*" }, includesAll(...EVERY_CONTEXT));
        await s.initialize(START_TIMEOUT_MS);
        await all(); // warm-up (every context's client and discovery), not measured
        await oneByOne();
        const fanned: ToolOutcome[] = [];
        const serial: { ms: number; bytes: number }[] = [];
        for (let i = 0; i < n; i++) {
          fanned.push(await all());
          serial.push(await oneByOne());
        }
        return { fanned, serial };
      });
      const ms = value.fanned.map((o) => o.ms);
      return {
        metrics: [
          medianMetric("latency", 'one call, context "*"', "ms", ms),
          medianMetric("one_by_one", "one call per context", "ms", value.serial.map((o) => o.ms)),
          bytesMetric(value.fanned.map((o) => o.bytes), 'bytes, context "*"'),
          medianMetric(
            "bytes_one_by_one",
            "bytes, one call per context",
            "bytes",
            value.serial.map((o) => o.bytes),
          ),
          { key: "calls", label: 'calls, context "*"', unit: "count", better: "lower", value: 1 },
          {
            key: "calls_one_by_one",
            label: "calls, one per context",
            unit: "count",
            better: "lower",
            value: EVERY_CONTEXT.length,
          },
          ...rssMetric([measured]),
        ],
        details: {
          contexts: EVERY_CONTEXT,
          calls: n,
          latencyMs: summarize(ms),
          ...processDetails([measured]),
        },
      };
    }),
});

// ---------------------------------------------------------------- 4. metrics pages

/** items and continue of one page, whichever of the usual places they are in. */
export function pageOf(text: string): { items: number; continue: string | null } {
  const page = JSON.parse(text) as Record<string, unknown>;
  const items = Array.isArray(page.items)
    ? page.items
    : Object.values(page).find((v) => Array.isArray(v)) as unknown[] | undefined;
  const meta = page.metadata as Record<string, unknown> | undefined;
  const cont = page.continue ?? meta?.continue;
  return {
    items: items?.length ?? 0,
    continue: typeof cont === "string" && cont !== "" ? cont : null,
  };
}

const metricsWalk: Scenario = {
  id: "pod_metrics_pages",
  title: "get_pod_metrics: every pod in pages",
  description: "All namespaces, limit/continue pages walked to the end; one walk per iteration.",
  run: (spec, ctx) =>
    side(spec, async () => {
      const limit = ctx.settings.metricsPageSize;
      const walk = async (s: StdioSession) => {
        const t0 = performance.now();
        const calls: ToolOutcome[] = [];
        let items = 0;
        let token: string | null = null;
        do {
          const r = await checkedCall(
            s,
            "get_pod_metrics",
            { limit, ...(token ? { continue: token } : {}) },
            nonEmpty,
          );
          const page = pageOf(r.text);
          items += page.items;
          token = page.continue;
          calls.push(r);
          if (calls.length > MAX_PAGES) throw new ScenarioError(`more than ${MAX_PAGES} pages`);
        } while (token);
        if (items === 0) throw new ScenarioError("no pod metrics at all");
        return { ms: performance.now() - t0, calls, items };
      };
      const { value, measured } = await withStdio(spec, ctx, false, async (s) => {
        await s.initialize(START_TIMEOUT_MS);
        await walk(s); // warm-up, not measured
        const walks = [];
        for (let i = 0; i < ctx.settings.metricsWalks; i++) walks.push(await walk(s));
        return walks;
      });
      const perCall = value.flatMap((w) => w.calls.map((c) => c.ms));
      const last = value[value.length - 1]!;
      return {
        metrics: [
          medianMetric("latency", "one walk (all pages)", "ms", value.map((w) => w.ms)),
          medianMetric("call", "latency per page", "ms", perCall),
          {
            key: "calls",
            label: "calls per walk",
            unit: "count",
            better: "lower",
            value: last.calls.length,
          },
          {
            key: "items",
            label: "items per walk",
            unit: "count",
            better: "higher",
            value: last.items,
          },
          ...rssMetric([measured]),
          bytesMetric(value.flatMap((w) => w.calls.map((c) => c.bytes)), "bytes per page"),
        ],
        details: {
          pageSize: limit,
          walks: value.length,
          callsPerWalk: value.map((w) => w.calls.length),
          itemsPerWalk: value.map((w) => w.items),
          ...processDetails([measured]),
        },
      };
    }),
};

// ---------------------------------------------------------------- 5. streamable-http load

const HTTP_TOOL_LABEL = `get_resource of pod ${BULK_NAMESPACE}/${bulkPodName(0)}`;

const httpLoad: Scenario = {
  id: "http_load",
  title: "streamable-http: concurrent clients",
  description: `Concurrent SDK clients, each making its calls one after another: ` +
    `${HTTP_TOOL_LABEL} (a GET to the API server per call).`,
  run: (spec, ctx) =>
    side(spec, async () => {
      const { httpClients: clients, httpCallsPerClient: perClient } = ctx.settings;
      const server = await startHttp(spec, { kubeconfig: ctx.kubeconfig, alwaysStart: false });
      let load;
      try {
        load = await runLoad({
          url: server.url,
          clients,
          callsPerClient: perClient,
          tool: "get_resource",
          args: GET_POD_ARGS,
          check: includesAll(bulkPodName(0)),
          timeoutMs: CALL_TIMEOUT_MS,
        });
      } catch (e) {
        await server.proc.stop();
        throw new ScenarioError(
          `${e instanceof Error ? e.message : e}\n${tail(server.proc.stderr())}`,
        );
      }
      const measured = await measureThenStop(spec, server.proc);
      if (load.failures.length) {
        throw new ScenarioError(
          `${load.failures.length} failed call(s), first: ${load.failures[0]}\n` +
            tail(server.proc.stderr()),
        );
      }
      const crash = crashed(server.proc);
      if (crash) throw new ScenarioError(crash);
      const lat = summarize(load.latenciesMs);
      const calls = load.latenciesMs.length;
      return {
        metrics: [
          {
            key: "throughput",
            label: `throughput (${clients} clients × ${perClient} calls)`,
            unit: "calls/s",
            better: "higher",
            value: throughput(calls, load.wallMs),
          },
          { key: "p99", label: "p99 latency", unit: "ms", better: "lower", value: lat.p99 },
          medianMetric("latency", "latency per call", "ms", load.latenciesMs),
          ...rssMetric([measured]),
          bytesMetric(load.bytes),
        ],
        details: {
          clients,
          callsPerClient: perClient,
          calls,
          wallMs: load.wallMs,
          latencyMs: lat,
          ...processDetails([measured]),
        },
      };
    }),
};

// ---------------------------------------------------------------- 6. the memory budget (issue 23)

/**
 * The 500 clients' call: local work (encode_base64 of 4 KiB), so the figures are the server's
 * handling of many callers, not the API server's pacing (at the default 20 QPS, 10,000 reads
 * would take over eight minutes).
 */
const SMALL_CALL: ToolCall = { name: "encode_base64", arguments: { data: "x".repeat(4096) } };
const SMALL_LABEL = "encode_base64 of 4 KiB";

const BULK_LIST: ToolCall = {
  name: "list_resources",
  arguments: { resource_type: "pods", namespace: BULK_NAMESPACE, title_only: false },
};

/**
 * One streamable-HTTP server under issue 23's abuse: `idle` connections that each ask for the
 * full list of ${BULK_POD_COUNT} pods and never read, then (with `callers`) clients making calls
 * one after another; /healthz probed throughout. A call refused with 429 is counted, not failed:
 * pushing back is the behaviour measured. Errors are calls neither answered nor refused.
 */
function budgetScenario(
  id: string,
  title: string,
  description: string,
  callers: boolean,
): Scenario {
  return oursOnly({
    id,
    title,
    description,
    run: (spec, ctx) =>
      side(spec, async () => {
        const st = ctx.settings;
        const server = await startHttp(spec, { kubeconfig: ctx.kubeconfig, alwaysStart: false });
        const base = server.url.origin;
        const probes = probeHealthz(base, 100, 10_000);
        let idleOut, calls, first;
        try {
          // One list read whole first: its size is the bytes each idle reader left unread.
          first = await runCallers({
            base,
            clients: 1,
            callsPerClient: 1,
            call: BULK_LIST,
            check: includesAll(bulkPodName(0)),
            timeoutMs: CALL_TIMEOUT_MS,
          });
          if (first.answered !== 1) throw new ScenarioError(`the first list: ${first.lost[0]}`);
          const idle = await openIdleReaders({
            base,
            connections: st.idleReaders,
            call: BULK_LIST,
          });
          if (!(await waitIdle(base, CALL_TIMEOUT_MS))) {
            throw new ScenarioError("the idle readers' calls did not finish");
          }
          calls = callers
            ? await runCallers({
              base,
              clients: st.budgetClients,
              callsPerClient: st.budgetCallsPerClient,
              call: SMALL_CALL,
              check: includesAll("eHh4"),
              timeoutMs: CALL_TIMEOUT_MS,
            })
            : undefined;
          idleOut = await idle.settle(60_000);
        } catch (e) {
          await probes.stop();
          await server.proc.stop();
          throw new ScenarioError(
            `${e instanceof Error ? e.message : e}\n${tail(server.proc.stderr())}`,
          );
        }
        await probes.stop();
        const measured = await measureThenStop(spec, server.proc);
        const crash = crashed(server.proc);
        if (crash) throw new ScenarioError(crash);
        const errors = idleOut.lost.length + (calls?.lost.length ?? 0) + probes.failures.length;
        const count = (key: string, label: string, value: number): Metric => ({
          key,
          label,
          unit: "count",
          better: "lower",
          value,
        });
        const lat = calls ? summarize(calls.latenciesMs) : undefined;
        return {
          metrics: [
            ...rssMetric([measured]),
            count("errors", "errors (calls lost, /healthz failed)", errors),
            ...(calls && lat
              ? [
                { key: "p99", label: "p99 latency", unit: "ms", better: "lower", value: lat.p99 },
                count("refused", "calls refused (429)", calls.refused),
                {
                  key: "throughput",
                  label: `answered (${st.budgetClients} clients × ${st.budgetCallsPerClient})`,
                  unit: "calls/s",
                  better: "higher",
                  value: throughput(calls.answered, calls.wallMs),
                },
              ] satisfies Metric[]
              : [
                count("refused", "idle readers refused (429)", idleOut.refused),
                count("dropped", "idle readers dropped (not reading)", idleOut.dropped),
              ]),
            medianMetric("latency", "/healthz latency", "ms", probes.healthzMs),
            bytesMetric(calls ? calls.bytes : first.bytes),
            {
              key: "healthz_worst",
              label: "worst /healthz",
              unit: "ms",
              better: "lower",
              value: Math.max(...probes.healthzMs),
            },
          ],
          details: {
            idleReaders: st.idleReaders,
            idle: { ...idleOut, lost: idleOut.lost.slice(0, 5) },
            ...(calls
              ? {
                calls: {
                  answered: calls.answered,
                  refused: calls.refused,
                  lost: calls.lost.slice(0, 5),
                  wallMs: calls.wallMs,
                  latencyMs: lat,
                },
              }
              : {}),
            ...processDetails([measured]),
          },
        };
      }),
  });
}

const idleReaders = budgetScenario(
  "idle_readers",
  "streamable-http: 1,000 idle readers",
  `Connections that each ask for the full list of ${BULK_POD_COUNT} pods (list_resources, ` +
    "title_only=false) and never read the answer (the count is in Settings); /healthz probed " +
    "every 100 ms. The default memory budget; answered, refused (429) and dropped all count as " +
    "handled, errors are calls lost or probes failed.",
  false,
);

const manyClients = budgetScenario(
  "clients_500",
  "streamable-http: 500 clients",
  "The idle readers above, then, while they stay open, clients each making calls one after " +
    `another over plain HTTP (${SMALL_LABEL}); 429s are counted apart from errors; p99 is ` +
    "of answered calls.",
  true,
);

export const SCENARIOS: Scenario[] = [
  coldStart(false),
  coldStart(true),
  listTitles,
  listState,
  listFull,
  getPod,
  apiResources,
  logsGrep,
  logsGrepRegex,
  logsTail,
  describePod,
  clusterHealth,
  fanOut,
  metricsWalk,
  httpLoad,
  idleReaders,
  manyClients,
];
