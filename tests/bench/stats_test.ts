// Unit tests of the bench's statistics (scripts/bench/stats.ts).

import assert from "node:assert/strict";
import { percentile, ratio, summarize, throughput } from "../../scripts/bench/stats.ts";

Deno.test("percentile() interpolates between the nearest ranks", () => {
  const xs = [10, 20, 30, 40, 50];
  assert.equal(percentile(xs, 0), 10);
  assert.equal(percentile(xs, 0.5), 30);
  assert.equal(percentile(xs, 1), 50);
  assert.equal(percentile(xs, 0.1), 14);
  assert.equal(percentile([1, 2], 0.5), 1.5);
  assert.equal(percentile([7], 0.99), 7);
});

Deno.test("percentile() does not depend on the order of the samples", () => {
  assert.equal(percentile([5, 1, 4, 2, 3], 0.5), 3);
  assert.equal(percentile([3, 1, 2], 0.9), percentile([1, 2, 3], 0.9));
});

Deno.test("percentile() refuses no samples and quantiles outside 0..1", () => {
  assert.throws(() => percentile([], 0.5), RangeError);
  assert.throws(() => percentile([1], 1.5), RangeError);
  assert.throws(() => percentile([1], NaN), RangeError);
});

Deno.test("summarize() gives median, spread, p99 and mean, and keeps the input intact", () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
  const copy = [...xs];
  const s = summarize(xs);
  assert.deepEqual(xs, copy);
  assert.equal(s.n, 100);
  assert.equal(s.min, 1);
  assert.equal(s.max, 100);
  assert.equal(s.median, 50.5);
  assert.ok(Math.abs(s.p10 - 10.9) < 1e-9);
  assert.ok(Math.abs(s.p90 - 90.1) < 1e-9);
  assert.ok(Math.abs(s.p99 - 99.01) < 1e-9);
  assert.equal(s.mean, 50.5);
  assert.throws(() => summarize([]), RangeError);
});

Deno.test("summarize() handles many samples (no spread of arguments)", () => {
  const s = summarize(Array.from({ length: 300_000 }, (_, i) => i));
  assert.equal(s.min, 0);
  assert.equal(s.max, 299_999);
});

Deno.test("ratio() is ours ÷ reference, null when a side is missing or zero", () => {
  assert.equal(ratio(50, 100), 0.5);
  assert.equal(ratio(300, 100), 3);
  assert.equal(ratio(1, null), null);
  assert.equal(ratio(undefined, 1), null);
  assert.equal(ratio(1, 0), null);
  assert.equal(ratio(NaN, 1), null);
});

Deno.test("throughput() is calls per second of wall time", () => {
  assert.equal(throughput(5000, 10_000), 500);
  assert.equal(throughput(10, 0), 0);
});
