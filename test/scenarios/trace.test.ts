import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainRun } from '../../cli/commands/explain.js';
import { HEADER, runInline } from '../helpers/inlineScenario.js';
import { BLOG_SCENARIO, REPO_ROOT, runScenarioFile, type ScenarioRun } from '../helpers/runScenarioFile.js';

// The trace in the report (docs/report.md) and `explain`, checked against Argo's facts
// (spec/argo-rollouts.md §4.3, §5.2–§5.9, §6.2, §6.3, §9) and the demo's (spec/seed-demo.md §2.3).

type Report = ScenarioRun['report'];
const clock = (t: number) => new Date(Math.round(t) * 1000).toISOString().slice(11, 19);

/** When the rollout's last `Rollout step <k>/<n> completed` event of revision `rev`'s update came. */
function stepCompletedAt(report: Report, k: number, n: number): number {
  const e = report.events.filter(
    (x) => x.object === 'Rollout/silly-demo' && x.message.startsWith(`Rollout step ${k}/${n} completed`),
  );
  return e.at(-1)!.t;
}

const SERVICE = 'silly-demo-canary.a-team.svc.cluster.local';
const NO_DATA = 'metric result is nil or empty: no data returned from the metric provider';
const REFLECT = 'reflect: slice index out of range';

describe('the blog: 1.4.129 aborts on success-rate', () => {
  let blog: ScenarioRun;
  beforeAll(async () => {
    blog = await runScenarioFile(BLOG_SCENARIO);
  });

  it('keeps the measurement that failed: query as sent, series, value, condition, counters, verdict', () => {
    const runs = blog.report.rollouts['silly-demo']!.analysisRuns;
    expect(runs.map((r) => [r.revision, r.kind, r.phase])).toEqual([
      [3, 'Background', 'Successful'],
      [4, 'Background', 'Failed'],
    ]);
    const failed = runs[1]!;
    // Fact 23 / §4.3: the run's message names the metric and the limit.
    expect(failed.message).toBe('Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)');
    const metric = failed.metrics[0]!;
    // §5.2: no interval and no count → one measurement; the defaults.
    expect(metric.limits).toEqual({
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      consecutiveSuccessLimit: 0,
      count: 1,
    });
    expect(metric.measurements).toHaveLength(1);
    const m = metric.measurements[0]!;
    // §5.3: the template's placeholders replaced by the Rollout's arg and the template's defaults.
    const template = readFileSync(
      path.join(REPO_ROOT, 'scenarios/blog/cluster-analysis-template.yaml'),
      'utf8',
    );
    const query = /query: \|\n((?: {12}.*\n?)+)/.exec(template)![1]!.replace(/^ {12}/gm, '');
    expect(m.query).toBe(query.replaceAll('{{args.service-name}}', SERVICE));
    expect(m.query).not.toContain('{{');
    expect(m.address).toBe('http://kube-prometheus-stack-prometheus.monitoring:9090');
    // seed-demo §2.3: under ?fail=true the canary (1.4.129) answers 500 to all: success rate 0.
    // A sum without `by` keeps no labels; Argo stores the vector as [0] (§6.2).
    expect(m.result).toEqual({ resultType: 'vector', series: [{ labels: {}, value: 0 }] });
    expect(m.value).toBe('[0]');
    expect(m.conditions).toEqual([
      { condition: 'successCondition', expression: 'result[0] >= 0.95', value: false, error: null },
    ]);
    expect(m).toMatchObject({
      n: 1,
      phase: 'Failed',
      message: null,
      counters: { count: 1, failed: 1, successful: 0, consecutiveError: 0 },
      metricPhase: 'Failed',
      reason: 'failed (1) > failureLimit (0)',
      retained: true,
    });
    // Fact 28: the background run starts when the index reaches startingStep 2 (after step 2/8).
    expect(m.t).toBe(stepCompletedAt(blog.report, 2, 8));
    expect(metric.decided).toEqual({ t: m.t, phase: 'Failed', reason: 'failed (1) > failureLimit (0)' });
    // The first canary (1.4.127, plain requests) measured a success rate of 1.
    expect(runs[0]!.metrics[0]!.measurements[0]).toMatchObject({
      value: '[1]',
      phase: 'Successful',
      reason: 'count (1) reached',
    });
  });

  it('explain: from the measurement to the abort, with the step and weight of the moment', () => {
    const text = explainRun(blog.report);
    const t = blog.report.rollouts['silly-demo']!.analysisRuns[1]!.metrics[0]!.measurements[0]!.t;
    // startingStep 2: the 3rd step of 8 (setWeight 40) had begun, the weight still the 1st step's 20.
    expect(text).toContain(
      `at ${clock(t)} measurement 1 of success-rate: \`sum(irate( istio_requests_total{reporte…\` returned {} 0; \`result[0] >= 0.95\` is false → Failed; failed (1) > failureLimit (0) → metric Failed → run Failed → Rollout aborted (step 3/8, 20 % weight)`,
    );
    expect(text).toContain(
      `Background analysis silly-demo-67f6f45f54-4 (revision 4) → Failed: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)`,
    );
    expect(text).toContain(
      `success-rate queries http://kube-prometheus-stack-prometheus.monitoring:9090 with:\n      sum(irate(\n        istio_requests_total{reporter="source",destination_service="${SERVICE}",response_code!~"5.*"}[5m]`,
    );
    // The manual abort of the first part (after step 1/8, setWeight 20) is no analysis's doing.
    expect(text).toMatch(
      /\d\d:\d\d:\d\d {2}Rollout aborted \(step 2\/8, setWeight 20\): Rollout aborted update to revision 3 — no analysis run decided this/,
    );
    expect(text.startsWith('Rollout silly-demo (namespace a-team): Degraded — RolloutAborted:')).toBe(true);
  });
});

/** The blog's istio-prometheus canary (background analysis from step 2) with another template. */
const canary = (until: string) => `${HEADER}
timeline:
  - apply: {file: cluster-analysis-template.yaml}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio-prometheus, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: {condition: '${until}', timeout: 30m}
`;
const templateWith = (metrics: string, extra = '') => ({
  'cluster-analysis-template.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata:
  name: success-rate
spec:
  args:
    - name: service-name
${extra}  metrics:
${metrics}`,
});
const PROM = `      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090`;

describe('an Error chain: no traffic, an empty vector (fact 25)', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runInline(
      canary('rollouts["silly-demo"].phase == "Degraded"'),
      templateWith(`    - name: success-rate
      successCondition: result[0] >= 0.95
${PROM}
          query: sum(irate(istio_requests_total{reporter="source",destination_service="{{args.service-name}}"}[5m]))
`),
    );
  });

  it('five Error measurements 10 s apart, consecutiveErrors counting to 5 > 4 → run Error → abort', () => {
    const r = run.report.rollouts['silly-demo']!.analysisRuns[0]!;
    const m = r.metrics[0]!.measurements;
    const start = m[0]!.t;
    // The value as Argo stores it: empty, since its provider marks a condition error before it
    // sets the value (prometheus.go Run); the answer itself ([] here) is in the trace.
    expect(m.map((x) => [x.t - start, x.phase, x.counters.consecutiveError, x.value])).toEqual([
      [0, 'Error', 1, ''],
      [10, 'Error', 2, ''],
      [20, 'Error', 3, ''],
      [30, 'Error', 4, ''],
      [40, 'Error', 5, ''],
    ]);
    // §5.4/§6.3: Argo's words for result[0] on [] depend on the release: the no-data text, or
    // expr's own error (`reflect: slice index out of range`) where it is not wrapped.
    const error = m[4]!.message!;
    expect([`could not evaluate successCondition "result[0] >= 0.95": ${NO_DATA}`, REFLECT]).toContain(error);
    expect(m[4]).toMatchObject({
      result: { resultType: 'vector', series: [] },
      message: error,
      conditions: [{ condition: 'successCondition', expression: 'result[0] >= 0.95', value: null, error }],
      reason: 'consecutiveErrors (5) > consecutiveErrorLimit (4)',
      metricPhase: 'Error',
    });
    expect(r.phase).toBe('Error');
    // §4.3: the last measurement's message is appended to the run's.
    expect(r.message).toBe(
      `Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: ${error}"`,
    );
    // Argo's MetricResult.message: the last measurement's message when the phase changed.
    expect(r.metrics[0]!.message).toBe(error);
    expect(run.report.rollouts['silly-demo']!.phase).toBe('Degraded');
  });

  it('explain lists each error against the limit, and the fifth decides', () => {
    const text = explainRun(run.report);
    const first = run.report.rollouts['silly-demo']!.analysisRuns[0]!.metrics[0]!.measurements[0]!;
    const t0 = first.t;
    // The condition's own error, without Argo's `could not evaluate …:` wrapping when it has one.
    const why = first.message === REFLECT ? REFLECT : NO_DATA;
    expect(text).toContain(
      `at ${clock(t0)} measurement 1 of success-rate: \`sum(irate(istio_requests_total{reporter…\` returned no series ([]); \`result[0] >= 0.95\` could not be evaluated (${why}) → Error; consecutiveErrors (1) <= consecutiveErrorLimit (4); retried 10 s later`,
    );
    // §5.7: the run started with step 3/8 (setWeight 40); 40 s later that step had completed, so
    // the abort came during the pause, step 4 of 8, at 40 %.
    const completed = stepCompletedAt(run.report, 3, 8);
    expect(completed).toBeGreaterThan(t0);
    expect(completed).toBeLessThan(t0 + 40);
    expect(text).toContain(
      `at ${clock(t0 + 40)} measurement 5 of success-rate: \`sum(irate(istio_requests_total{reporter…\` returned no series ([]); \`result[0] >= 0.95\` could not be evaluated (${why}) → Error; consecutiveErrors (5) > consecutiveErrorLimit (4) → metric Error → run Error → Rollout aborted (step 4/8, 40 % weight)`,
    );
  });
});

describe('an Inconclusive pause: NaN against both conditions (fact 26)', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runInline(
      canary('rollouts["silly-demo"].message == "InconclusiveAnalysisRun"'),
      templateWith(`    - name: success-rate
      successCondition: result >= 0.95
      failureCondition: result < 0.95
${PROM}
          query: scalar(sum(irate(istio_requests_total{destination_service="{{args.service-name}}"}[5m])))
`),
    );
  });

  it('both conditions false → Inconclusive → the rollout pauses', () => {
    expect(run.result.passed).toBe(true);
    const r = run.report.rollouts['silly-demo']!;
    expect(r.phase).toBe('Paused');
    const m = r.analysisRuns[0]!.metrics[0]!.measurements[0]!;
    // §6.2: a scalar is stored as Go prints it; JSON has no NaN, so the series value reads null.
    expect(m.value).toBe('NaN');
    expect(m.result).toEqual({ resultType: 'scalar', series: [{ labels: {}, value: NaN }] });
    expect(m.conditions.map((c) => [c.condition, c.value])).toEqual([
      ['successCondition', false],
      ['failureCondition', false],
    ]);
    expect(m).toMatchObject({ phase: 'Inconclusive', reason: 'inconclusive (1) > inconclusiveLimit (0)' });
  });

  it('explain ends the chain at the pause', () => {
    const text = explainRun(run.report);
    expect(text).toContain(
      '`result >= 0.95` is false, `result < 0.95` is false → Inconclusive; inconclusive (1) > inconclusiveLimit (0) → metric Inconclusive → run Inconclusive → Rollout paused (InconclusiveAnalysisRun): promote it to go on, or abort (step 3/8, 20 % weight)',
    );
    expect(text).toContain('returned scalar NaN;');
  });
});

describe('a dry-run metric (fact 30)', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    run = await runInline(
      canary('rollouts["silly-demo"].phase == "Healthy" && len(rollouts["silly-demo"].analysisRuns) > 0'),
      templateWith(
        `    - name: always
${PROM}
          query: vector(1)
    - name: strict
      successCondition: result[0] >= 2
${PROM}
          query: vector(1)
`,
        '  dryRun:\n    - metricName: strict\n',
      ),
    );
  });

  it('fails alone, counted in dryRunSummary; the run succeeds and the rollout is promoted', () => {
    const r = run.report.rollouts['silly-demo']!.analysisRuns[0]!;
    expect(r.phase).toBe('Successful');
    expect(r.dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    const strict = r.metrics.find((m) => m.name === 'strict')!;
    // §4.3: a dry-run metric's message has no name.
    expect(strict).toMatchObject({
      dryRun: true,
      phase: 'Failed',
      message: 'Metric assessed Failed due to failed (1) > failureLimit (0)',
    });
    expect(strict.measurements[0]).toMatchObject({
      phase: 'Failed',
      reason: 'failed (1) > failureLimit (0)',
    });
    // Fact 22: a metric without conditions is Successful.
    expect(r.metrics.find((m) => m.name === 'always')!.measurements[0]!.conditions).toEqual([]);
  });

  it('explain says the dry-run metric never decides', () => {
    const text = explainRun(run.report);
    expect(text).toContain(
      '`vector(1)` returned {} 1; `result[0] >= 2` is false → Failed; failed (1) > failureLimit (0) → metric Failed (a dry-run metric: counted in dryRunSummary, it never decides the run)',
    );
    expect(text).toContain(
      '`vector(1)` returned {} 1; no conditions (always Successful) → Successful; count (1) reached → metric Successful → run Successful → the rollout went on',
    );
  });
});

describe('query results keep their labels', () => {
  it('querySeries holds canary and stable apart; queries stays the values', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - hey: {id: load, args: '-z 60m -c 10 -q 10 http://silly-demo.$ISTIO_HOST/', summary: false}
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: {condition: 'rollouts["silly-demo"].step == "1/8"', timeout: 5m}
  - wait: 3m
  - query: {id: by-service, expr: 'sort(sum by (destination_service) (rate(istio_requests_total{reporter="source"}[2m])))'}
expect:
  - 'len(querySeries["by-service"].series) == 2'
  - 'querySeries["by-service"].series[0].labels.destination_service == "${SERVICE}"'
  - 'queries["by-service"][1] > queries["by-service"][0]'
`);
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
    const q = run.report.querySeries['by-service']!;
    expect(q.resultType).toBe('vector');
    const series = q.resultType === 'vector' ? q.series : [];
    // Istio's destination_service is the Service's FQDN; 20 % of the traffic goes to the canary.
    expect(series.map((s) => s.labels)).toEqual([
      { destination_service: SERVICE },
      { destination_service: 'silly-demo-stable.a-team.svc.cluster.local' },
    ]);
    expect(run.report.queries['by-service']).toEqual(series.map((s) => s.value));
    expect(series[0]!.value / (series[0]!.value + series[1]!.value)).toBeCloseTo(0.2, 1);
  });
});

describe('explain: step analysis and blue-green', () => {
  it('a Successful step run completes its step; a Failed one aborts (§5.9)', async () => {
    const run = await runScenarioFile(path.join(REPO_ROOT, 'scenarios/drills/my-service/scenario.yaml'));
    const text = explainRun(run.report);
    // The first update passes its step analysis (step 2 of 4 after setWeight 20 at step 1).
    expect(text).toMatch(
      /count \(4\) reached → metric Successful → run Successful → Rollout step 2\/4 completed \(analysis\) \(20 % weight\)/,
    );
    // The next two fail it at the second failure of one metric (failureLimit 1), while the
    // other metric, cut short, ends Successful without another measurement (§5.6).
    expect(text).toMatch(
      /failed \(2\) > failureLimit \(1\) → metric Failed → run Failed → Rollout aborted \(step 2\/4, 20 % weight\)/,
    );
    expect(text).toMatch(
      /p99-latency: Successful at \d\d:\d\d:\d\d — the run is terminating, not measured again/,
    );
    expect(text).toContain('failed (1) <= failureLimit (1)');
  });

  it('pre-promotion: passed → BlueGreenPause; post-promotion: passed → completed; pre-promotion failed → aborted', async () => {
    const run = await runScenarioFile(path.join(REPO_ROOT, 'scenarios/drills/blue-green/scenario.yaml'));
    const text = explainRun(run.report);
    // autoPromotionEnabled: false → pause BlueGreenPause until promote (§1.5).
    expect(text).toMatch(/PrePromotion analysis silly-demo-\w+-2-pre \(revision 2\) → Successful\n/);
    expect(text).toMatch(/→ run Successful → Rollout is paused \(BlueGreenPause\): waiting for promote\n/);
    expect(text).toMatch(
      /→ run Successful → Rollout completed update to revision 2 \(\w+\): Completed blue-green update → Healthy\n/,
    );
    // No steps or weights in blue-green: the chain ends at the abort.
    expect(text).toMatch(
      /PrePromotion analysis silly-demo-\w+-3-pre \(revision 3\) → Failed: Metric "success-rate"/,
    );
    expect(text).toMatch(
      /failed \(1\) > failureLimit \(0\) → metric Failed → run Failed → Rollout aborted\n/,
    );
  });
});
