import {
  tracedMeasurements,
  type MetricCounters,
  type MetricLimits,
  type MetricTrace,
  type ProviderAnswer,
} from '../../sim/analysis/index.js';

/**
 * A query's answer as reports and conditions see it: a vector's series with their labels, in the
 * order Prometheus returned them; a scalar is one series without labels.
 */
export interface AnswerState {
  resultType: 'vector' | 'scalar';
  series: { labels: Record<string, string>; value: number }[];
}

/** A condition of a measurement: its text and what it evaluated to (`value`), or why it could not be (`error`). */
export interface ConditionState {
  condition: 'successCondition' | 'failureCondition';
  expression: string;
  value: boolean | null;
  error: string | null;
}

/** One measurement of a metric, from canarysim's trace (docs/report.md, *Measurement*). */
export interface MeasurementState {
  /** 1-based over all the metric's measurements. */
  n: number;
  time: string;
  /** Simulated seconds since the scenario started. */
  t: number;
  address: string;
  /** The query as sent: args substituted. */
  query: string;
  /** What Prometheus answered, labels kept; null when the provider failed. */
  result: AnswerState | null;
  /** As Argo stores it: `[0.97]`; `""` on a provider error. */
  value: string;
  conditions: ConditionState[];
  phase: string;
  /** The provider's or the condition's error; null otherwise. */
  message: string | null;
  /** The metric's counters right after this measurement. */
  counters: MetricCounters;
  /** The metric's phase after the sync that took it, and why when that made it final. */
  metricPhase: string;
  reason: string | null;
  /** Still among the measurements Argo's status keeps (the latest 10, or measurementRetention). */
  retained: boolean;
}

/** The trace's fields of a metric in the report, beside Argo's counters. */
export interface MetricTraceState {
  limits: MetricLimits;
  measurements: MeasurementState[];
  /** Older measurements past the trace's bound (10,000 per metric), not in `measurements`. */
  measurementsDropped: number;
  /** When (simulated seconds) and why the metric reached its final phase; null while it has not. */
  decided: { t: number; phase: string; reason: string } | null;
}

/** A provider's or a query's answer as plain data (labels copied, in the order they came). */
export function answerState(answer: ProviderAnswer): AnswerState {
  return answer.resultType === 'scalar'
    ? { resultType: 'scalar', series: [{ labels: {}, value: answer.value }] }
    : {
        resultType: 'vector',
        series: answer.series.map((s) => ({ labels: { ...s.labels }, value: s.value })),
      };
}

/**
 * A metric's trace as the report shows it; `retained` is how many measurements Argo's status
 * keeps (the newest), `limits` the metric's when it has no trace (tracing off, never measured).
 */
export function metricTraceState(
  trace: MetricTrace | undefined,
  limits: MetricLimits,
  retained: number,
  startMs: number,
): MetricTraceState {
  if (!trace) return { limits, measurements: [], measurementsDropped: 0, decided: null };
  const { measurements, dropped } = tracedMeasurements(trace);
  const total = dropped + measurements.length;
  const seconds = (ms: number) => (ms - startMs) / 1000;
  return {
    limits: { ...trace.limits },
    measurements: measurements.map((m) => ({
      n: m.n,
      time: new Date(m.at).toISOString(),
      t: seconds(m.at),
      address: m.address,
      query: m.query,
      result: m.answer ? answerState(m.answer) : null,
      value: m.value,
      conditions: m.conditions.map((c) => ({
        condition: c.condition,
        expression: c.expression,
        value: 'value' in c ? c.value : null,
        error: 'error' in c ? c.error : null,
      })),
      phase: m.phase,
      message: m.message ?? null,
      counters: { ...m.counters },
      metricPhase: m.metricPhase,
      reason: m.reason ?? null,
      retained: m.n > total - retained,
    })),
    measurementsDropped: dropped,
    decided: trace.decided
      ? { t: seconds(trace.decided.at), phase: trace.decided.phase, reason: trace.decided.reason }
      : null,
  };
}
