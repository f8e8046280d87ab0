import type { ConditionAst } from '../condition/index.js';

/** Phases of runs, metrics and measurements (Argo's AnalysisPhase). The last four are final. */
export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

/** What a finished measurement can be; `Running` while it is in flight. */
export type MeasurementPhase = 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

/** Argo's default `failureLimit`: the first failed measurement fails the metric. */
export const DEFAULT_FAILURE_LIMIT = 0;
/** Argo's default `inconclusiveLimit`: the first inconclusive measurement makes the metric Inconclusive. */
export const DEFAULT_INCONCLUSIVE_LIMIT = 0;
/** Argo's default `consecutiveErrorLimit`: the 5th error in a row makes the metric Error. */
export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
/** Argo's default `consecutiveSuccessLimit`: 0 disables it. */
export const DEFAULT_CONSECUTIVE_SUCCESS_LIMIT = 0;
/** After an Error measurement the next one comes 10 s later, whatever the interval (DefaultErrorRetryInterval). */
export const ERROR_RETRY_INTERVAL_MS = 10_000;
/** Measurements kept per metric unless `measurementRetention` says otherwise (counters still count all). */
export const DEFAULT_MEASUREMENT_HISTORY_LIMIT = 10;

/** One metric of an AnalysisTemplate/AnalysisRun, after args are substituted (spec §5.2). */
export interface MetricSpec {
  /** Unique within the run; appears in run messages. */
  name: string;
  /** Time between measurements; `undefined` = no interval (Argo's `""`), which makes an unset count mean 1. */
  intervalMs?: number;
  /** The first measurement is not taken before `run.startedAt + initialDelayMs`. */
  initialDelayMs?: number;
  /** Measurements to take (errors excluded); unset/0 = 1 without interval, unbounded with one. */
  count?: number;
  /** Failed when `failed > failureLimit`; -1 disables. Default {@link DEFAULT_FAILURE_LIMIT}. */
  failureLimit?: number;
  /** Inconclusive when `inconclusive > inconclusiveLimit`. Default {@link DEFAULT_INCONCLUSIVE_LIMIT}. */
  inconclusiveLimit?: number;
  /** Error when `consecutiveError > consecutiveErrorLimit`. Default {@link DEFAULT_CONSECUTIVE_ERROR_LIMIT}. */
  consecutiveErrorLimit?: number;
  /** Successful as soon as `consecutiveSuccess >= limit` (v1.8+); 0 disables. Default {@link DEFAULT_CONSECUTIVE_SUCCESS_LIMIT}. */
  consecutiveSuccessLimit?: number;
  /** expr-lang condition over `result`; absent or "" = not set. */
  successCondition?: string | ConditionAst;
  /** expr-lang condition over `result`; absent or "" = not set. */
  failureCondition?: string | ConditionAst;
  /** Matched by a `dryRun` rule: measured and reported, never decides the run. */
  dryRun?: boolean;
}

/** One measurement of a metric (Argo's Measurement). Times are ms on the simulation clock. */
export interface Measurement {
  phase: MeasurementPhase;
  /** Provider or evaluation error text; absent when the measurement simply succeeded or failed. */
  message?: string;
  startedAt?: number;
  /** Set once the measurement is complete; an in-flight measurement has none. */
  finishedAt?: number;
  /** What the provider returned, as Argo prints it (`[0.97]`, `0.95`); "" on provider errors. */
  value?: string;
  /** When an in-flight measurement should be resumed. */
  resumeAt?: number;
}

/** A metric's status inside a run (Argo's MetricResult). Counters count every measurement ever taken. */
export interface MetricResult {
  name: string;
  phase: AnalysisPhase;
  /** The latest measurements, oldest first (trimmed to the retention limit). */
  measurements: Measurement[];
  /** Copied from the last measurement when the phase changes; a dry-run metric's verdict text. */
  message?: string;
  /** successful + failed + inconclusive: errors are not counted. */
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  /** Errors in a row; any non-error measurement resets it. */
  consecutiveError: number;
  /** Successes in a row; any other measurement resets it. */
  consecutiveSuccess: number;
  /** The metric runs in dry-run mode. */
  dryRun?: boolean;
  /** What the provider reports about the metric: Prometheus's `ResolvedPrometheusQuery`. */
  metadata?: Record<string, string>;
}

/** How many metrics a run has and how they ended (Argo's RunSummary). */
export interface RunSummary {
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
}
