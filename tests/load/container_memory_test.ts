// Issue 23 under a real cgroup limit: the image, run with the Helm chart's memory limit
// (`podman run --memory 384m`) and with the 256 MiB the chart had before (the issue's limit), takes its budget from the cgroup and the same load as the suite's
// test (tests/load/memory_budget_test.ts): 1,000 connections asking for a 1,500-pod list and
// never reading, then 500 clients × 20 calls. It is never OOM-killed, /healthz answers within a
// second throughout and after, and every call is answered or refused with 429. Before the budget,
// the image under 256 MiB thrashed (134k major faults) and /healthz went unanswered for minutes.
// Skipped without podman and runc unless MCP_REQUIRE_TOOLS names them; needs the test cluster.

import assert from "node:assert/strict";
import {
  openIdleReaders,
  probeHealthz,
  runCallers,
  waitIdle,
} from "../../scripts/bench/budget_load.ts";
import { budgetFromLimit } from "../../src/budget/plan.ts";
import { freePort } from "../_helpers/spawn_http.ts";
import { integration, seed } from "../_helpers/testenv.ts";
import { checkTools, toolTest } from "../_helpers/tools.ts";
import { ROOT } from "../install/_helpers.ts";
import { buildImage, podman } from "../install/_podman.ts";

const TOOLS = ["podman", "runc"];
const MiB = 1024 * 1024;
/** The Helm chart's limits.memory (deploy/helm/mcp-kubernetes-ro/values.yaml). */
const CHART_LIMIT_MIB = 384;
/** The chart's limit when issue 23 was filed: the budget from it must hold the same load. */
const ISSUE_LIMIT_MIB = 256;
const HEALTHZ_BOUND_MS = 1000;

const LIST = {
  name: "list_resources",
  arguments: { resource_type: "pods", namespace: seed.BULK_NAMESPACE, title_only: false },
};
const SMALL = { name: "encode_base64", arguments: { data: "x".repeat(4096) } };

function containerTest(name: string, fn: Parameters<typeof integration>[1]): void {
  if (checkTools(TOOLS).skip) return toolTest(name, TOOLS, () => {});
  integration(name, fn);
}

Deno.test("the container test runs at the Helm chart's memory limit", async () => {
  const chart = await Deno.readTextFile(`${ROOT}/deploy/helm/mcp-kubernetes-ro/values.yaml`);
  assert.match(chart, new RegExp(`memory: ${CHART_LIMIT_MIB}Mi`), "the chart's limit moved");
});

for (const LIMIT_MIB of [CHART_LIMIT_MIB, ISSUE_LIMIT_MIB]) {
  containerTest(
    `image under a ${LIMIT_MIB} MiB cgroup limit: never OOM-killed, /healthz within a second`,
    async (env) => {
      const tag = await buildImage(ROOT);
      // The kubeconfig readable by the image's user (65532), mounted read-only.
      const dir = await Deno.makeTempDir({ prefix: "kubeconfig_" });
      await Deno.copyFile(env.kubeconfig, `${dir}/config`);
      await Deno.chmod(dir, 0o755);
      await Deno.chmod(`${dir}/config`, 0o644);
      const port = freePort();
      const name = `mcp-budget-${port}`;
      const base = `http://127.0.0.1:${port}`;
      const run = await podman([
        "run",
        "-d",
        "--name",
        name,
        "--read-only",
        "--memory",
        `${LIMIT_MIB}m`,
        // 1,000 connections need more descriptors than the 1,024 the other tests use.
        "--ulimit",
        "nofile=4096:4096",
        "--ulimit",
        "nproc=1024:1024",
        "--network",
        "host",
        "-v",
        `${dir}:/kube:ro`,
        tag,
        "--transport",
        "streamable-http",
        "--port",
        String(port),
        "--kubeconfig",
        "/kube/config",
      ]);
      assert.equal(run.code, 0, run.stderr);
      try {
        let up = false;
        for (let i = 0; i < 60 && !up; i++) {
          up = await fetch(`${base}/healthz`).then((r) => r.text()).then((t) => t === "ok\n")
            .catch(() => false);
          if (!up) await new Promise((r) => setTimeout(r, 500));
        }
        assert.ok(up, (await podman(["logs", name])).stderr);
        const logs = (await podman(["logs", name])).stderr;
        const budget = budgetFromLimit(LIMIT_MIB * MiB)!;
        assert.match(logs, new RegExp(`Memory budget ${budget / MiB} MiB \\(cgroup\\)`), logs);
        assert.doesNotMatch(logs, /is above the memory budget/, logs);

        const probes = probeHealthz(base, 100, HEALTHZ_BOUND_MS * 5);
        const idle = await openIdleReaders({ base, connections: 1000, call: LIST });
        assert.deepEqual(idle.failed.slice(0, 3), []);
        assert.ok(await waitIdle(base, 180_000), "the idle readers' calls never finished");
        const callers = await runCallers({
          base,
          clients: 500,
          callsPerClient: 20,
          call: SMALL,
          check: (t) => t.includes("eHh4") ? null : "not the encoding",
          timeoutMs: 120_000,
        });
        const idleOut = await idle.settle(60_000);
        // And after the load: five more seconds of probes.
        await new Promise((r) => setTimeout(r, 5000));
        await probes.stop();

        const inspect = await podman(["inspect", "--format", "{{.State.OOMKilled}} {{.Id}}", name]);
        const [oomKilled, id] = inspect.stdout.trim().split(" ");
        const cgroup = `/sys/fs/cgroup/memory/libpod_parent/libpod-${id}`;
        const peak = await Deno.readTextFile(`${cgroup}/memory.max_usage_in_bytes`)
          .then((t) => `${Math.round(Number(t) / MiB)} MiB`).catch(() => "n/a");
        const worst = Math.max(...probes.healthzMs);
        // deno-lint-ignore no-console
        console.error(
          `container ${LIMIT_MIB} MiB: cgroup peak ${peak}; OOMKilled ${oomKilled}; idle readers ` +
            `${JSON.stringify({ ...idleOut, lost: idleOut.lost.length })}; callers answered ` +
            `${callers.answered}, refused ${callers.refused}, lost ${callers.lost.length}; /healthz ` +
            `${probes.healthzMs.length} probes, worst ${Math.round(worst)} ms`,
        );
        assert.equal(oomKilled, "false");
        assert.equal(
          (await podman(["inspect", "--format", "{{.State.Running}}", name])).stdout.trim(),
          "true",
        );
        assert.deepEqual(probes.failures.slice(0, 5), []);
        assert.ok(worst < HEALTHZ_BOUND_MS, `/healthz took ${worst} ms`);
        assert.deepEqual(idleOut.lost, []);
        assert.equal(idleOut.answered + idleOut.refused + idleOut.dropped, 1000);
        assert.ok(
          idleOut.refused > 0,
          "1,000 lists at once were all taken in: nothing pushed back",
        );
        assert.deepEqual(callers.lost.slice(0, 5), [], `${callers.lost.length} calls lost`);
        assert.equal(callers.answered + callers.refused, 500 * 20);
      } finally {
        await podman(["rm", "-f", name]);
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
}
