// Renders the economy results as markdown: per task and in total, each server's calls, tokens,
// bytes and whether the evidence was found; then the targets of issue 21. Pure.

import { PEERS, SERVER_IDS, type ServerId, type TaskRun } from "./types.ts";
import type { EconomyResults } from "./types.ts";

const int = new Intl.NumberFormat("en-US");

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** One table cell: calls · tokens · bytes, ✓ or ✗, and ⚠ when an answer held a Secret value. */
export function cell(run: TaskRun | undefined): string {
  if (!run) return "n/a";
  return `${run.calls} · ${int.format(run.tokens)} tok · ${formatBytes(run.bytes)} ${
    run.found ? "✓" : "✗"
  }${run.leaks ? " ⚠ Secret value shown" : ""}`;
}

export interface Totals {
  calls: number;
  tokens: number;
  bytes: number;
  found: number;
  tasks: number;
}

export function totals(runs: readonly TaskRun[]): Totals {
  return {
    calls: runs.reduce((n, r) => n + r.calls, 0),
    tokens: runs.reduce((n, r) => n + r.tokens, 0),
    bytes: runs.reduce((n, r) => n + r.bytes, 0),
    found: runs.filter((r) => r.found).length,
    tasks: runs.length,
  };
}

function runOf(results: EconomyResults, task: string, server: ServerId): TaskRun | undefined {
  return results.runs.find((r) => r.task === task && r.server === server);
}

/** The peer that found the evidence in the fewest calls (then tokens), or null. */
export function bestPeer(results: EconomyResults, task: string): TaskRun | null {
  const found = PEERS.map((p) => runOf(results, task, p)).filter((r): r is TaskRun =>
    r !== undefined && r.found
  );
  found.sort((a, b) => a.calls - b.calls || a.tokens - b.tokens);
  return found[0] ?? null;
}

export interface Target {
  label: string;
  met: boolean;
  detail: string;
}

/** Issue 21's targets, measured. A task where ours found no evidence meets none of them. */
export function targets(results: EconomyResults): Target[] {
  const ours = results.runs.filter((r) => r.server === "ours");
  const ran = ours.length === results.tasks.length;
  const notFound = results.tasks.filter((t) => !runOf(results, t.id, "ours")?.found)
    .map((t) => t.id);
  const out: Target[] = [{
    label: "ours finds every task's evidence (defaults, plus what the question names)",
    met: ran && notFound.length === 0,
    detail: notFound.length === 0
      ? `${ours.length} of ${results.tasks.length} tasks`
      : `not on ${notFound.join(", ")} (see Evidence not found)`,
  }];
  const over = results.tasks.flatMap((t) => {
    const mine = runOf(results, t.id, "ours");
    const best = bestPeer(results, t.id);
    if (!mine?.found) return [`${t.id}: no evidence`];
    if (!best || mine.calls <= best.calls) return [];
    return [`${t.id}: ${mine.calls} > ${best.calls} (${best.server})`];
  });
  out.push({
    label: "ours makes no more calls than the best peer on every task",
    met: over.length === 0,
    detail: over.length === 0 ? "every task" : over.join(", "),
  });
  const label = "ours' total tokens ≤ 0.5 × containers'";
  const cont = results.runs.filter((r) => r.server === "containers");
  if (cont.length === 0) {
    out.push({ label, met: false, detail: "containers did not run" });
  } else {
    const mine = totals(ours).tokens;
    const theirs = totals(cont).tokens;
    const ratio = mine / Math.max(1, theirs);
    const caveat = notFound.length
      ? ` (not comparable: ours found no evidence on ${notFound.length} tasks)`
      : "";
    out.push({
      label,
      met: ratio <= 0.5 && notFound.length === 0,
      detail: `${int.format(mine)} vs ${int.format(theirs)}: ${ratio.toFixed(2)}×${caveat}`,
    });
  }
  return out;
}

export function renderEconomy(results: EconomyResults): string {
  const servers = SERVER_IDS.map((id) => results.servers.find((s) => s.id === id)!)
    .filter(Boolean);
  const head = `| Task | ${servers.map((s) => s.label).join(" | ")} |`;
  const rule = `|---|${servers.map(() => "--:").join("|")}|`;
  const rows = results.tasks.map((t) =>
    `| ${escapeCell(t.title)} | ${
      servers.map((s) => s.available ? cell(runOf(results, t.id, s.id)) : "skipped").join(" | ")
    } |`
  );
  const sum = servers.map((s) => {
    if (!s.available) return "skipped";
    const t = totals(results.runs.filter((r) => r.server === s.id));
    return `**${t.calls} · ${int.format(t.tokens)} tok · ${
      formatBytes(t.bytes)
    } · ${t.found}/${results.tasks.length} ✓**`;
  });
  const tools = servers.map((s) =>
    s.toolsList
      ? `${s.toolsList.tools} tools · ${int.format(s.toolsList.tokens)} tok · ${
        formatBytes(s.toolsList.bytes)
      }`
      : "n/a"
  );
  const lines = [
    "# Task economy: diagnosis tasks on four read-only Kubernetes MCP servers",
    "",
    `${results.startedAt}, ${results.durationS.toFixed(0)} s. Ours: ${results.ours}.`,
    "",
    ...(results.clusterLost
      ? [
        `**⚠ Not valid: the test cluster was down at the end of the run (${results.clusterLost}); ` +
        "calls may have failed for that reason alone. Run it again.**",
        "",
      ]
      : []),
    "Each cell: calls · tokens · bytes of the answers' text, and ✓ when the answers hold the " +
    "facts the seed put there (✗: not; what is missing is listed below). Tokens: " +
    `${results.tokenizer}. Each server runs over stdio, one session for all tasks; a task's ` +
    "plan is the best scripted plan in that server's own tools (a plan may read an answer " +
    "and call again): among its candidates, the one that finds the evidence in the fewest " +
    "calls, then the fewest tokens (every candidate is in the JSON).",
    "",
    head,
    rule,
    ...rows,
    `| **Total** | ${sum.join(" | ")} |`,
    `| tools/list, once per session | ${tools.join(" | ")} |`,
    "",
    "## Targets (issue 21)",
    "",
    ...targets(results).map((t) => `- ${t.met ? "✅" : "❌"} ${t.label}: ${t.detail}`),
    "",
    "## Servers",
    "",
    ...servers.map((s) =>
      `- **${s.name}**: ${s.available ? `\`${s.how}\`` : `not run: ${s.reason}`}${
        s.crashed ? `; **crashed**: ${escapeCell(s.crashed)}` : ""
      }`
    ),
    "",
    "## Plans",
    "",
    "| Task | Question | " + servers.map((s) => s.label).join(" | ") + " |",
    "|---|---|" + servers.map(() => "---").join("|") + "|",
    ...results.tasks.map((t) =>
      `| ${t.id} | ${escapeCell(t.question)} | ${
        servers.map((s) => escapeCell(runOf(results, t.id, s.id)?.plan ?? "")).join(" | ")
      } |`
    ),
  ];
  const leaks = results.runs.filter((r) => r.leaks > 0);
  if (leaks.length) {
    lines.push(
      "",
      "## Secret values in answers",
      "",
      "⚠: an answer held a value of the seed's Secrets (its text, or its base64); the results " +
        "never store it.",
      "",
    );
    for (const r of leaks) {
      lines.push(`- ${r.server}, ${r.task}: ${r.leaks} answer(s), plan ${escapeCell(r.plan)}`);
    }
  }
  const misses = results.runs.filter((r) => !r.found);
  if (misses.length) {
    lines.push("", "## Evidence not found", "");
    for (const r of misses) {
      lines.push(
        `- ${r.server}, ${r.task}: missing ${r.missing.join("; ")}${
          r.error ? ` (plan failed: ${escapeCell(r.error.split("\n")[0]!)})` : ""
        }${failedCalls(r)}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

function failedCalls(r: TaskRun): string {
  const bad = r.records.filter((c) => !c.ok);
  if (bad.length === 0) return "";
  return `; ${bad.length} call(s) failed, first: ${bad[0]!.tool}: ${
    escapeCell((bad[0]!.error ?? "").split("\n")[0]!.slice(0, 160))
  }`;
}

function escapeCell(s: string): string {
  return s.replaceAll("|", "\\|");
}
