// deno task bench --economy: the diagnosis tasks on ours, the Go server and the two npm peers;
// writes economy-latest.{json,md} (and a timestamped copy) to bench/results/. A few minutes.

import { join } from "node:path";
import { bundle, BUNDLE_ENTRY, BUNDLE_RUN_FLAGS } from "../../release/bundle.ts";
import { log } from "../log.ts";
import { resolveReference } from "../reference.ts";
import { oursSpec, referenceSpec, type ServerSpec } from "../servers.ts";
import { testenvStatus, useTestenv } from "../testenv.ts";
import { renderEconomy } from "./report.ts";
import { runServer } from "./run.ts";
import { benchServer, goServer, peerServers, type Runnable } from "./servers.ts";
import { TASKS } from "./tasks.ts";
import { TOKENIZER } from "./tokens.ts";
import type { EconomyResults, ServerInfo, TaskRun } from "./types.ts";

export interface EconomyOptions {
  out: string;
  kubeconfig?: string;
  testenvUp: boolean;
  /** Run ours from main.ts instead of the bundle. */
  source: boolean;
  /** The checkout whose server is "ours" (default: this one). */
  oursRoot: string;
  noReference: boolean;
  noPeers: boolean;
  /** Task ids (default: all). */
  only?: string[];
  /** Keep every answer's text in the JSON. */
  keepAnswers: boolean;
}

export const ECONOMY_FLAGS =
  `  --economy         the task-economy bench instead: diagnosis tasks on ours, the Go server,
                    containers/kubernetes-mcp-server and Flux159 (peers.sh), with calls, bytes,
                    tokens and an evidence check per task; writes economy-latest.{json,md}.
                    With it: --only TASKS, --source, --kubeconfig, --testenv-up, --out,
                    --no-reference, --no-peers, --ours-root DIR (another checkout's server as
                    ours), --keep-answers (every answer's text in the JSON, to audit a check).
                    Tasks: ${TASKS.map((t) => t.id).join(", ")}`;

async function ours(
  opts: EconomyOptions,
): Promise<{ spec: ServerSpec; how: string; command: string }> {
  if (opts.source) {
    const main = join(opts.oursRoot, "main.ts");
    return {
      spec: {
        side: "ours",
        command: Deno.execPath(),
        prefix: ["run", "-A", "--quiet", main],
        expectExe: Deno.execPath(),
      },
      how: `main.ts of ${opts.oursRoot} (deno run -A)`,
      command: "deno run -A main.ts",
    };
  }
  const dir = await Deno.makeTempDir({ prefix: "bench_economy_bundle_" });
  await bundle(opts.oursRoot, dir);
  return {
    spec: oursSpec({ kind: "bundle", entry: join(dir, BUNDLE_ENTRY) }),
    how: `the bundle of ${opts.oursRoot} (server/main.js, release permissions)`,
    command: `deno run ${BUNDLE_RUN_FLAGS.join(" ")} <release permissions> server/main.js`,
  };
}

export async function economy(opts: EconomyOptions): Promise<number> {
  const unknown = (opts.only ?? []).filter((id) => !TASKS.some((t) => t.id === id));
  if (unknown.length) return log(`unknown task id(s): ${unknown.join(", ")}`), 2;
  const tasks = opts.only ? TASKS.filter((t) => opts.only!.includes(t.id)) : TASKS;
  const started = new Date();
  const t0 = performance.now();
  const testenv = await useTestenv(opts.testenvUp, opts.kubeconfig);
  const mine = await ours(opts);
  const reference = await resolveReference({ skip: opts.noReference });
  const servers: Runnable[] = [
    benchServer("ours", "ours", mine.spec, "ours", mine.command),
    goServer(reference, reference.available && reference.bin ? referenceSpec(reference.bin) : null),
    ...await peerServers(opts.noPeers),
  ];
  const infos: ServerInfo[] = [];
  const runs: TaskRun[] = [];
  for (const server of servers) {
    log(`▶ ${server.info.name}${server.info.available ? "" : `: not run (${server.info.reason})`}`);
    const r = await runServer(server, tasks, testenv.kubeconfig, log, opts.keepAnswers);
    if (!r.info.available && server.info.available) log(`  failed: ${r.info.reason}`);
    if (r.info.crashed) log(`  crashed: ${r.info.crashed}`);
    infos.push(r.info);
    runs.push(...r.runs);
  }
  // The testenv is shared: if it went down during the run, calls failed for that reason alone.
  const after = opts.kubeconfig ? { up: true } : await testenvStatus();
  if (!after.up) log(`the test cluster is not up at the end of the run: ${after.problem}`);
  const results: EconomyResults = {
    schema: 1,
    startedAt: started.toISOString(),
    durationS: (performance.now() - t0) / 1000,
    tokenizer: TOKENIZER,
    ours: mine.how,
    servers: infos,
    ...(after.up ? {} : { clusterLost: after.problem ?? "not up" }),
    tasks: tasks.map((t) => ({ id: t.id, title: t.title, question: t.question })),
    runs,
  };
  const md = renderEconomy(results);
  await Deno.mkdir(opts.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, "-").replace(/-\d{3}Z$/, "Z");
  const names = opts.only ? ["economy-partial"] : ["economy-latest", `economy-${stamp}`];
  for (const name of names) {
    await Deno.writeTextFile(
      join(opts.out, `${name}.json`),
      JSON.stringify(results, null, 2) + "\n",
    );
    await Deno.writeTextFile(join(opts.out, `${name}.md`), md);
  }
  log(`\n${md}`);
  log(`wrote ${names.map((n) => join(opts.out, `${n}.{json,md}`)).join(" and ")}`);
  // Exit 1 only when the harness failed (a server that should have run did not); a target not
  // met is a finding, reported in the table.
  const meantToRun = new Set(servers.filter((s) => s.info.available).map((s) => s.info.id));
  const broken = infos.filter((i) => i.crashed || (!i.available && meantToRun.has(i.id)));
  return broken.length || !after.up ? 1 : 0;
}
