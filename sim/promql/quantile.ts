/*
 * Quantiles: φ-quantile of a sample set (for `quantile` and `quantile_over_time`) and of classic
 * histogram buckets (for `histogram_quantile`), ported from Prometheus's `promql/quantile.go`.
 */

/**
 * The φ-quantile of `values` (sorted in place, NaN first as the smallest value), linearly
 * interpolated between ranks: rank = φ·(n−1). NaN for no values or φ = NaN; −Inf for φ < 0;
 * +Inf for φ > 1.
 *
 * Example: φ = 0.8 over [0, 1, 4] → rank 1.6 → 1 + 0.6·(4 − 1) = 2.8.
 */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort(nanFirst);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}

/** Ascending with NaN first (Prometheus's `vectorByValueHeap` order). */
function nanFirst(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : -1;
  if (b !== b) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One classic histogram bucket: its `le` bound and cumulative count. */
export interface Bucket {
  upperBound: number;
  count: number;
}

/** Result of `bucketQuantile`, with what had to be corrected in the buckets. */
export interface BucketQuantileResult {
  value: number;
  forcedMonotonic: boolean;
  /** Lowest and highest bound where a count had to be raised, and the biggest raise. */
  minBucket: number;
  maxBucket: number;
  maxDiff: number;
}

/**
 * The φ-quantile of classic buckets (sorted here), interpolating linearly inside the bucket that
 * holds rank φ·total; 0 is the lower edge of the first bucket when its bound is positive.
 * NaN when the top bucket is not +Inf, fewer than 2 buckets remain, or the total is 0. When the
 * rank falls into the +Inf bucket the second-highest bound is returned.
 *
 * Example: le=0.1:10, 0.5:20, +Inf:30 and φ = 0.5 → rank 15 in (0.1, 0.5] → 0.1 + 0.4·5/10 = 0.3.
 */
export function bucketQuantile(q: number, buckets: Bucket[]): BucketQuantileResult {
  const none = (value: number): BucketQuantileResult => ({
    value,
    forcedMonotonic: false,
    minBucket: 0,
    maxBucket: 0,
    maxDiff: 0,
  });
  if (Number.isNaN(q)) return none(NaN);
  if (q < 0) return none(-Infinity);
  if (q > 1) return none(Infinity);
  buckets.sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  if (buckets[buckets.length - 1]!.upperBound !== Infinity) return none(NaN);
  const bs = coalesce(buckets);
  correctPrecisionErrors(bs, 1e-12);
  const mono = ensureMonotonic(bs);
  if (bs.length < 2) return none(NaN);
  const total = bs[bs.length - 1]!.count;
  if (total === 0) return none(NaN);
  let rank = q * total;
  // First bucket (below +Inf) whose count reaches the rank.
  let b = 0;
  while (b < bs.length - 1 && !(bs[b]!.count >= rank)) b++;
  const result = (value: number): BucketQuantileResult => ({ value, ...mono });
  if (b === bs.length - 1) return result(bs[bs.length - 2]!.upperBound);
  if (b === 0 && bs[0]!.upperBound <= 0) return result(bs[0]!.upperBound);
  let start = 0;
  const end = bs[b]!.upperBound;
  let count = bs[b]!.count;
  if (b > 0) {
    start = bs[b - 1]!.upperBound;
    count -= bs[b - 1]!.count;
    rank -= bs[b - 1]!.count;
  }
  return result(start + (end - start) * (rank / count));
}

/** Merges buckets with equal bounds (e.g. le="0.1" and le="1e-1") by adding counts. */
function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else out.push({ upperBound: b.upperBound, count: b.count });
  }
  return out;
}

/** Flattens relative differences within `tolerance` (float noise), walking upwards. */
function correctPrecisionErrors(bs: Bucket[], tolerance: number): void {
  let prev = bs[0]!.count;
  for (let i = 1; i < bs.length; i++) {
    const curr = bs[i]!.count;
    const delta = Math.abs(curr - prev);
    if (delta === 0) continue;
    if (delta / curr <= tolerance) bs[i]!.count = prev;
    else prev = curr;
  }
}

/** Raises any count below the running maximum to it; reports what changed. */
function ensureMonotonic(bs: Bucket[]): {
  forcedMonotonic: boolean;
  minBucket: number;
  maxBucket: number;
  maxDiff: number;
} {
  let forced = false;
  let minBucket = Infinity;
  let maxBucket = -Infinity;
  let maxDiff = 0;
  let max = bs[0]!.count;
  for (let i = 1; i < bs.length; i++) {
    const b = bs[i]!;
    if (b.count > max) max = b.count;
    else if (b.count < max) {
      maxDiff = Math.max(maxDiff, max - b.count);
      minBucket = Math.min(minBucket, b.upperBound);
      maxBucket = Math.max(maxBucket, b.upperBound);
      b.count = max;
      forced = true;
    }
  }
  return { forcedMonotonic: forced, minBucket, maxBucket, maxDiff };
}
