// Unit tests of the markdown rendering of bench results (scripts/bench/report.ts).

import assert from "node:assert/strict";
import {
  formatMetric,
  formatRatio,
  renderMarkdown,
  renderTable,
} from "../../scripts/bench/report.ts";
import type { BenchResults, Metric, SideResult } from "../../scripts/bench/types.ts";

const ms = (value: number, lo?: number, hi?: number): Metric => ({
  key: "latency",
  label: "latency per call",
  unit: "ms",
  better: "lower",
  value,
  ...(lo === undefined ? {} : { lo, hi, spread: "p10–p90" as const }),
});
const rss = (value: number): Metric => ({
  key: "peak_rss",
  label: "peak RSS (VmHWM)",
  unit: "MiB",
  better: "lower",
  value,
});
const bytes = (value: number): Metric => ({
  key: "bytes",
  label: "bytes per call",
  unit: "bytes",
  better: "lower",
  value,
});
const rate = (value: number): Metric => ({
  key: "throughput",
  label: "throughput (50 clients × 100 calls)",
  unit: "calls/s",
  better: "higher",
  value,
});

const side = (s: SideResult["side"], metrics: Metric[]): SideResult => ({
  side: s,
  ok: true,
  metrics,
  details: {},
});

function results(over: Partial<BenchResults> = {}): BenchResults {
  return {
    schema: 1,
    quick: false,
    ok: true,
    failures: [],
    startedAt: "2026-01-02T03:04:05.000Z",
    durationS: 312.4,
    machine: {
      cpu: "Test CPU 9000",
      cores: 2,
      memoryGiB: 23.5,
      os: "Debian GNU/Linux 12 (bookworm)",
      kernel: "linux 6.1 x86_64",
      deno: "2.9.6",
      go: "go1.26.8 linux/amd64",
      kubeApiserver: "Kubernetes v1.34.4",
      loadAverage: [0.5, 0.25, 0.1],
      date: "2026-01-02T03:04:05.000Z",
    },
    reference: {
      available: true,
      module: "github.com/patrickdappollonio/mcp-kubernetes-ro",
      version: "v1.2.3",
      bin: "/cache/ref/mcp-kubernetes-ro",
      source: "build.sh",
    },
    settings: {
      coldStartIterations: 20,
      readIterations: 50,
      bigListIterations: 30,
      logIterations: 10,
      metricsWalks: 20,
      metricsPageSize: 500,
      httpClients: 50,
      httpCallsPerClient: 100,
      idleReaders: 1000,
      budgetClients: 500,
      budgetCallsPerClient: 20,
      httpTool: "get_resource of pod bulk/x",
    },
    scenarios: [
      {
        id: "get_pod",
        title: "get_resource: one pod",
        description: "Pod bulk/x.",
        ours: side("ours", [ms(612.4, 598, 640.2), rss(80.25), bytes(2392)]),
        reference: side("reference", [ms(306.2), rss(40), bytes(4784)]),
      },
      {
        id: "http_load",
        title: "streamable-http: concurrent clients",
        description: "Concurrent clients.",
        ours: side("ours", [rate(1000)]),
        reference: side("reference", [rate(500)]),
      },
    ],
    ...over,
  };
}

Deno.test("formatMetric() picks digits by unit and shows the spread in brackets", () => {
  assert.equal(formatMetric(ms(612.4, 598, 640.2)), "612 ms (598–640)");
  assert.equal(formatMetric(ms(8.267, 5.691, 10.83)), "8.27 ms (5.69–10.8)");
  assert.equal(formatMetric(ms(42.25)), "42.3 ms");
  assert.equal(formatMetric(rss(80.25)), "80.3 MiB");
  assert.equal(formatMetric(bytes(733308)), "733,308 B");
  assert.equal(formatMetric(rate(1234.5)), "1,235 calls/s");
});

Deno.test("formatMetric() leaves out a spread that is a single value", () => {
  assert.equal(formatMetric({ ...bytes(57066), lo: 57066, hi: 57066 }), "57,066 B");
});

Deno.test("formatRatio() shows two decimals, or n/a", () => {
  assert.equal(formatRatio(0.5), "0.50×");
  assert.equal(formatRatio(null), "n/a");
});

Deno.test("renderTable() has one row per metric, the title on the first, and ours ÷ ref", () => {
  const lines = renderTable(results()).split("\n");
  assert.equal(lines[0], "| Scenario | Metric | Ours | Reference | Ours ÷ ref |");
  assert.equal(lines[1], "|---|---|--:|--:|--:|");
  assert.equal(
    lines[2],
    "| get_resource: one pod | latency per call ↓ | 612 ms (598–640) | 306 ms | 2.00× |",
  );
  assert.equal(lines[3], "|  | peak RSS (VmHWM) ↓ | 80.3 MiB | 40.0 MiB | 2.01× |");
  assert.equal(lines[4], "|  | bytes per call ↓ | 2,392 B | 4,784 B | 0.50× |");
  assert.equal(
    lines[5],
    "| streamable-http: concurrent clients | throughput (50 clients × 100 calls) ↑ | " +
      "1,000 calls/s | 500 calls/s | 2.00× |",
  );
  assert.equal(lines.length, 6);
});

Deno.test("without a reference its columns are n/a and the report says why", () => {
  const r = results({
    reference: {
      available: false,
      module: "github.com/patrickdappollonio/mcp-kubernetes-ro",
      version: "v1.2.3",
      reason: "the reference build failed (exit code 1): 403 Forbidden",
    },
    scenarios: results().scenarios.map((s) => ({ ...s, reference: null })),
  });
  const md = renderMarkdown(r);
  assert.match(
    md,
    /\| get_resource: one pod \| latency per call ↓ \| 612 ms \(598–640\) \| n\/a \| n\/a \|/,
  );
  assert.match(md, /mcp-kubernetes-ro@v1\.2\.3` is \*\*not available\*\*/);
  assert.match(md, /Reason: the reference build failed \(exit code 1\): 403 Forbidden/);
});

Deno.test("a failed side shows as an error cell and in the failures section", () => {
  const base = results();
  const failed: SideResult = {
    side: "reference",
    ok: false,
    error: "get_resource returned a tool error: forbidden\nmore",
    metrics: [],
    details: {},
  };
  const r = results({
    ok: false,
    failures: ["get_pod (reference): get_resource returned a tool error: forbidden\nmore"],
    scenarios: [{ ...base.scenarios[0]!, reference: failed }],
  });
  const md = renderMarkdown(r);
  assert.match(md, /\| latency per call ↓ \| 612 ms \(598–640\) \| \*\*error\*\* \| n\/a \|/);
  assert.match(
    md,
    /## Failures\n\n- get_pod \(reference\): get_resource returned a tool error: forbidden\n/,
  );
  assert.doesNotMatch(md, /more/);
});

Deno.test("the header describes the machine and the run; the output is deterministic", () => {
  const md = renderMarkdown(results());
  assert.match(md, /^# mcp-kubernetes-ro benchmark\n/);
  assert.match(md, /2026-01-02T03:04:05\.000Z, 312 s\. Test CPU 9000, 2 cores, 23\.5 GiB/);
  assert.match(md, /Deno 2\.9\.6, Go go1\.26\.8 linux\/amd64, kube-apiserver Kubernetes v1\.34\.4/);
  assert.match(md, /Load average at the start: 0\.5, 0\.25, 0\.1\./);
  assert.match(
    md,
    /Reference: `github\.com\/patrickdappollonio\/mcp-kubernetes-ro` v1\.2\.3 \(build\.sh/,
  );
  assert.match(md, /- \*\*get_resource: one pod\*\* \(`get_pod`\): Pod bulk\/x\./);
  assert.match(md, /50 clients × 100 calls of get_resource of pod bulk\/x/);
  assert.equal(renderMarkdown(results()), md);
  assert.match(
    renderMarkdown(results({ quick: true })),
    /^# mcp-kubernetes-ro benchmark \(quick\)/,
  );
});
