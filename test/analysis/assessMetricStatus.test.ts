import { describe, expect, it } from 'vitest';
import {
  assessMetricStatus,
  DEFAULT_CONSECUTIVE_ERROR_LIMIT,
  DEFAULT_CONSECUTIVE_SUCCESS_LIMIT,
  DEFAULT_FAILURE_LIMIT,
  DEFAULT_INCONCLUSIVE_LIMIT,
  effectiveCount,
  emptyMetricResult,
  limitBreach,
  type MeasurementPhase,
  type MetricResult,
  type MetricSpec,
} from '../../sim/analysis/verdict/index.js';

/** A result whose counters are given and whose last measurement finished with `last`. */
function result(counters: Partial<MetricResult>, last: MeasurementPhase = 'Successful'): MetricResult {
  const r: MetricResult = { ...emptyMetricResult('m'), phase: 'Running', ...counters };
  if (r.measurements.length === 0) r.measurements = [{ phase: last, startedAt: 0, finishedAt: 0 }];
  r.count = counters.count ?? r.successful + r.failed + r.inconclusive;
  return r;
}

// An interval makes the count unbounded, so only the limits decide.
const unbounded = (m: Partial<MetricSpec> = {}): MetricSpec => ({ name: 'm', intervalMs: 60_000, ...m });

describe('defaults (§5.2)', () => {
  it('are Argo’s', () => {
    expect(DEFAULT_FAILURE_LIMIT).toBe(0);
    expect(DEFAULT_INCONCLUSIVE_LIMIT).toBe(0);
    expect(DEFAULT_CONSECUTIVE_ERROR_LIMIT).toBe(4);
    expect(DEFAULT_CONSECUTIVE_SUCCESS_LIMIT).toBe(0);
  });

  it.each<[Partial<MetricSpec>, number | undefined]>([
    [{}, 1],
    [{ count: 0 }, 1],
    [{ intervalMs: 60_000 }, undefined],
    [{ intervalMs: 60_000, count: 0 }, undefined],
    [{ intervalMs: 60_000, count: 5 }, 5],
    [{ count: 1 }, 1],
  ])('effective count of %j is %s', (metric, expected) => {
    expect(effectiveCount(metric)).toBe(expected);
  });
});

describe('assessMetricStatus (§5.5)', () => {
  it('keeps a final phase', () => {
    for (const phase of ['Successful', 'Failed', 'Error', 'Inconclusive'] as const) {
      expect(assessMetricStatus(unbounded(), { ...result({ failed: 9 }), phase }, false)).toBe(phase);
    }
  });

  it('is Pending without measurements, Successful if the run is terminating', () => {
    expect(assessMetricStatus(unbounded(), emptyMetricResult('m'), false)).toBe('Pending');
    expect(assessMetricStatus(unbounded(), emptyMetricResult('m'), true)).toBe('Successful');
  });

  it('is Running while the last measurement is in flight', () => {
    const r = { ...result({ failed: 5 }), measurements: [{ phase: 'Running' as const, startedAt: 0 }] };
    expect(assessMetricStatus(unbounded(), r, false)).toBe('Running');
  });

  // The "Test facts" of §5.5.
  it.each<[string, MetricSpec, Partial<MetricResult>, boolean, string]>([
    ['failureLimit 2, failed 3', unbounded({ failureLimit: 2 }), { failed: 3 }, false, 'Failed'],
    ['failureLimit 3, failed 3', unbounded({ failureLimit: 3 }), { failed: 3 }, false, 'Running'],
    [
      'failureLimit 3, failed 3, terminating',
      unbounded({ failureLimit: 3 }),
      { failed: 3 },
      true,
      'Successful',
    ],
    [
      'inconclusiveLimit 2, inconclusive 3',
      unbounded({ inconclusiveLimit: 2 }),
      { inconclusive: 3 },
      false,
      'Inconclusive',
    ],
    ['consecutiveError 5 (default limit 4)', unbounded(), { error: 5, consecutiveError: 5 }, false, 'Error'],
    [
      'consecutiveError 4 (default limit 4)',
      unbounded(),
      { error: 4, consecutiveError: 4 },
      false,
      'Running',
    ],
    [
      'count 10 reached, 10 successful',
      { name: 'm', intervalMs: 1, count: 10 },
      { successful: 10 },
      false,
      'Successful',
    ],
    [
      'count 10 reached, 5 successful + 5 inconclusive',
      { name: 'm', intervalMs: 1, count: 10 },
      { successful: 5, inconclusive: 5 },
      false,
      'Inconclusive',
    ],
    [
      'CSL 3 + failureLimit -1, consecutiveSuccess 3 after 3 failures',
      unbounded({ consecutiveSuccessLimit: 3, failureLimit: -1 }),
      { failed: 3, successful: 3, consecutiveSuccess: 3 },
      false,
      'Successful',
    ],
    [
      'CSL 5 + failureLimit -1, count 7 reached, consecutiveSuccess 3',
      { name: 'm', intervalMs: 1, count: 7, consecutiveSuccessLimit: 5, failureLimit: -1 },
      { failed: 4, successful: 3, consecutiveSuccess: 3 },
      false,
      'Failed',
    ],
    [
      'failureLimit 4 + CSL 4, count 10 reached, failed 4, consecutiveSuccess 3',
      { name: 'm', intervalMs: 1, count: 10, consecutiveSuccessLimit: 4, failureLimit: 4 },
      { failed: 4, successful: 6, consecutiveSuccess: 3 },
      false,
      'Inconclusive',
    ],
    [
      'failureLimit -1 disables failing',
      unbounded({ failureLimit: -1, consecutiveSuccessLimit: 1 }),
      { failed: 50 },
      false,
      'Running',
    ],
    [
      'count reached with failures within the limit',
      { name: 'm', intervalMs: 1, count: 4, failureLimit: 2 },
      { failed: 2, successful: 2 },
      false,
      'Successful',
    ],
    ['single measurement (no interval, no count)', { name: 'm' }, { successful: 1 }, false, 'Successful'],
    ['errors do not reach the count', { name: 'm' }, { error: 1, consecutiveError: 1 }, false, 'Running'],
    [
      'a later breach overrides an earlier one',
      unbounded(),
      { failed: 1, error: 5, consecutiveError: 5 },
      false,
      'Error',
    ],
  ])('%s → %s', (_name, metric, counters, terminating, expected) => {
    expect(assessMetricStatus(metric, result(counters), terminating)).toBe(expected);
  });
});

describe('limitBreach reasons (§4.3)', () => {
  it.each<[MetricSpec, Partial<MetricResult>, string | undefined]>([
    [unbounded(), { failed: 1 }, 'failed (1) > failureLimit (0)'],
    [unbounded({ inconclusiveLimit: 2 }), { inconclusive: 3 }, 'inconclusive (3) > inconclusiveLimit (2)'],
    [unbounded(), { consecutiveError: 5 }, 'consecutiveErrors (5) > consecutiveErrorLimit (4)'],
    [unbounded({ failureLimit: 3 }), { failed: 3 }, undefined],
  ])('%j %j → %s', (metric, counters, reason) => {
    expect(limitBreach(metric, result(counters))?.reason).toBe(reason);
  });
});
