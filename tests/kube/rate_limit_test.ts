import assert from "node:assert/strict";
import {
  InFlight,
  isDiscovery,
  type LimiterClock,
  RateLimits,
  RateLimitTimeout,
  TokenBucket,
} from "../../src/kube/rate_limit.ts";

/** A clock whose sleeps end when time is advanced past them. */
function fakeClock() {
  let t = 0;
  const sleepers: { until: number; resolve: () => void }[] = [];
  const clock: LimiterClock & { advance(ms: number): Promise<void> } = {
    now: () => t,
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        sleepers.push({ until: t + ms, resolve });
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
    async advance(ms) {
      t += ms;
      for (const s of sleepers.filter((s) => s.until <= t)) s.resolve();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
  return clock;
}

Deno.test("TokenBucket: a burst passes at once, then one token per 1/QPS seconds", async () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(10, 3, clock);
  const never = new AbortController().signal;
  const waits = await Promise.all([1, 2, 3].map(() => bucket.take(never)));
  assert.deepEqual(waits, [0, 0, 0]);
  const done: number[] = [];
  const pending = [4, 5].map((n) => bucket.take(never).then((w) => done.push(n) && w));
  await clock.advance(99);
  assert.deepEqual(done, []);
  await clock.advance(1);
  assert.deepEqual(done, [4]);
  await clock.advance(100);
  assert.deepEqual(await Promise.all(pending), [100, 200]);
});

Deno.test("TokenBucket: QPS 0 never waits", async () => {
  const bucket = new TokenBucket(0, 1, fakeClock());
  const never = new AbortController().signal;
  for (let i = 0; i < 100; i++) assert.equal(await bucket.take(never), 0);
});

Deno.test("TokenBucket: a cancelled waiter gives its token back", async () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(10, 1, clock);
  const never = new AbortController().signal;
  await bucket.take(never);
  const ac = new AbortController();
  const cancelled = bucket.take(ac.signal);
  ac.abort(new DOMException("t", "TimeoutError"));
  await assert.rejects(cancelled);
  // Only the first token is spent: the next caller waits one interval, not two.
  const next = bucket.take(never);
  await clock.advance(100);
  assert.equal(await next, 100);
});

Deno.test("InFlight: at most max at once, the rest in order", async () => {
  const slots = new InFlight(2);
  const never = new AbortController().signal;
  const r1 = await slots.acquire(never);
  const r2 = await slots.acquire(never);
  const order: number[] = [];
  const w3 = slots.acquire(never).then((r) => (order.push(3), r));
  const w4 = slots.acquire(never).then((r) => (order.push(4), r));
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(slots.active, 2);
  assert.deepEqual(order, []);
  r1();
  r1(); // a second release of the same slot is ignored
  const r3 = await w3;
  assert.deepEqual(order, [3]);
  r2();
  (await w4)();
  r3();
  assert.equal(slots.active, 0);
});

Deno.test("RateLimits: a wait past the request timeout is a clear error, not a hang", async () => {
  const limits = new RateLimits({ qps: 1, burst: 1, maxInFlight: 10 });
  const waits: string[] = [];
  limits.onWait = (_s, kind) => waits.push(kind);
  (await limits.admit("https://api", AbortSignal.timeout(1000)))();
  await assert.rejects(
    limits.admit("https://api", AbortSignal.timeout(50)),
    (e) =>
      e instanceof RateLimitTimeout && /rate limit toward https:\/\/api/.test(e.message) &&
      /--qps 1, --burst 1/.test(e.message) && /raise --qps/.test(e.message),
  );
  // Another API server has its own bucket.
  (await limits.admit("https://other", AbortSignal.timeout(1000)))();
  assert.deepEqual(waits, []);
});

Deno.test("RateLimits: in-flight waits are reported and bounded by the signal too", async () => {
  const limits = new RateLimits({ qps: 0, burst: 1, maxInFlight: 1 });
  const waits: string[] = [];
  limits.onWait = (_s, kind) => waits.push(kind);
  const release = await limits.admit("https://api", AbortSignal.timeout(1000));
  await assert.rejects(limits.admit("https://api", AbortSignal.timeout(30)), RateLimitTimeout);
  const next = limits.admit("https://api", AbortSignal.timeout(1000));
  setTimeout(release, 20);
  (await next)();
  assert.deepEqual(waits, ["in_flight"]);
});

Deno.test("RateLimits: discovery skips the bucket, as kubectl's discovery burst does", async () => {
  const limits = new RateLimits({ qps: 1, burst: 1, maxInFlight: 10 });
  (await limits.admit("https://api", AbortSignal.timeout(1000), "/api/v1/pods"))();
  for (const path of ["/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1"]) {
    assert.ok(isDiscovery(path), path);
    (await limits.admit("https://api", AbortSignal.timeout(50), path))();
  }
  for (const path of ["/api/v1/pods", "/apis/apps/v1/deployments", "/version"]) {
    assert.ok(!isDiscovery(path), path);
  }
  await assert.rejects(
    limits.admit("https://api", AbortSignal.timeout(50), "/api/v1/namespaces"),
    RateLimitTimeout,
  );
});
