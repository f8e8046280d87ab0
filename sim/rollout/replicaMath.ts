import type { IntOrPercent } from './types.js';

/** Spec and available replicas of a ReplicaSet, as the replica math sees it. */
export interface RsCounts {
  spec: number;
  available: number;
}

/**
 * An int-or-percent value scaled against `total`: percentages round up for maxSurge and down for
 * maxUnavailable (Kubernetes' `GetScaledValueFromIntOrPercent`).
 */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = Number(v.replace(/%$/, ''));
  const x = (pct * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * maxSurge and maxUnavailable as replica counts for `n` replicas: surge rounds up, unavailable
 * rounds down; both 0 forces unavailable to 1; unavailable is capped at n.
 * Worked example: n = 5 with the 25% defaults → surge 2, unavailable 1.
 */
export function resolveFenceposts(
  maxSurge: IntOrPercent,
  maxUnavailable: IntOrPercent,
  n: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, n, true);
  let unavailable = scaledValue(maxUnavailable, n, false);
  if (surge === 0 && unavailable === 0 && n > 0) unavailable = 1;
  if (unavailable > n) unavailable = n;
  return { surge, unavailable };
}

function tied(weight: number, total: number): boolean {
  const x = (total * weight) / 100;
  return x - Math.floor(x) === 0.5;
}

/**
 * The (canary, stable) split closest to `weight`% of `n` replicas. Candidates total `n`, or
 * `n + 1` when surge is allowed; a 1–99% weight never yields zero on either side once there is
 * room for two pods; among equally close candidates the first (the rounded-up canary) wins.
 * Examples: (5, 20%, surge 2) → 1/4; (3, 50%, no surge) → 2/1; (10, 24%, surge 1) → 3/8.
 */
export function approximateCanaryStable(n: number, weight: number, surge: number): [number, number] {
  if (n === 0) return [0, 0];
  const ceil = Math.ceil((n * weight) / 100);
  const floor = Math.floor((n * weight) / 100);
  const zeroAllowed = weight === 100 || weight === 0 || (n === 1 && surge === 0);
  const options: [number, number][] = [];
  if (ceil < n || zeroAllowed) options.push([ceil, n]);
  if (!tied(weight, n) && (floor !== 0 || zeroAllowed)) options.push([floor, n]);
  if (surge > 0) {
    options.push([ceil, n + 1]);
    if (!tied(weight, n + 1) && (floor !== 0 || zeroAllowed)) options.push([floor, n + 1]);
  }
  if (options.length === 0) return [0, n];
  const delta = ([c, t]: [number, number]) => Math.abs((c * 100) / t - weight);
  let best = options[0]!;
  for (const o of options.slice(1)) if (delta(o) < delta(best)) best = o;
  return [best[0], best[1] - best[0]];
}

/** How many of an RS's replicas count toward availability when deciding what may be scaled down. */
function countedForScaleDown(rs: RsCounts | undefined, ignoreAvailability: boolean): number {
  if (!rs) return 0;
  if (rs.spec < rs.available) return rs.spec;
  return ignoreAvailability ? rs.spec : rs.available;
}

export interface BasicCanaryInput {
  n: number;
  weight: number;
  surge: number;
  unavailable: number;
  /** The RS of the current pod template, if it exists. */
  canary?: RsCounts;
  /** The stable RS, when it exists and differs from the canary. */
  stable?: RsCounts;
  /** Spec replicas of every other RS of the rollout. */
  others: number[];
}

/**
 * Basic canary (no traffic router): the replica counts to move the canary and stable RSs to for
 * this reconcile, bounded by maxSurge (scale-ups) and maxUnavailable (scale-downs). Stable scales
 * up before the canary; older RSs are drained before either is scaled down; when the canary grows
 * the stable's unavailable pods do not block its scale-down, and the reverse when it shrinks.
 * Example (n 10, 20%, surge 2, unavailable 0, stable 10/10, canary 0/0) → canary 2, stable 10; once
 * the canary is 2/2 → 2 / 8.
 */
export function basicCanaryReplicaCounts(inp: BasicCanaryInput): { canary: number; stable: number } {
  const { n, surge, unavailable, canary, others } = inp;
  const stable = inp.stable;
  let [desiredCanary, desiredStable] = approximateCanaryStable(n, inp.weight, surge);
  let newCount = canary ? canary.spec : 0;
  let stableCount = 0;
  if (stable) {
    stableCount = stable.spec;
  } else {
    desiredCanary = n;
    desiredStable = 0;
  }
  const maxTotal = n + surge;
  const total = others.reduce((a, b) => a + b, 0) + (canary?.spec ?? 0) + (stable?.spec ?? 0);
  let scaleUp = maxTotal - total;

  if (stable && stable.spec < desiredStable && scaleUp > 0) {
    if (stable.spec + scaleUp < desiredStable) {
      stableCount = stable.spec + scaleUp;
      scaleUp = 0;
    } else {
      stableCount = desiredStable;
      scaleUp -= desiredStable - stable.spec;
    }
  }
  if (canary && canary.spec < desiredCanary && scaleUp > 0) {
    newCount = Math.min(canary.spec + scaleUp, desiredCanary);
  }
  if (others.reduce((a, b) => a + b, 0) > 0) return { canary: newCount, stable: stableCount };

  const minAvailable = n - unavailable;
  const increasing = !canary || desiredCanary >= canary.spec;
  const counted = countedForScaleDown(canary, !increasing) + countedForScaleDown(stable, increasing);
  if (counted <= minAvailable) return { canary: newCount, stable: stableCount };
  const scaleDown = counted - minAvailable;

  if (!increasing) {
    if (canary && canary.spec > desiredCanary) newCount = Math.max(desiredCanary, canary.spec - scaleDown);
    [newCount, stableCount] = adjustWithinLimits(
      canary,
      stable,
      newCount,
      stableCount,
      maxTotal,
      minAvailable,
    );
  } else if (stable) {
    if (stable.spec > desiredStable) stableCount = Math.max(desiredStable, stable.spec - scaleDown);
    [stableCount, newCount] = adjustWithinLimits(
      stable,
      canary,
      stableCount,
      newCount,
      maxTotal,
      minAvailable,
    );
  }
  return { canary: newCount, stable: stableCount };
}

/**
 * After draining one RS, keep the pair within maxSurge (trim the other RS) without letting the
 * trim cost availability below the minimum (give those replicas back, taking them from the drained RS).
 */
function adjustWithinLimits(
  drain: RsCounts | undefined,
  adjust: RsCounts | undefined,
  drainCount: number,
  adjustCount: number,
  maxTotal: number,
  minAvailable: number,
): [number, number] {
  let over = Math.max(0, adjustCount + drainCount - maxTotal);
  let available = drain ? Math.min(drain.available, drainCount) : 0;
  if (adjust) {
    adjustCount -= over;
    available += Math.min(adjust.available, adjustCount);
    const lostAvailability = Math.max(0, adjust.available - adjustCount);
    const shortOfMinimum = Math.max(0, minAvailable - available);
    adjustCount += Math.min(lostAvailability, shortOfMinimum);
    over = Math.max(0, adjustCount + drainCount - maxTotal);
    drainCount -= over;
  }
  return [drainCount, adjustCount];
}

/** `ceil(weight * n / 100)`: the canary size for a traffic weight (traffic routing). n 5, 20% → 1. */
export function trafficWeightToReplicas(n: number, weight: number, maxWeight = 100): number {
  return Math.ceil((weight * n) / maxWeight);
}

/**
 * Argo's `CalculateReplicaCountsForTrafficRoutedCanary` (spec §2.4–2.5). The canary gets
 * `setCanaryScale` replicas, or `ceil(weight·n/100)` raised to minPodsPerReplicaSet; the stable
 * keeps all `n` — the router, not pod counts, splits traffic — unless `dynamicStableScale`: then
 * the stable is the larger of its desired share and the share traffic still sends it, and while
 * aborting the canary keeps the pods its remaining traffic needs.
 * Examples: n 5 at 20% → 1/5; n 10, 10%, DSS with weights 10/90 → 1/9; aborted at 20/80 → 2/10.
 */
export function trafficRoutedReplicaCounts(
  n: number,
  weight: number,
  opts: {
    setCanaryReplicas?: number;
    minPods?: number;
    dynamicStableScale?: boolean;
    /** The weights the router has now (status.canary.weights), when known. */
    current?: { canary: number; stable: number };
    aborted?: boolean;
  } = {},
): { canary: number; stable: number } {
  const minPods = (count: number) =>
    count === 0 || opts.minPods === undefined ? count : Math.max(count, opts.minPods);
  let canary = opts.setCanaryReplicas ?? minPods(trafficWeightToReplicas(n, weight));
  if (!opts.dynamicStableScale) return { canary, stable: n };
  let stable = trafficWeightToReplicas(n, 100 - weight);
  if (opts.current) {
    stable = Math.max(stable, trafficWeightToReplicas(n, opts.current.stable));
    if (opts.aborted) canary = Math.max(trafficWeightToReplicas(n, opts.current.canary), canary);
  }
  return { canary: minPods(canary), stable: minPods(stable) };
}
