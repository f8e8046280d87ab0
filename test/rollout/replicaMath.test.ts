import { describe, expect, it } from 'vitest';
import {
  approximateCanaryStable,
  basicCanaryReplicaCounts,
  resolveFenceposts,
  trafficRoutedReplicaCounts,
  trafficWeightToReplicas,
  type IntOrPercent,
} from '../../sim/rollout/index.js';

// spec/argo-rollouts.md §2.3: n, setWeight, maxSurge, maxUnavailable, stable(spec/avail), canary(spec/avail)
// → canary, stable (from Argo's utils/replicaset/canary_test.go).
interface Row {
  id: number;
  n: number;
  w: number;
  surge: IntOrPercent;
  unav: IntOrPercent;
  stable: [number, number];
  canary: [number, number];
  others?: number[];
  want: [number, number];
}

const rows: Row[] = [
  { id: 1, n: 10, w: 20, surge: 2, unav: 0, stable: [10, 10], canary: [0, 0], want: [2, 10] },
  { id: 2, n: 10, w: 20, surge: '20%', unav: 0, stable: [10, 10], canary: [2, 2], want: [2, 8] },
  { id: 3, n: 10, w: 30, surge: 2, unav: 0, stable: [10, 10], canary: [0, 0], want: [2, 10] },
  { id: 4, n: 10, w: 20, surge: 0, unav: 2, stable: [10, 10], canary: [0, 0], want: [0, 8] },
  { id: 5, n: 10, w: 50, surge: 2, unav: 1, stable: [10, 10], canary: [0, 0], want: [2, 9] },
  { id: 6, n: 10, w: 0, surge: 1, unav: 1, stable: [10, 10], canary: [1, 1], want: [0, 10] },
  { id: 7, n: 10, w: 100, surge: 1, unav: 1, stable: [1, 1], canary: [10, 10], want: [10, 0] },
  { id: 8, n: 1, w: 20, surge: 1, unav: 0, stable: [1, 1], canary: [0, 0], want: [1, 1] },
  { id: 9, n: 1, w: 49, surge: 0, unav: 1, stable: [1, 1], canary: [0, 0], want: [0, 1] },
  { id: 10, n: 1, w: 51, surge: 0, unav: 1, stable: [1, 1], canary: [0, 0], want: [0, 0] },
  { id: 10.1, n: 1, w: 51, surge: 0, unav: 1, stable: [0, 0], canary: [0, 0], want: [1, 0] },
  { id: 11, n: 10, w: 30, surge: 1, unav: 0, stable: [1, 1], canary: [0, 0], others: [3], want: [1, 7] },
  { id: 12, n: 10, w: 30, surge: 0, unav: 3, stable: [8, 5], canary: [4, 4], want: [3, 7] },
  { id: 13, n: 10, w: 100, surge: 1, unav: 0, stable: [10, 2], canary: [10, 8], want: [9, 2] },
  { id: 14, n: 10, w: 5, surge: 0, unav: 1, stable: [10, 10], canary: [0, 0], want: [0, 9] },
  { id: 14.1, n: 10, w: 5, surge: 0, unav: 1, stable: [9, 9], canary: [0, 0], want: [1, 9] },
  { id: 15, n: 10, w: 10, surge: '0%', unav: '0%', stable: [10, 10], canary: [0, 0], want: [0, 9] },
  { id: 16, n: 4, w: 100, surge: 1, unav: 0, stable: [4, 1], canary: [0, 0], want: [1, 4] },
  { id: 17, n: 3, w: 99, surge: 0, unav: 2, stable: [3, 3], canary: [0, 0], want: [0, 1] },
  { id: 17.1, n: 3, w: 99, surge: 0, unav: 2, stable: [1, 1], canary: [0, 0], want: [2, 1] },
  { id: 18, n: 4, w: 0, surge: 1, unav: 0, stable: [0, 0], canary: [4, 4], want: [4, 1] },
  { id: 18.1, n: 4, w: 0, surge: 1, unav: 0, stable: [1, 1], canary: [4, 4], want: [3, 1] },
  // promoteFull: the controller aims at 100% whatever the step says (rows 19, 20).
  { id: 19, n: 4, w: 100, surge: 4, unav: 4, stable: [4, 4], canary: [0, 0], want: [4, 0] },
  { id: 20, n: 4, w: 100, surge: 3, unav: 0, stable: [4, 4], canary: [0, 0], want: [3, 4] },
  // row 21: a setCanaryScale without trafficRouting is ignored, so it is row 1's setWeight math.
  { id: 21, n: 10, w: 20, surge: '20%', unav: 0, stable: [10, 10], canary: [0, 0], want: [2, 10] },
];

describe('basic canary replica math (spec §2.3)', () => {
  it.each(rows)('row $id: n=$n weight=$w surge=$surge unavailable=$unav → $want', (r) => {
    const { surge, unavailable } = resolveFenceposts(r.surge, r.unav, r.n);
    const got = basicCanaryReplicaCounts({
      n: r.n,
      weight: r.w,
      surge,
      unavailable,
      stable: { spec: r.stable[0], available: r.stable[1] },
      canary: { spec: r.canary[0], available: r.canary[1] },
      others: r.others ?? [],
    });
    expect([got.canary, got.stable]).toEqual(r.want);
  });
});

// TestApproximateWeightedNewStableReplicaCounts: (n, w, surge) → canary, stable.
const approx: [number, number, number, number, number][] = [
  [1, 49, 0, 0, 1],
  [1, 50, 0, 1, 0],
  [1, 1, 1, 1, 1],
  [2, 1, 0, 1, 1],
  [2, 1, 1, 1, 2],
  [2, 99, 1, 2, 1],
  [3, 10, 0, 1, 2],
  [3, 50, 0, 2, 1],
  [3, 10, 1, 1, 3],
  [3, 49, 1, 2, 2],
  [10, 14, 0, 1, 9],
  [10, 15, 0, 2, 8],
  [10, 99, 0, 9, 1],
  [10, 1, 1, 1, 10],
  [10, 18, 1, 2, 9],
  [10, 24, 1, 3, 8],
  [10, 99, 1, 10, 1],
  [10, 100, 1, 10, 0],
  // docs/features/canary: 10 replicas at 10% → 1/9, at 41% → 4/6.
  [10, 10, 0, 1, 9],
  [10, 41, 0, 4, 6],
];

describe('approximate weighted canary/stable split (spec §2.3)', () => {
  it.each(approx)('n=%i w=%i surge=%i → %i / %i', (n, w, surge, c, s) => {
    expect(approximateCanaryStable(n, w, surge)).toEqual([c, s]);
  });
});

/** Reconciles until the counts stop moving, every pod becoming available at once. */
function steady(
  n: number,
  w: number,
  surge: IntOrPercent,
  unav: IntOrPercent,
  start: [number, number],
): [number, number] {
  const f = resolveFenceposts(surge, unav, n);
  let [canary, stable] = start;
  for (let i = 0; i < 50; i++) {
    const got = basicCanaryReplicaCounts({
      n,
      weight: w,
      ...f,
      canary: { spec: canary, available: canary },
      stable: { spec: stable, available: stable },
      others: [],
    });
    // The controller applies one scaling action per sync: stable first.
    if (got.stable !== stable) stable = got.stable;
    else if (got.canary !== canary) canary = got.canary;
    else return [canary, stable];
  }
  throw new Error('no steady state');
}

describe('steady states with the 25% defaults (spec §2.3)', () => {
  it('rollouts-demo n=5: 20→1/4, 40→2/3, 60→3/2, 80→4/1, 100→5/0', () => {
    let cur: [number, number] = [0, 5];
    const seen: string[] = [];
    for (const w of [20, 40, 60, 80, 100]) {
      cur = steady(5, w, '25%', '25%', cur);
      seen.push(`${w}→${cur[0]}/${cur[1]}`);
    }
    expect(seen).toEqual(['20→1/4', '40→2/3', '60→3/2', '80→4/1', '100→5/0']);
  });

  it('n=4: 25→1/3, 50→2/2, 75→3/1; n=10: 10→1/9, 20→2/8, 25→3/8, 50→5/5, 90→9/1', () => {
    expect(steady(4, 25, '25%', '25%', [0, 4])).toEqual([1, 3]);
    expect(steady(4, 50, '25%', '25%', [0, 4])).toEqual([2, 2]);
    expect(steady(4, 75, '25%', '25%', [0, 4])).toEqual([3, 1]);
    for (const [w, c, s] of [
      [10, 1, 9],
      [20, 2, 8],
      [25, 3, 8],
      [50, 5, 5],
      [90, 9, 1],
    ] as const) {
      expect(steady(10, w, '25%', '25%', [0, 10])).toEqual([c, s]);
    }
  });

  it('defaults resolve for n=5 to surge 2, unavailable 1; both zero forces unavailable 1', () => {
    expect(resolveFenceposts('25%', '25%', 5)).toEqual({ surge: 2, unavailable: 1 });
    expect(resolveFenceposts(0, '5%', 10)).toEqual({ surge: 0, unavailable: 1 });
  });
});

describe('traffic-routed canary (spec §2.4)', () => {
  it.each([
    [10, 0, 0],
    [10, 20, 2],
    [10, 25, 3],
    [10, 33, 4],
    [10, 99, 10],
    [10, 100, 10],
    [5, 20, 1],
    [5, 30, 2],
    [5, 50, 3],
    [1, 5, 1],
  ])('n=%i weight=%i → canary %i', (n, w, c) => {
    expect(trafficWeightToReplicas(n, w)).toBe(c);
  });

  it('keeps the stable at n (n=10, 10% → 1 canary + 10 stable); minPodsPerReplicaSet raises a non-zero canary', () => {
    expect(trafficRoutedReplicaCounts(10, 10)).toEqual({ canary: 1, stable: 10 });
    expect(trafficRoutedReplicaCounts(10, 5, { minPods: 2 })).toEqual({ canary: 2, stable: 10 });
    expect(trafficRoutedReplicaCounts(5, 20)).toEqual({ canary: 1, stable: 5 });
  });
});

// spec §2.4 (traffic-routed canary) and §2.5 (dynamicStableScale), from Argo's
// TestTrafficWeightToReplicas, TestCalculateReplicaCountsForCanaryTrafficRouting(DynamicScale).
describe('traffic-routed replica counts (spec §2.4)', () => {
  it.each([
    [10, 0, 0],
    [10, 20, 2],
    [10, 25, 3],
    [10, 33, 4],
    [10, 99, 10],
    [10, 100, 10],
    [5, 20, 1],
    [5, 30, 2],
    [5, 50, 3],
    [1, 5, 1],
  ])('n=%i weight=%i → canary %i, stable n', (n, w, c) => {
    expect(trafficRoutedReplicaCounts(n, w)).toEqual({ canary: c, stable: n });
  });

  it('minPodsPerReplicaSet 2: n=10, w5 → canary 2; a zero canary stays zero', () => {
    expect(trafficRoutedReplicaCounts(10, 5, { minPods: 2 })).toEqual({ canary: 2, stable: 10 });
    expect(trafficRoutedReplicaCounts(10, 0, { minPods: 2 })).toEqual({ canary: 0, stable: 10 });
  });

  it('setCanaryScale: replicas 9 on n=1 → 9 + 1 (may exceed n); weight 200 on n=4 → 8 + 4', () => {
    expect(trafficRoutedReplicaCounts(1, 0, { setCanaryReplicas: 9 })).toEqual({ canary: 9, stable: 1 });
    expect(trafficRoutedReplicaCounts(4, 200)).toEqual({ canary: 8, stable: 4 });
  });

  it('maxSurge / maxUnavailable do not bound the counts: n=10, w10 → 11 pods', () => {
    const { canary, stable } = trafficRoutedReplicaCounts(10, 10);
    expect(canary + stable).toBe(11);
  });
});

describe('dynamicStableScale replica counts (spec §2.5, n=10)', () => {
  const dss = (weight: number, current: { canary: number; stable: number }, aborted = false) =>
    trafficRoutedReplicaCounts(10, weight, { dynamicStableScale: true, current, aborted });

  it('setWeight 10 with weights 10/90 → canary 1, stable 9', () => {
    expect(dss(10, { canary: 10, stable: 90 })).toEqual({ canary: 1, stable: 9 });
  });

  it('setWeight 20 while weights are still 10/90 → canary 2, stable 9 (the stable waits for traffic to leave)', () => {
    expect(dss(20, { canary: 10, stable: 90 })).toEqual({ canary: 2, stable: 9 });
  });

  it('aborted with canary weight 20 → canary 2, stable 10; with 10 → canary 1, stable 10', () => {
    expect(dss(0, { canary: 20, stable: 80 }, true)).toEqual({ canary: 2, stable: 10 });
    expect(dss(0, { canary: 10, stable: 90 }, true)).toEqual({ canary: 1, stable: 10 });
  });

  it('without recorded weights the stable is its desired share', () => {
    expect(trafficRoutedReplicaCounts(10, 30, { dynamicStableScale: true })).toEqual({
      canary: 3,
      stable: 7,
    });
  });
});
