import { describe, expect, it } from 'vitest';
import {
  assessRunStatus,
  emptyMetricResult,
  isRunTerminating,
  isWorse,
  recordMeasurement,
  type AnalysisPhase,
  type Measurement,
  type MetricResult,
  type MetricSpec,
} from '../../sim/analysis/verdict/index.js';

/** A result after the given finished measurements, as the controller records them. */
function measured(name: string, ...measurements: (Measurement['phase'] | Measurement)[]): MetricResult {
  let r: MetricResult = { ...emptyMetricResult(name), phase: 'Running' };
  measurements.forEach((m, i) => {
    const measurement = typeof m === 'string' ? { phase: m } : m;
    r = recordMeasurement(r, { startedAt: i, finishedAt: i, ...measurement });
  });
  return r;
}

const single = (name: string, extra: Partial<MetricSpec> = {}): MetricSpec => ({ name, ...extra });
const unbounded = (name: string, extra: Partial<MetricSpec> = {}): MetricSpec => ({
  name,
  intervalMs: 60_000,
  ...extra,
});

describe('phase severity (§5.6)', () => {
  it('orders Successful < Running < Pending < Inconclusive < Error < Failed', () => {
    const order: AnalysisPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'];
    for (const [i, a] of order.entries()) {
      for (const [j, b] of order.entries()) expect(isWorse(a, b)).toBe(j > i);
    }
  });
});

describe('assessRunStatus', () => {
  it('9.23: a failed measurement with default limits fails the run with Argo’s message', () => {
    const status = assessRunStatus([single('success-rate')], [measured('success-rate', 'Failed')], false);
    expect(status.phase).toBe('Failed');
    expect(status.message).toBe('Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)');
    expect(status.metricResults[0]?.phase).toBe('Failed');
  });

  it('appends the last measurement’s message as "Error Message" (§4.3 example)', () => {
    const r = measured('failed-metric', { phase: 'Failed', message: 'Provider Error' });
    const status = assessRunStatus([single('failed-metric')], [r], false);
    expect(status.message).toBe(
      'Metric "failed-metric" assessed Failed due to failed (1) > failureLimit (0): "Error Message: Provider Error"',
    );
  });

  it('is Successful with an empty message when every metric succeeded', () => {
    const status = assessRunStatus(
      [single('a'), single('b')],
      [measured('a', 'Successful'), measured('b', 'Successful')],
      false,
    );
    expect(status).toMatchObject({ phase: 'Successful', message: '' });
    expect(status.runSummary).toEqual({ count: 2, successful: 2, failed: 0, inconclusive: 0, error: 0 });
  });

  it('stays Running while any metric runs or has not produced a result yet', () => {
    const metrics = [single('a'), unbounded('b'), unbounded('c', { initialDelayMs: 60_000 })];
    expect(
      assessRunStatus(metrics, [measured('a', 'Successful'), measured('b', 'Successful')], false),
    ).toMatchObject({
      phase: 'Running',
      message: '',
    });
    expect(assessRunStatus([single('a')], [emptyMetricResult('a')], false).phase).toBe('Running');
  });

  it('takes the message of the first worst metric in spec order', () => {
    const metrics = [single('a'), single('b'), single('c')];
    const results = [measured('a', 'Successful'), measured('b', 'Failed'), measured('c', 'Failed')];
    expect(assessRunStatus(metrics, results, false).message).toBe(
      'Metric "b" assessed Failed due to failed (1) > failureLimit (0)',
    );
    const worseLater = [
      measured('a', 'Inconclusive'),
      measured('b', 'Error', 'Error', 'Error', 'Error', { phase: 'Error', message: 'boom' }),
      measured('c', 'Successful'),
    ];
    const status = assessRunStatus(metrics, worseLater, false);
    expect(status.phase).toBe('Error');
    expect(status.message).toBe(
      'Metric "b" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: boom"',
    );
    expect(status.runSummary).toEqual({ count: 3, successful: 1, failed: 0, inconclusive: 1, error: 1 });
  });

  it('9.26: an Inconclusive measurement makes the run Inconclusive', () => {
    const status = assessRunStatus([single('m')], [measured('m', 'Inconclusive')], false);
    expect(status).toMatchObject({
      phase: 'Inconclusive',
      message: 'Metric "m" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)',
    });
  });

  it('one failing metric ends the whole run on the next sync', () => {
    const metrics = [unbounded('a'), unbounded('b')];
    let results = [measured('a', 'Failed'), measured('b', 'Successful')];
    const first = assessRunStatus(metrics, results, isRunTerminating(false, results));
    expect(first.phase).toBe('Running');
    results = first.metricResults;
    expect(isRunTerminating(false, results)).toBe(true);
    const second = assessRunStatus(metrics, results, isRunTerminating(false, results));
    expect(second.phase).toBe('Failed');
    expect(second.message).toBe('Metric "a" assessed Failed due to failed (1) > failureLimit (0)');
    expect(second.metricResults.map((r) => r.phase)).toEqual(['Failed', 'Successful']);
  });

  it('a terminated run is Successful with "Run Terminated"; unmeasured metrics count as Successful', () => {
    const metrics = [unbounded('a'), unbounded('b')];
    const results = [measured('a', 'Successful', 'Successful'), emptyMetricResult('b')];
    const status = assessRunStatus(metrics, results, true, { terminate: true });
    expect(status).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
    expect(status.metricResults.map((r) => r.phase)).toEqual(['Successful', 'Successful']);
    // Without the option, termination is inferred from terminating with nothing failed.
    expect(assessRunStatus(metrics, results, true).message).toBe('Run Terminated');
  });

  it('a terminated run keeps a failure that already happened', () => {
    const metrics = [unbounded('a', { failureLimit: 0 })];
    const status = assessRunStatus(metrics, [measured('a', 'Failed')], true, { terminate: true });
    expect(status).toMatchObject({
      phase: 'Failed',
      message: 'Metric "a" assessed Failed due to failed (1) > failureLimit (0)',
    });
  });

  it('9.30: a failing dry-run metric does not fail the run; it feeds dryRunSummary', () => {
    const metrics = [single('total-5xx-errors', { dryRun: true }), single('success-rate')];
    const results = [measured('total-5xx-errors', 'Failed'), measured('success-rate', 'Successful')];
    const status = assessRunStatus(metrics, results, false);
    expect(status.phase).toBe('Successful');
    expect(status.message).toBe('');
    expect(status.dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    expect(status.runSummary).toEqual({ count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
    expect(status.metricResults[0]?.message).toBe(
      'Metric assessed Failed due to failed (1) > failureLimit (0)',
    );
    expect(isRunTerminating(false, status.metricResults, new Set(['total-5xx-errors']))).toBe(false);
  });

  it('dry-run rules can come as a set of names; a run of only dry-run metrics is Successful', () => {
    const status = assessRunStatus([single('a')], [measured('a', 'Failed')], false, {
      dryRun: new Set(['a']),
    });
    expect(status.phase).toBe('Successful');
  });

  it('does not mutate its inputs', () => {
    const results = [measured('a', 'Failed')];
    const snapshot = structuredClone(results);
    assessRunStatus([single('a')], results, false);
    expect(results).toEqual(snapshot);
  });
});
