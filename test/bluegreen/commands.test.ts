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

// The plugin's commands on a blue-green rollout (spec/argo-rollouts.md §3.5, §3.6, §3.8), a new
// revision mid-rollout, and going back to the stable or a recently replaced revision.

const MANUAL = '      autoPromotionEnabled: false';

describe('blue-green commands', () => {
  it('abort at the BlueGreenPause: Degraded, the preview RS scaled to 0 after 30 s; retry scales it up and pauses again', async () => {
    const run = await playBlueGreen(
      bgRollout(MANUAL),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - abort: silly-demo
  - wait: 1m
  - expect: '${R}.phase == "Degraded" && ${R}.replicas.current == 3 && ${R}.replicas.updated == 0'
  - retry: silly-demo
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - expect: '${R}.message == "BlueGreenPause" && ${R}.replicas.updated == 3'
  - promote: silly-demo
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 1m}`,
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(v2!.hash);
    const aborted = at(run, 'RolloutAborted', 'Rollout aborted update to revision 2');
    const down = at(run, 'ScalingReplicaSet', `Scaled down ReplicaSet ${v2!.name} (revision 2) from 3 to 0`);
    expect(down - aborted).toBeGreaterThan(29);
    expect(down - aborted).toBeLessThanOrEqual(30);
    expect(events(run, 'RolloutRetry').map((e) => e.message)).toEqual(['Retrying Rollout after abort']);
    expect(events(run, 'RolloutPaused')).toHaveLength(2);
    // While aborted the active Service never left the stable RS.
    expect(
      events(run, 'SwitchService').filter((e) =>
        e.message.startsWith(`Switched selector for service '${ACTIVE}'`),
      ),
    ).toHaveLength(2);
    expect(v1!.replicas).toBe(3);
  });

  it('pause (spec.paused): "manually paused" holds the switch even with auto-promotion; promote unpauses', async () => {
    const run = await playBlueGreen(
      bgRollout(''),
      `${update('1.4.127')}
  - pause: silly-demo
  - wait: 10m
  - expect: '${R}.phase == "Paused" && ${R}.message == "manually paused" && ${R}.replicas.updated == 3'
  - promote: silly-demo
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 1m}`,
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    const promotedAt = run.report.expectations.at(-1)!.t;
    const switched = at(
      run,
      'SwitchService',
      `Switched selector for service '${ACTIVE}' from '${v1!.hash}' to '${v2!.hash}'`,
    );
    expect(switched).toBeGreaterThanOrEqual(promotedAt);
  });

  it('a new revision while paused: preview moves to it, the intermediate RS is scaled down after its delay, active unchanged', async () => {
    const run = await playBlueGreen(
      bgRollout(MANUAL),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
${update('1.4.128')}
  - expect: '${R}.phase == "Progressing" && ${R}.message == "active service cutover pending"'
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - wait: 1m`,
      { expect: [`${R}.revision == 3 && ${R}.replicas.current == 6`] },
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2, v3] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(v1!.hash);
    expect(selector(run, PREVIEW)).toBe(v3!.hash);
    expect(v2!.replicas).toBe(0);
    expect(events(run, 'RolloutUpdated').map((e) => e.message)).toEqual([
      'Rollout updated to revision 1',
      'Rollout updated to revision 2',
      'Rollout updated to revision 3',
    ]);
  });

  it('back to the stable template mid-update: no new RS, Healthy at once, no pause, the abandoned RS scaled down', async () => {
    const run = await playBlueGreen(
      bgRollout(MANUAL),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
${update('1.4.126')}
  - expect: '${R}.phase == "Healthy" && ${R}.revision == 3'
  - wait: 1m`,
      { expect: [`${R}.replicas.current == 3`] },
    );
    expect(failed(run)).toEqual([]);
    const rss = replicaSets(run);
    expect(rss).toHaveLength(2);
    expect(rss.map((r) => r.revision)).toEqual([2, 3]);
    expect(selector(run, ACTIVE)).toBe(rss[1]!.hash);
    expect(selector(run, PREVIEW)).toBe(rss[1]!.hash);
  });

  it('back to the replaced RS within its scale-down delay: fast-tracked — no pause, no post-promotion analysis', async () => {
    const run = await playBlueGreen(
      bgRollout(`${MANUAL}
      postPromotionAnalysis:
        templates: [{templateName: probe}]`),
      `${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - promote: silly-demo
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}
${update('1.4.126')}
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 1m}`,
      {
        template: probeTemplate(metric('ok', 'vector(1)')),
        expect: [`len(${R}.analysisRuns) == 1`],
      },
    );
    expect(failed(run)).toEqual([]);
    const rss = replicaSets(run);
    expect(rss).toHaveLength(2);
    const back = rss.find((r) => r.revision === 3)!;
    expect(selector(run, ACTIVE)).toBe(back.hash);
    expect(events(run, 'RolloutPaused')).toHaveLength(1);
    expect(events(run, 'RolloutCompleted').at(-1)!.message).toBe(
      `Rollout completed update to revision 3 (${back.hash}): Rollback to '${back.name}' within scaleDownDelay`,
    );
  });
});
