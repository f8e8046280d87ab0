import { effectiveCount } from './effectiveCount.js';
import { isCompleted } from './phases.js';
import { ERROR_RETRY_INTERVAL_MS, type MetricResult, type MetricSpec } from './types.js';

/**
 * When a metric's next measurement is due (spec §5.7; Argo's generateMetricTasks and
 * calculateNextReconcileTime), in ms on the run's clock; `undefined` when no more will be taken.
 *
 * - first measurement: `runStartedAt + initialDelayMs` (or `runStartedAt`);
 * - an in-flight measurement: its `resumeAt` (else right away);
 * - after an Error: `finishedAt + 10 s`, whatever the interval;
 * - otherwise `finishedAt + intervalMs`;
 * - none once the metric is final, the effective count of non-error measurements is reached,
 *   or the run is terminating.
 *
 *   { intervalMs: 300_000, count: 4 }, last Failed at t → t + 300 000
 *   same, last Error at t                               → t + 10 000
 */
export function nextMeasurementAt(
  metric: MetricSpec,
  result: MetricResult | undefined,
  runStartedAt: number,
  terminating = false,
): number | undefined {
  if (result !== undefined && isCompleted(result.phase)) return undefined;
  const last = result?.measurements.at(-1);
  if (last !== undefined && last.finishedAt === undefined)
    return last.resumeAt ?? last.startedAt ?? runStartedAt;
  if (terminating) return undefined;
  if (result === undefined || last === undefined) return runStartedAt + (metric.initialDelayMs ?? 0);
  const count = effectiveCount(metric);
  if (count !== undefined && result.count >= count) return undefined;
  const finishedAt = last.finishedAt ?? runStartedAt;
  if (last.phase === 'Error') return finishedAt + ERROR_RETRY_INTERVAL_MS;
  // Argo falls back to the error-retry interval when no interval is set (only reachable with count > 1, which validation forbids).
  return finishedAt + (metric.intervalMs ?? ERROR_RETRY_INTERVAL_MS);
}
