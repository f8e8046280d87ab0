import { describe, expect, it } from 'vitest';
import {
  ACTIVE,
  PREVIEW,
  R,
  at,
  bgRollout,
  events,
  failed,
  metric,
  playBlueGreen,
  probeTemplate,
  replicaSets,
  runStart,
  selector,
  update,
} from './blueGreenScenario.js';

// Pre- and post-promotion analysis (spec/argo-rollouts.md §1.5, §5.9; rollout/analysis.go):
// pre-promotion starts once the new RS is saturated and blocks the switch; Failed/Error aborts,
// Inconclusive pauses; post-promotion starts after the switch and a failure switches back.

const pre = (extra = '') => `      prePromotionAnalysis:
        templates: [{templateName: probe}]
${extra}`;
const post = `      postPromotionAnalysis:
        templates: [{templateName: probe}]
`;

describe('blue-green: pre-promotion analysis', () => {
  it('runs once the preview is saturated and blocks the switch until it succeeds (3 measurements, 30 s apart)', async () => {
    const run = await playBlueGreen(
      bgRollout(pre()),
      `${update('1.4.127')}
  - waitUntil: {condition: 'len(${R}.analysisRuns) == 1', timeout: 5m}
  - expect: '${R}.message == "active service cutover pending"'
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}`,
      {
        template: probeTemplate(metric('ok', 'vector(1)', '      interval: 30s\n      count: 3\n')),
        expect: [`${R}.analysisRuns[0].phase == "Successful" && ${R}.analysisRuns[0].name endsWith "-2-pre"`],
      },
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    const saturated = at(
      run,
      'ScalingReplicaSet',
      `Scaled up ReplicaSet ${v2!.name} (revision 2) from 0 to 3`,
    );
    const created = runStart(run, 0);
    const switched = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v1!.hash}' to '${v2!.hash}'`,
    );
    expect(created).toBeGreaterThan(saturated);
    expect(switched - created).toBeCloseTo(60, 6);
    const rolloutEvents = events(run, 'AnalysisRunSuccessful').filter(
      (e) => e.object === 'Rollout/silly-demo',
    );
    expect(rolloutEvents.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^PrePromotion Analysis Run 'silly-demo-\w+-2-pre' Status New: 'Successful' Previous: 'Running'$/,
      ),
    ]);
  });

  it('with autoPromotionEnabled: false the BlueGreenPause comes only after the analysis succeeded', async () => {
    const run = await playBlueGreen(
      bgRollout(`      autoPromotionEnabled: false\n${pre()}`),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}`,
      {
        template: probeTemplate(metric('ok', 'vector(1)', '      interval: 30s\n      count: 2\n')),
        expect: [`${R}.message == "BlueGreenPause" && ${R}.analysisRuns[0].phase == "Successful"`],
      },
    );
    expect(failed(run)).toEqual([]);
    const created = runStart(run, 0);
    expect(at(run, 'RolloutPaused', 'Rollout is paused (BlueGreenPause)') - created).toBeCloseTo(30, 6);
  });

  it('Failed aborts: the active Service never moves; the preview RS goes to 0 after abortScaleDownDelaySeconds (30 s)', async () => {
    const run = await playBlueGreen(
      bgRollout(pre()),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 5m}
  - wait: 1m`,
      { template: probeTemplate(metric('bad', 'vector(0)')) },
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(v1!.hash);
    expect(selector(run, PREVIEW)).toBe(v2!.hash);
    expect(
      events(run, 'SwitchService').filter((e) => e.message.includes(`'${ACTIVE}' from '${v1!.hash}'`)),
    ).toEqual([]);
    const aborted = at(run, 'RolloutAborted', /^Rollout aborted update to revision 2: /);
    const down = at(run, 'ScalingReplicaSet', `Scaled down ReplicaSet ${v2!.name} (revision 2) from 3 to 0`);
    expect(down - aborted).toBeGreaterThan(29);
    expect(down - aborted).toBeLessThanOrEqual(30);
    // The deadline stays on the aborted RS (the plugin shows delay:passed).
    expect(v2!.replicas).toBe(0);
    expect(v2!.deadline).toBeDefined();
  });

  it('abortScaleDownDelaySeconds: 0 leaves the aborted preview RS up', async () => {
    const run = await playBlueGreen(
      bgRollout(`      abortScaleDownDelaySeconds: 0\n${pre()}`),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 5m}
  - wait: 10m`,
      { template: probeTemplate(metric('bad', 'vector(0)')), expect: [`${R}.replicas.current == 6`] },
    );
    expect(failed(run)).toEqual([]);
  });

  it('Inconclusive pauses (InconclusiveAnalysisRun) without switching; promote starts a new run', async () => {
    const run = await playBlueGreen(
      bgRollout(pre()),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - expect: '${R}.message == "InconclusiveAnalysisRun"'
  - wait: 10m
  - expect: '${R}.phase == "Paused" && len(${R}.analysisRuns) == 1'
  - promote: silly-demo
  - wait: 1s`,
      {
        template: probeTemplate(metric('nan', 'vector(0) / vector(0)')),
        expect: [`len(${R}.analysisRuns) == 2 && ${R}.phase == "Paused"`],
      },
    );
    expect(failed(run)).toEqual([]);
    const [v1] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(v1!.hash);
  });

  it('promote --full skips the running analysis: terminated, switched at once, "Full promotion requested"', async () => {
    const run = await playBlueGreen(
      bgRollout(pre()),
      `${update('1.4.127')}
  - waitUntil: {condition: 'len(${R}.analysisRuns) == 1', timeout: 5m}
  - promote: {rollout: silly-demo, full: true}
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 1m}`,
      {
        template: probeTemplate(metric('slow', 'vector(1)', '      interval: 1m\n      count: 10\n')),
        expect: [
          `${R}.analysisRuns[0].phase == "Successful" && ${R}.analysisRuns[0].message == "Run Terminated"`,
        ],
      },
    );
    expect(failed(run)).toEqual([]);
    expect(events(run, 'RolloutCompleted').at(-1)!.message).toMatch(
      /^Rollout completed update to revision 2 \(\w+\): Full promotion requested$/,
    );
  });
});

describe('blue-green: post-promotion analysis', () => {
  it('starts after the switch ("waiting for analysis to complete"); success makes the new RS stable', async () => {
    const run = await playBlueGreen(
      bgRollout(post),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.message == "waiting for analysis to complete"', timeout: 5m}
  - expect: 'len(${R}.analysisRuns) == 1 && ${R}.analysisRuns[0].name endsWith "-2-post"'
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}
  - wait: 1m`,
      { template: probeTemplate(metric('ok', 'vector(1)', '      interval: 20s\n      count: 2\n')) },
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    const switched = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v1!.hash}' to '${v2!.hash}'`,
    );
    expect(at(run, 'RolloutCompleted', /revision 2 .*: Completed blue-green update$/) - switched).toBe(20);
    // The old RS is kept through the analysis and scaled down 30 s after the promotion.
    expect(
      at(run, 'ScalingReplicaSet', `Scaled down ReplicaSet ${v1!.name} (revision 1) from 3 to 0`),
    ).toBeGreaterThan(switched + 20 + 29);
  });

  it('failure switches the active Service back to the stable RS and aborts', async () => {
    const run = await playBlueGreen(
      bgRollout(post),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Degraded"', timeout: 5m}
  - wait: 1m`,
      { template: probeTemplate(metric('bad', 'vector(0)')) },
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    const to = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v1!.hash}' to '${v2!.hash}'`,
    );
    const back = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v2!.hash}' to '${v1!.hash}'`,
    );
    expect(back).toBeGreaterThanOrEqual(to);
    expect(selector(run, ACTIVE)).toBe(v1!.hash);
    expect(v1!.replicas).toBe(3);
    expect(v2!.replicas).toBe(0);
    expect(events(run, 'RolloutCompleted')).toHaveLength(1); // only the first deploy
  });
});
