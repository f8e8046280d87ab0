import { describe, expect, it } from 'vitest';
import { renderGetRollout } from '../../cli/views/renderGetRollout.js';
import type { PodView, ReplicaSetView, RolloutView } from '../../cli/views/RolloutView.js';
import {
  ACTIVE,
  R,
  bgRollout,
  failed,
  playBlueGreen,
  replicaSets,
  selector,
  update,
} from './blueGreenScenario.js';

// `kubectl argo rollouts get rollout` for blue-green (spec/argo-rollouts.md §1.5, §7): the plugin's
// own fixtures (pkg/kubectl-argo-rollouts/cmd/get/get_test.go TestGetBlueGreenRollout,
// …ScaleDownDelay, …ScaleDownDelayPassed) byte for byte, and the projection of a played rollout.

const S = 1000;
const H = 3600 * S;
const D = 24 * H;
const NOW = Date.UTC(2024, 10, 11, 12, 0, 0);
const WEEK_AGO = NOW - 7 * D;

const pod = (name: string): PodView => ({
  name,
  status: 'Running',
  createdAt: WEEK_AGO,
  ready: '1/1',
  restarts: 0,
});
const rs = (name: string, over: Partial<ReplicaSetView> = {}): ReplicaSetView => ({
  name,
  status: 'Healthy',
  createdAt: WEEK_AGO,
  stable: false,
  canary: false,
  pods: [],
  ...over,
});

/** The fixture rollout of get_test.go: revision 11 in preview, 10 stable and active, 8 scaled down. */
function fixture(rev11: Partial<ReplicaSetView>, images: RolloutView['images']): RolloutView {
  const pods = (h: string, ids: string[]) => ids.map((id) => pod(`bluegreen-demo-${h}-${id}`));
  return {
    name: 'bluegreen-demo',
    namespace: 'jesse-test',
    status: 'Paused',
    message: 'BlueGreenPause',
    strategy: 'BlueGreen',
    step: '',
    setWeight: '',
    actualWeight: '',
    images,
    replicas: { desired: 3, current: 6, updated: 3, ready: 6, available: 3 },
    createdAt: WEEK_AGO,
    revisions: [
      {
        revision: 11,
        replicaSets: [
          rs('bluegreen-demo-74b948fccb', {
            pods: pods('74b948fccb', ['5jz59', 'mkhrl', 'vvj2t']),
            ...rev11,
          }),
        ],
        analysisRuns: [],
      },
      {
        revision: 10,
        replicaSets: [
          rs('bluegreen-demo-6cbccd9f99', {
            stable: true,
            active: true,
            pods: pods('6cbccd9f99', ['gk78v', 'kxj8g', 't2d4f']),
          }),
        ],
        analysisRuns: [],
      },
      {
        revision: 8,
        replicaSets: [rs('bluegreen-demo-746d5fddf6', { status: 'ScaledDown' })],
        analysisRuns: [],
      },
    ],
  };
}

const tree = (rev11Info: string) => `
NAME                                        KIND        STATUS        AGE  INFO
⟳ bluegreen-demo                            Rollout     ॥ Paused      7d
├──# revision:11
│  └──⧉ bluegreen-demo-74b948fccb           ReplicaSet  ✔ Healthy     7d   ${rev11Info}
│     ├──□ bluegreen-demo-74b948fccb-5jz59  Pod         ✔ Running     7d   ready:1/1
│     ├──□ bluegreen-demo-74b948fccb-mkhrl  Pod         ✔ Running     7d   ready:1/1
│     └──□ bluegreen-demo-74b948fccb-vvj2t  Pod         ✔ Running     7d   ready:1/1
├──# revision:10
│  └──⧉ bluegreen-demo-6cbccd9f99           ReplicaSet  ✔ Healthy     7d   stable,active
│     ├──□ bluegreen-demo-6cbccd9f99-gk78v  Pod         ✔ Running     7d   ready:1/1
│     ├──□ bluegreen-demo-6cbccd9f99-kxj8g  Pod         ✔ Running     7d   ready:1/1
│     └──□ bluegreen-demo-6cbccd9f99-t2d4f  Pod         ✔ Running     7d   ready:1/1
└──# revision:8
   └──⧉ bluegreen-demo-746d5fddf6           ReplicaSet  • ScaledDown  7d
`;

const summary = (green: string) => `Name:            bluegreen-demo
Namespace:       jesse-test
Status:          ॥ Paused
Message:         BlueGreenPause
Strategy:        BlueGreen
Images:          argoproj/rollouts-demo:blue (stable, active)
                 argoproj/rollouts-demo:green${green}
Replicas:
  Desired:       3
  Current:       6
  Updated:       3
  Ready:         6
  Available:     3
`;

describe('get rollout (blue-green): the plugin fixtures', () => {
  it('TestGetBlueGreenRollout: Strategy BlueGreen, no Step/SetWeight/ActualWeight, preview and stable,active', () => {
    const view = fixture({ preview: true }, [
      { image: 'argoproj/rollouts-demo:blue', tags: ['stable', 'active'] },
      { image: 'argoproj/rollouts-demo:green', tags: ['preview'] },
    ]);
    expect(renderGetRollout(view, NOW)).toBe(summary(' (preview)') + tree('preview'));
  });

  it('TestGetBlueGreenRolloutScaleDownDelay: delay:3h59m for a deadline four hours ahead', () => {
    const view = fixture({ scaleDownDeadline: NOW + 4 * H }, [
      { image: 'argoproj/rollouts-demo:blue', tags: ['stable', 'active'] },
      { image: 'argoproj/rollouts-demo:green', tags: [] },
    ]);
    // The fixture's "now" moves on between writing the annotation and printing; a second later here.
    expect(renderGetRollout(view, NOW + S)).toBe(summary('') + tree('delay:3h59m'));
  });

  it('TestGetBlueGreenRolloutScaleDownDelayPassed: delay:passed for a deadline an hour ago', () => {
    const view = fixture({ scaleDownDeadline: NOW - H }, [
      { image: 'argoproj/rollouts-demo:blue', tags: ['stable', 'active'] },
      { image: 'argoproj/rollouts-demo:green', tags: [] },
    ]);
    expect(renderGetRollout(view, NOW)).toBe(summary('') + tree('delay:passed'));
  });

  it('colours active green and preview hi-blue, as the plugin colorMapping does', () => {
    const view = fixture({ preview: true }, [
      { image: 'argoproj/rollouts-demo:blue', tags: ['stable', 'active'] },
      { image: 'argoproj/rollouts-demo:green', tags: ['preview'] },
    ]);
    const out = renderGetRollout(view, NOW, { color: true });
    expect(out).toContain('\u001b[32mactive\u001b[0m');
    expect(out).toContain('\u001b[94mpreview\u001b[0m');
  });
});

describe('get rollout (blue-green): a played rollout', () => {
  it('paused in preview, promoted with the old RS in its scale-down delay, then scaled down', async () => {
    const run = await playBlueGreen(
      bgRollout('      autoPromotionEnabled: false'),
      `  - get: {rollout: silly-demo, id: first}
${update('1.4.127')}
  - waitUntil: {condition: '${R}.phase == "Paused"', timeout: 5m}
  - get: {rollout: silly-demo, id: paused}
  - promote: silly-demo
  - wait: 2s
  - get: {rollout: silly-demo, id: promoted}
  - wait: 1m
  - get: {rollout: silly-demo, id: done}`,
    );
    expect(failed(run)).toEqual([]);
    const [v1, v2] = replicaSets(run);
    expect(selector(run, ACTIVE)).toBe(v2!.hash);
    const get = (id: string) => run.gets.get(id)!;
    const line = (id: string, name: string) =>
      get(id)
        .split('\n')
        .find((l) => l.includes(`⧉ ${name} `))!;

    expect(get('first')).toMatch(
      /^Strategy: {8}BlueGreen\nImages: {10}ghcr\.io\/vfarcic\/silly-demo:1\.4\.126 \(stable, active\)\nReplicas:/m,
    );
    expect(get('first')).not.toMatch(/Step:|SetWeight:|ActualWeight:/);
    expect(line('first', v1!.name)).toMatch(/ReplicaSet {2}✔ Healthy +\S+ +stable,active$/);

    expect(get('paused')).toContain(
      'Status:          ॥ Paused\nMessage:         BlueGreenPause\nStrategy:        BlueGreen\n',
    );
    expect(get('paused')).toContain(
      'Images:          ghcr.io/vfarcic/silly-demo:1.4.126 (stable, active)\n                 ghcr.io/vfarcic/silly-demo:1.4.127 (preview)\n',
    );
    expect(get('paused')).toContain(
      '  Current:       6\n  Updated:       3\n  Ready:         3\n  Available:     3\n',
    );
    expect(line('paused', v2!.name)).toMatch(/ReplicaSet {2}✔ Healthy +\S+ +preview$/);
    expect(line('paused', v1!.name)).toMatch(/stable,active$/);

    expect(get('promoted')).toContain(
      'Images:          ghcr.io/vfarcic/silly-demo:1.4.126\n                 ghcr.io/vfarcic/silly-demo:1.4.127 (stable, active)\n',
    );
    expect(line('promoted', v2!.name)).toMatch(/stable,active$/);
    expect(line('promoted', v1!.name)).toMatch(/ReplicaSet {2}✔ Healthy +\S+ +delay:2\ds$/);

    expect(line('done', v1!.name)).toMatch(/ReplicaSet {2}• ScaledDown +\S+$/);
    expect(get('done')).toContain(
      'Images:          ghcr.io/vfarcic/silly-demo:1.4.127 (stable, active)\nReplicas:',
    );
  });
});
