// Integration: `deno task bench --economy` on the testenv, cut to two tasks and ours alone, so
// the harness keeps working (ignored locally without the testenv, a failure in CI). It asserts
// that the tasks ran and were checked, nothing about the figures.

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { integration } from "../_helpers/testenv.ts";
import type { EconomyResults } from "../../scripts/bench/economy/types.ts";

const BENCH = fileURLToPath(new URL("../../scripts/bench/main.ts", import.meta.url));

integration(
  "bench --economy runs the tasks on ours, checks the evidence and writes the table",
  async (
    env,
  ) => {
    const dir = await Deno.makeTempDir({ prefix: "bench-economy-" });
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          BENCH,
          "--economy",
          "--source",
          "--no-reference",
          "--no-peers",
          "--only",
          "crashloop_why,failing_pods",
          "--kubeconfig",
          env.kubeconfig,
          "--out",
          dir,
        ],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(180_000),
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      const results = JSON.parse(
        await Deno.readTextFile(join(dir, "economy-partial.json")),
      ) as EconomyResults;
      assert.deepEqual(results.tasks.map((t) => t.id), ["failing_pods", "crashloop_why"]);
      const ours = results.runs.filter((r) => r.server === "ours");
      assert.equal(ours.length, 2);
      for (const r of ours) {
        assert.ok(r.calls >= 1 && r.tokens > 0 && r.bytes > 0, JSON.stringify(r));
        assert.equal(r.records.length, r.calls);
      }
      // One log read answers it on every version of ours: the seed's panic line is the evidence.
      const crash = ours.find((r) => r.task === "crashloop_why")!;
      assert.equal(crash.found, true, JSON.stringify(crash));
      for (const id of ["containers", "flux159"]) {
        const s = results.servers.find((x) => x.id === id)!;
        assert.equal(s.available, false);
        assert.equal(s.reason, "skipped with --no-peers");
      }
      assert.ok(results.servers.find((x) => x.id === "ours")!.toolsList!.tokens > 0);
      const md = await Deno.readTextFile(join(dir, "economy-partial.md"));
      assert.match(md, /\| Why a pod crash-loops \| 1 · \d+ tok · \d+ B ✓ \| skipped \|/);
      assert.match(md, /## Targets \(issue 21\)/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
