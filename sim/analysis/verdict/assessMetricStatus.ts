import { effectiveCount } from './effectiveCount.js';
import { limitBreach } from './limitBreach.js';
import { isCompleted } from './phases.js';
import {
  DEFAULT_CONSECUTIVE_SUCCESS_LIMIT,
  DEFAULT_FAILURE_LIMIT,
  type AnalysisPhase,
  type MetricResult,
  type MetricSpec,
} from './types.js';

/**
 * Argo's `assessMetricStatus` (spec §5.5): a metric's phase after a sync.
 *
 * 1. already final → unchanged; 2. no measurement → Pending (Successful when terminating);
 * 3. last measurement in flight → Running; 4. over a limit → Failed / Inconclusive / Error;
 * 5. consecutiveSuccessLimit reached → Successful; 6. effective count reached → Inconclusive when
 * failureLimit and consecutiveSuccessLimit both apply, Failed when only the success limit does,
 * else Successful; 7. otherwise Successful when terminating, else Running.
 *
 *   failureLimit 2, failed 3                → Failed
 *   failureLimit 3, failed 3                → Running (terminating: Successful)
 *   consecutiveError 5 (default limit 4)    → Error
 *   count 10 reached, 10 successful         → Successful
 *   CSL 5, failureLimit -1, count 7 reached, consecutiveSuccess 3 → Failed
 */
export function assessMetricStatus(
  metric: MetricSpec,
  result: MetricResult,
  terminating: boolean,
): AnalysisPhase {
  return assessMetric(metric, result, terminating).phase;
}

/** A metric's phase and, when it is final, the rule that made it so. */
export interface MetricAssessment {
  phase: AnalysisPhase;
  /**
   * Why a final phase: Argo's limit text (`failed (1) > failureLimit (0)`), or
   * `consecutiveSuccess (3) >= consecutiveSuccessLimit (3)`, `count (5) reached`,
   * `count (10) reached with consecutiveSuccess (3) < consecutiveSuccessLimit (4)`,
   * `the run is terminating`. Absent while not final, and for a phase that was already final.
   */
  reason?: string;
}

/** {@link assessMetricStatus} with the reason for the phase (the trace and `explain` show it). */
export function assessMetric(
  metric: MetricSpec,
  result: MetricResult,
  terminating: boolean,
): MetricAssessment {
  if (isCompleted(result.phase)) return { phase: result.phase };
  const last = result.measurements.at(-1);
  if (last === undefined)
    return terminating ? { phase: 'Successful', reason: 'the run is terminating' } : { phase: 'Pending' };
  if (!isCompleted(last.phase)) return { phase: 'Running' };

  const breach = limitBreach(metric, result);
  if (breach !== undefined) return breach;

  const successLimit = metric.consecutiveSuccessLimit ?? DEFAULT_CONSECUTIVE_SUCCESS_LIMIT;
  const successApplies = successLimit > 0;
  const successes = `consecutiveSuccess (${result.consecutiveSuccess})`;
  if (successApplies && result.consecutiveSuccess >= successLimit)
    return { phase: 'Successful', reason: `${successes} >= consecutiveSuccessLimit (${successLimit})` };

  const count = effectiveCount(metric);
  if (count !== undefined && result.count >= count) {
    const reached = `count (${result.count}) reached`;
    const short = `${reached} with ${successes} < consecutiveSuccessLimit (${successLimit})`;
    const failureApplies = (metric.failureLimit ?? DEFAULT_FAILURE_LIMIT) >= 0;
    if (failureApplies && successApplies) return { phase: 'Inconclusive', reason: short };
    if (successApplies) return { phase: 'Failed', reason: short };
    return { phase: 'Successful', reason: reached };
  }
  return terminating ? { phase: 'Successful', reason: 'the run is terminating' } : { phase: 'Running' };
}
