import { describe, expect, it } from 'vitest';
import { renderGetRollout } from '../../cli/views/renderGetRollout.js';
import type { PodView, ReplicaSetView, RolloutView } from '../../cli/views/RolloutView.js';

const S = 1000;
const M = 60 * S;
const D = 24 * 60 * M;
const NOW = Date.UTC(2024, 10, 11, 12, 0, 0);
const WEEK_AGO = NOW - 7 * D - 5 * M;

function pod(name: string, createdAt = WEEK_AGO, over: Partial<PodView> = {}): PodView {
  return { name, status: 'Running', createdAt, ready: '1/1', restarts: 0, ...over };
}

function rs(name: string, over: Partial<ReplicaSetView> = {}): ReplicaSetView {
  return { name, status: 'Healthy', createdAt: WEEK_AGO, stable: false, canary: false, pods: [], ...over };
}

const strip = (s: string): string => s.replace(/^\n/, '');

describe('renderGetRollout', () => {
  it('reproduces the plugin fixture TestGetAbortedRollout byte for byte', () => {
    const view: RolloutView = {
      name: 'rollout-background-analysis',
      namespace: 'default',
      status: 'Degraded',
      message: 'RolloutAborted: metric "web" assessed Failed due to failed (1) > failureLimit (0)',
      strategy: 'Canary',
      step: '0/2',
      setWeight: '0',
      actualWeight: '0',
      images: [{ image: 'argoproj/rollouts-demo:blue', tags: ['stable'] }],
      replicas: { desired: 1, current: 1, updated: 0, ready: 1, available: 1 },
      createdAt: WEEK_AGO,
      revisions: [
        {
          revision: 2,
          replicaSets: [rs('rollout-background-analysis-db976bc44', { status: 'ScaledDown', canary: true })],
          analysisRuns: [
            {
              name: 'rollout-background-analysis-db976bc44-2',
              status: 'Failed',
              createdAt: WEEK_AGO,
              successful: 0,
              failed: 1,
              inconclusive: 0,
              error: 0,
            },
          ],
        },
        {
          revision: 1,
          replicaSets: [
            rs('rollout-background-analysis-7d84d44bb8', {
              stable: true,
              pods: [pod('rollout-background-analysis-7d84d44bb8-z5wps')],
            }),
          ],
          analysisRuns: [],
        },
      ],
    };
    expect(renderGetRollout(view, NOW)).toBe(
      strip(`
Name:            rollout-background-analysis
Namespace:       default
Status:          ✖ Degraded
Message:         RolloutAborted: metric "web" assessed Failed due to failed (1) > failureLimit (0)
Strategy:        Canary
  Step:          0/2
  SetWeight:     0
  ActualWeight:  0
Images:          argoproj/rollouts-demo:blue (stable)
Replicas:
  Desired:       1
  Current:       1
  Updated:       0
  Ready:         1
  Available:     1

NAME                                                     KIND         STATUS        AGE  INFO
⟳ rollout-background-analysis                            Rollout      ✖ Degraded    7d
├──# revision:2
│  ├──⧉ rollout-background-analysis-db976bc44            ReplicaSet   • ScaledDown  7d   canary
│  └──α rollout-background-analysis-db976bc44-2          AnalysisRun  ✖ Failed      7d   ✖ 1
└──# revision:1
   └──⧉ rollout-background-analysis-7d84d44bb8           ReplicaSet   ✔ Healthy     7d   stable
      └──□ rollout-background-analysis-7d84d44bb8-z5wps  Pod          ✔ Running     7d   ready:1/1
`),
    );
  });

  it('reproduces TestGetCanaryRollout (pod icons, no Message line when empty)', () => {
    const stablePods = ['6jfpt', '7jmqw', 'j8g2b', 'jw5qm', 'kh7x4'].map((s) =>
      pod(`canary-demo-877894d5b-${s}`),
    );
    const view: RolloutView = {
      name: 'canary-demo',
      namespace: 'jesse-test',
      status: 'Degraded',
      message: '',
      strategy: 'Canary',
      step: '0/8',
      setWeight: '20',
      actualWeight: '0',
      images: [
        { image: 'argoproj/rollouts-demo:does-not-exist', tags: ['canary'] },
        { image: 'argoproj/rollouts-demo:green', tags: ['stable'] },
      ],
      replicas: { desired: 5, current: 6, updated: 1, ready: 5, available: 5 },
      createdAt: WEEK_AGO,
      revisions: [
        {
          revision: 31,
          replicaSets: [
            rs('canary-demo-65fb5ffc84', {
              status: 'Progressing',
              canary: true,
              pods: [
                pod('canary-demo-65fb5ffc84-9wf5r', WEEK_AGO, { status: 'ImagePullBackOff', ready: '0/1' }),
              ],
            }),
          ],
          analysisRuns: [],
        },
        {
          revision: 30,
          replicaSets: [rs('canary-demo-877894d5b', { stable: true, pods: stablePods })],
          analysisRuns: [],
        },
        {
          revision: 29,
          replicaSets: [rs('canary-demo-859c99b45c', { status: 'ScaledDown' })],
          analysisRuns: [],
        },
      ],
    };
    expect(renderGetRollout(view, NOW)).toBe(
      strip(`
Name:            canary-demo
Namespace:       jesse-test
Status:          ✖ Degraded
Strategy:        Canary
  Step:          0/8
  SetWeight:     20
  ActualWeight:  0
Images:          argoproj/rollouts-demo:does-not-exist (canary)
                 argoproj/rollouts-demo:green (stable)
Replicas:
  Desired:       5
  Current:       6
  Updated:       1
  Ready:         5
  Available:     5

NAME                                     KIND        STATUS              AGE  INFO
⟳ canary-demo                            Rollout     ✖ Degraded          7d
├──# revision:31
│  └──⧉ canary-demo-65fb5ffc84           ReplicaSet  ◌ Progressing       7d   canary
│     └──□ canary-demo-65fb5ffc84-9wf5r  Pod         ⚠ ImagePullBackOff  7d   ready:0/1
├──# revision:30
│  └──⧉ canary-demo-877894d5b            ReplicaSet  ✔ Healthy           7d   stable
│     ├──□ canary-demo-877894d5b-6jfpt   Pod         ✔ Running           7d   ready:1/1
│     ├──□ canary-demo-877894d5b-7jmqw   Pod         ✔ Running           7d   ready:1/1
│     ├──□ canary-demo-877894d5b-j8g2b   Pod         ✔ Running           7d   ready:1/1
│     ├──□ canary-demo-877894d5b-jw5qm   Pod         ✔ Running           7d   ready:1/1
│     └──□ canary-demo-877894d5b-kh7x4   Pod         ✔ Running           7d   ready:1/1
└──# revision:29
   └──⧉ canary-demo-859c99b45c           ReplicaSet  • ScaledDown        7d
`),
    );
  });

  it('prints the §7.1 summary block (Paused at step 1 with defaults)', () => {
    const view: RolloutView = {
      name: 'rollouts-demo',
      namespace: 'default',
      status: 'Paused',
      message: 'CanaryPauseStep',
      strategy: 'Canary',
      step: '1/8',
      setWeight: '20',
      actualWeight: '20',
      images: [
        { image: 'argoproj/rollouts-demo:blue', tags: ['stable'] },
        { image: 'argoproj/rollouts-demo:yellow', tags: ['canary'] },
      ],
      replicas: { desired: 5, current: 5, updated: 1, ready: 5, available: 5 },
      createdAt: NOW - 90 * S,
      revisions: [],
    };
    const [summary, tree] = renderGetRollout(view, NOW).split('\n\n');
    expect(summary + '\n').toBe(
      strip(`
Name:            rollouts-demo
Namespace:       default
Status:          ॥ Paused
Message:         CanaryPauseStep
Strategy:        Canary
  Step:          1/8
  SetWeight:     20
  ActualWeight:  20
Images:          argoproj/rollouts-demo:blue (stable)
                 argoproj/rollouts-demo:yellow (canary)
Replicas:
  Desired:       5
  Current:       5
  Updated:       1
  Ready:         5
  Available:     5
`),
    );
    expect(tree).toBe(
      'NAME             KIND     STATUS    AGE  INFO\n⟳ rollouts-demo  Rollout  ॥ Paused  90s\n',
    );
  });

  it('reproduces the blog tree of the failed analysis (delay:passed, AnalysisRun counts, ages)', () => {
    const ago = (ms: number): number => NOW - ms;
    const stablePods: Array<[string, number]> = [
      ['lqbdb', 16 * M],
      ['w5wff', 15 * M],
      ['5bln2', 14 * M + 24 * S],
      ['tb4vh', 13 * M + 21 * S],
      ['5scvp', 12 * M + 17 * S],
    ];
    const view: RolloutView = {
      name: 'silly-demo',
      namespace: 'a-team',
      status: 'Degraded',
      message:
        'RolloutAborted: Rollout aborted update to revision 4: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
      strategy: 'Canary',
      step: '0/8',
      setWeight: '0',
      actualWeight: '0',
      images: [{ image: 'ghcr.io/vfarcic/silly-demo:1.4.126', tags: ['stable'] }],
      replicas: { desired: 5, current: 5, updated: 0, ready: 5, available: 5 },
      createdAt: ago(18 * M),
      revisions: [
        {
          revision: 4,
          replicaSets: [
            rs('silly-demo-64b5875f59', {
              status: 'ScaledDown',
              canary: true,
              createdAt: ago(9 * M + 30 * S),
              scaleDownDeadline: ago(30 * S),
            }),
          ],
          analysisRuns: [
            {
              name: 'silly-demo-64b5875f59-4',
              status: 'Failed',
              createdAt: ago(8 * M + 26 * S),
              successful: 0,
              failed: 1,
              inconclusive: 0,
              error: 0,
            },
          ],
        },
        {
          revision: 3,
          replicaSets: [
            rs('silly-demo-5c5547db68', {
              stable: true,
              createdAt: ago(18 * M),
              pods: stablePods.map(([s, age]) =>
                pod(`silly-demo-5c5547db68-${s}`, ago(age), { ready: '2/2' }),
              ),
            }),
          ],
          analysisRuns: [
            {
              name: 'silly-demo-5c5547db68-3',
              status: 'Successful',
              createdAt: ago(10 * M),
              successful: 1,
              failed: 0,
              inconclusive: 0,
              error: 0,
            },
          ],
        },
        {
          revision: 2,
          replicaSets: [rs('silly-demo-5d574b5f4f', { status: 'ScaledDown', createdAt: ago(13 * M) })],
          analysisRuns: [],
        },
      ],
    };
    const tree = renderGetRollout(view, NOW).split('\n\n')[1];
    // The blog's AGE column is hand-edited in places (right-aligned, "14m24s" where HumanDuration
    // prints "14m" from ten minutes on); ours is what the plugin prints.
    expect(tree).toBe(
      strip(`
NAME                                    KIND         STATUS        AGE    INFO
⟳ silly-demo                            Rollout      ✖ Degraded    18m
├──# revision:4
│  ├──⧉ silly-demo-64b5875f59           ReplicaSet   • ScaledDown  9m30s  canary,delay:passed
│  └──α silly-demo-64b5875f59-4         AnalysisRun  ✖ Failed      8m26s  ✖ 1
├──# revision:3
│  ├──⧉ silly-demo-5c5547db68           ReplicaSet   ✔ Healthy     18m    stable
│  │  ├──□ silly-demo-5c5547db68-lqbdb  Pod          ✔ Running     16m    ready:2/2
│  │  ├──□ silly-demo-5c5547db68-w5wff  Pod          ✔ Running     15m    ready:2/2
│  │  ├──□ silly-demo-5c5547db68-5bln2  Pod          ✔ Running     14m    ready:2/2
│  │  ├──□ silly-demo-5c5547db68-tb4vh  Pod          ✔ Running     13m    ready:2/2
│  │  └──□ silly-demo-5c5547db68-5scvp  Pod          ✔ Running     12m    ready:2/2
│  └──α silly-demo-5c5547db68-3         AnalysisRun  ✔ Successful  10m    ✔ 1
└──# revision:2
   └──⧉ silly-demo-5d574b5f4f           ReplicaSet   • ScaledDown  13m
`),
    );
  });

  it('shows the time left before scale-down, restarts, and blank status icons', () => {
    const view: RolloutView = {
      name: 'r',
      namespace: 'ns',
      status: 'Progressing',
      message: 'more replicas need to be updated',
      strategy: 'Canary',
      step: '',
      setWeight: '100',
      actualWeight: '100',
      images: [{ image: 'img:1', tags: ['canary', 'stable'] }],
      replicas: { desired: 1, current: 0, updated: 0, ready: 0, available: 0 },
      createdAt: NOW - 30 * S,
      revisions: [
        {
          revision: 1,
          replicaSets: [
            rs('r-abc', {
              status: 'Progressing',
              stable: true,
              scaleDownDeadline: NOW + 4 * 3600 * S - 500,
              pods: [
                pod('r-abc-xyz12', NOW - 10 * S, { status: 'CrashLoopBackOff', ready: '0/2', restarts: 3 }),
              ],
            }),
          ],
          analysisRuns: [
            {
              name: 'r-abc-1',
              status: '',
              createdAt: NOW,
              successful: 0,
              failed: 0,
              inconclusive: 0,
              error: 0,
            },
          ],
        },
      ],
    };
    expect(renderGetRollout(view, NOW)).toBe(
      strip(`
Name:            r
Namespace:       ns
Status:          ◌ Progressing
Message:         more replicas need to be updated
Strategy:        Canary
  Step:
  SetWeight:     100
  ActualWeight:  100
Images:          img:1 (canary, stable)
Replicas:
  Desired:       1
  Current:       0
  Updated:       0
  Ready:         0
  Available:     0

NAME                    KIND         STATUS              AGE  INFO
⟳ r                     Rollout      ◌ Progressing       30s
└──# revision:1
   ├──⧉ r-abc           ReplicaSet   ◌ Progressing       7d   stable,delay:3h59m
   │  └──□ r-abc-xyz12  Pod          ✖ CrashLoopBackOff  10s  ready:0/2,restarts:3
   └──α r-abc-1         AnalysisRun                      0s
`),
    );
  });

  it('colours like the plugin without colour: escapes never change the alignment', () => {
    const view: RolloutView = {
      name: 'demo',
      namespace: 'ns',
      status: 'Paused',
      message: 'CanaryPauseStep',
      strategy: 'Canary',
      step: '1/8',
      setWeight: '20',
      actualWeight: '20',
      images: [{ image: 'img:2', tags: ['canary'] }],
      replicas: { desired: 1, current: 2, updated: 1, ready: 2, available: 2 },
      createdAt: NOW - 5 * M,
      revisions: [
        {
          revision: 2,
          replicaSets: [rs('demo-new', { canary: true, pods: [pod('demo-new-aaaaa', NOW - M)] })],
          analysisRuns: [
            {
              name: 'demo-new-2',
              status: 'Running',
              createdAt: NOW,
              successful: 2,
              failed: 0,
              inconclusive: 0,
              error: 1,
            },
          ],
        },
      ],
    };
    const plain = renderGetRollout(view, NOW);
    const colored = renderGetRollout(view, NOW, { color: true });
    // eslint-disable-next-line no-control-regex -- stripping ESC sequences
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
    const esc = (code: number, s: string): string => `\u001b[${code}m${s}\u001b[0m`;
    // Unmapped words are still wrapped, with code 0, as the plugin does.
    expect(colored).toContain(`Status:          ${esc(0, '॥')} Paused`);
    expect(colored).toContain(`img:2 (${esc(33, 'canary')})`);
    expect(colored).toContain(`⧉ ${esc(33, 'demo-new')}`);
    expect(colored).toContain(`α ${esc(94, 'demo-new-2')}`);
    expect(colored).toContain(`${esc(32, '✔')} 2,${esc(31, '⚠')} 1`);
  });
});
