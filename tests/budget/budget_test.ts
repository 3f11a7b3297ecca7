// The memory budget's pure parts and its gates: precedence (flag, env, cgroup, default), sizes,
// the cgroup file's forms, the admission queue's bounds, the ledger of unsent answers, and a
// tracked answer that a real never-reading socket stops taking.

import assert from "node:assert/strict";
import { resolveConfig } from "../../src/config/resolve.ts";
import { parseFlags } from "../../src/config/flags.ts";
import type { EnvLayer } from "../../src/config/env.ts";
import { UsageError } from "../../src/config/errors.ts";
import {
  budgetFromLimit,
  callsFor,
  DEFAULT_BUDGET_BYTES,
  parseSize,
  planBudget,
} from "../../src/budget/plan.ts";
import { cgroupMemoryLimit, parseLimit } from "../../src/budget/cgroup.ts";
import { Admission, type Busy, type Permit } from "../../src/budget/admission.ts";
import {
  type DropReason,
  type HeldReader,
  trackedResponse,
  UnsentAnswers,
} from "../../src/budget/unsent.ts";
import { memoryCapacity } from "../../src/budget/budget.ts";
import { FAN_OUT_AT_ONCE, heavyCount, heavyWeight, isHeavyCall } from "../../src/budget/heavy.ts";
import { MAX_IN_FLIGHT } from "../../src/tools/_fan_out.ts";

const MiB = 1024 * 1024;

function resolve(argv: string[], env: EnvLayer = {}, cgroupMemoryLimit?: number) {
  return resolveConfig({ flags: parseFlags(argv), env, cgroupMemoryLimit }).config;
}

Deno.test("memory budget: flag, then env, then 3/4 of the cgroup limit, then the default", () => {
  const cases: [string, string[], EnvLayer, number | undefined, number, string][] = [
    ["default", [], {}, undefined, DEFAULT_BUDGET_BYTES, "default"],
    ["cgroup 384Mi", [], {}, 384 * MiB, 288 * MiB, "cgroup"],
    ["cgroup 1Gi", [], {}, 1024 * MiB, 768 * MiB, "cgroup"],
    ["a tiny cgroup gets the least budget", [], {}, 128 * MiB, 160 * MiB, "cgroup"],
    ["env", [], { MCP_KUBERNETES_RO_MEMORY_BUDGET: "512Mi" }, 384 * MiB, 512 * MiB, "env"],
    [
      "flag beats env and cgroup",
      ["--memory-budget=1Gi"],
      { MCP_KUBERNETES_RO_MEMORY_BUDGET: "512Mi" },
      384 * MiB,
      1024 * MiB,
      "flag",
    ],
    [
      "blank env is unset",
      [],
      { MCP_KUBERNETES_RO_MEMORY_BUDGET: " " },
      undefined,
      DEFAULT_BUDGET_BYTES,
      "default",
    ],
  ];
  for (const [name, argv, env, limit, bytes, source] of cases) {
    const c = resolve(argv, env, limit);
    assert.equal(c.memoryBudgetBytes, bytes, name);
    assert.equal(
      c.memoryBudgetSource,
      { flag: "--memory-budget", env: "MCP_KUBERNETES_RO_MEMORY_BUDGET" }[source] ?? source,
      name,
    );
    assert.equal(c.maxConcurrentCalls, callsFor(bytes), name);
  }
  assert.equal(resolve(["--max-concurrent-calls=3"]).maxConcurrentCalls, 3);
  assert.equal(
    resolve([], { MCP_KUBERNETES_RO_MAX_CONCURRENT_CALLS: "5" }).maxConcurrentCalls,
    5,
  );
  for (const bad of ["lots", "10Mi", "-1Gi", "1Ti"]) {
    assert.throws(() => resolve([`--memory-budget=${bad}`]), (e) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /--memory-budget must be a size of at least 160Mi, such as/);
      return true;
    });
  }
  assert.throws(() => resolve(["--max-concurrent-calls=0"]), /at least 1/);
});

Deno.test("sizes: Kubernetes quantities and their -B spellings", () => {
  assert.equal(parseSize("192Mi"), 192 * MiB);
  assert.equal(parseSize("192MiB"), 192 * MiB);
  assert.equal(parseSize("1Gi"), 1024 * MiB);
  assert.equal(parseSize("200M"), 200_000_000);
  assert.equal(parseSize("1048576"), MiB);
  assert.equal(parseSize(" 1.5Gi "), 1.5 * 1024 * MiB);
  assert.equal(parseSize("1Ti"), undefined);
  assert.equal(parseSize("Mi"), undefined);
});

Deno.test("cgroup: v2 max, v1 unlimited and garbage mean no limit; the first readable file wins", async () => {
  assert.equal(parseLimit("268435456\n"), 268435456);
  assert.equal(parseLimit("max\n"), undefined);
  assert.equal(parseLimit("9223372036854771712\n"), undefined);
  assert.equal(parseLimit(""), undefined);
  assert.equal(budgetFromLimit(256 * MiB), 192 * MiB);
  assert.equal(budgetFromLimit(undefined), undefined);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/v1`, "402653184\n");
    assert.equal(await cgroupMemoryLimit([`${dir}/absent`, `${dir}/v1`]), 384 * MiB);
    await Deno.writeTextFile(`${dir}/v2`, "max\n");
    assert.equal(await cgroupMemoryLimit([`${dir}/v2`, `${dir}/v1`]), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plan: calls sized to the budget, within bounds; memory capacity in heaviest calls", () => {
  const plan = planBudget(288 * MiB);
  assert.equal(plan.maxCalls, callsFor(288 * MiB));
  assert.ok(plan.maxCalls >= 4 && plan.maxCalls <= 64);
  assert.equal(plan.unsentBytes, 36 * MiB);
  assert.equal(plan.heapMiB, 144);
  assert.ok(callsFor(160 * MiB) >= 4);
  assert.equal(callsFor(64 * 1024 * MiB), 64);
  const at = (rss: number, heapUsed = 0) => memoryCapacity(plan, { rss, heapUsed, external: 0 });
  assert.equal(at(100 * MiB), 2);
  assert.equal(at(250 * MiB), 0);
  assert.equal(at(100 * MiB, plan.heapSoftBytes + 10 * MiB), 0, "a full heap counts too");
});

Deno.test("admission: runs up to max, queues in order, refuses past the queue and its wait", async () => {
  const refused: string[] = [];
  const a = new Admission(
    { max: 2, queueLength: 2, queueBytes: 100, queueWaitMs: 100 },
    { refused: (r) => refused.push(r) },
  );
  const p1 = await a.acquire(1) as Permit;
  const p2 = await a.acquire(1) as Permit;
  assert.equal(a.running, 2);
  const order: number[] = [];
  const w3 = a.acquire(1).then((p) => (order.push(3), p));
  const w4 = a.acquire(1).then((p) => (order.push(4), p));
  assert.equal(a.queued, 2);
  const full = await a.acquire(1) as Busy;
  assert.equal(full.busy, true);
  assert.equal(full.reason, "queue_full");
  assert.match(full.message, /Server busy: 2 tool calls are running and 2 are waiting/);
  p1.release();
  p1.release(); // idempotent
  const p3 = await w3 as Permit;
  assert.equal(a.running, 2);
  p2.release();
  const p4 = await w4 as Permit;
  assert.deepEqual(order, [3, 4]);
  // A waiter past the wait is refused, and its place is given back.
  const late = await a.acquire(1) as Busy;
  assert.equal(late.reason, "wait_timeout");
  assert.ok(late.retryAfterS >= 1);
  assert.equal(a.queued, 0);
  // Bytes bound the queue too.
  const heavy = await a.acquire(1, 101) as Busy;
  assert.equal(heavy.reason, "queue_full");
  p3.release();
  p4.release();
  assert.equal(a.running, 0);
  assert.deepEqual(refused, ["queue_full", "wait_timeout", "queue_full"]);
  // A batch larger than max takes all the slots, not more.
  const batch = await a.acquire(5) as Permit;
  assert.equal(a.running, 2);
  batch.release(1);
  assert.equal(a.running, 1);
  batch.release();
  assert.equal(a.running, 0);
});

Deno.test("admission: with no memory left, heavy calls start one at a time; light ones do not wait", async () => {
  let capacity = 0;
  const a = new Admission({
    max: 4,
    queueLength: 10,
    queueBytes: 1000,
    queueWaitMs: 2000,
    capacity: () => capacity,
  });
  const first = await a.acquire(1, 0, 1) as Permit;
  assert.equal(first.busy, false, "one heavy call always runs");
  const light = await a.acquire(1) as Permit;
  assert.equal(light.busy, false, "a light call does not wait on memory");
  const second = a.acquire(1, 0, 1);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(a.running, 2, "the second heavy call waits for memory");
  capacity = 4;
  const p = await second as Permit;
  assert.equal(a.running, 3, "and starts once memory is back (rechecked without a release)");
  for (const x of [first, light, p]) x.release();
  assert.equal(a.running, 0);
});

Deno.test("admission: a fan-out list's heavy units count beyond its one slot", async () => {
  const a = new Admission({
    max: 4,
    queueLength: 10,
    queueBytes: 1000,
    queueWaitMs: 2000,
    capacity: () => 3,
  });
  const fan = await a.acquire(1, 0, 4) as Permit;
  assert.equal(fan.busy, false, "alone, a fan-out list runs even past the memory left");
  const list = a.acquire(1, 0, 1);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(a.running, 1, "one more list waits: 4 + 1 units exceed the 3 the memory holds");
  fan.release();
  const p = await list as Permit;
  assert.equal(a.running, 1);
  p.release();
});

Deno.test("heavy calls: unpaged lists, judged from the request", () => {
  const call = (name: string, args: Record<string, unknown> = {}) => ({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name, arguments: args },
  });
  assert.equal(isHeavyCall(call("list_resources", { resource_type: "pods" })), true);
  assert.equal(isHeavyCall(call("list_resources", { resource_type: "pods", limit: 100 })), false);
  assert.equal(isHeavyCall(call("list_resources", { limit: "5000" })), true);
  assert.equal(isHeavyCall(call("get_pod_metrics")), true);
  assert.equal(isHeavyCall(call("get_resource", { resource_type: "pods", name: "a" })), false);
  assert.equal(isHeavyCall({ jsonrpc: "2.0", id: 1, method: "tools/list" }), false);
  assert.equal(heavyCount([call("get_node_metrics"), call("encode_base64")]), 1);
});

Deno.test("heavy calls: a fan-out list weighs the lists it parses at once", () => {
  const call = (name: string, args: Record<string, unknown> = {}) => ({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name, arguments: args },
  });
  assert.equal(FAN_OUT_AT_ONCE, MAX_IN_FLIGHT, "heavy.ts mirrors the fan-out wrapper's bound");
  assert.equal(heavyWeight(call("list_resources", { context: "*" })), FAN_OUT_AT_ONCE);
  assert.equal(heavyWeight(call("get_pod_metrics", { context: ["a", "b"] })), 2);
  assert.equal(heavyWeight(call("list_resources", { context: ["a", "b", "c", "d", "e"] })), 4);
  assert.equal(heavyWeight(call("list_resources", { context: "*", limit: 50 })), 0);
  assert.equal(heavyWeight(call("get_cluster_health", { context: "*" })), 0);
  assert.equal(heavyCount([call("list_resources", { context: "*" }), call("get_node_metrics")]), 5);
});

function fakeReader(unsent: number, lastRead: number, drops: DropReason[]): HeldReader {
  return { unsent: () => unsent, lastRead: () => lastRead, drop: (r) => drops.push(r) };
}

Deno.test("unsent answers: past the limit the slowest readers go first; stalled ones go", () => {
  const drops: [string, DropReason][] = [];
  const ledger = new UnsentAnswers(100, 10_000);
  const add = (name: string, unsent: number, lastRead: number) =>
    ledger.add({ ...fakeReader(unsent, lastRead, []), drop: (r) => drops.push([name, r]) });
  add("recent", 60, 9_000);
  add("oldest", 30, 1_000);
  add("middle", 30, 5_000);
  add("idle", 0, 0);
  assert.equal(ledger.total(), 120);
  ledger.enforce(10_000);
  assert.deepEqual(drops, [["oldest", "over_budget"]]);
  assert.equal(ledger.total(), 90);
  ledger.enforce(16_000);
  assert.deepEqual(drops.slice(1), [["middle", "stalled"]]);
  ledger.close();
});

Deno.test("a tracked answer to a client that never reads is dropped past the limit", async () => {
  const ledger = new UnsentAnswers(4 * MiB, 60_000);
  const done = Promise.withResolvers<void>();
  const big = new Uint8Array(64 * MiB).fill(0x61);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      trackedResponse(
        new Response(big, { headers: { "content-type": "text/plain" } }),
        ledger,
        () => done.resolve(),
      ),
  );
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    // The body is held here, not read; the socket's buffers fill, then the ledger drops it.
    await done.promise;
    let waited = 0;
    while (ledger.readers > 0 && waited < 100) {
      await new Promise((r) => setTimeout(r, 50));
      waited++;
    }
    assert.equal(ledger.readers, 0, "the answer was dropped");
    assert.equal(ledger.total(), 0);
    conn.close();
  } finally {
    ledger.close();
    await server.shutdown();
  }
});
