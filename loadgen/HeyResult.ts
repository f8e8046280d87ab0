/**
 * What a hey run measured, as plain data that survives JSON: filled one request at a time in
 * live mode, or in bulk in virtual mode ("k requests answered 200 in about 1.2 ms"), and read
 * by the pure printers. Durations are milliseconds; latencies are kept in a fine histogram
 * rather than one number per request, so a simulated `-z 60m` at thousands of requests per
 * second stays small.
 *
 * It keeps hey's accounting (requester/report.go), quirks included:
 * - errors (transport failures) count towards Requests/sec but not towards latencies,
 *   status codes or bytes;
 * - only the first 1,000,000 responses feed the histogram, percentiles, fastest/slowest and
 *   the Details min/max, while averages are sums over *all* responses divided by that capped
 *   count (so long runs show inflated averages, as hey does).
 */
export interface HeyResult {
  /** Wall time from start to the last response (hey's `Total`), ms. */
  totalMs: number;
  /** Every result, errors included: the numerator of Requests/sec. */
  results: number;
  /** Results that got an HTTP response, whatever its status. */
  responses: number;
  /** Responses kept for distributions: min(responses, 1,000,000). */
  sampled: number;
  /** [status code, count], ascending by code. */
  statusCodes: Array<[number, number]>;
  /** [error message, count], in Go's string order (bytewise UTF-8). */
  errors: Array<[string, number]>;
  /** Sum of positive Content-Length headers over all responses, bytes. */
  totalBytes: number;
  latency: {
    /** Sum over all responses, ms (the Average numerator). */
    sumMs: number;
    /** Exact extremes of the sampled responses, ms; 0 when there are none. */
    fastestMs: number;
    slowestMs: number;
    /** Sampled responses per fine bin: [bin key, count], ascending. See `latencyBin`. */
    bins: Array<[number, number]>;
  };
  /** The Details section, one entry per phase of hey's httptrace. */
  phases: Record<HeyPhase, PhaseSummary>;
}

/** DNS+dialup, DNS-lookup, req write, resp wait, resp read. */
export type HeyPhase = 'conn' | 'dns' | 'reqWrite' | 'respWait' | 'respRead';

export const HEY_PHASES: readonly HeyPhase[] = ['conn', 'dns', 'reqWrite', 'respWait', 'respRead'];

export interface PhaseSummary {
  /** Sum over all responses, ms. */
  sumMs: number;
  /** Extremes over the sampled responses, ms; 0 when there are none. */
  minMs: number;
  maxMs: number;
}

/** Per-phase durations of one request, ms; a phase left out took 0 (e.g. a reused connection). */
export type HeyPhaseTimes = Partial<Record<HeyPhase, number>>;

/** One finished request: either a response or a transport error (hey's `result`). */
export type HeyRequestResult =
  | { error: string }
  | { statusCode: number; durationMs: number; contentLength?: number; phases?: HeyPhaseTimes };

/** `count` responses with the same status, duration, size and phase times (virtual mode). */
export interface HeyBulkResult {
  count: number;
  statusCode: number;
  durationMs: number;
  /** Content-Length of each response; 0 or absent adds nothing, as in hey. */
  contentLength?: number;
  phases?: HeyPhaseTimes;
}

export interface HeyAccumulator {
  addOne(result: HeyRequestResult): void;
  addBulk(result: HeyBulkResult): void;
  /** `count` transport errors with the same message. */
  addErrors(message: string, count: number): void;
  /** The result of a run that lasted `totalMs`; the accumulator can keep going afterwards. */
  finish(totalMs: number): HeyResult;
}

/** hey keeps latency samples for the first million responses only. */
export const HEY_MAX_SAMPLES = 1_000_000;

/**
 * Fine bin of a latency: the integer key is the bin's lower bound in microseconds. Below one
 * second bins are 1 µs wide; above, they keep six significant digits (10 µs up to 10 s,
 * 100 µs up to 100 s…), a relative width of at most 1e-5. Printed at hey's 4 decimals of a
 * second, a bin's middle is off by at most half a bin — 0.5 µs below one second — so only a
 * latency within that distance of a rounding boundary can print one digit differently.
 */
export function latencyBin(ms: number): number {
  const us = Math.max(0, Math.floor(ms * 1000));
  const width = binWidthUs(us);
  return Math.floor(us / width) * width;
}

/** The middle of a fine bin, ms: the value that stands for every latency in it. */
export function latencyBinMidMs(bin: number): number {
  return (bin + binWidthUs(bin) / 2) / 1000;
}

function binWidthUs(us: number): number {
  const digits = String(Math.floor(us)).length;
  return digits <= 6 ? 1 : 10 ** (digits - 6);
}

/** A fresh accumulator for one hey run. */
export function createHeyAccumulator(): HeyAccumulator {
  let results = 0;
  let responses = 0;
  let sampled = 0;
  let totalBytes = 0;
  let sumMs = 0;
  let fastestMs = Infinity;
  let slowestMs = -Infinity;
  const bins = new Map<number, number>();
  const statusCodes = new Map<number, number>();
  const errors = new Map<string, number>();
  const phases = new Map<HeyPhase, { sumMs: number; minMs: number; maxMs: number }>(
    HEY_PHASES.map((p) => [p, { sumMs: 0, minMs: Infinity, maxMs: -Infinity }]),
  );

  const addResponses = (b: HeyBulkResult): void => {
    if (!(b.count > 0)) return;
    results += b.count;
    responses += b.count;
    statusCodes.set(b.statusCode, (statusCodes.get(b.statusCode) ?? 0) + b.count);
    if ((b.contentLength ?? 0) > 0) totalBytes += (b.contentLength ?? 0) * b.count;
    sumMs += b.durationMs * b.count;
    const kept = Math.min(b.count, HEY_MAX_SAMPLES - sampled);
    for (const p of HEY_PHASES) {
      const v = b.phases?.[p] ?? 0;
      const s = phases.get(p);
      if (!s) continue;
      s.sumMs += v * b.count;
      if (kept > 0) {
        s.minMs = Math.min(s.minMs, v);
        s.maxMs = Math.max(s.maxMs, v);
      }
    }
    if (kept <= 0) return;
    sampled += kept;
    fastestMs = Math.min(fastestMs, b.durationMs);
    slowestMs = Math.max(slowestMs, b.durationMs);
    const bin = latencyBin(b.durationMs);
    bins.set(bin, (bins.get(bin) ?? 0) + kept);
  };

  const addErrors = (message: string, count: number): void => {
    if (!(count > 0)) return;
    results += count;
    errors.set(message, (errors.get(message) ?? 0) + count);
  };

  return {
    addOne(r) {
      if ('error' in r) addErrors(r.error, 1);
      else addResponses({ ...r, count: 1 });
    },
    addBulk: addResponses,
    addErrors,
    finish(totalMs) {
      const finite = (v: number): number => (Number.isFinite(v) ? v : 0);
      return {
        totalMs,
        results,
        responses,
        sampled,
        statusCodes: [...statusCodes].sort((a, b) => a[0] - b[0]),
        errors: [...errors].sort((a, b) => compareGoStrings(a[0], b[0])),
        totalBytes,
        latency: {
          sumMs,
          fastestMs: finite(fastestMs),
          slowestMs: finite(slowestMs),
          bins: [...bins].sort((a, b) => a[0] - b[0]),
        },
        phases: Object.fromEntries(
          HEY_PHASES.map((p) => {
            const s = phases.get(p) ?? { sumMs: 0, minMs: 0, maxMs: 0 };
            return [p, { sumMs: s.sumMs, minMs: finite(s.minMs), maxMs: finite(s.maxMs) }];
          }),
        ) as Record<HeyPhase, PhaseSummary>,
      };
    },
  };
}

/** Go compares strings bytewise in UTF-8, which is code-point order (not JS's UTF-16 order). */
function compareGoStrings(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const cb = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = (ca[i] ?? 0) - (cb[i] ?? 0);
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}
