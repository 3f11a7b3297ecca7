// Runs the economy tasks on one server: one stdio session for all its tasks (as a model's client
// keeps one), every candidate plan of each task, each answer's bytes and tokens, the evidence
// check, and the best candidate kept.

import type { StdioSession } from "../stdio_client.ts";
import { checkEvidence } from "./evidence.ts";
import type { Runnable } from "./servers.ts";
import { sumCosts, textCost } from "./tokens.ts";
import type { CallRecord, PlanRun, Reply, ServerInfo, Task, TaskRun } from "./types.ts";

const CALL_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 60_000;
/** A plan that makes more calls than this is cut off (it would loop). */
const MAX_CALLS = 60;

/** Best first: evidence found, then fewer calls, then fewer tokens. */
export function better(a: PlanRun, b: PlanRun): number {
  const cost = (r: PlanRun) => sumCosts(r.calls).tokens;
  return Number(b.found) - Number(a.found) || a.calls.length - b.calls.length || cost(a) - cost(b);
}

export function summarise(task: Task, server: TaskRun["server"], runs: PlanRun[]): TaskRun {
  const best = [...runs].sort(better)[0]!;
  const cost = sumCosts(best.calls);
  return {
    task: task.id,
    server,
    plan: best.plan,
    calls: best.calls.length,
    bytes: cost.bytes,
    tokens: cost.tokens,
    found: best.found,
    missing: best.missing,
    leaks: best.leaks,
    ...(best.error ? { error: best.error } : {}),
    records: best.calls,
    candidates: runs.filter((r) => r !== best).map((r) => ({
      plan: r.plan,
      calls: r.calls.length,
      tokens: sumCosts(r.calls).tokens,
      found: r.found,
    })),
  };
}

/** The text with every leaked value replaced: the results never hold a Secret value. */
export function hide(text: string, leaked: readonly string[]): string {
  return leaked.reduce((t, value) => t.replaceAll(value, "[a seeded Secret value]"), text);
}

async function runPlan(
  session: StdioSession,
  task: Task,
  plan: Task["plans"]["ours"][number],
  keepAnswers: boolean,
): Promise<PlanRun> {
  const calls: CallRecord[] = [];
  const texts: string[] = [];
  const forbidden = task.forbidden ?? [];
  let leaks = 0;
  const call = async (tool: string, args: Record<string, unknown>): Promise<Reply> => {
    if (calls.length >= MAX_CALLS) throw new Error(`more than ${MAX_CALLS} calls`);
    const t0 = performance.now();
    let reply: Reply;
    try {
      const r = await session.callTool(tool, args, CALL_TIMEOUT_MS);
      reply = { ok: r.ok, text: r.text };
    } catch (e) {
      // A JSON-RPC error (Flux159 reports kubectl failures so): the model reads its message.
      reply = { ok: false, text: e instanceof Error ? e.message : String(e) };
    }
    const cost = textCost(reply.text);
    const leaked = forbidden.filter((f) => reply.text.includes(f));
    if (leaked.length) leaks++;
    calls.push({
      tool,
      args,
      ok: reply.ok,
      ...cost,
      ms: performance.now() - t0,
      ...(reply.ok ? {} : { error: hide(reply.text, leaked).slice(0, 300) }),
      ...(keepAnswers ? { text: hide(reply.text, leaked) } : {}),
    });
    if (reply.ok) texts.push(reply.text);
    return reply;
  };
  let error: string | undefined;
  try {
    await plan.run(call);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const evidence = checkEvidence(texts, task.facts, task.names);
  return { plan: plan.label, calls, ...evidence, leaks, ...(error ? { error } : {}) };
}

export interface ServerRun {
  info: ServerInfo;
  runs: TaskRun[];
}

/** Starts the server, reads tools/list, runs every task's candidates, stops it. */
export async function runServer(
  server: Runnable,
  tasks: readonly Task[],
  kubeconfig: string,
  log: (line: string) => void,
  keepAnswers = false,
): Promise<ServerRun> {
  const info = { ...server.info };
  if (!info.available) return { info, runs: [] };
  const session = server.start(kubeconfig);
  try {
    await session.initialize(START_TIMEOUT_MS);
    const list = await session.request("tools/list", {}, START_TIMEOUT_MS) as {
      tools: unknown[];
    };
    info.toolsList = { tools: list.tools.length, ...textCost(JSON.stringify(list)) };
    const runs: TaskRun[] = [];
    for (const task of tasks) {
      const planRuns: PlanRun[] = [];
      for (const plan of task.plans[info.id]) {
        planRuns.push(await runPlan(session, task, plan, keepAnswers));
      }
      const r = summarise(task, info.id, planRuns);
      log(
        `  ${info.id.padEnd(10)} ${task.id.padEnd(22)} ${String(r.calls).padStart(2)} calls ` +
          `${String(r.tokens).padStart(7)} tok ${r.found ? "found" : `MISSING ${r.missing}`}` +
          (r.leaks ? ` LEAKS a Secret value in ${r.leaks} answer(s)` : "") +
          (r.error ? ` (${r.error.split("\n")[0]})` : ""),
      );
      runs.push(r);
    }
    // A server that died mid-run made every later call fail: its cells show ✗ with the error,
    // and this says why.
    if (session.proc.exitStatus) {
      info.crashed = `${session.proc.describeExit()} during the run: ${
        session.proc.stderr().split("\n").slice(-5).join(" / ")
      }`;
    }
    return { info, runs };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const stderr = session.proc.stderr().split("\n").slice(-5).join(" / ");
    return { info: { ...info, available: false, reason: `${why} (${stderr})` }, runs: [] };
  } finally {
    await session.proc.stop(() => session.close());
  }
}
