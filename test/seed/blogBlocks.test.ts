import { describe, expect, it } from 'vitest';
import { renderGetRollout } from '../../cli/views/renderGetRollout.js';
import type { PodView, ReplicaSetView, RolloutView } from '../../cli/views/RolloutView.js';
import { compareBlocks, parseGetRolloutOutput, readBlogBlocks, type ParsedGetRollout } from './blogBlocks.js';

const S = 1000;
const M = 60 * S;
const NOW = Date.UTC(2024, 10, 11, 12, 0, 0);
const ago = (ms: number): number => NOW - ms;

function pod(name: string, createdAt: number): PodView {
  return { name, status: 'Running', createdAt, ready: '2/2', restarts: 0 };
}
function rs(name: string, over: Partial<ReplicaSetView> = {}): ReplicaSetView {
  return { name, status: 'Healthy', createdAt: ago(10 * M), stable: false, canary: false, pods: [], ...over };
}

/** The last block of the post (failed analysis), rebuilt with hashes of our own. */
function failedAnalysisView(): RolloutView {
  return {
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
          rs('silly-demo-7f9c6d8b4', { status: 'ScaledDown', canary: true, scaleDownDeadline: ago(S * 2) }),
        ],
        analysisRuns: [
          {
            name: 'silly-demo-7f9c6d8b4-4',
            status: 'Failed',
            createdAt: ago(8 * M),
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
          rs('silly-demo-6d8f5b7c9', {
            stable: true,
            pods: ['aaaaa', 'bbbbb', 'ccccc', 'ddddd', 'eeeee'].map((s, i) =>
              pod(`silly-demo-6d8f5b7c9-${s}`, ago(16 * M - i * S)),
            ),
          }),
        ],
        analysisRuns: [
          {
            name: 'silly-demo-6d8f5b7c9-3',
            status: 'Successful',
            createdAt: ago(10 * M),
            successful: 1,
            failed: 0,
            inconclusive: 0,
            error: 0,
          },
        ],
      },
      { revision: 2, replicaSets: [rs('silly-demo-9b7d5f6c8', { status: 'ScaledDown' })], analysisRuns: [] },
    ],
  };
}

const statusOf = (b: ParsedGetRollout): string => b.summary?.status ?? b.tree?.rows[0]?.status ?? '';

describe('blog get-rollout blocks', () => {
  const blocks = readBlogBlocks();

  it('finds every get rollout output of the post, in order, with its status', () => {
    expect(blocks.map((b) => [b.line, statusOf(b), b.summary?.step ?? null])).toEqual([
      [173, 'Healthy', null],
      [208, 'Paused', null],
      [240, 'Paused', '3/8'],
      [273, 'Healthy', '8/8'],
      [324, 'Paused', '1/8'],
      [369, 'Degraded', '0/8'],
      [524, 'Healthy', '8/8'],
      [573, 'Paused', '1/8'],
      [920, 'Paused', null],
      [977, 'Degraded', '0/8'],
    ]);
    expect(blocks.map((b) => b.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('unwraps the 80-column wraps of the failed-analysis block', () => {
    const last = blocks[9];
    expect(last?.summary?.message).toBe(
      'RolloutAborted: Rollout aborted update to revision 4: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    );
    expect(last?.tree?.rows[2]).toMatchObject({
      kind: 'ReplicaSet',
      name: 'silly-demo-64b5875f59',
      icon: '•',
      status: 'ScaledDown',
      age: '9m30s',
      info: 'canary,delay:passed',
      depth: 2,
      prefix: '│  ├──',
    });
    expect(last?.tree?.rows[3]).toMatchObject({
      kind: 'AnalysisRun',
      status: 'Failed',
      info: '✖ 1',
      last: true,
    });
  });

  it('parses the summary fields', () => {
    expect(blocks[7]?.summary).toEqual({
      name: 'silly-demo',
      namespace: 'a-team',
      icon: '॥',
      status: 'Paused',
      message: 'CanaryPauseStep',
      strategy: 'Canary',
      step: '1/8',
      setWeight: '20',
      actualWeight: '20',
      images: [
        { image: 'ghcr.io/vfarcic/silly-demo:1.4.126', tags: ['stable'] },
        { image: 'ghcr.io/vfarcic/silly-demo:1.4.127', tags: ['canary'] },
      ],
      replicas: { desired: 5, current: 6, updated: 1, ready: 6, available: 6 },
    });
    expect(blocks[3]?.summary?.message).toBe('');
  });

  it('marks cut text: "..." before the tree and inside it', () => {
    expect(blocks[0]).toMatchObject({ truncatedBefore: true, tree: { truncated: false } });
    expect(blocks[0]?.summary).toBeUndefined();
    expect(blocks[1]).toMatchObject({ truncatedBefore: true, tree: { truncated: true } });
    expect(blocks[8]).toMatchObject({ truncatedBefore: false, tree: { truncated: false } });
    expect(blocks[0]?.tree?.rows.map((r) => r.kind)).toEqual([
      'Rollout',
      'Revision',
      'ReplicaSet',
      'Pod',
      'Pod',
      'Pod',
      'Pod',
      'Pod',
    ]);
  });

  it('reads right-aligned ages and AnalysisRun rows of the analysis block', () => {
    const rows = blocks[8]?.tree?.rows ?? [];
    expect(rows[3]).toMatchObject({ kind: 'Pod', age: '5m69s', info: 'ready:2/2', depth: 3 });
    expect(rows[5]).toMatchObject({
      kind: 'AnalysisRun',
      name: 'silly-demo-5c5547db68-3',
      icon: '✔',
      status: 'Successful',
      info: '✔ 1',
    });
  });
});

describe('parseGetRolloutOutput on our rendering', () => {
  it('round-trips renderGetRollout output, coloured or not', () => {
    const view = failedAnalysisView();
    for (const color of [false, true]) {
      const parsed = parseGetRolloutOutput(renderGetRollout(view, NOW, { color }));
      expect(parsed.summary).toEqual({
        name: view.name,
        namespace: view.namespace,
        icon: '✖',
        status: view.status,
        message: view.message,
        strategy: view.strategy,
        step: view.step,
        setWeight: view.setWeight,
        actualWeight: view.actualWeight,
        images: view.images,
        replicas: view.replicas,
      });
      expect(parsed.tree?.truncated).toBe(false);
      expect(parsed.tree?.rows.map((r) => [r.prefix, r.kind, r.name, r.status, r.age, r.info])).toEqual([
        ['', 'Rollout', 'silly-demo', 'Degraded', '18m', ''],
        ['├──', 'Revision', 'revision:4', '', '', ''],
        ['│  ├──', 'ReplicaSet', 'silly-demo-7f9c6d8b4', 'ScaledDown', '10m', 'canary,delay:passed'],
        ['│  └──', 'AnalysisRun', 'silly-demo-7f9c6d8b4-4', 'Failed', '8m', '✖ 1'],
        ['├──', 'Revision', 'revision:3', '', '', ''],
        ['│  ├──', 'ReplicaSet', 'silly-demo-6d8f5b7c9', 'Healthy', '10m', 'stable'],
        ['│  │  ├──', 'Pod', 'silly-demo-6d8f5b7c9-aaaaa', 'Running', '16m', 'ready:2/2'],
        ['│  │  ├──', 'Pod', 'silly-demo-6d8f5b7c9-bbbbb', 'Running', '15m', 'ready:2/2'],
        ['│  │  ├──', 'Pod', 'silly-demo-6d8f5b7c9-ccccc', 'Running', '15m', 'ready:2/2'],
        ['│  │  ├──', 'Pod', 'silly-demo-6d8f5b7c9-ddddd', 'Running', '15m', 'ready:2/2'],
        ['│  │  └──', 'Pod', 'silly-demo-6d8f5b7c9-eeeee', 'Running', '15m', 'ready:2/2'],
        ['│  └──', 'AnalysisRun', 'silly-demo-6d8f5b7c9-3', 'Successful', '10m', '✔ 1'],
        ['└──', 'Revision', 'revision:2', '', '', ''],
        ['   └──', 'ReplicaSet', 'silly-demo-9b7d5f6c8', 'ScaledDown', '10m', ''],
      ]);
    }
  });
});

describe('compareBlocks', () => {
  const blocks = readBlogBlocks();

  it('finds no difference between the blog and an equivalent rendering with other hashes', () => {
    const hashes = new Map<string, string>();
    const ours = parseGetRolloutOutput(renderGetRollout(failedAnalysisView(), NOW));
    expect(compareBlocks(blocks[9] as ParsedGetRollout, ours, { hashes })).toEqual([]);
    expect([...hashes]).toEqual([
      ['64b5875f59', '7f9c6d8b4'],
      ['5c5547db68', '6d8f5b7c9'],
      ['5d574b5f4f', '9b7d5f6c8'],
    ]);
  });

  it('reports field differences and, on request, ages', () => {
    const view = failedAnalysisView();
    view.actualWeight = '20';
    const ar = view.revisions[0]?.analysisRuns[0];
    if (ar) ar.status = 'Successful';
    const diffs = compareBlocks(
      blocks[9] as ParsedGetRollout,
      parseGetRolloutOutput(renderGetRollout(view, NOW)),
      {
        hashes: new Map(),
        ages: true,
      },
    );
    expect(diffs).toContain('summary.actualWeight: blog "0" ≠ ours "20"');
    expect(diffs).toContain(
      'tree row 3 (AnalysisRun silly-demo-64b5875f59-4): status: blog "Failed" ≠ ours "Successful"',
    );
    expect(diffs).toContain('tree row 3 (AnalysisRun silly-demo-64b5875f59-4): age: blog 8m26s ≠ ours 8m');
  });

  it('keeps the hash mapping one-to-one across a story', () => {
    const hashes = new Map([['64b5875f59', 'aaaaaaaaaa']]);
    const ours = parseGetRolloutOutput(renderGetRollout(failedAnalysisView(), NOW));
    const diffs = compareBlocks(blocks[9] as ParsedGetRollout, ours, { hashes });
    expect(diffs).toContain(
      'tree row 2 (ReplicaSet silly-demo-64b5875f59): hash: blog 64b5875f59 is ours aaaaaaaaaa elsewhere, here 7f9c6d8b4',
    );

    const reused = new Map([['0000000000', '7f9c6d8b4']]);
    expect(compareBlocks(blocks[9] as ParsedGetRollout, ours, { hashes: reused })).toContain(
      'tree row 2 (ReplicaSet silly-demo-64b5875f59): hash: ours 7f9c6d8b4 already stands for blog 0000000000, here for 64b5875f59',
    );
  });

  it('matches a truncated blog tree as a subsequence of ours', () => {
    // Block 1: paused at 20% with the simple overlay; the blog shows 2 of the 4 stable pods.
    const view: RolloutView = {
      ...failedAnalysisView(),
      status: 'Paused',
      message: 'CanaryPauseStep',
      createdAt: ago(2 * M + 15 * S),
      revisions: [
        {
          revision: 2,
          replicaSets: [
            rs('silly-demo-abc', { canary: true, pods: [pod('silly-demo-abc-zzzzz', ago(50 * S))] }),
          ],
          analysisRuns: [],
        },
        {
          revision: 1,
          replicaSets: [
            rs('silly-demo-def', {
              stable: true,
              pods: ['p1aaa', 'p2bbb', 'p3ccc', 'p4ddd'].map((s) =>
                pod(`silly-demo-def-${s}`, ago(2 * M + 15 * S)),
              ),
            }),
          ],
          analysisRuns: [],
        },
      ],
    };
    const ours = parseGetRolloutOutput(renderGetRollout(view, NOW));
    expect(compareBlocks(blocks[1] as ParsedGetRollout, ours, { hashes: new Map() })).toEqual([]);

    const withoutCanaryPod = { ...view, revisions: view.revisions.map((r) => ({ ...r })) };
    const canary = withoutCanaryPod.revisions[0]?.replicaSets[0];
    if (withoutCanaryPod.revisions[0] && canary)
      withoutCanaryPod.revisions[0].replicaSets = [{ ...canary, pods: [] }];
    const diffs = compareBlocks(
      blocks[1] as ParsedGetRollout,
      parseGetRolloutOutput(renderGetRollout(withoutCanaryPod, NOW)),
      { hashes: new Map() },
    );
    expect(diffs.length).toBeGreaterThan(0);
  });
});
