import { describe, expect, it } from 'vitest';
import {
  cdf,
  fixedLatency,
  fromPercentiles,
  lerpLatency,
  meanMs,
  sampleAt,
  scaleLatency,
  sumOf,
  uniformLatency,
  varianceMs,
  type LatencyModel,
} from '../../app/index.js';
import { Rng } from '../../sim/clock/index.js';

/** The q-quantile of a model, by bisection on its CDF. */
function quantile(m: LatencyModel, q: number): number {
  let lo = 0;
  let hi = 1e7;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(m, mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('latency models', () => {
  it('a log-normal through p50 and p99 has exactly those percentiles', () => {
    for (const [p50, p99] of [
      [20, 200],
      [5, 25],
      [100, 101],
      [0.5, 3000],
    ] as const) {
      const m = fromPercentiles(p50, p99);
      expect(cdf(m, p50)).toBeCloseTo(0.5, 9);
      expect(cdf(m, p99)).toBeCloseTo(0.99, 7);
    }
  });

  it('fixed: all the mass at one value', () => {
    const m = fixedLatency(2000);
    expect(cdf(m, 1999.999)).toBe(0);
    expect(cdf(m, 2000)).toBe(1);
    expect(meanMs(m)).toBe(2000);
    expect(varianceMs(m)).toBe(0);
    expect(sampleAt(m, 3, 0.7)).toBe(2000);
  });

  it('uniform: linear CDF between min and max, mean and variance of a uniform', () => {
    const m = uniformLatency(10, 50);
    expect(cdf(m, 10)).toBe(0);
    expect(cdf(m, 20)).toBeCloseTo(0.25, 12);
    expect(cdf(m, 30)).toBeCloseTo(0.5, 12);
    expect(cdf(m, 50)).toBe(1);
    expect(meanMs(m)).toBe(30);
    expect(varianceMs(m)).toBeCloseTo((40 * 40) / 12, 9);
    expect(sampleAt(m, -1, 0.25)).toBe(20);
  });

  it('the mesh hops plus a fixed app latency: the hops shifted by the constant', () => {
    const hop = { medianMs: 1.2, sigma: 0.35 };
    const total = sumOf([hop, fixedLatency(2000)]);
    for (const x of [2000.5, 2001, 2001.2, 2002, 2005])
      expect(cdf(total, x)).toBeCloseTo(cdf(hop, x - 2000), 12);
  });

  it('a log-normal plus a uniform: the CDF is the closed-form convolution (checked by sampling)', () => {
    const m = sumOf([{ medianMs: 1, sigma: 0.5 }, uniformLatency(0, 100)]);
    const rng = new Rng(3);
    const n = 200_000;
    const xs = Array.from({ length: n }, () => sampleAt(m, rng.normal(), rng.next()));
    for (const x of [10, 50, 90, 100.5]) {
      const empirical = xs.filter((v) => v <= x).length / n;
      expect(Math.abs(empirical - cdf(m, x))).toBeLessThan(5 * Math.sqrt(0.25 / n));
    }
  });

  it('sums keep the mean exactly; pure log-normals sum as before (Fenton–Wilkinson)', () => {
    const a = fromPercentiles(20, 200);
    const b = uniformLatency(5, 15);
    const c = fixedLatency(3);
    expect(meanMs(sumOf([a, b, c]))).toBeCloseTo(meanMs(a) + meanMs(b) + meanMs(c), 9);
    const s = sumOf([
      { medianMs: 5, sigma: 0.25 },
      { medianMs: 1.2, sigma: 0.35 },
    ]);
    expect(Object.keys(s).sort()).toEqual(['medianMs', 'sigma']);
  });

  it('scaling multiplies every quantile; a ramp moves parameters linearly', () => {
    const m = fromPercentiles(20, 200);
    const s = scaleLatency(m, 2);
    expect(quantile(s, 0.5)).toBeCloseTo(40, 6);
    expect(quantile(s, 0.99)).toBeCloseTo(400, 4);
    const half = lerpLatency(fixedLatency(100), fixedLatency(300), 0.5);
    expect(cdf(half, 199.999)).toBe(0);
    expect(cdf(half, 200)).toBe(1);
  });
});
