import { describe, expect, it } from 'vitest';
import { MAX_TRACED_MEASUREMENTS } from '../../sim/analysis/index.js';
import { Harness, MIN, PROM, S, T0, singleMetric, template, type Answer } from './analysisHarness.js';

// canarysim's trace beside Argo's status: every measurement with what was asked, what came back,
// how the conditions and counters stood (spec/argo-rollouts.md §4.3, §5.2, §5.4–§5.8, §6.2, §9).

const single = (fields: string, answer: (n: number) => Answer, opts: { trace?: boolean } = {}) =>
  singleMetric(fields, answer, {
    ...opts,
    head: 'args:\n  - name: svc\n',
    query: 'rate{svc="{{args.svc}}"}',
  });
const ARGS = { analysis: { args: [{ name: 'svc', value: 'canary' }] } };

describe('the trace of a metric (what Argo does not keep)', () => {
  it('each measurement: the query as sent, the series with labels, the value Argo stores, conditions, counters', async () => {
    const answers: Answer[] = [
      { series: [{ labels: { destination_service: 'canary' }, value: 0.97 }] },
      { series: [{ labels: { destination_service: 'canary' }, value: 0.874 }] },
    ];
    const h = single('interval: 1m\ncount: 2\nsuccessCondition: result[0] >= 0.95', (n) => answers[n]!);
    const name = h.start('t', ARGS);
    await h.at(2 * MIN);
    const trace = h.run(name).trace;
    expect(trace.map((t) => [t.name, t.dryRun])).toEqual([['success-rate', false]]);
    // §5.2 defaults: failureLimit 0, inconclusiveLimit 0, consecutiveErrorLimit 4, CSL 0; count 2.
    expect(trace[0]!.limits).toEqual({
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      consecutiveSuccessLimit: 0,
      count: 2,
    });
    const [first, second] = trace[0]!.measurements;
    expect(first).toEqual({
      n: 1,
      at: T0,
      address: 'http://prom:9090',
      // §5.3: args are substituted in the query.
      query: 'rate{svc="canary"}',
      answer: { resultType: 'vector', series: [{ labels: { destination_service: 'canary' }, value: 0.97 }] },
      value: '[0.97]',
      conditions: [{ condition: 'successCondition', expression: 'result[0] >= 0.95', value: true }],
      phase: 'Successful',
      counters: {
        count: 1,
        successful: 1,
        failed: 0,
        inconclusive: 0,
        error: 0,
        consecutiveError: 0,
        consecutiveSuccess: 1,
      },
      metricPhase: 'Running',
    });
    // Fact 23: [0.874] fails result[0] >= 0.95; failureLimit 0 → the metric and the run fail.
    expect(second).toMatchObject({
      n: 2,
      at: T0 + MIN,
      value: '[0.874]',
      conditions: [{ condition: 'successCondition', expression: 'result[0] >= 0.95', value: false }],
      phase: 'Failed',
      counters: { count: 2, failed: 1, consecutiveSuccess: 0 },
      metricPhase: 'Failed',
      reason: 'failed (1) > failureLimit (0)',
    });
    expect(trace[0]!.decided).toEqual({
      at: T0 + MIN,
      phase: 'Failed',
      reason: 'failed (1) > failureLimit (0)',
    });
    expect(h.run(name).message).toBe(
      'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    );
  });

  it('keeps every measurement while Argo keeps the latest measurementRetention (§5.7)', async () => {
    const h = single('interval: 1m\ncount: 5\nsuccessCondition: result[0] > 0', (n) => [n + 1]);
    const name = h.start('t', {
      analysis: { ...ARGS.analysis, measurementRetention: [{ metricName: 'success', limit: 2 }] },
    });
    await h.at(10 * MIN);
    const run = h.run(name);
    expect(run.metricResults[0]!.measurements.map((m) => m.value)).toEqual(['[4]', '[5]']);
    expect(run.metricResults[0]!.count).toBe(5);
    const traced = run.trace[0]!.measurements;
    expect(traced.map((m) => [m.n, m.value, (m.at - T0) / MIN])).toEqual([
      [1, '[1]', 0],
      [2, '[2]', 1],
      [3, '[3]', 2],
      [4, '[4]', 3],
      [5, '[5]', 4],
    ]);
    expect(traced.at(-1)).toMatchObject({ metricPhase: 'Successful', reason: 'count (5) reached' });
  });

  it('fact 25: an empty vector errors 10 s apart; the 5th consecutive error makes the metric Error', async () => {
    const h = single('interval: 5m\nsuccessCondition: result[0] >= 0.95', () => []);
    const name = h.start('t', ARGS);
    await h.at(2 * MIN);
    const m = h.run(name).trace[0]!.measurements;
    const noData =
      'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider';
    // The value as Argo stores it: empty, since its provider marks a condition error before it
    // sets the value (prometheus.go Run); the answer itself ([] here) is in the trace.
    expect(m.map((x) => [(x.at - T0) / S, x.phase, x.counters.consecutiveError, x.value])).toEqual([
      [0, 'Error', 1, ''],
      [10, 'Error', 2, ''],
      [20, 'Error', 3, ''],
      [30, 'Error', 4, ''],
      [40, 'Error', 5, ''],
    ]);
    expect(m[0]).toMatchObject({
      answer: { resultType: 'vector', series: [] },
      message: noData,
      conditions: [{ condition: 'successCondition', expression: 'result[0] >= 0.95', error: noData }],
      counters: { count: 0, error: 1 },
      metricPhase: 'Running',
    });
    expect(m[4]).toMatchObject({
      metricPhase: 'Error',
      reason: 'consecutiveErrors (5) > consecutiveErrorLimit (4)',
    });
    expect(h.run(name).message).toBe(
      `Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: ${noData}"`,
    );
  });

  it('a provider error has no answer and no conditions, only its message', async () => {
    const h = single('interval: 1m\nsuccessCondition: result[0] >= 0.95', () => ({
      error: 'Post "x": boom',
    }));
    const name = h.start('t', ARGS);
    await h.at(0);
    expect(h.run(name).trace[0]!.measurements[0]).toMatchObject({
      answer: null,
      value: '',
      conditions: [],
      phase: 'Error',
      message: 'Post "x": boom',
    });
  });

  it('fact 26: NaN, success result >= 0.9 and failure result < 0.9 → Inconclusive, both conditions false', async () => {
    const h = single('successCondition: result >= 0.9\nfailureCondition: result < 0.9', () => NaN);
    const name = h.start('t', ARGS);
    await h.at(0);
    expect(h.run(name).phase).toBe('Inconclusive');
    expect(h.run(name).trace[0]!.measurements[0]).toMatchObject({
      answer: { resultType: 'scalar', value: NaN },
      value: 'NaN',
      conditions: [
        { condition: 'successCondition', value: false },
        { condition: 'failureCondition', value: false },
      ],
      phase: 'Inconclusive',
      metricPhase: 'Inconclusive',
      reason: 'inconclusive (1) > inconclusiveLimit (0)',
    });
  });

  it('a consecutiveSuccessLimit and a count end with their own reasons (§5.5)', async () => {
    const csl = single(
      'interval: 10s\nfailureLimit: -1\nconsecutiveSuccessLimit: 3\nsuccessCondition: result[0] > 0.5',
      (n) => (n === 0 ? [0] : [1]),
    );
    const a = csl.start('t', ARGS);
    await csl.at(MIN);
    expect(csl.run(a).trace[0]!.measurements.map((m) => m.reason ?? null)).toEqual([
      null,
      null,
      null,
      'consecutiveSuccess (3) >= consecutiveSuccessLimit (3)',
    ]);
    // §5.5: failureLimit 4 + CSL 4, count 10 reached with failed 4 and consecutiveSuccess 3 → Inconclusive.
    const pattern = [0, 1, 0, 1, 0, 1, 0, 1, 1, 1];
    const count = single(
      'interval: 10s\ncount: 10\nfailureLimit: 4\nconsecutiveSuccessLimit: 4\nsuccessCondition: result[0] > 0.5',
      (n) => [pattern[n]!],
    );
    const b = count.start('t', ARGS);
    await count.at(5 * MIN);
    expect(count.run(b).trace[0]!.decided).toMatchObject({
      phase: 'Inconclusive',
      reason: 'count (10) reached with consecutiveSuccess (3) < consecutiveSuccessLimit (4)',
    });
    expect(count.run(b).trace[0]!.measurements.at(-1)!.counters).toMatchObject({
      failed: 4,
      consecutiveSuccess: 3,
    });
  });

  it('fact 30: a dry-run metric is traced as one (its verdict never decides the run)', async () => {
    const h = new Harness(
      template(
        't',
        `metrics:
  - name: ok
    ${PROM}
        query: ok
  - name: errors
    successCondition: result[0] < 1
    ${PROM}
        query: errors`,
      ),
      (q) => (q === 'errors' ? [5] : [1]),
    );
    const name = h.start('t', { analysis: { dryRun: [{ metricName: 'errors' }] } });
    await h.at(MIN);
    const run = h.run(name);
    expect(run.phase).toBe('Successful');
    const dry = run.trace.find((t) => t.name === 'errors')!;
    expect(dry.dryRun).toBe(true);
    expect(dry.measurements[0]).toMatchObject({
      phase: 'Failed',
      metricPhase: 'Failed',
      reason: 'failed (1) > failureLimit (0)',
    });
  });

  it(`keeps the newest ${MAX_TRACED_MEASUREMENTS} measurements of a metric, counting the ones it dropped`, async () => {
    const h = single('interval: 1s\nsuccessCondition: result[0] > 0', () => [1]);
    const name = h.start('t', ARGS);
    const total = 2 * MAX_TRACED_MEASUREMENTS + 5;
    await h.at((total - 1) * S);
    const { tracedMeasurements } = await import('../../sim/analysis/index.js');
    const t = tracedMeasurements(h.run(name).trace[0]!);
    expect(t.measurements).toHaveLength(MAX_TRACED_MEASUREMENTS);
    expect(t.dropped).toBe(total - MAX_TRACED_MEASUREMENTS);
    expect(t.measurements[0]!.n).toBe(t.dropped + 1);
    expect(t.measurements.at(-1)!.n).toBe(total);
    expect(h.run(name).trace[0]!.measurements.length).toBeLessThan(2 * MAX_TRACED_MEASUREMENTS);
  });

  it('tracing off (the bench): the same verdicts, no trace', async () => {
    const on = single('interval: 1m\ncount: 3\nsuccessCondition: result[0] >= 0.95', (n) => [
      n === 2 ? 0.5 : 1,
    ]);
    const off = single(
      'interval: 1m\ncount: 3\nsuccessCondition: result[0] >= 0.95',
      (n) => [n === 2 ? 0.5 : 1],
      {
        trace: false,
      },
    );
    const a = on.start('t', ARGS);
    const b = off.start('t', ARGS);
    await on.at(5 * MIN);
    await off.at(5 * MIN);
    const { trace: traceOn, ...runOn } = on.run(a);
    const { trace: traceOff, ...runOff } = off.run(b);
    expect(runOff).toEqual(runOn);
    expect(traceOn[0]!.measurements).toHaveLength(3);
    expect(traceOff).toEqual([]);
  });
});
