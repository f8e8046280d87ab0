import { describe, expect, it } from 'vitest';
import { HEADER, runInline } from '../helpers/inlineScenario.js';
import type { ScenarioRun } from '../helpers/runScenarioFile.js';

// The canary fields beyond the blog (spec/argo-rollouts.md §1.2, §2.4–2.6, §3, §9), played as
// scenarios on the virtual clock against the istio overlay with its Rollout replaced.

const failed = (run: ScenarioRun) => run.result.expectations.filter((e) => !e.passed);
const events = (run: ScenarioRun, reason: string) => run.report.events.filter((e) => e.reason === reason);

/** The istio overlay's Rollout with other replicas, canary fields and steps. */
function rollout(opts: { replicas?: number; canary?: string; steps: string; spec?: string }): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: silly-demo
spec:
  replicas: ${opts.replicas ?? 5}
${opts.spec ?? ''}
  strategy:
    canary:
      canaryService: silly-demo-canary
      stableService: silly-demo-stable
      trafficRouting:
        istio:
          virtualServices:
            - name: silly-demo-1
              routes: [primary]
            - name: silly-demo-2
              routes: [secondary]
${opts.canary ?? ''}
      steps:
${opts.steps}
  selector:
    matchLabels:
      app: silly-demo
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: silly-demo
`;
}

const ROLLOUT = 'kustomize/overlays/istio/rollout.yaml';
const R = 'rollouts["silly-demo"]';
/** The canary ReplicaSet's spec replicas (revision 2). */
const CANARY = `${R}.revisions[0].replicas`;

const UPDATE = `
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio}`;

describe('setCanaryScale, minPodsPerReplicaSet, dynamicStableScale', () => {
  it('11: the e2e setCanaryScale sequence on 4 replicas: 0, 1, 1, 3, 2 canary pods, then 4', async () => {
    const steps = `        - pause: {}
        - setCanaryScale: {weight: 25}
        - pause: {}
        - setWeight: 50
        - pause: {}
        - setCanaryScale: {replicas: 3}
        - pause: {}
        - setCanaryScale: {matchTrafficWeight: true}
        - pause: {}`;
    const at = (i: number, canary: number) => `
  - waitUntil: '${R}.step == "${i}/9" && ${R}.phase == "Paused"'
  - wait: 1m
  - expect: '${CANARY} == ${canary} && ${R}.revisions[1].replicas == 4'
  - promote: silly-demo`;
    const run = await runInline(
      `${HEADER}
timeline:${UPDATE}${at(0, 0)}${at(2, 1)}${at(4, 1)}${at(6, 3)}${at(8, 2)}
  - waitUntil: '${R}.phase == "Healthy"'
  - expect: '${R}.revisions[0].role == "stable" && ${R}.revisions[0].replicas == 4'
`,
      { [ROLLOUT]: rollout({ replicas: 4, steps }) },
    );
    expect(failed(run)).toEqual([]);
  });

  it('10: setCanaryScale replicas 9 on a 1-replica rollout → 9 canary + 1 stable', async () => {
    const run = await runInline(
      `${HEADER}
timeline:${UPDATE}
  - waitUntil: '${R}.step == "1/2"'
  - wait: 1m
expect:
  - '${CANARY} == 9 && ${R}.revisions[1].replicas == 1 && ${R}.replicas.current == 10'
`,
      {
        [ROLLOUT]: rollout({
          replicas: 1,
          steps: '        - setCanaryScale: {replicas: 9}\n        - pause: {}',
        }),
      },
    );
    expect(failed(run)).toEqual([]);
  });

  it('12: minPodsPerReplicaSet 2, 10 replicas, setWeight 5 → 2 canary pods', async () => {
    const run = await runInline(
      `${HEADER}
timeline:${UPDATE}
  - waitUntil: '${R}.step == "1/2"'
  - wait: 1m
expect:
  - '${CANARY} == 2 && ${R}.revisions[1].replicas == 10'
`,
      {
        [ROLLOUT]: rollout({
          replicas: 10,
          canary: '      minPodsPerReplicaSet: 2',
          steps: '        - setWeight: 5\n        - pause: {}',
        }),
      },
    );
    expect(failed(run)).toEqual([]);
  });

  it('9: dynamicStableScale at setWeight 10 on 10 replicas → canary 1, stable 9 once the weight moved; abort scales the stable back first', async () => {
    const run = await runInline(
      `${HEADER}
timeline:${UPDATE}
  - waitUntil: '${R}.step == "1/2"'
  - wait: 2m
  - expect: '${CANARY} == 1 && ${R}.revisions[1].replicas == 9'
  - expect: 'virtualServices["silly-demo-1"].routes[0].destinations[1].weight == 10'
  - abort: silly-demo
  - wait: 5m
  - expect: '${R}.phase == "Degraded" && ${CANARY} == 0 && ${R}.revisions[1].replicas == 10'
  - expect: 'virtualServices["silly-demo-1"].routes[0].destinations[1].weight == 0'
`,
      {
        [ROLLOUT]: rollout({
          replicas: 10,
          canary: '      dynamicStableScale: true',
          steps: '        - setWeight: 10\n        - pause: {}',
        }),
      },
    );
    expect(failed(run)).toEqual([]);
    // The stable shrank only after traffic left it: 10 → 9 after the weight moved to 10.
    const scaled = events(run, 'ScalingReplicaSet').map((e) => e.message);
    const stableDown = scaled.findIndex((m) => /revision 1\) from 10 to 9/.test(m));
    const weight10 = run.report.events.findIndex((e) => e.message === 'Traffic weight updated from 0 to 10');
    expect(stableDown).toBeGreaterThan(-1);
    expect(run.report.events.findIndex((e) => e.message.includes('from 10 to 9'))).toBeGreaterThan(weight10);
  });
});

describe('progressDeadlineSeconds', () => {
  const steps = '        - setWeight: 20\n        - pause: {}';
  it('a canary whose image cannot be pulled times out: Degraded ProgressDeadlineExceeded after the deadline, not before', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.130'}
  - apply: {kustomize: kustomize/overlays/istio}
  - wait: 100s
  - expect: '${R}.phase == "Progressing"'
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 10m}
  - expect: 'time < 200'
expect:
  - '${R}.message matches "^ProgressDeadlineExceeded: ReplicaSet \\"silly-demo-[a-z0-9]+\\" has timed out progressing.$"'
  - '${R}.images.stable == "ghcr.io/vfarcic/silly-demo:1.4.126"'
`,
      { [ROLLOUT]: rollout({ steps, spec: '  progressDeadlineSeconds: 120' }) },
    );
    expect(failed(run)).toEqual([]);
  });

  it('with progressDeadlineAbort the timeout aborts the update with the RS message', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.130'}
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 20m}
expect:
  - '${R}.message matches "^RolloutAborted: Rollout aborted update to revision 2: ReplicaSet \\"silly-demo-[a-z0-9]+\\" has timed out progressing.$"'
  - '${R}.step == "0/2" && ${R}.aborted'
`,
      {
        [ROLLOUT]: rollout({ steps, spec: '  progressDeadlineSeconds: 600\n  progressDeadlineAbort: true' }),
      },
    );
    expect(failed(run)).toEqual([]);
    const aborted = events(run, 'RolloutAborted');
    expect(aborted).toHaveLength(1);
    // 600 s after the canary's pod was created, plus Argo's one-second requeue.
    const created = events(run, 'ScalingReplicaSet').find((e) => /revision 2\) from 0 to 1/.test(e.message))!;
    expect(aborted[0]!.t - created.t).toBeGreaterThanOrEqual(600);
    expect(aborted[0]!.t - created.t).toBeLessThanOrEqual(602);
  });

  it('an indefinite pause does not time out', async () => {
    const run = await runInline(
      `${HEADER}
timeline:${UPDATE}
  - waitUntil: '${R}.step == "1/2"'
  - wait: 1h
expect:
  - '${R}.phase == "Paused" && ${R}.message == "CanaryPauseStep"'
`,
      { [ROLLOUT]: rollout({ steps, spec: '  progressDeadlineSeconds: 60' }) },
    );
    expect(failed(run)).toEqual([]);
  });
});

describe('replicaProgressThreshold', () => {
  it('Pods 1: a setWeight step advances once one of its canary pods is available, before all of them are', async () => {
    // 10 replicas at 50 % → 5 canary pods. Pods come up with jitter, so the first is ready before the last.
    const play = (canary: string) =>
      runInline(
        `${HEADER}
timeline:${UPDATE}
  - waitUntil: '${R}.step == "1/2"'
`,
        {
          [ROLLOUT]: rollout({ replicas: 10, canary, steps: '        - setWeight: 50\n        - pause: {}' }),
        },
      );
    const completedAt = (run: ScenarioRun) => events(run, 'RolloutStepCompleted')[0]!.t;
    const all = await play('');
    const one = await play('      replicaProgressThreshold: {type: Pods, value: 1}');
    expect(events(one, 'RolloutStepCompleted')[0]!.message).toBe(
      'Rollout step 1/2 completed (setWeight: 50)',
    );
    expect(completedAt(one)).toBeLessThan(completedAt(all));
  });
});

/** A ClusterAnalysisTemplate "probe" with one metric over `query`. */
function probe(metric: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata:
  name: probe
spec:
  metrics:
${metric}
`;
}

const ANALYSIS_STEPS = `        - setWeight: 20
        - analysis:
            templates:
              - templateName: probe
                clusterScope: true
        - setWeight: 60
        - pause: {}`;

describe('inline analysis steps', () => {
  const play = (metric: string, timeline: string) =>
    runInline(
      `${HEADER}
timeline:
  - apply: {file: probe.yaml}${UPDATE}${timeline}`,
      { 'probe.yaml': probe(metric), [ROLLOUT]: rollout({ steps: ANALYSIS_STEPS }) },
    );

  it('27: count 3, interval 1m, all successful → the run succeeds after the 3rd measurement (~2 min) and the rollout moves on', async () => {
    const run = await play(
      `    - name: ok
      interval: 1m
      count: 3
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(1)`,
      `
  - waitUntil: {condition: '${R}.step == "3/4"', timeout: 10m}
expect:
  - '${R}.phase == "Paused" && ${R}.message == "CanaryPauseStep"'
  - 'len(${R}.analysisRuns) == 1'
  - '${R}.analysisRuns[0].phase == "Successful"'
`,
    );
    expect(failed(run)).toEqual([]);
    const name = run.report.rollouts['silly-demo']!.analysisRuns[0]!.name;
    expect(name).toMatch(/^silly-demo-[a-z0-9]+-2-1$/);
    const step1 = events(run, 'RolloutStepCompleted').find(
      (e) => e.message === 'Rollout step 1/4 completed (setWeight: 20)',
    )!;
    const step2 = events(run, 'RolloutStepCompleted').find(
      (e) => e.message === 'Rollout step 2/4 completed (analysis)',
    )!;
    expect(step2.t - step1.t).toBeGreaterThanOrEqual(120);
    expect(step2.t - step1.t).toBeLessThan(125);
  });

  it('a failed step analysis aborts with "Step-based analysis phase error/failed: …"', async () => {
    const run = await play(
      `    - name: bad
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(0)`,
      `
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 10m}
expect:
  - '${R}.message == "RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric \\"bad\\" assessed Failed due to failed (1) > failureLimit (0)"'
  - '${R}.step == "0/4"'
`,
    );
    expect(failed(run)).toEqual([]);
  });

  it('26: an Inconclusive step analysis pauses the rollout (InconclusiveAnalysisRun); promote moves past it', async () => {
    const run = await play(
      `    - name: nan
      successCondition: result[0] >= 0.9
      failureCondition: result[0] < 0.9
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(0) / vector(0)`,
      `
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 10m}
  - expect: '${R}.message == "InconclusiveAnalysisRun" && ${R}.step == "1/4"'
  - wait: 10m
  - expect: '${R}.message == "InconclusiveAnalysisRun" && ${R}.step == "1/4"'
  - promote: silly-demo
  - waitUntil: {condition: '${R}.step == "3/4"', timeout: 10m}
expect:
  - '${R}.phase == "Paused" && ${R}.message == "CanaryPauseStep"'
  - 'len(${R}.analysisRuns) == 1 && ${R}.analysisRuns[0].phase == "Inconclusive"'
`,
    );
    expect(failed(run)).toEqual([]);
  });

  it('17: promote while an analysis step runs skips the step at once and terminates its run', async () => {
    const run = await play(
      `    - name: slow
      interval: 1m
      count: 10
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(1)`,
      `
  - waitUntil: {condition: '${R}.step == "1/4"', timeout: 10m}
  - wait: 90s
  - expect: '${R}.phase == "Progressing" && ${R}.analysisRuns[0].phase == "Running"'
  - promote: silly-demo
  - waitUntil: {condition: '${R}.step == "3/4"', timeout: 10m}
expect:
  - '${R}.analysisRuns[0].phase == "Successful"'
  - '${R}.analysisRuns[0].message == "Run Terminated"'
`,
    );
    expect(failed(run)).toEqual([]);
  });
});

describe('Rollout validation of analyses (§5.2, §5.3, §9 fact 34)', () => {
  it('34: an unresolvable placeholder in a step template makes the Rollout InvalidSpec (Degraded) and creates no run', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {file: probe.yaml}
  - apply: {kustomize: kustomize/overlays/istio}
  - wait: 5m
expect:
  - '${R}.phase == "Degraded"'
  - '${R}.replicas.current == 0'
  - 'len(${R}.analysisRuns) == 0'
`,
      {
        'probe.yaml': probe(`    - name: q
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: 'vector({{args.missing}})'`),
        [ROLLOUT]: rollout({ steps: ANALYSIS_STEPS }),
      },
    );
    expect(failed(run)).toEqual([]);
    expect(run.report.rollouts['silly-demo']!.message).toMatch(
      /^InvalidSpec: The Rollout "silly-demo" is invalid: spec\.strategy\.canary\.steps\[1\]\.analysis\.templates: Invalid value: .*failed to resolve \{\{args\.missing\}\}/,
    );
  });

  const argSteps = (args: string) => `        - setWeight: 20
        - analysis:
            templates:
              - templateName: probe
                clusterScope: true
            args:
${args}
        - setWeight: 60
        - pause: {}`;
  const argProbe = `apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata:
  name: probe
spec:
  args:
    - name: needed
  metrics:
    - name: q
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: 'vector({{args.needed}})'
`;

  it('33: a template arg nobody supplies: InvalidSpec "args.needed was not resolved"; an undeclared Rollout arg is ignored', async () => {
    const missing = await runInline(
      `${HEADER}
timeline:
  - apply: {file: probe.yaml}
  - apply: {kustomize: kustomize/overlays/istio}
  - wait: 1m
expect:
  - '${R}.phase == "Degraded"'
`,
      {
        'probe.yaml': argProbe,
        [ROLLOUT]: rollout({ steps: argSteps('              - {name: extra, value: "1"}') }),
      },
    );
    expect(failed(missing)).toEqual([]);
    expect(missing.report.rollouts['silly-demo']!.message).toBe(
      'InvalidSpec: The Rollout "silly-demo" is invalid: spec.strategy.canary.steps[1].analysis.templates: Invalid value: "templateNames: [probe]": args.needed was not resolved',
    );

    const supplied = await runInline(
      `${HEADER}
timeline:
  - apply: {file: probe.yaml}${UPDATE}
  - waitUntil: '${R}.step == "3/4" && ${R}.phase == "Paused"'
expect:
  - '${R}.analysisRuns[0].phase == "Successful"'
`,
      {
        'probe.yaml': argProbe,
        [ROLLOUT]: rollout({
          steps: argSteps(
            '              - {name: extra, value: "2"}\n              - {name: needed, value: "1"}',
          ),
        }),
      },
    );
    expect(failed(supplied)).toEqual([]);
  });

  it('a template applied after its Rollout: InvalidSpec "not found" until it exists, then the Rollout goes on', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - wait: 1m
  - get: {rollout: silly-demo}
  - apply: {file: probe.yaml}
  - waitUntil: '${R}.phase == "Healthy"'
expect:
  - '${R}.replicas.available == 5'
`,
      {
        'probe.yaml': probe(`    - name: q
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(1)`),
        [ROLLOUT]: rollout({ steps: ANALYSIS_STEPS }),
      },
    );
    expect(failed(run)).toEqual([]);
    expect(run.output).toContain(
      `InvalidSpec: The Rollout "silly-demo" is invalid: spec.strategy.canary.steps[1].analysis.templates: Invalid value: "probe": ClusterAnalysisTemplate 'probe' not found`,
    );
  });

  it('an unbounded metric in a step template is InvalidSpec from the first apply: "runs indefinitely"', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {file: probe.yaml}
  - apply: {kustomize: kustomize/overlays/istio}
  - wait: 1m
expect:
  - '${R}.phase == "Degraded"'
  - '${R}.replicas.current == 0'
`,
      {
        'probe.yaml': probe(`    - name: forever
      interval: 1m
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(1)`),
        [ROLLOUT]: rollout({ steps: ANALYSIS_STEPS }),
      },
    );
    expect(failed(run)).toEqual([]);
    expect(run.report.rollouts['silly-demo']!.message).toContain(
      'AnalysisTemplate probe has metric forever which runs indefinitely. Invalid value for count: <nil>',
    );
  });
});

describe('dry-run metrics in the report (§9 fact 30)', () => {
  it('30: a failing dry-run metric and a successful real one: the run is Successful, dryRunSummary {count 1, failed 1}', async () => {
    const steps = `        - setWeight: 20
        - analysis:
            templates:
              - templateName: probe
                clusterScope: true
            dryRun:
              - metricName: bad
        - setWeight: 60
        - pause: {}`;
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {file: probe.yaml}${UPDATE}
  - waitUntil: '${R}.step == "3/4" && ${R}.phase == "Paused"'
expect:
  - '${R}.analysisRuns[0].phase == "Successful"'
`,
      {
        'probe.yaml': probe(`    - name: good
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(1)
    - name: bad
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(0)`),
        [ROLLOUT]: rollout({ steps }),
      },
    );
    expect(failed(run)).toEqual([]);
    const ar = run.report.rollouts['silly-demo']!.analysisRuns[0]!;
    expect(ar.kind).toBe('Step');
    expect(ar.runSummary).toEqual({ count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
    expect(ar.dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    expect(ar.metrics.map((m) => [m.name, m.dryRun, m.phase])).toEqual([
      ['good', false, 'Successful'],
      ['bad', true, 'Failed'],
    ]);
  });
});
