import type { Threshold } from './conditionThresholds.js';

/**
 * What the HTML report draws for one run: plain, serialisable data (it crosses from a `test`
 * worker thread), simulated facts only. Times are simulated seconds since the scenario started.
 */
export interface RunCharts {
  name: string;
  file: string;
  seed: number;
  passed: boolean;
  /** ISO time the scenario started at (simulated). */
  startTime: string;
  simulatedSeconds: number;
  expectations: { source: string; condition: string; passed: boolean; t: number; error?: string }[];
  rollouts: RolloutCharts[];
}

/** One line of a chart: its legend label and the version (image tag) that picks its colour. */
export interface ChartSeries {
  label: string;
  version: string;
  values: (number | null)[];
}

/** Series over shared x values (seconds). */
export interface TimeChart {
  t: number[];
  series: ChartSeries[];
}

export interface AnalysisChart {
  run: string;
  /** The run's `rollout-type`: Background, Step, PrePromotion, PostPromotion. */
  kind: string;
  revision: number;
  phase: string;
  metric: string;
  conditions: { condition: string; expression: string; thresholds: Threshold[] }[];
  /** Each measurement: its value(s) (one per series; none on an Error) and verdict. */
  points: { t: number; values: number[]; phase: string }[];
}

/** A vertical line across the charts: a step boundary, an event of the rollout, a user's command. */
export interface Marker {
  t: number;
  kind: 'step' | 'pause' | 'resume' | 'abort' | 'complete' | 'update' | 'command';
  label: string;
}

export interface RolloutCharts {
  name: string;
  namespace: string;
  phase: string;
  message: string;
  /** Every version the rollout ran, in order of first appearance: the colour order of all its charts. */
  versions: string[];
  /** Traffic weight (percent) per version, stepped. */
  weights: TimeChart;
  /** Ready pods per ReplicaSet, stepped. */
  pods: TimeChart;
  /** From the embedded TSDB (istio_requests_total, istio_request_duration_milliseconds): null without sidecar metrics. */
  requestRate: TimeChart | null;
  successRate: TimeChart | null;
  /** p99 latency (ms) per version; null when no latency was recorded. */
  p99: TimeChart | null;
  /** The PromQL the three charts above ran (range queries over the run, `step` seconds apart). */
  queries: { rate: string; ok: string; p99: string; step: number };
  analysis: AnalysisChart[];
  markers: Marker[];
  /** `canarysim explain --rollout NAME` for this run. */
  explain: string;
  /** Frames past the recorder's bound (MAX_FRAMES), not drawn. */
  framesDropped: number;
}
