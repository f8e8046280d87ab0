import {
  DEFAULT_CONSECUTIVE_ERROR_LIMIT,
  DEFAULT_FAILURE_LIMIT,
  DEFAULT_INCONCLUSIVE_LIMIT,
  type MetricResult,
  type MetricSpec,
} from './types.js';

/** A limit a metric has gone over, with Argo's reason text. */
export interface LimitBreach {
  phase: 'Failed' | 'Inconclusive' | 'Error';
  /** `failed (1) > failureLimit (0)`, `inconclusive (3) > inconclusiveLimit (2)`, `consecutiveErrors (5) > consecutiveErrorLimit (4)`. */
  reason: string;
}

/**
 * Argo's `assessMetricFailureInconclusiveOrError`: checks failureLimit, then inconclusiveLimit,
 * then consecutiveErrorLimit; a later breach overrides an earlier one. `undefined` when none.
 */
export function limitBreach(metric: MetricSpec, result: MetricResult): LimitBreach | undefined {
  let breach: LimitBreach | undefined;
  const failureLimit = metric.failureLimit ?? DEFAULT_FAILURE_LIMIT;
  if (failureLimit >= 0 && result.failed > failureLimit) {
    breach = { phase: 'Failed', reason: `failed (${result.failed}) > failureLimit (${failureLimit})` };
  }
  const inconclusiveLimit = metric.inconclusiveLimit ?? DEFAULT_INCONCLUSIVE_LIMIT;
  if (result.inconclusive > inconclusiveLimit) {
    breach = {
      phase: 'Inconclusive',
      reason: `inconclusive (${result.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`,
    };
  }
  const errorLimit = metric.consecutiveErrorLimit ?? DEFAULT_CONSECUTIVE_ERROR_LIMIT;
  if (result.consecutiveError > errorLimit) {
    breach = {
      phase: 'Error',
      reason: `consecutiveErrors (${result.consecutiveError}) > consecutiveErrorLimit (${errorLimit})`,
    };
  }
  return breach;
}
