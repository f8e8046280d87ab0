/**
 * A query that parsed but failed while running, with Prometheus's exact text, e.g. "multiple
 * matches for labels: many-to-one matching must be explicit (group_left/group_right)".
 */
export class PromQLEvalError extends Error {
  override readonly name = 'PromQLEvalError';
}

/** Prometheus's `ErrTooManySamples` text (a query over `maxSamples`). */
export const TOO_MANY_SAMPLES = 'query processing would load too many samples into memory in query execution';
