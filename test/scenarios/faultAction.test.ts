import { describe, expect, it } from 'vitest';
import { HEADER, runInline } from '../helpers/inlineScenario.js';

// The blog's istio-prometheus canary (analysis from step 2, success rate ≥ 95 %), turned bad in
// the middle of the rehearsal and healthy again, with the timeline's own fault actions.
const SCENARIO = `${HEADER}
timeline:
  - apply: {file: cluster-analysis-template.yaml}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - hey: {id: load, args: '-z 60m -c 10 -q 10 http://silly-demo.$ISTIO_HOST/', summary: false}
  - setImage: {rollout: silly-demo, container: silly-demo, image: ghcr.io/vfarcic/silly-demo:1.4.127}
  - waitUntil: {condition: 'rollouts["silly-demo"].step == "1/8"', timeout: 20m}
  - fault: {image: ghcr.io/vfarcic/silly-demo:1.4.127, errors: {share: 50%, status: 503}}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Degraded"', timeout: 20m}
  - expect: 'rollouts["silly-demo"].message contains "assessed Failed"'
  - clearFault: {image: ghcr.io/vfarcic/silly-demo:1.4.127}
  - retry: silly-demo
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Healthy"', timeout: 60m}
expect:
  - 'rollouts["silly-demo"].images.stable == "ghcr.io/vfarcic/silly-demo:1.4.127"'
  - 'hey["load"].statusCodes["503"] > 0'
`;

describe('timeline faults', () => {
  it('a fault on the canary image aborts the rollout; cleared, a retry promotes it', async () => {
    const run = await runInline(SCENARIO);
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(run.output).toContain(
      '$ canarysim fault set --image ghcr.io/vfarcic/silly-demo:1.4.127\nfault set on image ghcr.io/vfarcic/silly-demo:1.4.127: 1 running pod affected',
    );
    expect(run.output).toContain(
      '$ canarysim fault clear --image ghcr.io/vfarcic/silly-demo:1.4.127\n1 fault cleared',
    );
    expect(run.output).toContain(
      '$ kubectl argo rollouts --namespace a-team set image silly-demo silly-demo=ghcr.io/vfarcic/silly-demo:1.4.127\ndeployment "silly-demo" image updated',
    );
  });

  it('an image with no model runs as the generic service, and the run says so once', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - setImage: {rollout: silly-demo, container: silly-demo, image: nginx:1.27}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Paused"', timeout: 10m}
  - curl: {url: "http://silly-demo.$ISTIO_HOST", count: 50}
  - setImage: {rollout: silly-demo, container: silly-demo, image: nginx:1.27}
`,
    );
    const notes = run.output.split('\n').filter((l) => l.startsWith('note:'));
    expect(notes).toEqual([
      'note: image "nginx:1.27" has no app model: it runs as a generic HTTP service (200 on every path, 5 ms median, 25 ms p99)',
    ]);
    expect(run.report.notices).toHaveLength(1);
    expect(run.output).toContain('OK\n');
  });
});
