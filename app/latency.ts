/**
 * A latency distribution, in milliseconds: X = L + shift + U, where L is log-normal with the given
 * median and shape (absent when `medianMs` is 0), `shift` a constant and U uniform on [0, width].
 * Log-normal because request latencies are right-skewed and never negative; the constant and the
 * uniform part let the same type say "fixed 2 s" (rollouts-demo's slow images) and "uniform 0–5 s"
 * (podinfo's --random-delay) exactly, and stay closed under adding the mesh's log-normal hops.
 * The mesh's default parameters are calibrated so that hey's default 50 workers through the
 * ingress gateway reach about 6,000 requests/s, in the range of the blog's cloud setup.
 */
export interface LatencyModel {
  /** Median of the log-normal part, ms; 0: no log-normal part. */
  medianMs: number;
  /** Standard deviation of ln(latency) of the log-normal part. */
  sigma: number;
  /** A constant added, ms (default 0). */
  shiftMs?: number;
  /** Width of a uniform part added, ms (default 0). */
  widthMs?: number;
}

/** The standard normal deviate of the 99th percentile. */
export const Z99 = 2.3263478740408408;

/** A log-normal through a median and a 99th percentile (p99 ≥ p50 > 0), ms. */
export function fromPercentiles(p50Ms: number, p99Ms: number): LatencyModel {
  return { medianMs: p50Ms, sigma: Math.log(p99Ms / p50Ms) / Z99 };
}

/** Exactly `ms` every time. */
export function fixedLatency(ms: number): LatencyModel {
  return { medianMs: 0, sigma: 0, shiftMs: ms };
}

/** Uniform between `minMs` and `maxMs`. */
export function uniformLatency(minMs: number, maxMs: number): LatencyModel {
  return { medianMs: 0, sigma: 0, shiftMs: minMs, widthMs: maxMs - minMs };
}

const shiftOf = (m: LatencyModel) => m.shiftMs ?? 0;
const widthOf = (m: LatencyModel) => m.widthMs ?? 0;

/** Mean, ms. */
export function meanMs(m: LatencyModel): number {
  const ln = m.medianMs > 0 ? m.medianMs * Math.exp((m.sigma * m.sigma) / 2) : 0;
  return ln + shiftOf(m) + widthOf(m) / 2;
}

/** Variance, ms². */
export function varianceMs(m: LatencyModel): number {
  const s2 = m.sigma * m.sigma;
  const ln = m.medianMs > 0 ? (Math.exp(s2) - 1) * Math.exp(2 * Math.log(m.medianMs) + s2) : 0;
  const w = widthOf(m);
  return ln + (w * w) / 12;
}

/** P(L ≤ t) of the log-normal part alone (a point mass at 0 when there is none). */
function lnCdf(m: LatencyModel, t: number): number {
  if (t < 0) return 0;
  if (m.medianMs <= 0) return 1;
  if (t === 0) return 0;
  if (!Number.isFinite(t)) return 1;
  if (m.sigma <= 0) return t >= m.medianMs ? 1 : 0;
  return 0.5 * (1 + erf(Math.log(t / m.medianMs) / (m.sigma * Math.SQRT2)));
}

/** ∫₀ᵗ P(L ≤ s) ds of the log-normal part, in closed form (E[(t − L)⁺]). */
function lnCdfIntegral(m: LatencyModel, t: number): number {
  if (t <= 0) return 0;
  if (m.medianMs <= 0) return t;
  if (m.sigma <= 0) return Math.max(0, t - m.medianMs);
  const z = Math.log(t / m.medianMs) / m.sigma;
  const phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
  return t * phi(z) - m.medianMs * Math.exp((m.sigma * m.sigma) / 2) * phi(z - m.sigma);
}

/** P(latency ≤ x ms). */
export function cdf(m: LatencyModel, xMs: number): number {
  if (!Number.isFinite(xMs)) return xMs > 0 ? 1 : 0;
  const t = xMs - shiftOf(m);
  const w = widthOf(m);
  if (w <= 0) return lnCdf(m, t);
  const p = (lnCdfIntegral(m, t) - lnCdfIntegral(m, t - w)) / w;
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** The log-normal part's latency at a standard-normal deviate z, ms (0 without one). */
export function quantileAt(m: LatencyModel, z: number): number {
  return m.medianMs > 0 ? m.medianMs * Math.exp(m.sigma * z) : 0;
}

/**
 * One latency: the log-normal part at deviate `z`, plus the constant, plus the uniform part at
 * `u` ∈ [0, 1) (callers draw `u` only when the model has a width, so pure log-normals consume
 * the same random numbers as before the uniform part existed).
 */
export function sampleAt(m: LatencyModel, z: number, u = 0): number {
  return quantileAt(m, z) + shiftOf(m) + widthOf(m) * u;
}

/** Whether sampling needs a uniform draw besides the normal one. */
export function hasWidth(m: LatencyModel): boolean {
  return widthOf(m) > 0;
}

/** The same shape, every part multiplied by `f` (a saturated server, a ramp's slow-down). */
export function scaleLatency(m: LatencyModel, f: number): LatencyModel {
  if (f === 1) return m;
  return { medianMs: m.medianMs * f, sigma: m.sigma, shiftMs: shiftOf(m) * f, widthMs: widthOf(m) * f };
}

/** Each parameter `f` of the way from `a` to `b` (a ramp from one behaviour to another). */
export function lerpLatency(a: LatencyModel, b: LatencyModel, f: number): LatencyModel {
  if (f <= 0) return a;
  if (f >= 1) return b;
  const mix = (x: number, y: number) => x + (y - x) * f;
  // A log-normal part that appears or vanishes keeps the other side's shape meanwhile.
  const sigma = a.medianMs <= 0 ? b.sigma : b.medianMs <= 0 ? a.sigma : mix(a.sigma, b.sigma);
  return {
    medianMs: mix(a.medianMs, b.medianMs),
    sigma,
    shiftMs: mix(shiftOf(a), shiftOf(b)),
    widthMs: mix(widthOf(a), widthOf(b)),
  };
}

// Abramowitz–Stegun 7.1.26 is too coarse for tail buckets; use a series/continued-fraction erf.
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series, converges fast for |x| < 2.5.
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return sign * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // Continued fraction for erfc.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return sign * (1 - erfc);
}

/** The mesh's hops, each a latency model; the defaults model a small cloud cluster. */
export interface HopLatencies {
  /** Client ↔ ingress gateway network round trip (outside the mesh's own measurement). */
  client: LatencyModel;
  /** Gateway proxy processing plus the hop to the pod. */
  gateway: LatencyModel;
  /** The pod's sidecar. */
  sidecar: LatencyModel;
  /** The app's own handler. */
  app: LatencyModel;
}

export const DEFAULT_HOPS: HopLatencies = {
  client: { medianMs: 5, sigma: 0.25 },
  gateway: { medianMs: 1.2, sigma: 0.35 },
  sidecar: { medianMs: 0.45, sigma: 0.3 },
  app: { medianMs: 0.25, sigma: 0.5 },
};

/**
 * The latency of several hops in a row. Log-normal parts are approximated as one log-normal with
 * the same mean and variance (Fenton–Wilkinson), so bucket probabilities stay closed-form;
 * constants add; uniform parts add exactly while there is one, and are matched in mean and
 * variance when there are several.
 */
export function sumOf(models: readonly LatencyModel[]): LatencyModel {
  let mean = 0;
  let variance = 0;
  let shift = 0;
  let w2 = 0;
  let wSum = 0;
  let widths = 0;
  for (const m of models) {
    shift += shiftOf(m);
    const w = widthOf(m);
    if (w > 0) {
      widths++;
      wSum += w;
      w2 += w * w;
    }
    if (m.medianMs <= 0) continue;
    const s2 = m.sigma * m.sigma;
    const mu = Math.log(m.medianMs);
    mean += Math.exp(mu + s2 / 2);
    variance += (Math.exp(s2) - 1) * Math.exp(2 * mu + s2);
  }
  let out: LatencyModel;
  if (mean > 0) {
    const s2 = Math.log(1 + variance / (mean * mean));
    out = { medianMs: mean / Math.exp(s2 / 2), sigma: Math.sqrt(s2) };
  } else out = { medianMs: 0, sigma: 0 };
  if (widths > 1) {
    const w = Math.sqrt(w2);
    shift += (wSum - w) / 2;
    wSum = w;
  }
  if (shift !== 0) out.shiftMs = shift;
  if (wSum > 0) out.widthMs = wSum;
  return out;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
