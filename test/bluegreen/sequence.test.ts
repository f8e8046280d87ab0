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
  selector,
  update,
} from './blueGreenScenario.js';

// The blue-green sequence of spec/argo-rollouts.md §1.5 (docs/features/bluegreen.md): a new RS
// at size 0, the preview Service on it, scaled up, pre-promotion analysis, the pause, the switch
// of the active Service, post-promotion analysis, stable, the old RS scaled down after
// scaleDownDelaySeconds. Argo's code is rollout/bluegreen.go, service.go and sync.go.

describe('blue-green: first deploy', () => {
  it('goes straight to active: both Services select the one RS, stable at once ("Initial deploy"), no analysis', async () => {
    const run = await playBlueGreen(
      bgRollout(`      autoPromotionEnabled: false
      prePromotionAnalysis:
        templates: [{templateName: probe}]
      postPromotionAnalysis:
        templates: [{templateName: probe}]`),
      '',
      {
        template: probeTemplate(metric('never', 'vector(0)')),
        expect: [`${R}.message == "" && len(${R}.analysisRuns) == 0`, `${R}.replicas.available == 3`],
      },
    );
    expect(failed(run)).toEqual([]);
    const [rs] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(rs!.hash);
    expect(selector(run, PREVIEW)).toBe(rs!.hash);
    expect(events(run, 'RolloutCompleted').map((e) => e.message)).toEqual([
      `Rollout completed update to revision 1 (${rs!.hash}): Initial deploy`,
    ]);
    expect(events(run, 'SwitchService').map((e) => e.message)).toEqual([
      `Switched selector for service '${PREVIEW}' from '' to '${rs!.hash}'`,
      `Switched selector for service '${ACTIVE}' from '' to '${rs!.hash}'`,
    ]);
    // autoPromotionEnabled: false does not pause a first deploy (isBlueGreenFastTracked).
    expect(events(run, 'RolloutPaused')).toEqual([]);
  });
});

describe('blue-green: an update', () => {
  it('autoPromotionEnabled: false — preview gets the new RS at full size, BlueGreenPause, the switch only after promote', async () => {
    const run = await playBlueGreen(
      bgRollout('      autoPromotionEnabled: false'),
      `${update('1.4.127')}
  - expect: '${R}.phase == "Progressing" && ${R}.message == "active service cutover pending"'
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - expect: '${R}.message == "BlueGreenPause" && ${R}.replicas.current == 6 && ${R}.replicas.updated == 3 && ${R}.replicas.available == 3'
  - wait: 10m
  - expect: '${R}.phase == "Paused" && ${R}.message == "BlueGreenPause"'
  - promote: silly-demo
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 1m}`,
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(v2!.hash);
    expect(selector(run, PREVIEW)).toBe(v2!.hash);
    expect(events(run, 'RolloutPaused').map((e) => e.message)).toEqual([
      'Rollout is paused (BlueGreenPause)',
    ]);
    const paused = at(run, 'RolloutPaused', 'Rollout is paused (BlueGreenPause)');
    const switched = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v1!.hash}' to '${v2!.hash}'`,
    );
    expect(switched - paused).toBeGreaterThanOrEqual(600);
    expect(at(run, 'RolloutCompleted', /revision 2 .*: Completed blue-green update$/)).toBe(switched);
    expect(events(run, 'RolloutResumed').map((e) => e.t)).toEqual([switched]);
  });

  it('the preview Service moves to the new RS at once (with no pods yet); the active one stays on the old RS until the switch', async () => {
    const run = await playBlueGreen(
      bgRollout('      autoPromotionEnabled: false'),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}`,
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(v1!.hash);
    expect(selector(run, PREVIEW)).toBe(v2!.hash);
    const created = at(
      run,
      'NewReplicaSetCreated',
      new RegExp(`^Created ReplicaSet ${v2!.name} \\(revision 2\\)$`),
    );
    expect(at(run, 'SwitchService', new RegExp(`'${PREVIEW}' from '${v1!.hash}' to '${v2!.hash}'`))).toBe(
      created,
    );
    expect(at(run, 'ScalingReplicaSet', `Scaled up ReplicaSet ${v2!.name} (revision 2) from 0 to 3`)).toBe(
      created,
    );
  });

  it('autoPromotionSeconds: 30 — pauses when the preview is ready and switches 30 s after the pause began', async () => {
    const run = await playBlueGreen(
      bgRollout('      autoPromotionSeconds: 30'),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - expect: '${R}.message == "BlueGreenPause"'
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}`,
    );
    expect(failed(run)).toEqual([]);
    const paused = at(run, 'RolloutPaused', 'Rollout is paused (BlueGreenPause)');
    const switched = at(
      run,
      'SwitchService',
      new RegExp(`^Switched selector for service '${ACTIVE}' from '\\w+'`),
    );
    expect(switched - paused).toBe(30);
  });

  it('autoPromotionEnabled (default) and no analysis: the switch as soon as the new RS is fully available', async () => {
    const run = await playBlueGreen(
      bgRollout(''),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}`,
    );
    expect(failed(run)).toEqual([]);
    expect(events(run, 'RolloutPaused')).toEqual([]);
    const [, v2] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(v2!.hash);
  });

  it('previewReplicaCount: 1 — the new RS runs 1 pod until promote, then 3, and only then the switch', async () => {
    const run = await playBlueGreen(
      bgRollout(`      autoPromotionEnabled: false
      previewReplicaCount: 1`),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - expect: '${R}.replicas.updated == 1 && ${R}.replicas.current == 4'
  - promote: silly-demo
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}`,
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    const promoted = at(
      run,
      'ScalingReplicaSet',
      `Scaled up ReplicaSet ${v2!.name} (revision 2) from 1 to 3`,
    );
    const switched = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v1!.hash}' to '${v2!.hash}'`,
    );
    expect(switched).toBeGreaterThan(promoted);
    expect(at(run, 'RolloutPaused', 'Rollout is paused (BlueGreenPause)')).toBeLessThan(promoted);
  });

  it('scaleDownDelaySeconds (default 30): the old RS keeps its pods, annotated scale-down-deadline, 30 s after the switch, then 0', async () => {
    const run = await playBlueGreen(
      bgRollout(''),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}
  - wait: 20s
  - expect: '${R}.replicas.current == 6'
  - wait: 20s
  - expect: '${R}.replicas.current == 3 && ${R}.phase == "Healthy"'`,
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    const switched = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v1!.hash}' to '${v2!.hash}'`,
    );
    const down = at(run, 'ScalingReplicaSet', `Scaled down ReplicaSet ${v1!.name} (revision 1) from 3 to 0`);
    // The deadline is RFC 3339 with whole seconds: 30 s after the switch, to the second.
    expect(down - switched).toBeGreaterThan(29);
    expect(down - switched).toBeLessThanOrEqual(30);
    expect(v1!.deadline).toBeUndefined();
  });

  it('scaleDownDelaySeconds: 90 keeps the old RS up 90 s', async () => {
    const run = await playBlueGreen(
      bgRollout('      scaleDownDelaySeconds: 90'),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}
  - wait: 2m`,
    );
    const [v1, v2] = replicaSets(run);
    const switched = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v1!.hash}' to '${v2!.hash}'`,
    );
    const down = at(run, 'ScalingReplicaSet', `Scaled down ReplicaSet ${v1!.name} (revision 1) from 3 to 0`);
    expect(down - switched).toBeGreaterThan(89);
    expect(down - switched).toBeLessThanOrEqual(90);
  });
});
