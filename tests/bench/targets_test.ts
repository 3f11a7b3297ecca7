import assert from "node:assert/strict";
import { renderTargets } from "../../scripts/bench/targets.ts";
import type { BenchResults, Metric, SideResult } from "../../scripts/bench/types.ts";

const m = (key: string, unit: Metric["unit"], value: number): Metric => ({
  key,
  label: key,
  unit,
  better: "lower",
  value,
});
const side = (s: SideResult["side"], metrics: Metric[]): SideResult => ({
  side: s,
  ok: true,
  metrics,
  details: {},
});

Deno.test("renderTargets() gives both sides, the ratio and whether each target is met", () => {
  const results = {
    scenarios: [
      {
        id: "get_pod",
        title: "get_resource: one pod",
        description: "",
        ours: side("ours", [m("latency", "ms", 5), m("peak_rss", "MiB", 100)]),
        reference: side("reference", [m("latency", "ms", 200), m("peak_rss", "MiB", 40)]),
      },
      {
        id: "http_load",
        title: "load",
        description: "",
        ours: side("ours", [m("peak_rss", "MiB", 150)]),
        reference: {
          side: "reference",
          ok: false,
          error: "47 failed call(s)",
          metrics: [],
          details: {},
        },
      },
    ],
  } as unknown as BenchResults;
  const lines = renderTargets(results).split("\n");
  assert.equal(lines[0], "| Scenario | Metric | Ours | Go | Ours ÷ Go | Target | Met |");
  assert.ok(
    lines.includes(
      "| get_resource: one pod | latency | 5.00 ms | 200 ms | 0.03× | ≤ 0.5× Go | yes |",
    ),
  );
  assert.ok(
    lines.includes(
      "| get_resource: one pod | peak_rss | 100.0 MiB | 40.0 MiB | 2.50× | ≤ 2× Go | **no** |",
    ),
  );
  assert.ok(lines.includes("| load | peak_rss | 150.0 MiB | n/a | n/a | ≤ 200 MiB | yes |"));
  assert.ok(lines.includes("| load | errors | 0 | failed: 47 failed call(s) | – | 0 | yes |"));
});
