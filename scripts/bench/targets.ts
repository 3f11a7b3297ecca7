// Issue 13's targets, checked against one run's results: the table the README shows (both sides,
// the ratio, the target and whether it is met). Pure: no I/O.

import { formatMetric, formatRatio } from "./report.ts";
import { ratio } from "./stats.ts";
import type { BenchResults, Metric, ScenarioResult } from "./types.ts";

export interface Target {
  scenario: string;
  key: string;
  /** "≤ 3× Go" or "≤ 200 MiB". */
  text: string;
  /** Met when ours ÷ reference is at most this. */
  maxRatio?: number;
  /** Met when ours is at most this (in the metric's unit). */
  maxValue?: number;
}

const READS = [
  "list_pods_titles",
  "list_pods_state",
  "list_pods_full",
  "get_pod",
  "list_api_resources",
  "logs_grep",
  "logs_tail",
  "pod_metrics_pages",
];

export const TARGETS: Target[] = [
  { scenario: "cold_start_always_start", key: "latency", text: "≤ 3.5× Go", maxRatio: 3.5 },
  { scenario: "cold_start_always_start", key: "first_call", text: "≤ 3× Go", maxRatio: 3 },
  { scenario: "cold_start_always_start", key: "peak_rss", text: "≤ 2× Go", maxRatio: 2 },
  { scenario: "cold_start_always_start", key: "bytes", text: "≤ 1.0× Go", maxRatio: 1 },
  ...READS.flatMap((scenario) => [
    { scenario, key: "latency", text: "≤ 0.5× Go", maxRatio: 0.5 },
    { scenario, key: "peak_rss", text: "≤ 2× Go", maxRatio: 2 },
  ]),
  { scenario: "http_load", key: "peak_rss", text: "≤ 200 MiB", maxValue: 200 },
];

function metric(s: ScenarioResult, side: "ours" | "reference", key: string): Metric | undefined {
  const r = s[side];
  return r?.ok ? r.metrics.find((m) => m.key === key) : undefined;
}

export function renderTargets(results: BenchResults): string {
  const lines = [
    "| Scenario | Metric | Ours | Go | Ours ÷ Go | Target | Met |",
    "|---|---|--:|--:|--:|---|---|",
  ];
  for (const t of TARGETS) {
    const s = results.scenarios.find((x) => x.id === t.scenario);
    if (!s) continue;
    const ours = metric(s, "ours", t.key);
    const ref = metric(s, "reference", t.key);
    const r = ratio(ours?.value, ref?.value);
    const met = t.maxValue !== undefined
      ? ours !== undefined && ours.value <= t.maxValue
      : r !== null && r <= t.maxRatio!;
    const unknown = t.maxValue === undefined && r === null;
    lines.push(
      `| ${s.title} | ${ours?.label ?? t.key} | ${ours ? formatMetric(ours) : "n/a"} | ` +
        `${ref ? formatMetric(ref) : "n/a"} | ${formatRatio(r)} | ${t.text} | ` +
        `${unknown ? "n/a" : met ? "yes" : "**no**"} |`,
    );
  }
  const load = results.scenarios.find((x) => x.id === "http_load");
  if (load) {
    const errors = (side: "ours" | "reference") => {
      const r = load[side];
      if (!r) return "n/a";
      if (!r.ok) return `failed: ${(r.error ?? "").split("\n")[0]!.slice(0, 80)}`;
      return String((r.details as { errors?: number }).errors ?? 0);
    };
    const ours = errors("ours");
    lines.push(
      `| ${load.title} | errors | ${ours} | ${errors("reference")} | – | 0 | ` +
        `${ours === "0" ? "yes" : "**no**"} |`,
    );
  }
  return lines.join("\n");
}
