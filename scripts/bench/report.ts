// Renders the markdown report from the results JSON. Pure: no I/O, no clock.

import { ratio } from "./stats.ts";
import type { BenchResults, Metric, ScenarioResult, SideResult } from "./types.ts";

function fixed(value: number, unit: Metric["unit"]): string {
  const digits = unit === "bytes" || unit === "count"
    ? 0
    : unit === "MiB"
    ? 1
    : Math.abs(value) < 10
    ? 2
    : Math.abs(value) < 100
    ? 1
    : 0;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

const UNIT_SUFFIX: Record<Metric["unit"], string> = {
  ms: " ms",
  "calls/s": " calls/s",
  MiB: " MiB",
  bytes: " B",
  count: "",
};

export function formatMetric(m: Metric): string {
  const main = `${fixed(m.value, m.unit)}${UNIT_SUFFIX[m.unit]}`;
  if (m.lo === undefined || m.hi === undefined || m.lo === m.hi) return main;
  return `${main} (${fixed(m.lo, m.unit)}–${fixed(m.hi, m.unit)})`;
}

export function formatRatio(r: number | null): string {
  return r === null ? "n/a" : `${r.toFixed(2)}×`;
}

function cell(side: SideResult | null, key: string): string {
  if (side === null) return "n/a";
  if (!side.ok) return "**error**";
  const m = side.metrics.find((x) => x.key === key);
  return m ? formatMetric(m) : "–";
}

function rows(s: ScenarioResult): string[] {
  const metrics = s.ours.ok ? s.ours.metrics : (s.reference?.metrics ?? []);
  if (metrics.length === 0) {
    return [`| ${s.title} | – | **error** | ${cell(s.reference, "")} | n/a |`];
  }
  return metrics.map((m, i) => {
    const ours = s.ours.metrics.find((x) => x.key === m.key);
    const ref = s.reference?.ok ? s.reference.metrics.find((x) => x.key === m.key) : undefined;
    const better = m.better === "higher" ? "↑" : "↓";
    return `| ${i === 0 ? s.title : ""} | ${m.label} ${better} | ${cell(s.ours, m.key)} | ` +
      `${cell(s.reference, m.key)} | ${formatRatio(ratio(ours?.value, ref?.value))} |`;
  });
}

/** The comparison table alone (also what the README shows). */
export function renderTable(results: BenchResults): string {
  return [
    "| Scenario | Metric | Ours | Reference | Ours ÷ ref |",
    "|---|---|--:|--:|--:|",
    ...results.scenarios.flatMap(rows),
  ].join("\n");
}

export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const ref = results.reference;
  const st = results.settings;
  const refLine = ref.available
    ? `Reference: \`${ref.module}\` ${ref.version} (${ref.source}: \`${ref.bin}\`).`
    : `Reference: \`${ref.module}@${ref.version}\` is **not available**, so its columns are ` +
      `n/a. Reason: ${ref.reason ?? "unknown"}`;
  const failures = results.failures.length
    ? ["", "## Failures", "", ...results.failures.map((f) => `- ${f.split("\n")[0]}`)]
    : [];
  return [
    `# mcp-kubernetes-ro benchmark${results.quick ? " (quick)" : ""}`,
    "",
    `${results.startedAt}, ${Math.round(results.durationS)} s. ${m.cpu}, ${m.cores} cores, ` +
    `${m.memoryGiB} GiB, ${m.os} (${m.kernel}); Deno ${m.deno}, Go ${m.go}, kube-apiserver ` +
    `${m.kubeApiserver}. Load average at the start: ${m.loadAverage.join(", ")}` +
    `${m.loadAverageEnd ? `, at the end: ${m.loadAverageEnd.join(", ")}` : ""}. The API ` +
    `server, etcd, the fakes, the bench client and the server under test share this machine.`,
    "",
    results.ours === "bundle"
      ? "Ours: the bundled server (server/main.js) as the npm package and the image run it, " +
        "with the release permissions."
      : results.ours === "source"
      ? "Ours: main.ts from the checkout (`deno run -A`), not the shipped bundle."
      : "",
    "",
    refLine,
    "",
    "Medians, with p10–p90 in brackets (min–max under 10 samples). ↓: lower is better, " +
    "↑: higher is better. Ours ÷ ref below 1 means ours is lower. Peak RSS is VmHWM of the " +
    "server process read just before it is stopped (the largest over the processes of a " +
    "scenario); bytes are the UTF-8 length of the tool result text, what a model reads.",
    "",
    renderTable(results),
    ...failures,
    "",
    "## Scenarios",
    "",
    ...results.scenarios.map((s) => `- **${s.title}** (\`${s.id}\`): ${s.description}`),
    "",
    "## Settings",
    "",
    `- cold starts (fresh processes) per mode: ${st.coldStartIterations}`,
    `- measured calls per read scenario, on one server, after one warm-up call: ` +
    `${st.readIterations} (full pod list: ${st.bigListIterations})`,
    `- measured calls per log scenario, after one warm-up call: ${st.logIterations}`,
    `- metrics walks, limit ${st.metricsPageSize}, after one warm-up walk: ${st.metricsWalks}`,
    `- streamable-http: ${st.httpClients} clients × ${st.httpCallsPerClient} calls of ` +
    `${st.httpTool}, after one warm-up call per client`,
    `- memory budget (issue 23): ${st.idleReaders} idle readers; then ${st.budgetClients} ` +
    `clients × ${st.budgetCallsPerClient} calls of encode_base64 (4 KiB)`,
    "",
  ].join("\n");
}
