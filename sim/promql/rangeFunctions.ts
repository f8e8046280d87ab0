import { invalidQuantile } from './annotations.js';
import { kahanInc } from './kahan.js';
import { quantile } from './quantile.js';

/*
 * Functions over a range-vector window, ported from Prometheus's `promql/functions.go`. A kernel
 * sees one series' samples in the window `(rangeStart, rangeEnd]` as typed-array indexes
 * `[lo, hi)` (stale markers already removed, at least one sample) and returns the output value or
 * undefined for "no output". No per-sample objects are created.
 */

/** The samples of one series inside one window. */
export interface Window {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly lo: number;
  readonly hi: number;
}

/** Where and when the window is evaluated, plus the scalar arguments at this step. */
export interface RangeCall {
  /** Window bounds in ms: `(rangeStartMs, rangeEndMs]`. */
  rangeStartMs: number;
  rangeEndMs: number;
  /** The selector's range in ms. */
  rangeMs: number;
  /** The step's evaluation time in ms. */
  evalMs: number;
  /** Values of the non-matrix (scalar) arguments at this step, in argument order. */
  params: number[];
  /** Records a warning about the first scalar argument (e.g. an invalid φ). */
  warnParam(text: string): void;
}

/** A range-vector function body. */
export type RangeKernel = (w: Window, c: RangeCall) => number | undefined;

/**
 * `rate`, `increase`, `delta`: the change over the window, extrapolated towards the window edges.
 * Counter resets (rate/increase) add the pre-reset value. Extrapolation reaches an edge when the
 * first/last sample is within 1.1 average intervals of it, else half an interval; a counter is
 * never extrapolated below zero. `rate` divides by the range (not the covered interval).
 *
 * Example: 100,160,220,280 at 1m…4m (samples every 60s), `increase(x[5m])` at 4m… as in
 * promql-semantics §4: result 180, toStart 30s (half an interval), toEnd 0 → 180·210/180 = 210.
 */
function extrapolatedRate(w: Window, c: RangeCall, isCounter: boolean, isRate: boolean): number | undefined {
  const { ts, vs, lo, hi } = w;
  const n = hi - lo;
  if (n < 2) return undefined;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  const firstV = vs[lo]!;
  let result = vs[hi - 1]! - firstV;
  if (isCounter) {
    let prev = firstV;
    for (let i = lo + 1; i < hi; i++) {
      const cur = vs[i]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  let durationToStart = (firstT - c.rangeStartMs) / 1000;
  let durationToEnd = (c.rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avg = sampledInterval / (n - 1);
  const threshold = avg * 1.1;
  if (durationToStart >= threshold) durationToStart = avg / 2;
  if (isCounter) {
    let durationToZero = durationToStart;
    if (result > 0 && firstV >= 0) durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= c.rangeMs / 1000;
  return result * factor;
}

/** `irate`/`idelta`: from the last two samples only; irate treats a drop as a counter reset. */
function instantValue(w: Window, isRate: boolean): number | undefined {
  const { ts, vs, hi } = w;
  if (hi - w.lo < 2) return undefined;
  const prevT = ts[hi - 2]!;
  const lastT = ts[hi - 1]!;
  const prev = vs[hi - 2]!;
  const last = vs[hi - 1]!;
  const interval = lastT - prevT;
  if (interval === 0) return undefined;
  let result = last;
  if (!isRate || !(last < prev)) result = last - prev;
  if (isRate) result /= interval / 1000;
  return result;
}

/*
 * The sums below inline `kahanInc` in their per-sample loops (no tuple per sample); the
 * arithmetic is the same.
 */

/** Compensated mean, switching to an incremental mean only if the running sum would overflow. */
function avgOverTime(w: Window): number {
  const { vs, lo, hi } = w;
  let sum = vs[lo]!;
  let count = 1;
  let mean = 0;
  let kahanC = 0;
  let incremental = false;
  for (let i = lo + 1; i < hi; i++) {
    const f = vs[i]!;
    count = i - lo + 1;
    if (!incremental) {
      const t = sum + f;
      if (t !== Infinity && t !== -Infinity) {
        kahanC += Math.abs(sum) >= Math.abs(f) ? sum - t + f : f - t + sum;
        sum = t;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      kahanC /= count - 1;
    }
    const q = (count - 1) / count;
    const inc = f / count;
    const s = q * mean;
    let c = q * kahanC;
    const t = s + inc;
    if (t === Infinity || t === -Infinity) c = 0;
    else c += Math.abs(s) >= Math.abs(inc) ? s - t + inc : inc - t + s;
    mean = t;
    kahanC = c;
  }
  if (incremental) return mean + kahanC;
  return sum / count + kahanC / count;
}

function sumOverTime(w: Window): number {
  const { vs, lo, hi } = w;
  let sum = 0;
  let c = 0;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    const t = sum + f;
    if (t === Infinity || t === -Infinity) c = 0;
    else c += Math.abs(sum) >= Math.abs(f) ? sum - t + f : f - t + sum;
    sum = t;
  }
  if (sum === Infinity || sum === -Infinity) return sum;
  return sum + c;
}

/** Population variance with a compensated Welford update. */
function varianceOverTime(w: Window): number {
  const { vs, lo, hi } = w;
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    count++;
    const delta = f - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (f - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** max/min keeping NaN only while nothing else was seen (Prometheus's compareOverTime). */
function extremeOverTime(w: Window, wantMax: boolean): number {
  const { vs, lo, hi } = w;
  let best = vs[lo]!;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    if ((wantMax ? f > best : f < best) || best !== best) best = f;
  }
  return best;
}

/** Least-squares slope and intercept (at `interceptMs`) over the window, compensated sums. */
function linearRegression(w: Window, interceptMs: number): [number, number] {
  const { ts, vs, lo, hi } = w;
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = vs[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n++;
    const x = (ts[i]! - interceptMs) / 1000;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

/** The range-vector functions canarysim evaluates, by name. */
export const RANGE_KERNELS: ReadonlyMap<string, RangeKernel> = new Map<string, RangeKernel>([
  ['rate', (w, c) => extrapolatedRate(w, c, true, true)],
  ['increase', (w, c) => extrapolatedRate(w, c, true, false)],
  ['delta', (w, c) => extrapolatedRate(w, c, false, false)],
  ['irate', (w) => instantValue(w, true)],
  ['idelta', (w) => instantValue(w, false)],
  ['avg_over_time', avgOverTime],
  ['sum_over_time', sumOverTime],
  ['count_over_time', (w) => w.hi - w.lo],
  ['min_over_time', (w) => extremeOverTime(w, false)],
  ['max_over_time', (w) => extremeOverTime(w, true)],
  ['stdvar_over_time', varianceOverTime],
  ['stddev_over_time', (w) => Math.sqrt(varianceOverTime(w))],
  ['last_over_time', (w) => w.vs[w.hi - 1]!],
  ['first_over_time', (w) => w.vs[w.lo]!],
  ['present_over_time', () => 1],
  ['absent_over_time', () => 1],
  [
    'quantile_over_time',
    (w, c) => {
      const q = c.params[0]!;
      if (Number.isNaN(q) || q < 0 || q > 1) c.warnParam(invalidQuantile(q));
      return quantile(q, Array.from(w.vs.subarray(w.lo, w.hi)));
    },
  ],
  [
    'changes',
    (w) => {
      let changes = 0;
      for (let i = w.lo + 1; i < w.hi; i++) {
        const prev = w.vs[i - 1]!;
        const cur = w.vs[i]!;
        if (cur !== prev && !(cur !== cur && prev !== prev)) changes++;
      }
      return changes;
    },
  ],
  [
    'resets',
    (w) => {
      let resets = 0;
      for (let i = w.lo + 1; i < w.hi; i++) if (w.vs[i]! < w.vs[i - 1]!) resets++;
      return resets;
    },
  ],
  ['deriv', (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w, w.ts[w.lo]!)[0])],
  [
    'predict_linear',
    (w, c) => {
      if (w.hi - w.lo < 2) return undefined;
      const [slope, intercept] = linearRegression(w, c.evalMs);
      return slope * c.params[0]! + intercept;
    },
  ],
]);
