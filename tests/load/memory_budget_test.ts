// Issue 23 in the suite: the shipped server (the bundle, the release permissions and V8 flags,
// the heap limit the budget gives) under 1,000 connections that each ask for a 1,500-pod list and
// never read it, then 500 clients × 20 calls while those stay open. Its peak RSS stays under the
// budget; every call is answered or refused with 429 and a busy error, none is lost; /healthz
// answers throughout; memory comes back near where it started. The figures are printed; the
// bench ("1,000 idle readers", "500 clients") is where they are tracked.

import assert from "node:assert/strict";
import { join } from "node:path";
import { bundle, BUNDLE_ENTRY, BUNDLE_RUN_FLAGS } from "../../scripts/release/bundle.ts";
import { RELEASE_RUN_FLAGS } from "../../scripts/release/permissions.ts";
import {
  metric,
  openIdleReaders,
  probeHealthz,
  runCallers,
  waitIdle,
} from "../../scripts/bench/budget_load.ts";
import { DEFAULT_BUDGET_BYTES, planBudget } from "../../src/budget/plan.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { integration, seed } from "../_helpers/testenv.ts";
import { REPO_ROOT } from "../release/_helpers.ts";

const MiB = 1024 * 1024;

/**
 * The properties the issue names, with margins: RSS is the kernel's figure for the whole process
 * and must stay under the budget; /healthz is this process's event loop alone, so a second is
 * generous even on a loaded machine (before the budget it went unanswered for minutes).
 */
const HEALTHZ_BOUND_MS = 1000;
/** "Near the baseline": what V8 and the allocator may keep of the load, at most. */
const AFTER_MARGIN_BYTES = 64 * MiB;

async function rssKiB(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
}

const LIST = {
  name: "list_resources",
  arguments: { resource_type: "pods", namespace: seed.BULK_NAMESPACE, title_only: false },
};
const SMALL = { name: "encode_base64", arguments: { data: "x".repeat(4096) } };

integration(
  "memory budget: 1,000 never-reading connections, then 500 × 20 calls, stay under it",
  async (env) => {
    const dir = await Deno.makeTempDir({ prefix: "budget_bundle_" });
    await bundle(REPO_ROOT, dir);
    const plan = planBudget(DEFAULT_BUDGET_BYTES);
    const server = await startHttp(
      "streamable-http",
      ["--kubeconfig", env.kubeconfig],
      // What the npm launcher and the image set for the default budget.
      { DENO_V8_FLAGS: `--max-old-space-size=${plan.heapMiB}` },
      ["run", ...BUNDLE_RUN_FLAGS, ...RELEASE_RUN_FLAGS, join(dir, BUNDLE_ENTRY)],
    );
    const t0 = performance.now();
    try {
      assert.match(
        server.stderr(),
        new RegExp(`Memory budget ${plan.budgetBytes / MiB} MiB \\(default\\)`),
      );
      assert.doesNotMatch(server.stderr(), /heap limit .* is above the memory budget/);
      // Baseline: after one list, so the Kubernetes client is loaded.
      const warm = await runCallers({
        base: server.base,
        clients: 1,
        callsPerClient: 1,
        call: LIST,
        timeoutMs: 60_000,
      });
      assert.equal(warm.answered, 1, warm.lost.join("\n"));
      const baseline = await rssKiB(server.pid, "VmRSS");
      const probes = probeHealthz(server.base, 100, HEALTHZ_BOUND_MS * 5);

      const idle = await openIdleReaders({ base: server.base, connections: 1000, call: LIST });
      assert.deepEqual(idle.failed, []);
      assert.ok(await waitIdle(server.base, 120_000), "the idle readers' calls never finished");
      const afterIdle = await rssKiB(server.pid, "VmRSS");

      const held = await metric(server.base, "mcp_kubernetes_ro_unsent_answer_bytes");
      const callers = await runCallers({
        base: server.base,
        clients: 500,
        callsPerClient: 20,
        call: SMALL,
        check: (t) => t.includes("eHh4") ? null : "not the encoding",
        timeoutMs: 120_000,
      });
      const afterCallers = await rssKiB(server.pid, "VmRSS");

      const idleOut = await idle.settle(60_000);
      await probes.stop();

      // After the load: a call is answered, and memory comes back.
      const after = await runCallers({
        base: server.base,
        clients: 1,
        callsPerClient: 1,
        call: LIST,
        timeoutMs: 60_000,
      });
      // V8 gives memory back once the process idles (its memory reducer, ~30s here): wait for
      // it, bounded.
      let end = await rssKiB(server.pid, "VmRSS");
      for (let i = 0; i < 60 && end * 1024 >= baseline * 1024 + AFTER_MARGIN_BYTES; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        end = await rssKiB(server.pid, "VmRSS");
      }
      const peak = await rssKiB(server.pid, "VmHWM");
      const dropped = await metric(
        server.base,
        'mcp_kubernetes_ro_answers_dropped_total{reason="over_budget"}',
      );
      const worst = Math.max(...probes.healthzMs);
      // deno-lint-ignore no-console
      console.error(
        `budget load: ${Math.round((performance.now() - t0) / 1000)}s; RSS baseline ` +
          `${Math.round(baseline / 1024)} MiB, peak ${Math.round(peak / 1024)} MiB, after ` +
          `${Math.round(end / 1024)} MiB (after idle ${afterIdle >> 10}, callers ${
            afterCallers >> 10
          }; budget ${plan.budgetBytes / MiB} MiB); idle readers ` +
          `${JSON.stringify({ ...idleOut, lost: idleOut.lost.length })}, unsent held ` +
          `${Math.round((held ?? 0) / 1024)} KiB, dropped ${dropped}; callers answered ` +
          `${callers.answered}, refused ${callers.refused}, lost ${callers.lost.length}; ` +
          `/healthz ${probes.healthzMs.length} probes, worst ${Math.round(worst)} ms`,
      );
      assert.ok(
        peak * 1024 < plan.budgetBytes,
        `peak RSS ${peak} KiB over the budget ${plan.budgetBytes / 1024} KiB`,
      );
      assert.deepEqual(idleOut.lost, [], "every idle reader's call answered, refused or dropped");
      assert.equal(idleOut.answered + idleOut.refused + idleOut.dropped, 1000);
      assert.ok(idleOut.refused > 0, "1,000 lists at once were all taken in: nothing pushed back");
      assert.deepEqual(callers.lost.slice(0, 5), [], `${callers.lost.length} calls lost`);
      assert.equal(callers.answered + callers.refused, 500 * 20);
      assert.ok(callers.answered > 0, "no call answered");
      assert.deepEqual(probes.failures.slice(0, 5), []);
      assert.ok(worst < HEALTHZ_BOUND_MS, `/healthz took ${worst} ms`);
      assert.equal(after.answered, 1, after.lost.join("\n"));
      assert.ok(
        end * 1024 < baseline * 1024 + AFTER_MARGIN_BYTES,
        `RSS after the load ${end} KiB, baseline ${baseline} KiB`,
      );
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
