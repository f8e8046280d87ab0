import type { Value } from '../../sim/analysis/condition/index.js';
import { formatValue } from '../../sim/analysis/formatValue.js';
import {
  assessRunStatus,
  emptyMetricResult,
  evaluateMeasurement,
  isCompleted,
  isRunTerminating,
  nextMeasurementAt,
  recordMeasurement,
  type AnalysisPhase,
  type MeasurementPhase,
  type MetricResult,
  type MetricSpec,
} from '../../sim/analysis/verdict/index.js';

/** One reconcile of the simulated single-metric run. */
export interface Step {
  at: number;
  measurement: MeasurementPhase;
  value: string;
  metric: AnalysisPhase;
  run: AnalysisPhase;
}

/**
 * Drives one metric of a run with the pure verdict functions, as the analysis controller does:
 * take the measurement when it is due, record it, assess the run (which re-assesses the metric).
 * `provider(i, at)` returns the i-th Prometheus result (a number[] vector or a scalar).
 */
export function simulateMetric(
  metric: MetricSpec,
  provider: (i: number, at: number) => Value | undefined,
  startedAt = 0,
  maxSteps = 100,
): { steps: Step[]; result: MetricResult; phase: AnalysisPhase; message: string } {
  let result = emptyMetricResult(metric.name);
  const steps: Step[] = [];
  let phase: AnalysisPhase = 'Running';
  let message = '';
  for (let i = 0; i < maxSteps; i++) {
    const terminating = isRunTerminating(false, [result]);
    const at = nextMeasurementAt(metric, result, startedAt, terminating);
    if (at !== undefined) {
      const value = provider(i, at);
      const verdict = evaluateMeasurement(metric, value);
      const shown =
        typeof value === 'number' || Array.isArray(value) ? formatValue(value as number | number[]) : '';
      result = recordMeasurement(result, {
        phase: verdict.phase,
        message: verdict.message,
        startedAt: at,
        finishedAt: at,
        value: shown,
      });
    }
    const run = assessRunStatus([metric], [result], isRunTerminating(false, [result]));
    result = run.metricResults[0] ?? result;
    phase = run.phase;
    message = run.message;
    const last = result.measurements.at(-1);
    if (at !== undefined && last !== undefined) {
      steps.push({ at, measurement: last.phase, value: last.value ?? '', metric: result.phase, run: phase });
    }
    if (isCompleted(phase)) break;
    if (at === undefined) break;
  }
  return { steps, result, phase, message };
}
