import { describe, expect, it } from 'vitest';
import { rateCurve } from '../../loadgen/rateCurve.js';
import type { TrafficRate } from '../../loadgen/TrafficSpec.js';

const MIDNIGHT = Date.UTC(2024, 10, 11);
const HOUR = 3_600_000;

/** ∫ rate over [a, b) by the midpoint rule in `step` ms steps — the reference for the closed forms. */
function numeric(rate: TrafficRate, startMs: number, a: number, b: number, step = 100): number {
  const c = rateCurve(rate, startMs);
  let sum = 0;
  for (let t = a; t < b; t += step) {
    const w = Math.min(step, b - t);
    sum += (c.rateAt(t + w / 2) * w) / 1000;
  }
  return sum;
}

describe('rateCurve', () => {
  it('integrates a constant rate', () => {
    const c = rateCurve({ kind: 'constant', perSecond: 20 }, MIDNIGHT);
    expect([c.cumulative(0), c.cumulative(500), c.cumulative(10_000), c.cumulative(HOUR)]).toEqual([
      0, 10, 200, 72_000,
    ]);
    expect(c.rateAt(123_456)).toBe(20);
  });

  it('integrates a ramp, then holds its target', () => {
    const c = rateCurve({ kind: 'ramp', fromPerSecond: 0, toPerSecond: 10, overMs: 60_000 }, MIDNIGHT);
    expect(c.cumulative(30_000)).toBe(75); // ½ · 30 s · 5/s
    expect(c.cumulative(60_000)).toBe(300);
    expect(c.cumulative(70_000)).toBe(400);
    expect([c.rateAt(0), c.rateAt(30_000), c.rateAt(60_000), c.rateAt(1e9)]).toEqual([0, 5, 10, 10]);
    const down = rateCurve({ kind: 'ramp', fromPerSecond: 100, toPerSecond: 20, overMs: 10_000 }, MIDNIGHT);
    expect(down.cumulative(10_000)).toBe(600);
  });

  it('integrates a schedule: held steps, ramps to the next point, the last point held', () => {
    const rate: TrafficRate = {
      kind: 'schedule',
      points: [
        { atMs: 0, perSecond: 5, ramp: false },
        { atMs: 10_000, perSecond: 50, ramp: true },
        { atMs: 20_000, perSecond: 0, ramp: false },
        { atMs: 30_000, perSecond: 2, ramp: true },
      ],
    };
    const c = rateCurve(rate, MIDNIGHT);
    expect(c.cumulative(10_000)).toBe(50);
    expect(c.cumulative(15_000)).toBe(50 + 187.5); // 50 → 25 over 5 s
    expect(c.cumulative(20_000)).toBe(300);
    expect(c.cumulative(30_000)).toBe(300);
    expect(c.cumulative(40_000)).toBe(320);
    expect([c.rateAt(9_999), c.rateAt(10_000), c.rateAt(15_000), c.rateAt(25_000)]).toEqual([5, 50, 25, 0]);
    for (const [a, b] of [
      [0, 40_000],
      [12_345, 27_890],
    ] as const)
      expect(c.cumulative(b) - c.cumulative(a)).toBeCloseTo(numeric(rate, MIDNIGHT, a, b, 5), 6);
  });

  it('integrates the daily curve in closed form, on the UTC time of day', () => {
    const rate: TrafficRate = { kind: 'daily', minPerSecond: 2, maxPerSecond: 40, peakAtMs: 14 * HOUR };
    const c = rateCurve(rate, MIDNIGHT);
    expect(c.rateAt(14 * HOUR)).toBe(40);
    expect(c.rateAt(2 * HOUR)).toBeCloseTo(2, 12);
    expect(c.rateAt(8 * HOUR)).toBeCloseTo(21, 12);
    expect(c.cumulative(24 * HOUR)).toBeCloseTo(21 * 86_400, 6);
    expect(c.cumulative(7 * 24 * HOUR)).toBeCloseTo(7 * 21 * 86_400, 5);
    for (const [a, b] of [
      [13 * HOUR, 15 * HOUR],
      [0, 5 * HOUR + 1234],
      [20 * HOUR, 27 * HOUR],
    ] as const)
      expect(c.cumulative(b) - c.cumulative(a)).toBeCloseTo(numeric(rate, MIDNIGHT, a, b), 3);
    // Started at 14:00 the curve begins at its peak.
    const late = rateCurve(rate, MIDNIGHT + 14 * HOUR);
    expect(late.rateAt(0)).toBe(40);
    expect(late.cumulative(HOUR)).toBeCloseTo(numeric(rate, MIDNIGHT + 14 * HOUR, 0, HOUR), 3);
  });

  it('is 0 before the start', () => {
    const c = rateCurve({ kind: 'constant', perSecond: 20 }, MIDNIGHT);
    expect([c.cumulative(-1000), c.rateAt(-1)]).toEqual([0, 0]);
  });
});
