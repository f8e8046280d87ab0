import { describe, expect, it } from 'vitest';
import { Harness, MIN, PROM, S, singleMetric, template, type Answer } from './analysisHarness.js';

// The analysis controller on the virtual clock against a scripted Prometheus:
// spec/argo-rollouts.md §4.3, §4.4, §5.4–§5.8, §6.2, §6.3 and §9 facts 22–26, 30–32.

/** One template `t` with one metric `success-rate` on query `q`; `fields` are its other fields. */
const single = (fields: string, answer: (n: number, at: number) => Answer) => singleMetric(fields, answer);

describe('measurement values and phases (§5.4, §6.2, §6.3)', () => {
  it('9.22: a metric without conditions is Successful for every measurement', async () => {
    const h = single('interval: 1m\ncount: 3', () => [0.01]);
    const name = h.start('t');
    await h.at(5 * MIN);
    const r = h.run(name);
    expect(r.metricResults[0]!.measurements.map((m) => m.phase)).toEqual([
      'Successful',
      'Successful',
      'Successful',
    ]);
    expect(r.phase).toBe('Successful');
  });

  it('9.23: [0.97] passes, [0.90] fails the metric and the run with Argo’s message', async () => {
    const h = single('interval: 1m\nsuccessCondition: result[0] >= 0.95', (n) => (n === 0 ? [0.97] : [0.9]));
    const name = h.start('t');
    await h.at(0);
    expect(h.run(name).metricResults[0]!.measurements[0]).toMatchObject({
      phase: 'Successful',
      value: '[0.97]',
    });
    expect(h.run(name).phase).toBe('Running');
    await h.at(MIN);
    const r = h.run(name);
    expect(r.metricResults[0]!.measurements[1]).toMatchObject({ phase: 'Failed', value: '[0.9]' });
    expect(r.phase).toBe('Failed');
    expect(r.message).toBe('Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)');
    expect(r.completedAt).toBe(h.clock.now());
  });

  it('value strings: an empty vector is [], scalars print as Go does (NaN, +Inf)', async () => {
    const answers: Answer[] = [[], NaN, Infinity, [10, 11], 0.0000001];
    const h = single(
      'interval: 10s\ncount: 5\nfailureLimit: 5\nconsecutiveErrorLimit: 5\nsuccessCondition: "true"',
      (n) => answers[n]!,
    );
    const name = h.start('t');
    await h.at(MIN);
    expect(h.run(name).metricResults[0]!.measurements.map((m) => m.value)).toEqual([
      '[]',
      'NaN',
      '+Inf',
      '[10,11]',
      '0.0000001',
    ]);
  });

  it('a provider error is an Error measurement with the error as message and value ""', async () => {
    const h = single('successCondition: result[0] > 0', () => ({
      error: 'Post "http://prom:9090/api/v1/query": EOF',
    }));
    const name = h.start('t');
    await h.at(0);
    expect(h.run(name).metricResults[0]!.measurements[0]).toMatchObject({
      phase: 'Error',
      message: 'Post "http://prom:9090/api/v1/query": EOF',
      value: '',
    });
  });

  it.each<[string, string, Answer, string]>([
    ['result >= 0.9', 'result < 0.9', NaN, 'Inconclusive'],
    ['result >= 0.9 || isNaN(result)', '', NaN, 'Successful'],
    ['result >= 0.9', '', NaN, 'Failed'],
    ['result >= 0.9', '', Infinity, 'Successful'],
    ['', 'isInf(result)', -Infinity, 'Failed'],
    ['10 in result', 'len(result) != 2', [10, 11], 'Successful'],
    ['all(result, # > 10)', 'all(result, # < 10)', [11, 12, 13, 14], 'Successful'],
    ['len(result) == 0 || result[0] >= 0.95', '', [], 'Successful'],
    ['len(result) > 0 && result[0] >= 0.95', '', [], 'Failed'],
    ['(get(result, 0) ?? 0) >= 0.95', '', [], 'Failed'],
    ['result > 1', '', [2], 'Error'],
  ])('success %j, failure %j on %j → %s (§6.3)', async (success, failure, value, phase) => {
    const fields = [
      success && `successCondition: ${JSON.stringify(success)}`,
      failure && `failureCondition: ${JSON.stringify(failure)}`,
    ]
      .filter(Boolean)
      .join('\n');
    const h = single(fields, () => value);
    const name = h.start('t');
    await h.at(0);
    expect(h.run(name).metricResults[0]!.measurements[0]!.phase).toBe(phase);
  });

  it('a condition that does not parse errors at each measurement, as Argo’s compile error does', async () => {
    const h = single('successCondition: "result[0] >>= 1"', () => [1]);
    const name = h.start('t');
    await h.at(0);
    expect(h.run(name).metricResults[0]!.measurements[0]!.message).toMatch(
      /^could not evaluate successCondition "result\[0\] >>= 1": /,
    );
  });
});

describe('limits and timing (§5.5, §5.7)', () => {
  it('9.24: failureLimit 3, interval 5m → Failed only at the 4th failure, 15 min after the first', async () => {
    const h = single('interval: 5m\nfailureLimit: 3\nsuccessCondition: result[0] >= 0.95', () => [0.5]);
    const name = h.start('t');
    await h.at(15 * MIN - 1);
    expect(h.run(name).phase).toBe('Running');
    expect(h.run(name).metricResults[0]!.failed).toBe(3);
    await h.at(15 * MIN);
    expect(h.times()).toEqual([0, 300, 600, 900]);
    expect(h.run(name)).toMatchObject({
      phase: 'Failed',
      message: 'Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)',
    });
  });

  it('9.25: an empty vector with result[0] errors every 10 s; the 5th error in a row ends the run', async () => {
    const h = single('interval: 1m\nsuccessCondition: result[0] >= 0.95', () => []);
    const name = h.start('t');
    await h.at(39 * S);
    expect(h.run(name).phase).toBe('Running');
    await h.at(10 * MIN);
    expect(h.times()).toEqual([0, 10, 20, 30, 40]);
    const r = h.run(name);
    expect(r.metricResults[0]).toMatchObject({ error: 5, consecutiveError: 5, count: 0, phase: 'Error' });
    expect(r.phase).toBe('Error');
    expect(r.message).toBe(
      'Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): ' +
        '"Error Message: could not evaluate successCondition "result[0] >= 0.95": ' +
        'metric result is nil or empty: no data returned from the metric provider"',
    );
  });

  it('errors retry after 10 s and do not count towards count; a success resets consecutiveError', async () => {
    const answers: Answer[] = [[1], { error: 'x' }, { error: 'x' }, [1], [1]];
    const h = single('interval: 1m\ncount: 3\nconsecutiveErrorLimit: 2', (n) => answers[n]!);
    const name = h.start('t');
    await h.at(10 * MIN);
    expect(h.times()).toEqual([0, 60, 70, 80, 140]);
    expect(h.run(name).metricResults[0]).toMatchObject({
      count: 3,
      successful: 3,
      error: 2,
      consecutiveError: 0,
      phase: 'Successful',
    });
  });

  it('consecutiveErrorLimit 1 → Error at the 2nd error in a row', async () => {
    const h = single('interval: 1m\nconsecutiveErrorLimit: 1', () => ({ error: 'boom' }));
    const name = h.start('t');
    await h.at(MIN);
    expect(h.times()).toEqual([0, 10]);
    expect(h.run(name).message).toBe(
      'Metric "success-rate" assessed Error due to consecutiveErrors (2) > consecutiveErrorLimit (1): "Error Message: boom"',
    );
  });

  it('initialDelay: the first measurement waits; the run is Running meanwhile', async () => {
    const h = single('initialDelay: 30s\ninterval: 1m\ncount: 2', () => [1]);
    const name = h.start('t');
    await h.at(29 * S);
    expect(h.run(name)).toMatchObject({ phase: 'Running', metricResults: [] });
    await h.at(5 * MIN);
    expect(h.times()).toEqual([30, 90]);
    expect(h.run(name).phase).toBe('Successful');
    expect(h.run(name).completedAt).toBe(h.clock.now() - 5 * MIN + 90 * S);
  });

  it('9.26: NaN with success result >= 0.9 and failure result < 0.9 → Inconclusive run', async () => {
    const h = single(
      'interval: 1m\nsuccessCondition: result >= 0.9\nfailureCondition: result < 0.9',
      () => NaN,
    );
    const name = h.start('t');
    await h.at(0);
    expect(h.run(name)).toMatchObject({
      phase: 'Inconclusive',
      message: 'Metric "success-rate" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)',
    });
  });

  it('9.31: inconclusiveLimit 2 → Inconclusive at the 3rd inconclusive measurement', async () => {
    const h = single(
      'interval: 1m\ninconclusiveLimit: 2\nsuccessCondition: result > 1\nfailureCondition: result < 0',
      () => 0.5,
    );
    const name = h.start('t');
    await h.at(2 * MIN - 1);
    expect(h.run(name).phase).toBe('Running');
    await h.at(2 * MIN);
    expect(h.run(name)).toMatchObject({
      phase: 'Inconclusive',
      message: 'Metric "success-rate" assessed Inconclusive due to inconclusive (3) > inconclusiveLimit (2)',
    });
  });

  it('9.32: consecutiveSuccessLimit 3, failureLimit -1 → Successful at the 3rd success in a row', async () => {
    const values = [0.5, 0.99, 0.5, 0.99, 0.99, 0.99, 0.5];
    const h = single(
      'interval: 10s\nconsecutiveSuccessLimit: 3\nfailureLimit: -1\nsuccessCondition: result >= 0.95',
      (n) => values[n] ?? 0.5,
    );
    const name = h.start('t');
    await h.at(5 * MIN);
    expect(h.times()).toEqual([0, 10, 20, 30, 40, 50]);
    expect(h.run(name)).toMatchObject({ phase: 'Successful', message: '' });
    expect(h.run(name).metricResults[0]).toMatchObject({ failed: 2, consecutiveSuccess: 3 });
  });

  it('count: a count reached with failures within failureLimit is Successful', async () => {
    const values = [[0.5], [0.99], [0.99]];
    const h = single(
      'interval: 1m\ncount: 3\nfailureLimit: 1\nsuccessCondition: result[0] >= 0.95',
      (n) => values[n]!,
    );
    const name = h.start('t');
    await h.at(10 * MIN);
    expect(h.times()).toEqual([0, 60, 120]);
    expect(h.run(name)).toMatchObject({ phase: 'Successful', runSummary: { count: 1, successful: 1 } });
  });

  it('one metric failing ends a run whose other metric would run for ever, in the same instant', async () => {
    const h = new Harness(
      template(
        't',
        `metrics:
  - name: forever
    interval: 5m
    ${PROM}
        query: ok
  - name: fails
    interval: 1m
    successCondition: result[0] > 1
    ${PROM}
        query: bad`,
      ),
      (q, _at, n) => (q === 'bad' && n === 1 ? [0] : [2]),
    );
    const name = h.start('t');
    await h.at(MIN);
    const r = h.run(name);
    expect(r.phase).toBe('Failed');
    expect(r.completedAt).toBe(h.clock.now());
    expect(r.metricResults.map((m) => [m.name, m.phase])).toEqual([
      ['forever', 'Successful'],
      ['fails', 'Failed'],
    ]);
    expect(r.runSummary).toEqual({ count: 2, successful: 1, failed: 1, inconclusive: 0, error: 0 });
    // The trace: `forever` ended without a measurement of its own, by the run terminating.
    const forever = r.trace.find((t) => t.name === 'forever')!;
    expect(forever.measurements.map((m) => m.metricPhase)).toEqual(['Running']);
    expect(forever.decided).toEqual({
      at: h.clock.now(),
      phase: 'Successful',
      reason: 'the run is terminating',
    });
  });
});

describe('termination (§5.6, §5.10)', () => {
  it('a terminated run is Successful "Run Terminated"; a metric never measured gets no result', async () => {
    const h = new Harness(
      template(
        't',
        `metrics:
  - name: bg
    interval: 1m
    ${PROM}
        query: q
  - name: later
    initialDelay: 10m
    ${PROM}
        query: later`,
      ),
    );
    const name = h.start('t');
    await h.at(2 * MIN);
    h.ctrl.terminate('default', name);
    await h.at(2 * MIN);
    const r = h.run(name);
    expect(r).toMatchObject({ phase: 'Successful', message: 'Run Terminated', terminate: true });
    expect(r.metricResults.map((m) => [m.name, m.phase, m.count])).toEqual([['bg', 'Successful', 3]]);
    expect(r.runSummary).toEqual({ count: 2, successful: 1, failed: 0, inconclusive: 0, error: 0 });
    await h.at(20 * MIN);
    expect(h.times()).toEqual([0, 60, 120]);
    expect(h.times('later')).toEqual([]);
  });

  it('failures within failureLimit do not stop a terminated run from being Successful', async () => {
    const h = single('interval: 1m\nfailureLimit: 2\nsuccessCondition: result[0] > 1', () => [0]);
    const name = h.start('t');
    await h.at(MIN);
    h.ctrl.terminate('default', name);
    await h.at(MIN);
    expect(h.run(name)).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
    expect(h.run(name).metricResults[0]!.failed).toBe(2);
  });

  it('a run that already failed stays Failed', async () => {
    const h = single('successCondition: result[0] > 1', () => [0]);
    const name = h.start('t');
    await h.at(0);
    h.ctrl.terminate('default', name);
    await h.at(MIN);
    expect(h.run(name)).toMatchObject({ phase: 'Failed', terminate: false });
  });
});

describe('dryRun (§5.8, §9.30)', () => {
  const two = template(
    't',
    `metrics:
  - name: total-5xx-errors
    interval: 1m
    count: 2
    successCondition: result[0] < 1
    ${PROM}
        query: errors
  - name: success-rate
    interval: 1m
    count: 2
    successCondition: result[0] >= 0.95
    ${PROM}
        query: rate`,
  );
  const answers = (q: string): Answer => (q === 'errors' ? [5] : [0.99]);

  it('9.30: a failing dry-run metric beside a successful one → run Successful, dryRunSummary counts it', async () => {
    const h = new Harness(two, answers);
    const name = h.start('t', { analysis: { dryRun: [{ metricName: 'total' }] } });
    await h.at(0);
    expect(h.run(name).phase).toBe('Running');
    await h.at(10 * MIN);
    const r = h.run(name);
    expect(r).toMatchObject({ phase: 'Successful', message: '' });
    expect(r.runSummary).toEqual({ count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
    expect(r.dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    const dry = r.metricResults.find((m) => m.name === 'total-5xx-errors')!;
    expect(dry).toMatchObject({
      dryRun: true,
      phase: 'Failed',
      message: 'Metric assessed Failed due to failed (1) > failureLimit (0)',
    });
    // A failing dry-run metric does not terminate the run: the real metric keeps measuring.
    expect(h.times('rate')).toEqual([0, 60]);
    expect(h.times('errors')).toEqual([0]);
  });

  it('template and Rollout rules are concatenated (Rollout first); `.*` matches every metric', async () => {
    const h = new Harness(two.replace('metrics:', 'dryRun:\n    - metricName: success\n  metrics:'), answers);
    const name = h.start('t', { analysis: { dryRun: [{ metricName: '.*' }] } });
    expect(h.run(name).dryRun).toEqual([{ metricName: '.*' }, { metricName: 'success' }]);
    await h.at(10 * MIN);
    expect(h.run(name)).toMatchObject({
      phase: 'Successful',
      runSummary: { count: 0 },
      dryRunSummary: { count: 2, failed: 1, successful: 1 },
    });
  });

  it('a rule matching no metric makes the run Error: Rule didn’t match any metric name(s)', async () => {
    const h = new Harness(two, answers);
    const name = h.start('t', { analysis: { dryRun: [{ metricName: 'total' }, { metricName: 'latency' }] } });
    await h.at(0);
    expect(h.run(name)).toMatchObject({
      phase: 'Error',
      message: "Analysis spec invalid: dryRun[1]: Rule didn't match any metric name(s)",
    });
    expect(h.queries).toEqual([]);
  });

  it('a bare * is no Go regexp: it matches nothing', async () => {
    const h = new Harness(two, answers);
    const name = h.start('t', { analysis: { dryRun: [{ metricName: '*' }] } });
    await h.at(0);
    expect(h.run(name).message).toBe(
      "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)",
    );
  });

  it('the same rule twice (Rollout and template) is refused', () => {
    const h = new Harness(two.replace('metrics:', 'dryRun:\n    - metricName: total\n  metrics:'), answers);
    expect(h.create('t', { analysis: { dryRun: [{ metricName: 'total' }] } })).toEqual({
      error: "two Dry-Run metric rules have the same name 'total'",
    });
    expect(
      h.create('t', { kind: 'Step', stepIndex: 0, analysis: { dryRun: [{ metricName: 'total' }] } }),
    ).toMatchObject({
      error: "two Dry-Run metric rules have the same name 'total'",
      invalidSpec: true,
    });
  });

  it('a run of only dry-run metrics is Successful even when they all fail', async () => {
    const h = new Harness(two, () => [0]);
    const name = h.start('t', { analysis: { dryRun: [{ metricName: 'e' }] } });
    await h.at(10 * MIN);
    expect(h.run(name)).toMatchObject({
      phase: 'Successful',
      dryRunSummary: { count: 2, failed: 1, successful: 1 },
    });
  });
});

describe('measurementRetention (§5.7, §5.8)', () => {
  it('keeps the latest 10 measurements by default; the counters count them all', async () => {
    const h = single('interval: 10s\ncount: 25', (n) => [n]);
    const name = h.start('t');
    await h.at(10 * MIN);
    const m = h.run(name).metricResults[0]!;
    expect(m.count).toBe(25);
    expect(m.measurements.map((x) => x.value)).toEqual(Array.from({ length: 10 }, (_, i) => `[${i + 15}]`));
  });

  it('a rule keeps the latest N for the metrics it matches; limit 0 means the default', async () => {
    const h = new Harness(
      template(
        't',
        `measurementRetention:
  - metricName: ^a$
    limit: 3
metrics:
  - name: a
    interval: 10s
    count: 12
    ${PROM}
        query: a
  - name: b
    interval: 10s
    count: 12
    ${PROM}
        query: b`,
      ),
      (_q, _at, n) => [n],
    );
    const name = h.start('t', { analysis: { measurementRetention: [{ metricName: 'b', limit: 0 }] } });
    await h.at(10 * MIN);
    const [a, b] = h.run(name).metricResults;
    expect(a!.measurements.map((x) => x.value)).toEqual(['[9]', '[10]', '[11]']);
    expect(a!.successful).toBe(12);
    expect(b!.measurements).toHaveLength(10);
  });

  it('a retention rule matching nothing makes the run Error', async () => {
    const h = single('interval: 10s', () => [1]);
    const name = h.start('t', { analysis: { measurementRetention: [{ metricName: 'nope', limit: 2 }] } });
    await h.at(0);
    expect(h.run(name).message).toBe(
      "Analysis spec invalid: measurementRetention[0]: Rule didn't match any metric name(s)",
    );
  });
});

describe('resolved metrics are validated when the run starts', () => {
  it.each([
    ['interval: "{{args.v}}"', 'abc', 'metrics[0]: invalid interval string: time: invalid duration "abc"'],
    [
      'interval: "{{args.v}}"',
      '5',
      'metrics[0]: invalid interval string: time: missing unit in duration "5"',
    ],
    [
      'initialDelay: "{{args.v}}"',
      '3x',
      'metrics[0]: invalid startDelay string: time: unknown unit "x" in duration "3x"',
    ],
    ['interval: 1m\ncount: 2\nfailureLimit: "{{args.v}}"', '3', 'metrics[0]: count must be >= failureLimit'],
    ['count: "{{args.v}}"', '2', 'metrics[0]: interval must be specified when count > 1'],
  ])('%s with v=%j → Analysis spec invalid: %s', async (fields, v, error) => {
    const h = new Harness(
      template(
        't',
        `args:\n  - name: v\nmetrics:\n  - name: m\n${fields
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}\n    ${PROM}\n        query: q`,
      ),
    );
    const name = h.start('t', { analysis: { args: [{ name: 'v', value: v }] } });
    await h.at(0);
    expect(h.run(name)).toMatchObject({ phase: 'Error', message: `Analysis spec invalid: ${error}` });
  });

  it('an int field from an arg that is no integer reads as 0, as Kubernetes’ IntOrString does', async () => {
    const h = new Harness(
      template(
        't',
        `args:\n  - name: v\nmetrics:\n  - name: m\n    consecutiveErrorLimit: "{{args.v}}"\n    ${PROM}\n        query: q`,
      ),
      () => ({ error: 'down' }),
    );
    const name = h.start('t', { analysis: { args: [{ name: 'v', value: 'four' }] } });
    await h.at(0);
    expect(h.run(name).message).toBe(
      'Metric "m" assessed Error due to consecutiveErrors (1) > consecutiveErrorLimit (0): "Error Message: down"',
    );
  });
});

describe('events (§4.4) and the rollout nudge', () => {
  it('records AnalysisRun<Phase> on the Rollout when the phase changes, with the run type', async () => {
    const h = single('interval: 1m\ncount: 3\nsuccessCondition: result[0] > 1', (n) => (n < 1 ? [2] : [0]));
    const name = h.start('t', { kind: 'Step', stepIndex: 1 });
    expect(h.rolloutEvents()).toEqual([]);
    await h.at(MIN);
    expect(h.rolloutEvents()).toEqual([
      `AnalysisRunRunning: Step Analysis Run '${name}' Status New: 'Running' Previous: ''`,
      `AnalysisRunFailed: Step Analysis Run '${name}' Status New: 'Failed' Previous: 'Running'`,
    ]);
    expect(h.events.events.filter((e) => e.object === 'Rollout/ro').map((e) => e.type)).toEqual([
      'Normal',
      'Warning',
    ]);
    expect(h.runEvents()).toEqual([
      "Warning MetricFailed: Metric 'success-rate' Completed. Result: Failed",
      'Warning AnalysisRunFailed: Analysis Completed. Result: Failed',
    ]);
    expect(h.changed).toBe(2);
  });

  it('uses Background, PrePromotion and PostPromotion as the type', async () => {
    const h = single('', () => [1]);
    const bg = h.start('t');
    const pre = h.start('t', { kind: 'PrePromotion' });
    const post = h.start('t', { kind: 'PostPromotion' });
    await h.at(0);
    expect(h.rolloutEvents()).toEqual([
      `AnalysisRunSuccessful: Background Analysis Run '${bg}' Status New: 'Successful' Previous: ''`,
      `AnalysisRunSuccessful: PrePromotion Analysis Run '${pre}' Status New: 'Successful' Previous: ''`,
      `AnalysisRunSuccessful: PostPromotion Analysis Run '${post}' Status New: 'Successful' Previous: ''`,
    ]);
  });

  it('a run that errors on its spec gets its event too', async () => {
    const h = single('interval: 1m', () => [1]);
    const name = h.start('t', { analysis: { dryRun: [{ metricName: 'zzz' }] } });
    await h.at(0);
    expect(h.rolloutEvents()).toEqual([
      `AnalysisRunError: Background Analysis Run '${name}' Status New: 'Error' Previous: ''`,
    ]);
    expect(h.runEvents()).toEqual(['Warning AnalysisRunError: Analysis Completed. Result: Error']);
  });

  it('a run the rollout terminated gets no more Rollout events (Argo no longer tracks it)', async () => {
    const h = single('interval: 1m', () => [1]);
    const name = h.start('t');
    await h.at(MIN);
    h.ctrl.terminate('default', name);
    await h.at(MIN);
    expect(h.run(name).phase).toBe('Successful');
    expect(h.rolloutEvents()).toEqual([
      `AnalysisRunRunning: Background Analysis Run '${name}' Status New: 'Running' Previous: ''`,
    ]);
    expect(h.runEvents()).toEqual([
      "Normal MetricSuccessful: Metric 'success-rate' Completed. Result: Successful",
      'Normal AnalysisRunSuccessful: Analysis Completed. Result: Successful',
    ]);
  });
});
