/**
 * Argo's analysis verdicts as pure functions: a measurement's phase from its conditions, a
 * metric's phase from its counters and limits, a run's phase and message from its metrics, and
 * when the next measurement is due. The analysis controller applies them on the clock.
 */
export {
  DEFAULT_CONSECUTIVE_ERROR_LIMIT,
  DEFAULT_CONSECUTIVE_SUCCESS_LIMIT,
  DEFAULT_FAILURE_LIMIT,
  DEFAULT_INCONCLUSIVE_LIMIT,
  DEFAULT_MEASUREMENT_HISTORY_LIMIT,
  ERROR_RETRY_INTERVAL_MS,
  type AnalysisPhase,
  type Measurement,
  type MeasurementPhase,
  type MetricResult,
  type MetricSpec,
  type RunSummary,
} from './types.js';
export { NO_DATA_MESSAGE, RUN_TERMINATED_MESSAGE } from './messages.js';
export { conditionErrorMessage, type ConditionErrorWording } from './conditionErrorMessage.js';
export { isCompleted, isWorse } from './phases.js';
export { effectiveCount } from './effectiveCount.js';
export {
  evaluateMeasurement,
  type ConditionOutcome,
  type MeasurementConditions,
  type MeasurementVerdict,
} from './evaluateMeasurement.js';
export { limitBreach, type LimitBreach } from './limitBreach.js';
export { assessMetric, assessMetricStatus, type MetricAssessment } from './assessMetricStatus.js';
export { isRunTerminating } from './isRunTerminating.js';
export { assessRunStatus, type RunStatus, type RunStatusOptions } from './assessRunStatus.js';
export { nextMeasurementAt } from './nextMeasurementAt.js';
export { recordMeasurement, emptyMetricResult } from './recordMeasurement.js';
