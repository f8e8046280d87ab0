import { describe, expect, it } from 'vitest';
import { renderGetRollout } from '../../cli/views/renderGetRollout.js';
import type { RolloutView } from '../../cli/views/RolloutView.js';
import {
  basicCanaryReplicaCounts,
  resolveFenceposts,
  trafficRoutedReplicaCounts,
} from '../../sim/rollout/index.js';
import { HEADER, runInline } from '../helpers/inlineScenario.js';
import type { ScenarioRun } from '../helpers/runScenarioFile.js';

// spec/argo-rollouts.md §9, the facts not already played in argoFacts.test.ts,
// canaryFields.test.ts (9–12, 17, 26, 27) or test/analysis (22–26, 30–32).

const failed = (run: ScenarioRun) => run.result.expectations.filter((e) => !e.passed);
const events = (run: ScenarioRun, reason: string) => run.report.events.filter((e) => e.reason === reason);
const R = 'rollouts["silly-demo"]';

/** One reconcile of the basic-canary math from the given spec/available counts. */
function basic(
  n: number,
  w: number,
  surge: number | string,
  unav: number | string,
  stable: [number, number],
  canary: [number, number],
) {
  const f = resolveFenceposts(surge, unav, n);
  const out = basicCanaryReplicaCounts({
    n,
    weight: w,
    surge: f.surge,
    unavailable: f.unavailable,
    stable: { spec: stable[0], available: stable[1] },
    canary: { spec: canary[0], available: canary[1] },
    others: [],
  });
  return [out.canary, out.stable];
}

describe('§9 facts 1–8: replica math', () => {
  it('1: n=10, w20, surge 2, unav 0 → canary 2, stable 10; then stable 8 once the canary is ready', () => {
    expect(basic(10, 20, 2, 0, [10, 10], [0, 0])).toEqual([2, 10]);
    expect(basic(10, 20, 2, 0, [10, 10], [2, 2])).toEqual([2, 8]);
  });

  it('2: n=10, w20, surge 0, unav 2 → stable 8, canary 0 first; canary 2 next', () => {
    expect(basic(10, 20, 0, 2, [10, 10], [0, 0])).toEqual([0, 8]);
    expect(basic(10, 20, 0, 2, [8, 8], [0, 0])).toEqual([2, 8]);
  });

  it('3: n=1, w20, default 25% surge → 1 canary + 1 stable', () => {
    expect(basic(1, 20, '25%', '25%', [1, 1], [0, 0])).toEqual([1, 1]);
  });

  it('4: n=1, surge 0: w49 → 0/1; w51 → stable 0 first, then canary 1', () => {
    expect(basic(1, 49, 0, 1, [1, 1], [0, 0])).toEqual([0, 1]);
    expect(basic(1, 51, 0, 1, [1, 1], [0, 0])).toEqual([0, 0]);
    expect(basic(1, 51, 0, 1, [0, 0], [0, 0])).toEqual([1, 0]);
  });

  it('6: basic canary, setWeight 41 on 10 replicas → 4 canary / 6 stable (steady state)', () => {
    let stable: [number, number] = [10, 10];
    let canary: [number, number] = [0, 0];
    for (let i = 0; i < 20; i++) {
      const [c, s] = basic(10, 41, '25%', '25%', stable, canary);
      stable = [s!, s!];
      canary = [c!, c!];
    }
    expect([canary[0], stable[0]]).toEqual([4, 6]);
  });

  it('7, 8: traffic routing, n=10: setWeight 10 → canary 1, stable 10 (11 pods); setWeight 33 → canary 4', () => {
    expect(trafficRoutedReplicaCounts(10, 10)).toEqual({ canary: 1, stable: 10 });
    expect(trafficRoutedReplicaCounts(10, 33).canary).toBe(4);
  });

  it('5: rollouts-demo (n=5, defaults) paused at setWeight 20 → Step 1/8, SetWeight 20, 1 canary + 4 stable, ActualWeight 20', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/simple, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: '${R}.phase == "Paused"'
  - wait: 1m
expect:
  - '${R}.step == "1/8" && ${R}.setWeight == 20 && ${R}.actualWeight == 20'
  - '${R}.revisions[0].replicas == 1 && ${R}.revisions[1].replicas == 4'
`);
    expect(failed(run)).toEqual([]);
  });
});

describe('§9 facts on commands', () => {
  it('18: promote --full at index 1 → canary scaled to n, Step 8/8, "Full promotion requested", runs terminated', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {file: cluster-analysis-template.yaml}
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.step == "1/8" && ${R}.phase == "Paused"'
  - promote: {rollout: silly-demo, full: true}
  - waitUntil: '${R}.phase == "Healthy"'
expect:
  - '${R}.step == "8/8" && ${R}.images.stable == "ghcr.io/vfarcic/silly-demo:1.4.127"'
`);
    expect(failed(run)).toEqual([]);
    expect(events(run, 'RolloutCompleted').at(-1)!.message).toMatch(
      /^Rollout completed update to revision 2 \(\w+\): Full promotion requested$/,
    );
    // The canary reached all 5 replicas before the promotion.
    expect(events(run, 'ScalingReplicaSet').some((e) => /revision 2\) from \d to 5$/.test(e.message))).toBe(
      true,
    );
  });

  it('20: retry after abort → RolloutRetry "Retrying Rollout after abort", steps restart at 0, a new AnalysisRun (".1" suffix)', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {file: probe.yaml}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio-prometheus, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 30m}
  - retry: silly-demo
  - wait: 1s
  - expect: '${R}.phase == "Progressing" || ${R}.phase == "Paused"'
  - expect: '${R}.step == "0/8" || ${R}.step == "1/8"'
  - waitUntil: {condition: 'len(${R}.analysisRuns) == 2', timeout: 30m}
`,
      {
        'probe.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata:
  name: success-rate
spec:
  args:
    - name: service-name
  metrics:
    - name: always-fails
      successCondition: result[0] == 1
      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: vector(0)
`,
      },
    );
    expect(failed(run)).toEqual([]);
    expect(events(run, 'RolloutRetry').map((e) => e.message)).toEqual(['Retrying Rollout after abort']);
    const names = run.report.rollouts['silly-demo']!.analysisRuns.map((r) => r.name).sort();
    expect(names[1]).toBe(`${names[0]}.1`);
  });

  it('28: background analysis with startingStep 2 → no run at index 0 or 1; one once index 2 is reached', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {file: cluster-analysis-template.yaml}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio-prometheus, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: '${R}.step == "1/8"'
  - wait: 299s
  - expect: '${R}.step == "1/8" && len(${R}.analysisRuns) == 0'
  - waitUntil: '${R}.step == "2/8" || ${R}.step == "3/8"'
  - wait: 1s
  - expect: 'len(${R}.analysisRuns) == 1'
`);
    expect(failed(run)).toEqual([]);
  });
});

describe('§9 facts on traffic and the plugin', () => {
  it('35: setWeight 10 rewrites route primary to stable 90 / canary 10; an unlisted route stays 100 / 0', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Paused"'
  - wait: 1m
`,
      {
        'kustomize/overlays/istio/rollout.yaml': (old) =>
          old
            .replace('- setWeight: 20', '- setWeight: 10')
            .replace(/\n\s+- name: silly-demo-2\n\s+routes:\n\s+- secondary/, ''),
        'kustomize/overlays/istio/virtualservice-01.yaml': (old) =>
          old.replace(
            /(http:\n)/,
            `$1    - name: secondary
      route:
        - destination: {host: silly-demo-stable}
          weight: 100
        - destination: {host: silly-demo-canary}
          weight: 0
`,
          ),
      },
    );
    expect(failed(run)).toEqual([]);
    const vs = run.report.virtualServices['silly-demo-1']!;
    const primary = vs.routes.find((r) => r.name === 'primary')!;
    const secondary = vs.routes.find((r) => r.name === 'secondary')!;
    expect(primary.destinations.map((d) => d.weight)).toEqual([90, 10]);
    expect(secondary.destinations.map((d) => d.weight)).toEqual([100, 0]);
  });

  it('36: an experiment step is rejected with a clear "not supported by canarysim" error', async () => {
    await expect(
      runInline(
        `${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
`,
        {
          'kustomize/overlays/istio/rollout.yaml': (old) =>
            old.replace(
              '- setWeight: 20',
              '- experiment: {duration: 1m, templates: [{name: e, specRef: canary}]}',
            ),
        },
      ),
    ).rejects.toThrow(/steps\[0\]\.experiment: not supported by canarysim/);
  });

  it('38: during the scale-down delay the old RS shows delay:<left> and the rollout is Healthy', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Paused"'
  - promote: {rollout: silly-demo, full: true}
  - waitUntil: '${R}.phase == "Healthy"'
  - wait: 1s
  - get: {rollout: silly-demo, id: during}
  - wait: 40s
  - get: {rollout: silly-demo, id: after}
`);
    expect(failed(run)).toEqual([]);
    const during = run.gets.get('during')!;
    expect(during).toMatch(/^Status: +✔ Healthy$/m);
    expect(during).toMatch(/ReplicaSet +✔ Healthy +\S+ +delay:(2\d|30)s$/m);
    expect(run.gets.get('after')).toMatch(/ReplicaSet +• ScaledDown +\S+\s*$/m);
  });

  it('39: AnalysisRun INFO with S=4, F=4, I=1, E=1 → "✔ 4,✖ 4,? 1,⚠ 1"', () => {
    const view: RolloutView = {
      name: 'r',
      namespace: 'ns',
      status: 'Degraded',
      message: 'RolloutAborted: x',
      strategy: 'Canary',
      step: '0/1',
      setWeight: '0',
      actualWeight: '0',
      images: [],
      replicas: { desired: 1, current: 1, updated: 0, ready: 1, available: 1 },
      createdAt: 0,
      revisions: [
        {
          revision: 1,
          replicaSets: [],
          analysisRuns: [
            {
              name: 'r-abc-1',
              status: 'Failed',
              createdAt: 0,
              successful: 4,
              failed: 4,
              inconclusive: 1,
              error: 1,
            },
          ],
        },
      ],
    };
    expect(renderGetRollout(view, 60_000)).toMatch(/AnalysisRun +✖ Failed +60s +✔ 4,✖ 4,\? 1,⚠ 1$/m);
  });

  it('40: Degraded (aborted) with spec.paused stays Degraded; spec.paused alone is Paused "manually paused"', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - pause: silly-demo
  - wait: 1s
  - expect: '${R}.phase == "Paused" && ${R}.message == "manually paused"'
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio}
  - wait: 1m
  - abort: silly-demo
  - wait: 1s
expect:
  - '${R}.phase == "Degraded"'
`);
    expect(failed(run)).toEqual([]);
  });
});
