import { describe, expect, it } from 'vitest';
import { HEADER, runInline } from '../helpers/inlineScenario.js';
import type { ScenarioRun } from '../helpers/runScenarioFile.js';

// Checkable facts of spec/argo-rollouts.md §9, played as scenarios on the virtual clock.

const events = (run: ScenarioRun, reason: string) => run.report.events.filter((e) => e.reason === reason);
const failed = (run: ScenarioRun) => run.result.expectations.filter((e) => !e.passed);

/** A ClusterAnalysisTemplate with one metric, for the analysis facts. */
function template(metric: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata:
  name: probe
spec:
  args:
    - name: service-name
  metrics:
${metric}
`;
}

/** The istio-prometheus Rollout pointed at the "probe" template. */
const PROBE_ROLLOUT_PATCH = { from: 'templateName: success-rate', to: 'templateName: probe' };

describe('§9 facts', () => {
  it('13: the first deploy skips the steps: Healthy, Step 8/8, SetWeight 100, no AnalysisRun', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {file: cluster-analysis-template.yaml}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
expect:
  - 'rollouts["silly-demo"].step == "8/8" && rollouts["silly-demo"].setWeight == 100 && rollouts["silly-demo"].actualWeight == 100'
  - 'len(rollouts["silly-demo"].analysisRuns) == 0'
`);
    expect(failed(run)).toEqual([]);
    expect(events(run, 'RolloutCompleted').map((e) => e.message)).toEqual([
      expect.stringMatching(/^Rollout completed update to revision 1 \(\w+\): Initial deploy$/),
    ]);
  });

  it('14, 16: a 10 s pause ends 10 s after it began; promote at an indefinite pause completes it (event "Rollout step 2/8 completed (pause)")', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/simple, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: 'rollouts["silly-demo"].step == "1/8"'
  - wait: 1h
  - expect: 'rollouts["silly-demo"].phase == "Paused" && rollouts["silly-demo"].message == "CanaryPauseStep"'
  - promote: silly-demo
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
`);
    expect(failed(run)).toEqual([]);
    const steps = events(run, 'RolloutStepCompleted');
    expect(steps.map((e) => e.message)).toEqual([
      'Rollout step 1/8 completed (setWeight: 20)',
      'Rollout step 2/8 completed (pause)',
      'Rollout step 3/8 completed (setWeight: 40)',
      'Rollout step 4/8 completed (pause: 10)',
      'Rollout step 5/8 completed (setWeight: 60)',
      'Rollout step 6/8 completed (pause: 10)',
      'Rollout step 7/8 completed (setWeight: 80)',
      'Rollout step 8/8 completed (pause: 10)',
    ]);
    // Each timed pause lasts exactly its 10 s: from the step before it completing to its own completion.
    for (const i of [3, 5, 7]) expect(steps[i]!.t - steps[i - 1]!.t).toBe(10);
  });

  it('19, 21: abort is Degraded at step 0; setting the image back to the stable one is Healthy at once, no new ReplicaSet', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/simple, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: 'rollouts["silly-demo"].step == "1/8"'
  - abort: silly-demo
  - waitUntil: 'rollouts["silly-demo"].phase == "Degraded" && rollouts["silly-demo"].replicas.available == 5'
  - expect: 'rollouts["silly-demo"].step == "0/8" && rollouts["silly-demo"].setWeight == 0'
  - expect: 'rollouts["silly-demo"].message == "RolloutAborted: Rollout aborted update to revision 2"'
  - setImage: {kustomization: kustomize/overlays/simple, image: 'ghcr.io/vfarcic/silly-demo:1.4.126'}
  - apply: {kustomize: kustomize/overlays/simple}
  - wait: 1s
  - expect: 'rollouts["silly-demo"].phase == "Healthy" && rollouts["silly-demo"].step == "8/8"'
expect:
  - 'len(rollouts["silly-demo"].revisions) == 2'
`);
    expect(failed(run)).toEqual([]);
    expect(events(run, 'SkipSteps').map((e) => e.message)).toEqual(['Rollback to stable ReplicaSets']);
  });

  const probeRollout = (old: string) => old.replace(PROBE_ROLLOUT_PATCH.from, PROBE_ROLLOUT_PATCH.to);
  const update = `
  - apply: {file: probe.yaml}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio-prometheus, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - hey: {args: '-z 2h http://silly-demo.$ISTIO_HOST/', summary: false}`;

  // The run's message quotes the measurement's: v1.10 (the spec's snapshot, argo-rollouts#4680)
  // explains it; up to v1.9 it is the expr v1.15.5 error alone (§6.3, issue #1466).
  it.each([
    [
      '1.10',
      'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider',
    ],
    ['1.9', 'reflect: slice index out of range'],
  ])(
    '25 (Argo %s): an empty result errors every 10 s; the 5th consecutive error makes the run Error and aborts the rollout',
    async (argo, errorMessage) => {
      const run = await runInline(
        `${HEADER}
argoRollouts: "${argo}"
timeline:${update}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Degraded"', timeout: 30m}
expect:
  - 'rollouts["silly-demo"].analysisRuns[0].phase == "Error"'
  - 'rollouts["silly-demo"].analysisRuns[0].metrics[0].error == 5'
  - 'rollouts["silly-demo"].analysisRuns[0].metrics[0].count == 0'
`,
        {
          'probe.yaml': template(`    - name: nothing
      successCondition: result[0] >= 0.95
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: sum(no_such_metric{service="{{args.service-name}}"})`),
          'kustomize/overlays/istio-prometheus/rollout.yaml': probeRollout,
        },
      );
      expect(failed(run)).toEqual([]);
      const run0 = Object.values(run.report.analysisRuns)[0]!;
      expect(run0.message).toBe(
        `Metric "nothing" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: ${errorMessage}"`,
      );
      const errors = run.report.events.filter(
        (e) => e.object === `AnalysisRun/${run0.name}` || e.reason === 'RolloutAborted',
      );
      expect(errors.at(-1)!.message).toBe(
        `Rollout aborted update to revision 2: Background analysis phase error/failed: ${run0.message}`,
      );
      // Measurements at t0, +10, +20, +30, +40 s: the run ends 40 s after it started.
      expect((Date.parse(run0.completedAt!) - Date.parse(run0.startedAt!)) / 1000).toBe(40);
    },
  );

  it('29: a background run still measuring when the steps finish is terminated: Successful, "Run Terminated"', async () => {
    const run = await runInline(
      `${HEADER}
timeline:${update}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Healthy"', timeout: 1h}
expect:
  - 'rollouts["silly-demo"].analysisRuns[0].phase == "Successful"'
  - 'rollouts["silly-demo"].analysisRuns[0].message == "Run Terminated"'
  - 'rollouts["silly-demo"].analysisRuns[0].metrics[0].successful >= 15'
`,
      {
        'probe.yaml': template(`    - name: success-rate
      interval: 1m
      successCondition: result[0] >= 0.95
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: |
            sum(irate(istio_requests_total{reporter="source",destination_service="{{args.service-name}}",response_code!~"5.*"}[5m]))
            / sum(irate(istio_requests_total{reporter="source",destination_service="{{args.service-name}}"}[5m]))`),
        'kustomize/overlays/istio-prometheus/rollout.yaml': probeRollout,
      },
    );
    expect(failed(run)).toEqual([]);
  });

  it('23: result [0.90] fails the metric with failureLimit 0; the message names the limit', async () => {
    const run = await runInline(
      `${HEADER}
timeline:${update}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Degraded"', timeout: 1h}
expect:
  - 'rollouts["silly-demo"].analysisRuns[0].metrics[0].lastValue == "[0.9]"'
  - 'rollouts["silly-demo"].message == "RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: Metric \\"ratio\\" assessed Failed due to failed (1) > failureLimit (0)"'
`,
      {
        'probe.yaml': template(`    - name: ratio
      successCondition: result[0] >= 0.95
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(0.9)`),
        'kustomize/overlays/istio-prometheus/rollout.yaml': probeRollout,
      },
    );
    expect(failed(run)).toEqual([]);
  });

  it('an address that is not the embedded Prometheus errors as a DNS miss would', async () => {
    const run = await runInline(
      `${HEADER}
timeline:${update}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Degraded"', timeout: 1h}
`,
      {
        'probe.yaml': template(`    - name: elsewhere
      provider:
        prometheus:
          address: http://prometheus.example.org:9090
          query: vector(1)`),
        'kustomize/overlays/istio-prometheus/rollout.yaml': probeRollout,
      },
    );
    const r = Object.values(run.report.analysisRuns)[0]!;
    expect(r.phase).toBe('Error');
    expect(r.metrics[0]!.lastMessage).toBe(
      'Post "http://prometheus.example.org:9090/api/v1/query": dial tcp: lookup prometheus.example.org on 10.96.0.10:53: no such host',
    );
  });

  it.each(['simple', 'istio'])(
    'a new revision mid-rollout (%s): steps restart, the intermediate ReplicaSet goes to 0',
    async (overlay) => {
      const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/${overlay}}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/${overlay}, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/${overlay}}
  - waitUntil: 'rollouts["silly-demo"].step == "1/8" && rollouts["silly-demo"].phase == "Paused"'
  - setImage: {kustomization: kustomize/overlays/${overlay}, image: 'ghcr.io/vfarcic/silly-demo:1.4.128'}
  - apply: {kustomize: kustomize/overlays/${overlay}}
  - waitUntil: 'rollouts["silly-demo"].revision == 3 && rollouts["silly-demo"].step == "1/8" && rollouts["silly-demo"].phase == "Paused"'
  - wait: 10s
expect:
  - 'rollouts["silly-demo"].images.canary == "ghcr.io/vfarcic/silly-demo:1.4.128" && rollouts["silly-demo"].images.stable == "ghcr.io/vfarcic/silly-demo:1.4.126"'
  - 'rollouts["silly-demo"].revisions[1].revision == 2 && rollouts["silly-demo"].revisions[1].replicas == 0 && rollouts["silly-demo"].revisions[1].pods == 0'
  - 'rollouts["silly-demo"].revisions[0].replicas == 1 && rollouts["silly-demo"].actualWeight == 20'
`);
      expect(failed(run)).toEqual([]);
    },
  );

  it('37: without traffic routing, requests to the Service split by pod counts; ActualWeight is the canary share of available pods', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/simple, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: 'rollouts["silly-demo"].step == "1/8" && rollouts["silly-demo"].phase == "Paused"'
  - wait: 10s
  - expect: 'rollouts["silly-demo"].actualWeight == 20 && rollouts["silly-demo"].replicas.available == 5'
  - curl: {url: "http://silly-demo.a-team.svc.cluster.local:8080/", count: 2000, id: svc}
`);
    expect(failed(run)).toEqual([]);
    const k = run.curls.get('svc')!.filter((b) => b.includes('1.4.127')).length;
    // 1 canary pod of 5 ready: Bin(2000, 0.2), ±4.5 sd.
    expect(Math.abs(k - 400)).toBeLessThan(4.5 * Math.sqrt(2000 * 0.2 * 0.8));
  });
});
