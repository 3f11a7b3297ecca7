// Integration: the real `deno task bench --quick` against the testenv (ignored locally without
// it, a failure in CI: see tests/_helpers/testenv.ts). It keeps the harness working; it asserts
// nothing about speed, only that every scenario ran and a failing scenario fails the run.

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { integration } from "../_helpers/testenv.ts";
import type { BenchResults } from "../../scripts/bench/types.ts";
import { SCENARIOS } from "../../scripts/bench/scenarios.ts";

const BENCH = fileURLToPath(new URL("../../scripts/bench/main.ts", import.meta.url));

async function bench(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", BENCH, ...args],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(300_000),
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

integration("bench --quick runs every scenario against ours and writes JSON and markdown", async (
  env,
) => {
  const dir = await Deno.makeTempDir({ prefix: "bench-quick-" });
  try {
    // --no-reference: no install attempt here; MCP_K8S_RO_REFERENCE_BIN still wins when set.
    const r = await bench([
      "--quick",
      "--no-reference",
      "--kubeconfig",
      env.kubeconfig,
      "--out",
      dir,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(await Deno.readTextFile(join(dir, "quick.json"))) as BenchResults;
    assert.equal(results.quick, true);
    assert.equal(results.ok, true);
    assert.deepEqual(results.failures, []);
    assert.deepEqual(results.scenarios.map((s) => s.id), SCENARIOS.map((s) => s.id));
    for (const s of results.scenarios) {
      assert.equal(s.ours.ok, true, `${s.id}: ${s.ours.error}`);
      const metric = (key: string) => s.ours.metrics.find((m) => m.key === key)?.value;
      const speed = metric("throughput") ?? metric("latency");
      assert.ok(speed !== undefined && speed > 0, `${s.id} has no timing`);
      assert.ok((metric("peak_rss") ?? 0) > 10, `${s.id}: peak RSS ${metric("peak_rss")} MiB`);
      assert.ok((metric("bytes") ?? 0) > 0, `${s.id} returned no bytes`);
      assert.equal(s.ours.details.childProcesses, 0, `${s.id}: the pid measured has children`);
      if (!results.reference.available) assert.equal(s.reference, null);
    }
    if (!results.reference.available) assert.ok(results.reference.reason);
    const md = await Deno.readTextFile(join(dir, "quick.md"));
    assert.match(md, /\| Scenario \| Metric \| Ours \| Reference \| Ours ÷ ref \|/);
    assert.match(md, /Cold start over stdio/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

integration("bench --quick exits non-zero when a scenario errors", async (env) => {
  const dir = await Deno.makeTempDir({ prefix: "bench-quick-fail-" });
  try {
    // The same cluster as `nobody`, who may read nothing: get_resource must fail.
    const kubeconfig = join(dir, "kubeconfig");
    const text = await Deno.readTextFile(env.kubeconfig);
    await Deno.writeTextFile(
      kubeconfig,
      text.replace(/^current-context: .*$/m, 'current-context: "nobody"'),
    );
    const r = await bench([
      "--quick",
      "--no-reference",
      "--only",
      "get_pod",
      "--kubeconfig",
      kubeconfig,
      "--out",
      dir,
    ]);
    assert.equal(r.code, 1, r.stderr);
    const results = JSON.parse(await Deno.readTextFile(join(dir, "quick.json"))) as BenchResults;
    assert.equal(results.ok, false);
    assert.equal(results.scenarios[0]!.ours.ok, false);
    assert.match(results.failures[0]!, /^get_pod \(ours\): /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
