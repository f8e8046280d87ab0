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
  if (isCompleted(result.phase)) return result.phase;
  const last = result.measurements.at(-1);
  if (last === undefined) return terminating ? 'Successful' : 'Pending';
  if (!isCompleted(last.phase)) return 'Running';

  const breach = limitBreach(metric, result);
  if (breach !== undefined) return breach.phase;

  const successLimit = metric.consecutiveSuccessLimit ?? DEFAULT_CONSECUTIVE_SUCCESS_LIMIT;
  const successApplies = successLimit > 0;
  if (successApplies && result.consecutiveSuccess >= successLimit) return 'Successful';

  const count = effectiveCount(metric);
  if (count !== undefined && result.count >= count) {
    const failureApplies = (metric.failureLimit ?? DEFAULT_FAILURE_LIMIT) >= 0;
    if (failureApplies && successApplies) return 'Inconclusive';
    if (successApplies) return 'Failed';
    return 'Successful';
  }
  return terminating ? 'Successful' : 'Running';
}
