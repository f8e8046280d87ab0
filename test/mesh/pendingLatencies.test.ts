import { describe, expect, it } from 'vitest';
import { fixedLatency as fixed, fromPercentiles } from '../../app/index.js';
import { Rng } from '../../sim/clock/index.js';
import { ENVOY_DEFAULT_BUCKETS } from '../../sim/mesh/envoyBuckets.js';
import { drawLatencies, PendingLatencies } from '../../sim/mesh/latencySample.js';

const bounds = ENVOY_DEFAULT_BUCKETS;
const bucketOf = (ms: number) => {
  let b = 0;
  while (b < bounds.length && ms > bounds[b]!) b++;
  return b;
};

describe('PendingLatencies (latencies drawn when the histogram is read)', () => {
  it('counts every request once, across models and measured latencies, and empties on drain', () => {
    const p = new PendingLatencies(bounds);
    const slow = fromPercentiles(20, 200);
    const fast = fixed(3);
    for (let i = 0; i < 50; i++) p.add({ count: 7, model: slow });
    p.add({ count: 11, model: fast });
    p.add({ count: 1, measuredMs: 42 });
    p.add({ count: 1, measuredMs: 0.2 });
    expect(p.count).toBe(50 * 7 + 11 + 2);
    const d = p.drain(new Rng(1));
    expect(d.count).toBe(363);
    expect(d.buckets.reduce((a, b) => a + b, 0)).toBe(363);
    // The fixed 3 ms model lands in (1, 5]; the measured ones in their own buckets.
    expect(d.buckets[bucketOf(3)]).toBeGreaterThanOrEqual(11);
    expect(d.buckets[bucketOf(0.2)]).toBeGreaterThanOrEqual(1);
    expect(p.count).toBe(0);
    const empty = p.drain(new Rng(1));
    expect(empty).toEqual({ count: 0, buckets: new Array(bounds.length + 1).fill(0), sumMs: 0 });
  });

  it('draws batches of one model as one: the same distribution as drawing each batch', () => {
    // 200 scrapes' worth of 40 batches of 30 requests: bucket shares within binomial bounds of
    // the per-batch draws' (both are multinomials of the same probabilities).
    const model = fromPercentiles(20, 200);
    const lazy = new Array<number>(bounds.length + 1).fill(0);
    const eager = new Array<number>(bounds.length + 1).fill(0);
    const rngA = new Rng('a');
    const rngB = new Rng('b');
    let sumLazy = 0;
    let sumEager = 0;
    for (let s = 0; s < 200; s++) {
      const p = new PendingLatencies(bounds);
      for (let b = 0; b < 40; b++) {
        p.add({ count: 30, model });
        const d = drawLatencies(model, bounds, 30, rngB);
        d.buckets.forEach((c, i) => (eager[i]! += c));
        sumEager += d.sumMs;
      }
      const d = p.drain(rngA);
      d.buckets.forEach((c, i) => (lazy[i]! += c));
      sumLazy += d.sumMs;
    }
    const n = 200 * 40 * 30;
    for (let i = 0; i < lazy.length; i++) {
      const pa = lazy[i]! / n;
      const pb = eager[i]! / n;
      const sd = Math.sqrt((Math.max(pa, pb, 1 / n) * 2) / n);
      expect(Math.abs(pa - pb)).toBeLessThan(5 * sd);
    }
    expect(sumLazy / n).toBeCloseTo(sumEager / n, 0);
  });
});
