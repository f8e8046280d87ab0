/**
 * The sample-size advisor (issue 12): how many requests one measurement's query window holds at
 * a traffic rate, and whether that is enough for a proportion threshold to mean anything. Pure
 * functions with plain inputs, shared by `lint` and `sweep` (through checkSampleSize).
 *
 * The statistics: a window of n requests at a true error rate e gives an observed error rate
 * whose standard deviation is √(e(1−e)/n) (binomial). At 95 % confidence (two-sided, z = 1.96)
 * an observed rate tells error rates apart from the threshold's e₀ only when they differ by at
 * least the half-width of its interval,
 *
 *   δ(n) = z·√(e₀(1−e₀)/n)
 *
 * and never by less than one request, 1/n. The window can tell a faultless version from one
 * failing at the threshold only when δ(n) < e₀, i.e. from
 *
 *   n* = ⌈z²(1−e₀)/e₀⌉ requests   (e₀ = 1 %: 381; 5 %: 73; 0.1 %: 3,838)
 *
 *   success ≥ 0.99 on 40 requests: e₀ 1 %, δ = 1.96·√(0.0099/40) = 3.08 % ≥ 1 % → too few (needs 381)
 *   success ≥ 0.95 on 120 requests: e₀ 5 %, δ = 1.96·√(0.0475/120) = 3.90 % < 5 % → enough
 */

/** z of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** What one measurement's query sees. */
export interface SampleSizeInput {
  /** Requests per second the service receives (`--rps`, or the scenario's traffic). */
  rps: number;
  /** The share of them the query counts, in [0, 1]: the canary's weight when it selects the canary. */
  share: number;
  /** Seconds of requests one measurement's answer rests on (see queryWindow). */
  windowSeconds: number;
  /** The error rate the threshold allows, e₀ in (0, 1): 0.05 for `result[0] >= 0.95`. */
  errorThreshold: number;
}

export interface SampleSizeAdvice {
  /** Requests in the window: rps × share × window. */
  requests: number;
  /** δ(n): the smallest error-rate difference from e₀ the window resolves at 95 %; Infinity for no requests. */
  resolution: number;
  /** δ(n) < e₀: a faultless version can be told from one failing at the threshold. */
  enough: boolean;
  /** n*: the fewest requests for which it can. */
  minRequests: number;
  /** The rate that puts n* requests in this window (same share). */
  minRps: number;
  /** The window that holds n* requests at this rate (same share); Infinity with no traffic. */
  minWindowSeconds: number;
}

/** δ(n) = max(z·√(e₀(1−e₀)/n), 1/n); Infinity for n = 0. */
export function resolution(errorThreshold: number, requests: number, z = Z95): number {
  if (!(requests > 0)) return Infinity;
  return Math.max(z * Math.sqrt((errorThreshold * (1 - errorThreshold)) / requests), 1 / requests);
}

/** n* = ⌈z²(1−e₀)/e₀⌉: the fewest requests with δ(n) < e₀ (one more where the bound is met exactly). */
export function minRequests(errorThreshold: number, z = Z95): number {
  const n = Math.ceil((z * z * (1 - errorThreshold)) / errorThreshold);
  return resolution(errorThreshold, n, z) < errorThreshold ? n : n + 1;
}

/** The advice for one measurement window; see the module comment for the statistics. */
export function adviseSampleSize(input: SampleSizeInput): SampleSizeAdvice {
  const requests = input.rps * input.share * input.windowSeconds;
  const res = resolution(input.errorThreshold, requests);
  const need = minRequests(input.errorThreshold);
  const perSecond = input.share * input.windowSeconds;
  return {
    requests,
    resolution: res,
    enough: res < input.errorThreshold,
    minRequests: need,
    minRps: perSecond > 0 ? need / perSecond : Infinity,
    minWindowSeconds: input.rps * input.share > 0 ? need / (input.rps * input.share) : Infinity,
  };
}
