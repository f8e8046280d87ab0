import type { ManifestNode } from './ManifestNode.js';

/*
 * Manifest bounds of our own (Kubernetes stops at int32): every replica is a simulated pod with a
 * process, a sidecar and its own metric series, so a Rollout asking for a billion of them would
 * run the rehearsal out of memory instead of answering.
 */

/** Replicas one Rollout may ask for: `spec.replicas`, `setCanaryScale.replicas`, `previewReplicaCount`. */
export const MAX_REPLICAS = 1_000;

/** Replicas the Rollouts of one world may ask for together (`spec.replicas`, summed). */
export const MAX_TOTAL_REPLICAS = 10_000;

/** Kubernetes' int32 fields (`…Seconds`, pause durations): larger values do not unmarshal. */
export const MAX_INT32 = 2_147_483_647;

/** A replica count: an integer in [0, MAX_REPLICAS], refused at its line:col otherwise. */
export function replicaCount(n: ManifestNode): number {
  const v = n.int({ min: 0 });
  if (v > MAX_REPLICAS)
    throw n.error(`invalid value ${v}: expected at most ${MAX_REPLICAS} replicas (canarysim's limit)`);
  return v;
}

/** A Rollout being applied: its key among the world's objects, its replicas, where it was written. */
export interface AppliedRollout {
  readonly key: string;
  readonly replicas: number;
  readonly node: ManifestNode;
}

/**
 * Refuses the first of `applying` that takes the replicas of all Rollouts over
 * MAX_TOTAL_REPLICAS; `existing` holds those in place (by key), which an applied one replaces.
 */
export function checkTotalReplicas(
  applying: readonly AppliedRollout[],
  existing: ReadonlyMap<string, number>,
): void {
  const replaced = new Set(applying.map((r) => r.key));
  let total = 0;
  for (const [k, n] of existing) if (!replaced.has(k)) total += n;
  for (const r of applying) {
    total += r.replicas;
    if (total <= MAX_TOTAL_REPLICAS) continue;
    const at = r.node.child('spec').child('replicas');
    throw (at.exists ? at : r.node).error(
      `the Rollouts would ask for ${total.toLocaleString('en-US')} replicas together with this one, more than canarysim's limit of ${MAX_TOTAL_REPLICAS.toLocaleString('en-US')}`,
    );
  }
}

/** The shortest analysis `interval`: measurements closer than scrapes (≥ 1s) see nothing new. */
export const MIN_MEASUREMENT_INTERVAL_MS = 1000;
