/**
 * A latency distribution: log-normal with the given median and shape, in milliseconds. Chosen
 * because request latencies are right-skewed and never negative; the parameters are calibrated so
 * that hey's default 50 workers through the ingress gateway reach about 6,000 requests/s, in the
 * range of the blog's cloud setup.
 */
export interface LatencyModel {
  /** Median, ms. */
  medianMs: number;
  /** Standard deviation of ln(latency). */
  sigma: number;
}

/** Mean of a log-normal latency, ms. */
export function meanMs(m: LatencyModel): number {
  return m.medianMs * Math.exp((m.sigma * m.sigma) / 2);
}

/** P(latency ≤ x ms). */
export function cdf(m: LatencyModel, xMs: number): number {
  if (xMs <= 0) return 0;
  if (!Number.isFinite(xMs)) return 1;
  return 0.5 * (1 + erf(Math.log(xMs / m.medianMs) / (m.sigma * Math.SQRT2)));
}

/** Latency ms at a standard-normal deviate z. */
export function quantileAt(m: LatencyModel, z: number): number {
  return m.medianMs * Math.exp(m.sigma * z);
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
 * The latency of several hops in a row, approximated as one log-normal with the same mean and
 * variance (Fenton–Wilkinson), so bucket probabilities stay closed-form.
 */
export function sumOf(models: readonly LatencyModel[]): LatencyModel {
  let mean = 0;
  let variance = 0;
  for (const m of models) {
    const s2 = m.sigma * m.sigma;
    const mu = Math.log(m.medianMs);
    mean += Math.exp(mu + s2 / 2);
    variance += (Math.exp(s2) - 1) * Math.exp(2 * mu + s2);
  }
  const s2 = Math.log(1 + variance / (mean * mean));
  return { medianMs: mean / Math.exp(s2 / 2), sigma: Math.sqrt(s2) };
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
