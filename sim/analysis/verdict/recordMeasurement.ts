import { DEFAULT_MEASUREMENT_HISTORY_LIMIT, type Measurement, type MetricResult } from './types.js';

/**
 * Adds a finished measurement to a metric's result and moves the counters as Argo's
 * runMeasurements does: Successful/Failed/Inconclusive count towards `count` and reset
 * `consecutiveError`; Error does not count and extends `consecutiveError`; only Successful extends
 * `consecutiveSuccess`. Keeps the latest `historyLimit` measurements. Returns a new result.
 */
export function recordMeasurement(
  result: MetricResult,
  measurement: Measurement,
  historyLimit: number = DEFAULT_MEASUREMENT_HISTORY_LIMIT,
): MetricResult {
  const next: MetricResult = {
    ...result,
    measurements: [...result.measurements, measurement].slice(-historyLimit),
  };
  switch (measurement.phase) {
    case 'Successful':
      next.successful++;
      next.count++;
      next.consecutiveError = 0;
      next.consecutiveSuccess++;
      break;
    case 'Failed':
      next.failed++;
      next.count++;
      next.consecutiveError = 0;
      next.consecutiveSuccess = 0;
      break;
    case 'Inconclusive':
      next.inconclusive++;
      next.count++;
      next.consecutiveError = 0;
      next.consecutiveSuccess = 0;
      break;
    case 'Error':
      next.error++;
      next.consecutiveError++;
      next.consecutiveSuccess = 0;
      break;
    case 'Running':
      break;
  }
  return next;
}

/** A metric result before its first measurement. */
export function emptyMetricResult(name: string, dryRun = false): MetricResult {
  return {
    name,
    phase: 'Pending',
    measurements: [],
    count: 0,
    successful: 0,
    failed: 0,
    inconclusive: 0,
    error: 0,
    consecutiveError: 0,
    consecutiveSuccess: 0,
    ...(dryRun ? { dryRun } : {}),
  };
}
