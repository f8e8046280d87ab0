import { cdf, meanMs, type LatencyModel } from '../app/index.js';

/** Latency statistics as reports and conditions read them, ms; null before any response. */
export interface LatencySummary {
  meanMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** Bins are 2 % wide in latency, from 1 µs to 10⁷ ms (≈ 2.8 h); beyond, the end bins. */
const LO_MS = 1e-3;
const RATIO = 1.02;
const LOG_RATIO = Math.log(RATIO);
const BINS = Math.ceil(Math.log(1e7 / LO_MS) / LOG_RATIO);
const EDGES = Float64Array.from({ length: BINS + 1 }, (_, b) => LO_MS * RATIO ** b);
/** A log-normal part is taken to lie within ±7 σ of its median (P outside ≈ 1e-12). */
const TAIL_Z = 7;
/** Models are binned as their nearest on a grid 0.5 % apart (σ: 0.005), far finer than a bin. */
const GRID = 0.005;

const binOf = (ms: number): number =>
  ms <= LO_MS ? 0 : Math.min(BINS - 1, Math.floor(Math.log(ms / LO_MS) / LOG_RATIO));

/** The exact ends of a model's support (±7 σ for a log-normal part). */
function support(m: LatencyModel): [number, number] {
  const shift = m.shiftMs ?? 0;
  const spread = m.medianMs > 0 ? Math.exp(TAIL_Z * m.sigma) : 1;
  const ln = m.medianMs > 0 ? m.medianMs : 0;
  return [Math.max(0, shift + ln / spread), shift + (m.widthMs ?? 0) + ln * spread];
}

/** A model's probability per bin, over the bins it reaches. */
interface BinMass {
  first: number;
  mass: Float64Array;
}

const byModel = new WeakMap<LatencyModel, BinMass>();
const byGrid = new Map<string, BinMass>();

/**
 * The bins of a model's nearest grid point: a latency that drifts every tick (a slow-down ramp,
 * a load-dependent app) costs a new set of bins only each 0.5 % it moves, not each tick.
 */
function binMass(m: LatencyModel): BinMass {
  const hit = byModel.get(m);
  if (hit) return hit;
  const snap = (x: number | undefined): number => (x && x > 0 ? Math.round(Math.log(x) / GRID) : -Infinity);
  const g = [snap(m.medianMs), Math.round(m.sigma / GRID), snap(m.shiftMs), snap(m.widthMs)] as const;
  const key = g.join('|');
  let bm = byGrid.get(key);
  if (!bm) {
    const q: LatencyModel = {
      medianMs: Math.exp(g[0] * GRID),
      sigma: g[1] * GRID,
      shiftMs: Math.exp(g[2] * GRID),
      widthMs: Math.exp(g[3] * GRID),
    };
    const [minMs, maxMs] = support(q);
    const first = binOf(minMs);
    const last = binOf(maxMs);
    const mass = new Float64Array(last - first + 1);
    let prev = 0;
    for (let b = first; b < last; b++) {
      const c = cdf(q, EDGES[b + 1]!);
      mass[b - first] = c - prev;
      prev = c;
    }
    mass[last - first] = 1 - prev;
    bm = { first, mass };
    if (byGrid.size >= 4096) byGrid.clear();
    byGrid.set(key, bm);
  }
  byModel.set(m, bm);
  return bm;
}

/**
 * The latency distribution of many responses, each batch known by its model (the mesh's
 * `clientLatency`) rather than by samples: the mean is exact (Σ count·mean / Σ count); the
 * percentiles come from the mixture of the models, folded into 2 %-wide bins and interpolated
 * within the bin (within a bin's 2 % of the mixture's true quantile — far closer for smooth
 * distributions — and exact for a single fixed latency, whose support bounds the result).
 * Nothing is drawn, so the statistics cost no randomness and are the same for every seed.
 * Adding a batch is a map increment; the bins are filled when statistics are read.
 */
export class LatencyStats {
  private count = 0;
  private sumMs = 0;
  private readonly pending = new Map<LatencyModel, number>();
  private bins: Float64Array | undefined;
  private lo = BINS;
  private hi = -1;
  private minMs = Infinity;
  private maxMs = -Infinity;
  private cached: LatencySummary | undefined;

  /** `count` responses whose latency follows `model`. */
  add(model: LatencyModel, count: number): void {
    if (!(count > 0)) return;
    this.count += count;
    this.sumMs += count * meanMs(model);
    this.pending.set(model, (this.pending.get(model) ?? 0) + count);
    this.cached = undefined;
    if (this.pending.size > 64) this.flush();
  }

  summary(): LatencySummary {
    if (this.cached) return this.cached;
    if (this.count === 0) return { meanMs: null, p50Ms: null, p90Ms: null, p95Ms: null, p99Ms: null };
    this.flush();
    const [p50Ms = null, p90Ms = null, p95Ms = null, p99Ms = null] = this.quantiles([0.5, 0.9, 0.95, 0.99]);
    const summary = { meanMs: this.sumMs / this.count, p50Ms, p90Ms, p95Ms, p99Ms };
    this.cached = summary;
    return summary;
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const bins = (this.bins ??= new Float64Array(BINS));
    for (const [model, count] of this.pending) {
      const { first, mass } = binMass(model);
      const [minMs, maxMs] = support(model);
      for (let j = 0; j < mass.length; j++) bins[first + j]! += count * mass[j]!;
      this.lo = Math.min(this.lo, first);
      this.hi = Math.max(this.hi, first + mass.length - 1);
      this.minMs = Math.min(this.minMs, minMs);
      this.maxMs = Math.max(this.maxMs, maxMs);
    }
    this.pending.clear();
  }

  /** Quantiles for ascending probabilities, in one pass over the bins in use. */
  private quantiles(ps: readonly number[]): number[] {
    const bins = this.bins!;
    let total = 0;
    for (let b = this.lo; b <= this.hi; b++) total += bins[b]!;
    const out: number[] = [];
    let cum = 0;
    let b = this.lo;
    for (const p of ps) {
      const target = p * total;
      while (b < this.hi && cum + bins[b]! < target) cum += bins[b++]!;
      const inBin = bins[b]!;
      const frac = inBin > 0 ? Math.min(1, Math.max(0, (target - cum) / inBin)) : 0;
      // Log-linear within the bin, then within the support the models can reach.
      const x = EDGES[b]! * RATIO ** frac;
      out.push(Math.min(this.maxMs, Math.max(this.minMs, x)));
    }
    return out;
  }
}
