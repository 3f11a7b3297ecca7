import assert from "node:assert/strict";
import {
  bestPeer,
  cell,
  formatBytes,
  renderEconomy,
  targets,
  totals,
} from "../../scripts/bench/economy/report.ts";
import { better, hide, summarise } from "../../scripts/bench/economy/run.ts";
import type {
  EconomyResults,
  PlanRun,
  ServerId,
  ServerInfo,
  Task,
  TaskRun,
} from "../../scripts/bench/economy/types.ts";

function run(task: string, server: ServerId, calls: number, tokens: number, found = true): TaskRun {
  return {
    task,
    server,
    plan: `${server} plan`,
    calls,
    bytes: tokens * 3,
    tokens,
    found,
    missing: found ? [] : ["the fact"],
    leaks: 0,
    records: [],
    candidates: [],
  };
}

function server(id: ServerId, available = true): ServerInfo {
  return {
    id,
    name: `${id} full name`,
    label: id,
    how: `${id} --read-only`,
    available,
    ...(available ? { toolsList: { tools: 10, bytes: 9000, tokens: 2000 } } : {
      reason: "kubectl is not on PATH",
    }),
  };
}

function results(runs: TaskRun[], flux = true): EconomyResults {
  return {
    schema: 1,
    startedAt: "2026-12-03T09:00:00.000Z",
    durationS: 42,
    tokenizer: "gpt-tokenizer 4.0.0, o200k_base",
    ours: "the bundle",
    servers: [server("ours"), server("go"), server("containers"), server("flux159", flux)],
    tasks: [
      { id: "a", title: "Task A", question: "What is A?" },
      { id: "b", title: "Task B", question: "What | is B?" },
    ],
    runs,
  };
}

const GOOD = [
  run("a", "ours", 1, 100),
  run("a", "go", 11, 9000),
  run("a", "containers", 1, 700),
  run("b", "ours", 1, 50),
  run("b", "go", 2, 400),
  run("b", "containers", 2, 300),
];

Deno.test("cell() and formatBytes() show calls, tokens, bytes and the verdict", () => {
  assert.equal(cell(run("a", "go", 11, 12652)), "11 · 12,652 tok · 37 KB ✓");
  assert.equal(cell(run("a", "go", 1, 10, false)), "1 · 10 tok · 30 B ✗");
  assert.equal(cell(undefined), "n/a");
  assert.equal(formatBytes(1023), "1023 B");
  assert.equal(formatBytes(1536), "1.5 KB");
  assert.equal(formatBytes(3 * 1024 * 1024), "3.0 MB");
});

Deno.test("totals() sums a server's tasks", () => {
  assert.deepEqual(totals(GOOD.filter((r) => r.server === "ours")), {
    calls: 2,
    tokens: 150,
    bytes: 450,
    found: 2,
    tasks: 2,
  });
});

Deno.test("bestPeer(): fewest calls among peers that found the evidence, then tokens", () => {
  const r = results([...GOOD, run("a", "flux159", 1, 600), run("b", "flux159", 1, 9999, false)]);
  assert.equal(bestPeer(r, "a")?.server, "flux159"); // 1 call like containers, fewer tokens
  assert.equal(bestPeer(r, "b")?.server, "containers"); // flux159 was cheaper but found nothing
  assert.equal(bestPeer(results([run("a", "ours", 1, 1)]), "a"), null);
});

Deno.test("targets() are met when ours finds everything, in no more calls, at ≤ half the tokens", () => {
  const t = targets(results(GOOD));
  assert.deepEqual(t.map((x) => x.met), [true, true, true]);
  assert.match(t[2]!.detail, /150 vs 1,000: 0\.15×/);
});

Deno.test("targets() name the task and the cause when one is not met", () => {
  const runs = GOOD.map((r) =>
    r.server === "ours" && r.task === "b" ? run("b", "ours", 3, 900, true) : r
  );
  const t = targets(results(runs));
  assert.equal(t[0]!.met, true);
  assert.equal(t[1]!.met, false);
  assert.equal(t[1]!.detail, "b: 3 > 2 (containers)");
  assert.equal(t[2]!.met, false);
  assert.match(t[2]!.detail, /1,000 vs 1,000: 1\.00×/);
  // Evidence not found: no target can count that task as met.
  const missed = targets(
    results(
      GOOD.map((r) => r.server === "ours" && r.task === "a" ? run("a", "ours", 1, 1, false) : r),
    ),
  );
  assert.deepEqual(missed.map((x) => x.met), [false, false, false]);
  assert.match(missed[0]!.detail, /not on a/);
  assert.match(missed[2]!.detail, /not comparable/);
});

Deno.test("renderEconomy(): a row per task, totals, tools/list, targets, skipped servers", () => {
  const md = renderEconomy(results(GOOD, false));
  assert.match(md, /^# Task economy/);
  assert.match(md, /\| Task \| ours \| go \| containers \| flux159 \|/);
  assert.match(
    md,
    /\| Task A \| 1 · 100 tok · 300 B ✓ \| 11 · 9,000 tok · 26 KB ✓ \| 1 · 700 tok · 2\.1 KB ✓ \| skipped \|/,
  );
  assert.match(md, /\| \*\*Total\*\* \| \*\*2 · 150 tok · 450 B · 2\/2 ✓\*\* \|/);
  assert.match(md, /\| tools\/list, once per session \| 10 tools · 2,000 tok · 8\.8 KB \|/);
  assert.match(md, /- ✅ ours makes no more calls than the best peer on every task: every task/);
  assert.match(md, /\*\*flux159 full name\*\*: not run: kubectl is not on PATH/);
  assert.match(md, /What \\\| is B\?/, "a | in a cell is escaped");
  assert.ok(!md.includes("Evidence not found"));
  const missed = renderEconomy(results([...GOOD, run("a", "flux159", 1, 5, false)]));
  assert.match(missed, /## Evidence not found\n\n- flux159, a: missing the fact/);
});

Deno.test("summarise() keeps the candidate that found the evidence in the fewest calls", () => {
  const task = { id: "t" } as Task;
  const pr = (plan: string, calls: number, tokens: number, found: boolean): PlanRun => ({
    plan,
    calls: Array.from({ length: calls }, () => ({
      tool: "x",
      args: {},
      ok: true,
      bytes: tokens / calls,
      tokens: tokens / calls,
      ms: 1,
    })),
    found,
    missing: found ? [] : ["m"],
    leaks: 0,
  });
  const yaml = pr("yaml", 1, 1000, true);
  const two = pr("list then describe", 2, 300, true);
  const json = pr("json", 1, 50, false);
  assert.ok(
    better(yaml, two) < 0 && better(two, json) < 0 && better(yaml, pr("y2", 1, 999, true)) > 0,
  );
  const s = summarise(task, "flux159", [json, two, yaml]);
  assert.equal(s.plan, "yaml");
  assert.equal(s.calls, 1);
  assert.equal(s.tokens, 1000);
  assert.deepEqual(s.candidates.map((c) => c.plan), ["json", "list then describe"]);
});

Deno.test("a Secret value in an answer is flagged in the cell and listed, never stored", () => {
  const leaky = { ...run("a", "containers", 1, 700), leaks: 1 };
  assert.equal(cell(leaky), "1 · 700 tok · 2.1 KB ✓ ⚠ Secret value shown");
  const md = renderEconomy(
    results(GOOD.map((r) => r.server === "containers" && r.task === "a" ? leaky : r)),
  );
  assert.match(md, /## Secret values in answers\n[^]*- containers, a: 1 answer\(s\)/);
  assert.ok(!renderEconomy(results(GOOD)).includes("Secret values in answers"));
  assert.equal(
    hide('{"password":"czNjcjN0","other":"s3cr3t"}', ["czNjcjN0", "s3cr3t"]),
    '{"password":"[a seeded Secret value]","other":"[a seeded Secret value]"}',
  );
});

Deno.test("a server that exited mid-run is named in the servers list", () => {
  const r = results(GOOD);
  r.servers[2] = { ...r.servers[2]!, crashed: "exit code 2 during the run: panic | boom" };
  assert.match(
    renderEconomy(r),
    /\*\*containers full name\*\*: `containers --read-only`; \*\*crashed\*\*: exit code 2 during the run: panic \\\| boom/,
  );
});

Deno.test("a run during which the cluster went down says it is not valid", () => {
  const r = { ...results(GOOD), clusterLost: "the testenv is not running" };
  assert.match(
    renderEconomy(r),
    /\*\*⚠ Not valid: the test cluster was down at the end of the run \(the testenv is not running\)/,
  );
  assert.ok(!renderEconomy(results(GOOD)).includes("Not valid"));
});
