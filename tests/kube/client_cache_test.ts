import assert from "node:assert/strict";
import { ClientCache, type EvictReason, tokenKey } from "../../src/kube/client_cache.ts";

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
  const a = cache.get("token-a");
  assert.equal(cache.get("token-a"), a);
  assert.notEqual(cache.get("token-b"), a);
  assert.deepEqual([counts.hit, counts.miss, counts.size], [1, 2, 2]);
});

Deno.test("ClientCache: entries expire after the TTL unused, on access and by the sweep", async () => {
  const { cache, counts, clock } = await setup(1_000, 10);
  cache.get("a");
  cache.get("b");
  clock.advance(600);
  cache.get("a"); // used: its TTL starts again
  clock.advance(600); // b is now 1.2 s unused, a 0.6 s
  cache.sweep();
  assert.equal(cache.size, 1);
  assert.equal(counts.expired, 1);
  assert.equal(counts.size, 1);
  clock.advance(1_001); // a expires too; dropped when asked for, and created anew
  cache.get("a");
  assert.equal(counts.expired, 2);
  assert.deepEqual(counts.created, ["a", "b", "a"]);
  assert.equal(counts.lru, 0);
});

Deno.test("ClientCache: at the bound the least recently used goes first", async () => {
  const { cache, counts } = await setup(60_000, 3);
  for (const t of ["a", "b", "c"]) cache.get(t);
  cache.get("a"); // order of use now: b, c, a
  cache.get("d"); // evicts b
  assert.equal(counts.lru, 1);
  cache.get("c");
  cache.get("a");
  assert.deepEqual(counts.created, ["a", "b", "c", "d"], "c and a are still cached");
  cache.get("b"); // b was evicted: created again, evicting d (least recent)
  assert.deepEqual(counts.created, ["a", "b", "c", "d", "b"]);
  cache.get("d");
  assert.equal(counts.created.at(-1), "d", "d had been evicted");
  assert.equal(counts.expired, 0);
});

Deno.test("ClientCache: 1,000 distinct tokens never pass the bound", async () => {
  const { cache, counts, clock } = await setup(60_000, 100);
  let largest = 0;
  for (let i = 0; i < 1_000; i++) {
    cache.get(`token-${i}`);
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

Deno.test("tokenKey() is the SHA-256 hex of the token, never the token", () => {
  const key = tokenKey("secret-token");
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(key, tokenKey("secret-token"));
  assert.ok(!key.includes("secret"));
});
