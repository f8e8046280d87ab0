import { describe, expect, it } from 'vitest';
import { clientPhase } from '../../sim/rollout/index.js';
import { apply, rollout, rss, SERVICES, world } from '../commands/worldHarness.js';
import {
  R,
  bgRollout,
  events,
  failed,
  metric,
  playBlueGreen,
  probeTemplate,
  update,
} from './blueGreenScenario.js';

// The Degraded messages of a blue-green rollout (spec/argo-rollouts.md §4.2): the v1.9 analysis
// prefixes (commit ac7491e; none for profiles 1.7 and 1.8), a manual abort, the progress deadline,
// and an InvalidSpec for a missing Service (rollout/bluegreen_test.go TestPreviewServiceNotFound).

const pre = `      prePromotionAnalysis:
        templates: [{templateName: probe}]
`;
const post = `      postPromotionAnalysis:
        templates: [{templateName: probe}]
`;
const BAD = probeTemplate(metric('bad', 'vector(0)'));

async function degraded(blueGreen: string, argo?: string, template = BAD) {
  return playBlueGreen(
    bgRollout(blueGreen),
    `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 10m}`,
    { template, argo },
  );
}

const message = (run: Awaited<ReturnType<typeof degraded>>) => run.report.rollouts['silly-demo']!.message;

describe('blue-green Degraded messages', () => {
  it('pre-promotion Failed, v1.9: "Blue/green pre-promotion analysis phase error/failed: <run message>"', async () => {
    const run = await degraded(pre);
    expect(failed(run)).toEqual([]);
    expect(message(run)).toBe(
      'RolloutAborted: Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase error/failed: Metric "bad" assessed Failed due to failed (1) > failureLimit (0)',
    );
    expect(events(run, 'RolloutAborted').map((e) => [e.type, e.message])).toEqual([
      [
        'Warning',
        'Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase error/failed: Metric "bad" assessed Failed due to failed (1) > failureLimit (0)',
      ],
    ]);
  });

  it('post-promotion Failed, v1.9: "Blue/green post-promotion analysis phase error/failed: <run message>"', async () => {
    const run = await degraded(post);
    expect(message(run)).toBe(
      'RolloutAborted: Rollout aborted update to revision 2: Blue/green post-promotion analysis phase error/failed: Metric "bad" assessed Failed due to failed (1) > failureLimit (0)',
    );
  });

  it.each(['1.7', '1.8'])('profile %s: the run message without a prefix', async (argo) => {
    const run = await degraded(pre, argo);
    expect(message(run)).toBe(
      'RolloutAborted: Rollout aborted update to revision 2: Metric "bad" assessed Failed due to failed (1) > failureLimit (0)',
    );
  });

  it('pre-promotion Error (five empty results, consecutiveErrorLimit 4) aborts with the same prefix', async () => {
    const run = await degraded(
      pre,
      undefined,
      probeTemplate(metric('nothing', 'sum(no_such_metric)', '      interval: 10s\n      count: 6\n')),
    );
    expect(message(run)).toMatch(
      /^RolloutAborted: Rollout aborted update to revision 2: Blue\/green pre-promotion analysis phase error\/failed: Metric "nothing" assessed Error due to consecutiveErrors \(5\) > consecutiveErrorLimit \(4\)/,
    );
  });

  it('a manual abort: "RolloutAborted: Rollout aborted update to revision 2"', async () => {
    const run = await playBlueGreen(
      bgRollout('      autoPromotionEnabled: false'),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - abort: silly-demo
  - wait: 1s`,
      {
        expect: [
          `${R}.phase == "Degraded" && ${R}.message == "RolloutAborted: Rollout aborted update to revision 2"`,
        ],
      },
    );
    expect(failed(run)).toEqual([]);
  });

  it(`an image that cannot be pulled: "ProgressDeadlineExceeded: ReplicaSet "<rs>" has timed out progressing."`, async () => {
    const run = await playBlueGreen(
      bgRollout('', { spec: '  progressDeadlineSeconds: 60' }),
      `${update('1.4.130')}
  - wait: 50s
  - expect: '${R}.phase == "Progressing"'
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 5m}`,
    );
    expect(failed(run)).toEqual([]);
    const rs = run.report.rollouts['silly-demo']!.revisions[0]!.replicaSet;
    expect(message(run)).toBe(`ProgressDeadlineExceeded: ReplicaSet "${rs}" has timed out progressing.`);
    expect(run.report.events.find((e) => e.reason === 'RolloutAborted')).toBeUndefined();
  });

  it('progressDeadlineAbort: the timeout aborts the update', async () => {
    const run = await playBlueGreen(
      bgRollout('', { spec: '  progressDeadlineSeconds: 60\n  progressDeadlineAbort: true' }),
      `${update('1.4.130')}
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 5m}
  - wait: 1m`,
    );
    const rs = run.report.rollouts['silly-demo']!.revisions[0]!.replicaSet;
    expect(message(run)).toBe(
      `RolloutAborted: Rollout aborted update to revision 2: ReplicaSet "${rs}" has timed out progressing.`,
    );
    // The aborted preview RS goes after abortScaleDownDelaySeconds, as any abort.
    expect(run.report.rollouts['silly-demo']!.replicas.current).toBe(3);
  });

  it('a missing preview Service: "InvalidSpec: The Rollout ... previewService: Invalid value ... not found"', async () => {
    // The scenario validator rejects this before a run; the controller is checked on a World.
    const w = world();
    await apply(
      w,
      `apiVersion: v1
kind: Service
metadata:
  name: silly-demo-active
spec:
  selector: {app: silly-demo}
  ports: [{name: http, port: 8080, targetPort: 8080, protocol: TCP}]
---
${bgRollout('')}`,
      5000,
    );
    expect(clientPhase(rollout(w))).toEqual({
      phase: 'Degraded',
      message:
        'InvalidSpec: The Rollout "silly-demo" is invalid: spec.strategy.blueGreen.previewService: Invalid value: "silly-demo-preview": service "silly-demo-preview" not found',
    });
    expect(rss(w)).toEqual([]);
    // Argo requeues an invalid rollout every 20 s: once the Service exists it deploys.
    await apply(
      w,
      `apiVersion: v1
kind: Service
metadata:
  name: silly-demo-preview
spec:
  selector: {app: silly-demo}
  ports: [{name: http, port: 8080, targetPort: 8080, protocol: TCP}]
`,
      60_000,
    );
    expect(clientPhase(rollout(w))).toEqual({ phase: 'Healthy', message: '' });
  });

  it('a pre-promotion template not applied yet: InvalidSpec from the first sync, then deploys once it is', async () => {
    const w = world();
    await apply(w, `${SERVICES}${bgRollout(pre)}`, 5000);
    expect(clientPhase(rollout(w))).toEqual({
      phase: 'Degraded',
      message:
        'InvalidSpec: The Rollout "silly-demo" is invalid: spec.strategy.blueGreen.prePromotionAnalysis.templates: Invalid value: "probe": AnalysisTemplate \'probe\' not found',
    });
    expect(rss(w)).toEqual([]);
    await apply(w, probeTemplate(metric('good', 'vector(1)')), 60_000);
    expect(clientPhase(rollout(w))).toEqual({ phase: 'Healthy', message: '' });
  });

  it('an analysis the validation rejects (an unbounded pre-promotion metric) is InvalidSpec, not an abort', async () => {
    const run = await degraded(
      pre,
      undefined,
      probeTemplate(metric('forever', 'vector(1)', '      interval: 10s\n')),
    );
    expect(message(run)).toMatch(/^InvalidSpec: /);
    expect(run.report.events.find((e) => e.reason === 'RolloutAborted')).toBeUndefined();
  });
});
