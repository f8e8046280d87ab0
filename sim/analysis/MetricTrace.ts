import type { ProviderAnswer } from './MetricProvider.js';
import {
  DEFAULT_CONSECUTIVE_ERROR_LIMIT,
  DEFAULT_CONSECUTIVE_SUCCESS_LIMIT,
  DEFAULT_FAILURE_LIMIT,
  DEFAULT_INCONCLUSIVE_LIMIT,
  effectiveCount,
  type AnalysisPhase,
  type ConditionOutcome,
  type MeasurementPhase,
  type MetricResult,
  type MetricSpec,
} from './verdict/index.js';

/**
 * Measurements a metric's trace keeps (the newest; `dropped` counts the older ones): a background
 * metric measured every second for the 30 days a rehearsal may last would otherwise hold 2.6
 * million.
 */
export const MAX_TRACED_MEASUREMENTS = 10_000;

/** A metric's limits with Argo's defaults filled in; `count` is the effective count, null = unbounded. */
export interface MetricLimits {
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  consecutiveSuccessLimit: number;
  count: number | null;
}

/** The counters of a metric result right after one measurement was recorded. */
export type MetricCounters = Pick<
  MetricResult,
  'count' | 'successful' | 'failed' | 'inconclusive' | 'error' | 'consecutiveError' | 'consecutiveSuccess'
>;

/**
 * One measurement as canarysim traces it — what Argo's status does not keep: the query as sent,
 * the answer with its labels, each condition's value, the counters after it, and the metric's
 * phase after the sync that took it.
 */
export interface TracedMeasurement {
  /** 1-based over all the metric's measurements (Argo keeps only the latest in its status). */
  n: number;
  /** Simulated ms. */
  at: number;
  /** The Prometheus address and query after args were substituted. */
  address: string;
  query: string;
  /** null when the provider failed (then `message` says why). */
  answer: ProviderAnswer | null;
  /** The value as Argo stores it (`[0.97]`; "" on a provider error). */
  value: string;
  conditions: ConditionOutcome[];
  phase: Exclude<MeasurementPhase, 'Running'>;
  message?: string;
  counters: MetricCounters;
  /** The metric's phase after the sync that took this measurement. */
  metricPhase: AnalysisPhase;
  /** Why `metricPhase` is final, when it became final in that sync. */
  reason?: string;
}

/** Everything measured for one metric of a run, and how the metric ended. */
export interface MetricTrace {
  name: string;
  dryRun: boolean;
  limits: MetricLimits;
  /** The newest MAX_TRACED_MEASUREMENTS measurements, oldest first. */
  measurements: TracedMeasurement[];
  /** Older measurements no longer in `measurements`. */
  dropped: number;
  /** When and why the metric reached its final phase (also without a measurement: termination). */
  decided?: { at: number; phase: AnalysisPhase; reason: string };
}

/** A metric's limits as Argo applies them (spec §5.2 defaults). */
export function metricLimits(spec: MetricSpec): MetricLimits {
  return {
    failureLimit: spec.failureLimit ?? DEFAULT_FAILURE_LIMIT,
    inconclusiveLimit: spec.inconclusiveLimit ?? DEFAULT_INCONCLUSIVE_LIMIT,
    consecutiveErrorLimit: spec.consecutiveErrorLimit ?? DEFAULT_CONSECUTIVE_ERROR_LIMIT,
    consecutiveSuccessLimit: spec.consecutiveSuccessLimit ?? DEFAULT_CONSECUTIVE_SUCCESS_LIMIT,
    count: effectiveCount(spec) ?? null,
  };
}

/** Appends a measurement, dropping the oldest past MAX_TRACED_MEASUREMENTS (in batches: amortised O(1)). */
export function appendTraced(trace: MetricTrace, m: TracedMeasurement): void {
  trace.measurements.push(m);
  if (trace.measurements.length >= 2 * MAX_TRACED_MEASUREMENTS) {
    const drop = trace.measurements.length - MAX_TRACED_MEASUREMENTS;
    trace.measurements.splice(0, drop);
    trace.dropped += drop;
  }
}

/** The traced measurements within the bound (a batch may briefly hold more than it). */
export function tracedMeasurements(trace: MetricTrace): {
  measurements: TracedMeasurement[];
  dropped: number;
} {
  const extra = Math.max(0, trace.measurements.length - MAX_TRACED_MEASUREMENTS);
  return { measurements: trace.measurements.slice(extra), dropped: trace.dropped + extra };
}
