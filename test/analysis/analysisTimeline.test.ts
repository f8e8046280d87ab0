import { describe, expect, it } from 'vitest';
import {
  emptyMetricResult,
  ERROR_RETRY_INTERVAL_MS,
  nextMeasurementAt,
  recordMeasurement,
  type MetricResult,
  type MetricSpec,
} from '../../sim/analysis/verdict/index.js';
import { simulateMetric } from './simulateMetric.js';

const MIN = 60_000;
const T0 = 1_000_000;

function after(metric: MetricSpec, ...phases: ('Successful' | 'Failed' | 'Error')[]): MetricResult {
  let r: MetricResult = { ...emptyMetricResult(metric.name), phase: 'Running' };
  phases.forEach(
    (phase, i) => (r = recordMeasurement(r, { phase, startedAt: T0 + i, finishedAt: T0 + i * 1000 })),
  );
  return r;
}

describe('nextMeasurementAt (§5.7)', () => {
  it('takes the first measurement at the start, or after initialDelay', () => {
    expect(nextMeasurementAt({ name: 'm' }, undefined, T0)).toBe(T0);
    expect(nextMeasurementAt({ name: 'm' }, emptyMetricResult('m'), T0)).toBe(T0);
    expect(nextMeasurementAt({ name: 'm', initialDelayMs: 30_000 }, emptyMetricResult('m'), T0)).toBe(
      T0 + 30_000,
    );
  });

  it('waits the interval after a finished measurement, 10 s after an error', () => {
    const metric: MetricSpec = { name: 'm', intervalMs: 5 * MIN };
    expect(nextMeasurementAt(metric, after(metric, 'Failed'), T0)).toBe(T0 + 5 * MIN);
    expect(ERROR_RETRY_INTERVAL_MS).toBe(10_000);
    expect(nextMeasurementAt(metric, after(metric, 'Failed', 'Error'), T0)).toBe(T0 + 1000 + 10_000);
  });

  it('stops at the effective count of non-error measurements', () => {
    const once: MetricSpec = { name: 'm' };
    expect(nextMeasurementAt(once, after(once, 'Successful'), T0)).toBeUndefined();
    expect(nextMeasurementAt(once, after(once, 'Error'), T0)).toBe(T0 + 10_000);
    const three: MetricSpec = { name: 'm', intervalMs: MIN, count: 3 };
    expect(nextMeasurementAt(three, after(three, 'Successful', 'Error', 'Successful'), T0)).toBe(
      T0 + 2000 + MIN,
    );
    expect(
      nextMeasurementAt(three, after(three, 'Successful', 'Successful', 'Successful'), T0),
    ).toBeUndefined();
  });

  it('schedules nothing for a final metric or a terminating run; resumes an in-flight one', () => {
    const metric: MetricSpec = { name: 'm', intervalMs: MIN };
    expect(nextMeasurementAt(metric, { ...after(metric, 'Failed'), phase: 'Failed' }, T0)).toBeUndefined();
    expect(nextMeasurementAt(metric, after(metric, 'Successful'), T0, true)).toBeUndefined();
    const inFlight = {
      ...emptyMetricResult('m'),
      measurements: [{ phase: 'Running' as const, startedAt: T0, resumeAt: T0 + 5000 }],
    };
    expect(nextMeasurementAt(metric, inFlight, T0)).toBe(T0 + 5000);
  });
});

describe('metric timelines (§9)', () => {
  it('22: no conditions, interval 1m, count 3 → Successful after the 3rd measurement (~2 min)', () => {
    const run = simulateMetric({ name: 'm', intervalMs: MIN, count: 3 }, () => [0.1], T0);
    expect(run.phase).toBe('Successful');
    expect(run.steps.map((s) => s.measurement)).toEqual(['Successful', 'Successful', 'Successful']);
    expect(run.steps.at(-1)?.at).toBe(T0 + 2 * MIN);
  });

  it('23: [0.97] passes, [0.90] fails the run with Argo’s message', () => {
    const metric: MetricSpec = {
      name: 'success-rate',
      intervalMs: MIN,
      successCondition: 'result[0] >= 0.95',
    };
    const run = simulateMetric(metric, (i) => (i === 0 ? [0.97] : [0.9]), T0);
    expect(run.steps.map((s) => [s.measurement, s.value])).toEqual([
      ['Successful', '[0.97]'],
      ['Failed', '[0.9]'],
    ]);
    expect(run.phase).toBe('Failed');
    expect(run.message).toBe('Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)');
  });

  it('24: failureLimit 3, interval 5m → the run fails at the 4th failed measurement, 15 min after the first', () => {
    const metric: MetricSpec = {
      name: 'success-rate',
      intervalMs: 5 * MIN,
      failureLimit: 3,
      successCondition: 'result[0] >= 0.95',
    };
    const run = simulateMetric(metric, () => [0.5], T0);
    expect(run.steps.map((s) => s.run)).toEqual(['Running', 'Running', 'Running', 'Failed']);
    expect(run.steps.at(-1)?.at).toBe(T0 + 15 * MIN);
    expect(run.message).toBe('Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)');
  });

  it('25: an empty vector with result[0] >= 0.95 errors every 10 s; the 5th error ends the run as Error', () => {
    const metric: MetricSpec = {
      name: 'success-rate',
      intervalMs: MIN,
      successCondition: 'result[0] >= 0.95',
    };
    const run = simulateMetric(metric, () => [], T0);
    expect(run.steps.map((s) => s.at - T0)).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(run.steps.every((s) => s.measurement === 'Error' && s.value === '[]')).toBe(true);
    expect(run.phase).toBe('Error');
    expect(run.message).toBe(
      'Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): ' +
        '"Error Message: could not evaluate successCondition "result[0] >= 0.95": ' +
        'metric result is nil or empty: no data returned from the metric provider"',
    );
  });

  it('26: NaN with both conditions → Inconclusive run', () => {
    const metric: MetricSpec = {
      name: 'success-rate',
      intervalMs: MIN,
      successCondition: 'result >= 0.9',
      failureCondition: 'result < 0.9',
    };
    const run = simulateMetric(metric, () => NaN, T0);
    expect(run.phase).toBe('Inconclusive');
    expect(run.steps).toHaveLength(1);
  });

  it('31: inconclusiveLimit 2 → Inconclusive at the 3rd inconclusive measurement', () => {
    const metric: MetricSpec = {
      name: 'm',
      intervalMs: MIN,
      inconclusiveLimit: 2,
      successCondition: 'result > 1',
      failureCondition: 'result < 0',
    };
    const run = simulateMetric(metric, () => 0.5, T0);
    expect(run.steps.map((s) => s.measurement)).toEqual(['Inconclusive', 'Inconclusive', 'Inconclusive']);
    expect(run.steps.map((s) => s.run)).toEqual(['Running', 'Running', 'Inconclusive']);
    expect(run.message).toBe(
      'Metric "m" assessed Inconclusive due to inconclusive (3) > inconclusiveLimit (2)',
    );
  });

  it('32: consecutiveSuccessLimit 3, failureLimit -1, interval 10s → Successful once 3 successes in a row occur', () => {
    const metric: MetricSpec = {
      name: 'm',
      intervalMs: 10_000,
      consecutiveSuccessLimit: 3,
      failureLimit: -1,
      successCondition: 'result >= 0.95',
    };
    const values = [0.5, 0.99, 0.5, 0.99, 0.99, 0.99, 0.5];
    const run = simulateMetric(metric, (i) => values[i] ?? 0.5, T0);
    expect(run.steps.map((s) => s.measurement)).toEqual([
      'Failed',
      'Successful',
      'Failed',
      'Successful',
      'Successful',
      'Successful',
    ]);
    expect(run.phase).toBe('Successful');
    expect(run.steps.at(-1)?.at).toBe(T0 + 50_000);
  });
});
