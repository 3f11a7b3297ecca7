import assert from "node:assert/strict";
import { ClientCache, type EvictReason } from "../../src/auth/client_cache.ts";
import { tokenKey } from "../../src/auth/identity.ts";

function fakeClock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

async function setup(ttlMs: number, max: number) {
  const clock = fakeClock();
  const counts = { hit: 0, miss: 0, expired: 0, lru: 0, size: 0, created: [] as string[] };
  const cache = await ClientCache.create({
    ttlMs,
    max,
    clock,
    create: (token) => {
      counts.created.push(token);
      return { token };
    },
    observer: {
      hit: () => counts.hit++,
      miss: () => counts.miss++,
      evicted: (r: EvictReason) => counts[r]++,
      size: (n) => counts.size = n,
    },
  });
  return { clock, counts, cache };
}

Deno.test("ClientCache: a hit returns the same value; misses create one per token", async () => {
  const { cache, counts } = await setup(60_000, 10);
  const a = await cache.get("token-a");
  assert.equal(await cache.get("token-a"), a);
  assert.notEqual(await cache.get("token-b"), a);
  assert.deepEqual([counts.hit, counts.miss, counts.size], [1, 2, 2]);
});

Deno.test("ClientCache: entries expire after the TTL unused, on access and by the sweep", async () => {
  const { cache, counts, clock } = await setup(1_000, 10);
  await cache.get("a");
  await cache.get("b");
  clock.advance(600);
  await cache.get("a"); // used: its TTL starts again
  clock.advance(600); // b is now 1.2 s unused, a 0.6 s
  cache.sweep();
  assert.equal(cache.size, 1);
  assert.equal(counts.expired, 1);
  assert.equal(counts.size, 1);
  clock.advance(1_001); // a expires too; dropped when asked for, and created anew
  await cache.get("a");
  assert.equal(counts.expired, 2);
  assert.deepEqual(counts.created, ["a", "b", "a"]);
  assert.equal(counts.lru, 0);
});

Deno.test("ClientCache: at the bound the least recently used goes first", async () => {
  const { cache, counts } = await setup(60_000, 3);
  for (const t of ["a", "b", "c"]) await cache.get(t);
  await cache.get("a"); // order of use now: b, c, a
  await cache.get("d"); // evicts b
  assert.equal(counts.lru, 1);
  await cache.get("c");
  await cache.get("a");
  assert.deepEqual(counts.created, ["a", "b", "c", "d"], "c and a are still cached");
  await cache.get("b"); // b was evicted: created again, evicting d (least recent)
  assert.deepEqual(counts.created, ["a", "b", "c", "d", "b"]);
  await cache.get("d");
  assert.equal(counts.created.at(-1), "d", "d had been evicted");
  assert.equal(counts.expired, 0);
});

Deno.test("ClientCache: 1,000 distinct tokens never pass the bound", async () => {
  const { cache, counts, clock } = await setup(60_000, 100);
  let largest = 0;
  for (let i = 0; i < 1_000; i++) {
    await cache.get(`token-${i}`);
    largest = Math.max(largest, cache.size);
    clock.advance(1);
  }
  assert.equal(largest, 100);
  assert.equal(counts.lru, 900);
  assert.equal(counts.miss, 1_000);
  clock.advance(60_001);
  cache.sweep();
  assert.deepEqual([cache.size, counts.expired, counts.size], [0, 100, 0]);
});

Deno.test("tokenKey() is the SHA-256 hex of the token, never the token", async () => {
  const key = await tokenKey("secret-token");
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(key, "930bbdc51b6aed5c2a5678fd6e28dee7a05e8a4b643cfc0b4427c3efb86c0d94");
  assert.equal(key, await tokenKey("secret-token"));
  assert.ok(!key.includes("secret"));
});
