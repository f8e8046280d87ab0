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

/** Latencies to record: `count` requests drawn from a model, or one request measured (live mode), in ms. */
export type Latencies = { count: number; model: LatencyModel } | { count: 1; measuredMs: number };

/**
 * Requests waiting to be reduced to histogram buckets until someone reads the histogram (a
 * scrape). Batches from the same latency model are summed first and drawn as one: the bucket
 * counts of n + m requests are one multinomial of n + m, exactly the sum of the two draws, so a
 * series scraped every 15 s costs one draw per model per scrape, however many ticks fed it.
 * Measured latencies (live mode) are bucketed as they come.
 */
export class PendingLatencies {
  count = 0;
  /** The first model added since the last drain and its count (most series see one model). */
  private model: LatencyModel | undefined;
  private modelCount = 0;
  /** Any other models, in the order first added. */
  private readonly byModel = new Map<LatencyModel, number>();
  private readonly measured: number[];
  private measuredSum = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.measured = new Array<number>(bounds.length + 1).fill(0);
  }

  add(l: Latencies): void {
    this.count += l.count;
    if ('model' in l) {
      if (this.model === undefined || this.model === l.model) {
        this.model = l.model;
        this.modelCount += l.count;
      } else this.byModel.set(l.model, (this.byModel.get(l.model) ?? 0) + l.count);
      return;
    }
    let b = 0;
    while (b < this.bounds.length && l.measuredMs > this.bounds[b]!) b++;
    this.measured[b]!++;
    this.measuredSum += l.measuredMs;
  }

  /** Everything added so far as one draw (models in the order first added); empties this. */
  drain(rng: Rng): LatencyDraw {
    const buckets = this.measured.slice();
    let sumMs = this.measuredSum;
    const add = (model: LatencyModel, n: number) => {
      const d = drawLatencies(model, this.bounds, n, rng);
      for (let i = 0; i < buckets.length; i++) buckets[i]! += d.buckets[i]!;
      sumMs += d.sumMs;
    };
    if (this.model !== undefined) add(this.model, this.modelCount);
    for (const [model, n] of this.byModel) add(model, n);
    const out = { count: this.count, buckets, sumMs };
    this.count = 0;
    this.model = undefined;
    this.modelCount = 0;
    this.byModel.clear();
    this.measured.fill(0);
    this.measuredSum = 0;
    return out;
  }
}
