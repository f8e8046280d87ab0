import { cdf, hasWidth, meanMs, sampleAt, varianceMs, type LatencyModel } from '../../app/index.js';
import type { Rng } from '../clock/index.js';

/** Counts per bucket (bounds + a final +Inf overflow) and the exact or modelled sum, for `count` requests. */
export interface LatencyDraw {
  count: number;
  /** Non-cumulative counts, one per bound plus one overflow. */
  buckets: number[];
  sumMs: number;
}

const probCache = new WeakMap<LatencyModel, Map<readonly number[], number[]>>();

/** P(bucket i) for each bound of `bounds` plus the overflow, for a latency model. */
export function bucketProbabilities(model: LatencyModel, bounds: readonly number[]): number[] {
  let byBounds = probCache.get(model);
  if (!byBounds) probCache.set(model, (byBounds = new Map()));
  let probs = byBounds.get(bounds);
  if (!probs) {
    probs = [];
    let prev = 0;
    // Buckets below 1e-12 are dropped: at a million requests a second they would see one
    // request every eleven days of simulated time, and each costs a binomial draw per batch.
    for (const b of bounds) {
      const c = cdf(model, b);
      const p = c - prev;
      probs.push(p > 1e-12 ? p : 0);
      prev = c;
    }
    probs.push(1 - prev > 1e-12 ? 1 - prev : 0);
    byBounds.set(bounds, probs);
  }
  return probs;
}

function sdMs(m: LatencyModel): number {
  return Math.sqrt(varianceMs(m));
}

/**
 * Latencies of `count` requests drawn from `model`, reduced to histogram buckets. Small batches
 * draw each latency; large ones draw the bucket counts as one multinomial and the sum from its
 * normal approximation, so a million requests cost as much as one.
 */
export function drawLatencies(
  model: LatencyModel,
  bounds: readonly number[],
  count: number,
  rng: Rng,
): LatencyDraw {
  const buckets = new Array<number>(bounds.length + 1).fill(0);
  if (count <= 0) return { count: 0, buckets, sumMs: 0 };
  if (count <= 32) {
    let sum = 0;
    const uniform = hasWidth(model);
    for (let i = 0; i < count; i++) {
      const z = rng.normal();
      const v = sampleAt(model, z, uniform ? rng.next() : 0);
      sum += v;
      let b = 0;
      while (b < bounds.length && v > bounds[b]!) b++;
      buckets[b]!++;
    }
    return { count, buckets, sumMs: sum };
  }
  const counts = rng.multinomial(count, bucketProbabilities(model, bounds));
  const sum = count * meanMs(model) + Math.sqrt(count) * sdMs(model) * rng.normal();
  return { count, buckets: counts, sumMs: Math.max(sum, 0) };
}
