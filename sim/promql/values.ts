import type { Labels } from './Labels.js';

/*
 * Values inside the evaluator. Every expression evaluates to a matrix over the query's steps
 * (an instant query is one step), like Prometheus's engine; a scalar is one series with empty
 * labels and a point at every step.
 */

/** One series' points at step timestamps; `dropName` marks a pending `__name__` removal. */
export interface Series {
  metric: Labels;
  dropName: boolean;
  /** Point timestamps (ms), ascending; for a range-vector result the samples' own times. */
  ts: number[];
  fs: number[];
}

/** A sample at one step. */
export interface Sample {
  readonly metric: Labels;
  readonly f: number;
  readonly dropName: boolean;
}
