// deno task bench [--quick]: ours against the Go reference on the testenv; writes JSON and
// markdown to bench/results/. Thin: flags and wiring; the work is in the modules beside it.

import { parseArgs } from "node:util";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { log } from "./log.ts";
import { describeMachine, loadAverage } from "./machine.ts";
import { ServerProcess } from "./process.ts";
import { REFERENCE_BIN_ENV, REFERENCE_BUILD_ENV, resolveReference } from "./reference.ts";
import { renderMarkdown } from "./report.ts";
import { renderTargets } from "./targets.ts";
import { type Ctx, SCENARIOS, settingsFor } from "./scenarios.ts";
import { MAIN_TS, type OursForm, oursSpec, referenceSpec } from "./servers.ts";
import { bundle, BUNDLE_ENTRY } from "../release/bundle.ts";
import { economy, ECONOMY_FLAGS } from "./economy/bench.ts";
import { useTestenv } from "./testenv.ts";
import type { BenchResults, Metric, ScenarioResult, SideResult } from "./types.ts";
import { formatMetric } from "./report.ts";

const DEFAULT_OUT = fileURLToPath(new URL("../../bench/results", import.meta.url));

const HELP = `deno task bench [--quick | --economy] [options]

  --quick           every scenario once or twice with small sizes (CI); fails on any error
  --scale F         full-run iteration counts times F (0 < F ≤ 1, at least 3), same sizes
  --only IDS        comma-separated scenario ids (${SCENARIOS.map((s) => s.id).join(", ")})
  --no-reference    do not look for or build the Go reference
  --testenv-up      start the testenv when it is not up (deno task testenv up)
  --kubeconfig PATH a cluster seeded like the testenv, instead of the local testenv
  --out DIR         where to write the results (default bench/results)
  --source          run ours from main.ts (deno run -A), not as shipped: by default the bench
                    bundles the server as the npm package and image do (scripts/release/
                    bundle.ts) and runs that under the release permissions
  --cpu-prof DIR    run ours with --cpu-prof: one .cpuprofile per process in DIR/<scenario>/
                    (summarise with scripts/bench/cpuprofile.ts)
${ECONOMY_FLAGS}
  --help

The Go reference is built once by ../shared/reference/go/build.sh (${REFERENCE_BUILD_ENV} points
elsewhere); ${REFERENCE_BIN_ENV}=/path/to/mcp-kubernetes-ro compares against that binary instead.
Results: latest.json and latest.md (and a timestamped copy) for a full run, quick.json and
quick.md for --quick.`;

function brief(r: SideResult | null): string {
  if (r === null) return "n/a";
  if (!r.ok) return `ERROR ${r.error?.split("\n")[0]}`;
  const pick = (k: string) => r.metrics.find((m: Metric) => m.key === k);
  return [pick("throughput") ?? pick("latency"), pick("peak_rss"), pick("bytes")]
    .filter((m): m is Metric => m !== undefined).map(formatMetric).join(", ");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean", default: false },
      scale: { type: "string", default: "1" },
      only: { type: "string" },
      "no-reference": { type: "boolean", default: false },
      "testenv-up": { type: "boolean", default: false },
      kubeconfig: { type: "string" },
      out: { type: "string", default: DEFAULT_OUT },
      "cpu-prof": { type: "string" },
      source: { type: "boolean", default: false },
      economy: { type: "boolean", default: false },
      "no-peers": { type: "boolean", default: false },
      "ours-root": { type: "string" },
      "keep-answers": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return log(HELP), 0;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      for (const p of ServerProcess.live) p.signal("SIGKILL");
      Deno.exit(130);
    });
  }

  if (values.economy) {
    return await economy({
      out: values.out,
      kubeconfig: values.kubeconfig,
      testenvUp: values["testenv-up"],
      source: values.source,
      oursRoot: values["ours-root"] ?? fileURLToPath(new URL("../..", import.meta.url)),
      noReference: values["no-reference"],
      noPeers: values["no-peers"],
      only: values.only?.split(",").map((s) => s.trim()).filter(Boolean),
      keepAnswers: values["keep-answers"],
    });
  }
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? [];
  if (unknown.length) return log(`unknown scenario id(s): ${unknown.join(", ")}\n\n${HELP}`), 2;
  const scenarios = only ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS;

  const started = new Date();
  const t0 = performance.now();
  const quick = values.quick;
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) return log(`--scale must be in (0, 1]; got ${values.scale}`), 2;
  const settings = settingsFor(quick, scale);
  const testenv = await useTestenv(values["testenv-up"], values.kubeconfig);
  const reference = await resolveReference({ skip: values["no-reference"] });
  log(
    reference.available
      ? `reference: ${reference.bin} (${reference.source})`
      : `reference NOT available, its columns will be n/a: ${reference.reason}`,
  );
  const machine = await describeMachine(testenv.kubeApiserverBin);
  const ctx: Ctx = { kubeconfig: testenv.kubeconfig, settings };
  let form: OursForm = { kind: "source" };
  if (!values.source) {
    const dir = await Deno.makeTempDir({ prefix: "bench_bundle_" });
    await bundle(fileURLToPath(new URL("../..", import.meta.url)), dir);
    form = { kind: "bundle", entry: join(dir, BUNDLE_ENTRY) };
  }
  log(`ours: ${form.kind === "bundle" ? `the bundle, ${form.entry}` : MAIN_TS}`);
  if (form.kind === "bundle") {
    // A new bundle's first start compiles it and writes V8's code cache into DENO_DIR (~390 ms
    // to tools/list instead of ~160 ms here); every later start reads that cache, and the image
    // ships it warm. One unmeasured start (with the first call) makes the runs below later ones.
    const warm = SCENARIOS.find((s) => s.id === "cold_start_always_start")!;
    const r = await warm.run(oursSpec(form), {
      ...ctx,
      settings: { ...settings, coldStartIterations: 1 },
    });
    if (!r.ok) log(`warm-up start of the bundle failed: ${r.error}`);
  }

  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  for (const sc of scenarios) {
    log(`▶ ${sc.title}`);
    const prof = values["cpu-prof"];
    const ours = await sc.run(oursSpec(form, prof ? join(prof, sc.id) : undefined), ctx);
    log(`  ours:      ${brief(ours)}`);
    const ref = reference.available && reference.bin
      ? await sc.run(referenceSpec(reference.bin), ctx)
      : null;
    if (ref) log(`  reference: ${brief(ref)}`);
    for (const r of [ours, ref]) {
      if (r && !r.ok) failures.push(`${sc.id} (${r.side}): ${r.error}`);
    }
    results.push({ id: sc.id, title: sc.title, description: sc.description, ours, reference: ref });
  }

  const out: BenchResults = {
    schema: 1,
    quick,
    ok: failures.length === 0,
    failures,
    startedAt: started.toISOString(),
    durationS: (performance.now() - t0) / 1000,
    machine: { ...machine, loadAverageEnd: loadAverage() },
    reference,
    ours: form.kind,
    settings,
    scenarios: results,
  };
  const md = `${renderMarkdown(out)}\n## Targets (issue 13)\n\n${renderTargets(out)}\n`;
  await Deno.mkdir(values.out, { recursive: true });
  const names = quick
    ? ["quick"]
    : ["latest", started.toISOString().replace(/[:.]/g, "-").replace(/-\d{3}Z$/, "Z")];
  for (const name of names) {
    await Deno.writeTextFile(join(values.out, `${name}.json`), JSON.stringify(out, null, 2) + "\n");
    await Deno.writeTextFile(join(values.out, `${name}.md`), md);
  }
  log(`\n${md}`);
  log(`wrote ${names.map((n) => join(values.out, `${n}.{json,md}`)).join(" and ")}`);
  if (failures.length) {
    log(`\n${failures.length} scenario side(s) failed:\n${failures.join("\n\n")}`);
    return 1;
  }
  return 0;
}

Deno.exit(await main());
