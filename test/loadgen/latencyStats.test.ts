import { describe, expect, it } from 'vitest';
import { fromPercentiles, sumOf, uniformLatency, fixedLatency, cdf } from '../../app/index.js';
import { LatencyStats } from '../../loadgen/latencyStats.js';

const rel = (a: number | null, b: number) => Math.abs(a! / b - 1);

describe('LatencyStats', () => {
  it('reads a log-normal fitted to p50/p99 back within 2 %', () => {
    const s = new LatencyStats();
    s.add(fromPercentiles(40, 400), 1000);
    const l = s.summary();
    expect(rel(l.p50Ms, 40)).toBeLessThan(0.02);
    expect(rel(l.p99Ms, 400)).toBeLessThan(0.02);
  });

  it('is exact for a single fixed latency, and for the mean', () => {
    const s = new LatencyStats();
    s.add(fixedLatency(2000), 5);
    expect(s.summary()).toEqual({ meanMs: 2000, p50Ms: 2000, p90Ms: 2000, p95Ms: 2000, p99Ms: 2000 });
  });

  it('reads a uniform latency (podinfo --random-delay) within 2 %', () => {
    const s = new LatencyStats();
    s.add(uniformLatency(0, 5000), 10);
    const l = s.summary();
    expect(l.meanMs).toBe(2500);
    expect(rel(l.p50Ms, 2500)).toBeLessThan(0.02);
    expect(rel(l.p99Ms, 4950)).toBeLessThan(0.02);
  });

  it("weighs a mixture of models by their counts: the mixture's cdf at each percentile", () => {
    const fast = sumOf([
      { medianMs: 5, sigma: 0.25 },
      { medianMs: 1.2, sigma: 0.35 },
    ]);
    const slow = { medianMs: 300, sigma: 0.4, shiftMs: 50 };
    const s = new LatencyStats();
    for (let i = 0; i < 100; i++) {
      s.add(fast, 95);
      s.add(slow, 5);
    }
    const l = s.summary();
    const mix = (x: number) => 0.95 * cdf(fast, x) + 0.05 * cdf(slow, x);
    for (const [p, q] of [
      [0.5, l.p50Ms],
      [0.9, l.p90Ms],
      [0.99, l.p99Ms],
    ] as const) {
      expect(mix(q! * 0.99)).toBeLessThan(p + 1e-9);
      expect(mix(q! * 1.01)).toBeGreaterThan(p - 1e-9);
    }
  });

  it('caps its memory when every batch brings a new model (a slow-down ramp)', () => {
    const s = new LatencyStats();
    for (let i = 0; i < 2000; i++) s.add({ medianMs: 10 + i / 100, sigma: 0.3 }, 10);
    const l = s.summary();
    expect(l.p50Ms).toBeGreaterThan(10);
    expect(l.p50Ms).toBeLessThan(30);
    expect(l.meanMs).toBeCloseTo(19.995 * Math.exp(0.045), 9);
  });
});
