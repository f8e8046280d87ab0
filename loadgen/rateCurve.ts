import type { TrafficRate } from './TrafficSpec.js';

/** An arrival rate over time since a load started, and its integral (the expected arrivals). */
export interface RateCurve {
  /** Requests per second at `elapsedMs` after the start. */
  rateAt(elapsedMs: number): number;
  /** Expected arrivals in [0, elapsedMs): ∫ rate, in requests. */
  cumulative(elapsedMs: number): number;
}

const DAY_MS = 86_400_000;

/**
 * The curve of a traffic's rate, started at `startMs` (epoch ms: only the daily curve reads the
 * clock's time of day). Every integral is in closed form, so a tick's expected arrivals are the
 * same whatever the tick length, and a run's total is exact:
 *
 * - constant, ramp and schedule are piecewise linear — a segment from a to b ms at rates r₀ → r₁
 *   holds (b − a)/1000 · (r₀ + r₁)/2 requests (20/s held for 10 s: 200; 0 → 10/s over 60 s: 300);
 * - daily is min + (max − min)·(1 + cos θ)/2 with θ = 2π·(t − peak)/24 h, whose integral is
 *   min·Δ + (max − min)/2·(Δ + 24 h/2π·(sin θ₁ − sin θ₀)) (2/s to 40/s over a whole day: 21/s on
 *   average, 1,814,400 requests).
 */
export function rateCurve(rate: TrafficRate, startMs: number): RateCurve {
  switch (rate.kind) {
    case 'constant':
      return piecewise([{ atMs: 0, perSecond: rate.perSecond, ramp: false }]);
    case 'ramp':
      return piecewise([
        { atMs: 0, perSecond: rate.fromPerSecond, ramp: true },
        { atMs: rate.overMs, perSecond: rate.toPerSecond, ramp: false },
      ]);
    case 'schedule':
      return piecewise(rate.points);
    case 'daily':
      return daily(rate.minPerSecond, rate.maxPerSecond, rate.peakAtMs, startMs);
  }
}

function piecewise(points: readonly { atMs: number; perSecond: number; ramp: boolean }[]): RateCurve {
  const n = points.length;
  const at = new Float64Array(n);
  const r0 = new Float64Array(n);
  const r1 = new Float64Array(n);
  const end = new Float64Array(n);
  const cum = new Float64Array(n);
  points.forEach((p, i) => {
    const next = points[i + 1];
    at[i] = p.atMs;
    r0[i] = p.perSecond;
    r1[i] = p.ramp && next ? next.perSecond : p.perSecond;
    end[i] = next ? next.atMs : Infinity;
  });
  for (let i = 1; i < n; i++)
    cum[i] = cum[i - 1]! + ((end[i - 1]! - at[i - 1]!) / 1000) * ((r0[i - 1]! + r1[i - 1]!) / 2);
  /** The last segment starting at or before `e` (the first for e < 0). */
  const segment = (e: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid]! <= e) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const rateIn = (i: number, e: number): number =>
    r0[i] === r1[i] ? r0[i]! : r0[i]! + ((r1[i]! - r0[i]!) * (e - at[i]!)) / (end[i]! - at[i]!);
  return {
    rateAt(e) {
      return e < 0 ? 0 : rateIn(segment(e), e);
    },
    cumulative(e) {
      if (e <= 0) return 0;
      const i = segment(e);
      return cum[i]! + ((e - at[i]!) / 1000) * ((r0[i]! + rateIn(i, e)) / 2);
    },
  };
}

function daily(min: number, max: number, peakAtMs: number, startMs: number): RateCurve {
  const half = (max - min) / 2;
  // Reduced modulo a day before the trigonometry, so epoch-sized times lose no precision.
  const theta = (e: number): number => {
    const t = (((startMs + e - peakAtMs) % DAY_MS) + DAY_MS) % DAY_MS;
    return (2 * Math.PI * t) / DAY_MS;
  };
  const sin0 = Math.sin(theta(0));
  const k = DAY_MS / 1000 / (2 * Math.PI);
  return {
    rateAt(e) {
      return e < 0 ? 0 : min + half * (1 + Math.cos(theta(e)));
    },
    cumulative(e) {
      if (e <= 0) return 0;
      const v = (e / 1000) * (min + half) + half * k * (Math.sin(theta(e)) - sin0);
      return v > 0 ? v : 0;
    },
  };
}
