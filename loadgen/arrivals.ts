import type { Rng } from '../sim/clock/index.js';
import type { RateCurve } from './rateCurve.js';

/**
 * How many requests of each kind arrive in a tick. `poisson`: the count is a Poisson draw with
 * the curve's integral over the tick as its mean (an open model's arrivals, independent of
 * latency), split over the kinds by a multinomial draw (each kind is then its own Poisson
 * stream). `uniform`: no draws — the run's total after a tick is ⌊∫ rate⌋, so 20/s gives exactly
 * 20 a second and 0.2/s exactly one request every fifth second, split by `UniformSplit`.
 */
export class Arrivals {
  private emitted = 0;
  private readonly split: UniformSplit | undefined;

  constructor(
    private readonly curve: RateCurve,
    private readonly mode: 'poisson' | 'uniform',
    /** Integer weight of each kind (a single kind: `[1]`). */
    private readonly weights: readonly number[],
    private readonly rng: Rng,
  ) {
    this.split = mode === 'uniform' && weights.length > 1 ? new UniformSplit(weights) : undefined;
  }

  /** Counts per kind arriving in [fromMs, toMs) since the start (ticks must follow each other). */
  take(fromMs: number, toMs: number): number[] {
    let n: number;
    if (this.mode === 'uniform') {
      // ⌊·⌋ with a hair of slack: 5 ticks of 0.2/s add up to 0.9999999999999999.
      const total = Math.floor(this.curve.cumulative(toMs) + 1e-9);
      n = Math.max(0, total - this.emitted);
      this.emitted += n;
    } else {
      n = this.rng.poisson(this.curve.cumulative(toMs) - this.curve.cumulative(fromMs));
    }
    if (this.weights.length === 1) return [n];
    if (this.split) return this.split.take(n);
    return this.rng.multinomial(n, this.weights);
  }
}

/**
 * A deterministic split of successive counts by integer weights that stays exact over time:
 * after every tick, each kind has sent ⌊N·w_i/W⌋ or ⌈N·w_i/W⌉ of the N requests so far (never a
 * whole request off its share), and every tick's counts are non-negative and add up to the
 * tick's. It is earliest-deadline-first scheduling done a tick at a time: request j of kind i is
 * due by the (j·W/w_i)-th request overall; a tick first sends what falls due within it, then
 * gives each leftover request to the kind whose next one is due soonest (ties to the earlier
 * kind). Integer arithmetic throughout, so nothing drifts. Worked example, 80 %/20 % (weights
 * 4, 1) and one request a tick: A A A A B, again and again; three a tick: 3+0, 2+1, 3+0, 2+1,
 * 2+1 (12 and 3 of 15), again and again.
 */
export class UniformSplit {
  private readonly w: number[];
  private readonly total: number;
  /** Requests so far: N = a·W + b. */
  private a = 0;
  private b = 0;
  /** Requests each kind has sent. */
  private readonly sent: number[];

  constructor(weights: readonly number[]) {
    const g = weights.reduce((x, y) => gcd(x, y), 0) || 1;
    this.w = weights.map((x) => x / g);
    this.total = this.w.reduce((x, y) => x + y, 0);
    this.sent = this.w.map(() => 0);
  }

  take(n: number): number[] {
    const { w, total: W, sent } = this;
    const k = w.length;
    const out = new Array<number>(k).fill(0);
    if (n <= 0 || W <= 0) return out;
    const carry = this.b + n;
    this.a += Math.floor(carry / W);
    this.b = carry % W;
    const { a, b } = this;
    // Every product below stays under 2^53: b·w_i < W² ≤ 10^12, and the lags are within ±W.
    const lower = new Array<number>(k);
    const candidates: number[] = [];
    let left = n;
    for (let i = 0; i < k; i++) {
      const floor = a * w[i]! + Math.floor((b * w[i]!) / W);
      const ceil = floor + ((b * w[i]!) % W > 0 ? 1 : 0);
      lower[i] = Math.max(floor, sent[i]!);
      left -= lower[i]! - sent[i]!;
      if (lower[i]! < ceil) candidates.push(i);
    }
    if (left < 0 || left > candidates.length)
      throw new Error(`UniformSplit: ${left} requests left for ${candidates.length} kinds (a bug)`);
    if (left > 0) {
      // Request lower_i + 1 of kind i is due (W − d_i)/w_i requests from now, d_i its lag·W.
      const due = (i: number): number => W - ((a * w[i]! - lower[i]!) * W + b * w[i]!);
      candidates.sort((x, y) => due(x) * w[y]! - due(y) * w[x]! || x - y);
      for (let j = 0; j < left; j++) lower[candidates[j]!]!++;
    }
    for (let i = 0; i < k; i++) {
      out[i] = lower[i]! - sent[i]!;
      sent[i] = lower[i]!;
    }
    return out;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
