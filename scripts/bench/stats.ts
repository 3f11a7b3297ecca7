// Pure statistics over samples: percentiles (linear interpolation, like numpy's default), a
// summary with median and spread, and the ours ÷ reference ratio.

export interface Summary {
  n: number;
  min: number;
  p10: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The q-quantile (0..1) of samples, interpolating between the two nearest ranks. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError("percentile of no samples");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is not within 0..1`);
  const sorted = [...samples].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summary of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    min: sorted[0]!,
    p10: percentile(samples, 0.1),
    median: percentile(samples, 0.5),
    p90: percentile(samples, 0.9),
    p99: percentile(samples, 0.99),
    max: sorted[sorted.length - 1]!,
    mean: sum / samples.length,
  };
}

/** ours ÷ reference, or null when either side is missing or the reference is zero. */
export function ratio(
  ours: number | null | undefined,
  reference: number | null | undefined,
): number | null {
  if (ours == null || reference == null || !Number.isFinite(ours) || !Number.isFinite(reference)) {
    return null;
  }
  if (reference === 0) return null;
  return ours / reference;
}

/** Calls per second for `calls` finished in `wallMs`. */
export function throughput(calls: number, wallMs: number): number {
  return wallMs > 0 ? (calls * 1000) / wallMs : 0;
}
