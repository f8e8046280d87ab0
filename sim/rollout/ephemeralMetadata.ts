import type { Cluster, ReplicaSet } from '../cluster/index.js';
import type { PodMetadata, RolloutSpec } from './types.js';

/** The ReplicaSet annotation where Argo remembers what it injected (`rollout.argoproj.io/ephemeral-metadata`). */
export const EPHEMERAL_METADATA_ANNOTATION = 'rollout.argoproj.io/ephemeral-metadata';

/** The Rollout's role metadata: canary/stable, or blue-green's preview/active. */
export function roleMetadata(spec: RolloutSpec): { next?: PodMetadata; stable?: PodMetadata } {
  const c = spec.strategy.canary;
  if (c) return { next: c.canaryMetadata, stable: c.stableMetadata };
  const bg = spec.strategy.blueGreen;
  return { next: bg?.previewMetadata, stable: bg?.activeMetadata };
}

/**
 * Argo's `SyncReplicaSetEphemeralPodMetadata` + pod update: puts `want`'s labels on the
 * ReplicaSet's template and, while it has replicas, on its pods in place, removing what it
 * injected before and no longer wants (other labels stay). The injected metadata is recorded in
 * the ReplicaSet's annotation, as Argo does. The pod-template hash never changes.
 */
export function syncEphemeralMetadata(
  cluster: Cluster,
  rs: ReplicaSet | undefined,
  want: PodMetadata | undefined,
): void {
  if (!rs) return;
  const raw = rs.meta.annotations[EPHEMERAL_METADATA_ANNOTATION];
  let before: PodMetadata = { labels: {}, annotations: {} };
  if (raw !== undefined) {
    try {
      const parsed = JSON.parse(raw) as Partial<PodMetadata>;
      before = { labels: parsed.labels ?? {}, annotations: parsed.annotations ?? {} };
    } catch {
      // A hand-edited annotation: treat it as nothing injected.
    }
  }
  const labels = want?.labels ?? {};
  const removed = Object.keys(before.labels).filter((k) => !(k in labels));
  cluster.setPodTemplateLabels(rs, labels, removed);
  const next =
    want && (Object.keys(want.labels).length > 0 || Object.keys(want.annotations).length > 0)
      ? JSON.stringify({ labels: want.labels, annotations: want.annotations })
      : undefined;
  cluster.setAnnotation(rs, EPHEMERAL_METADATA_ANNOTATION, next);
}

/**
 * `reconcileEphemeralMetadata`: once fully rolled out (no stable yet, or the new ReplicaSet is
 * the stable one) the new ReplicaSet carries the stable metadata; while updating, the new one the
 * canary's (preview's) and the stable one the stable's (active's); every other loses its own.
 */
export function reconcileEphemeralMetadata(
  cluster: Cluster,
  spec: RolloutSpec,
  stableHash: string,
  newRS: ReplicaSet | undefined,
  stableRS: ReplicaSet | undefined,
  others: readonly ReplicaSet[],
): void {
  const { next, stable } = roleMetadata(spec);
  if (!next && !stable) return;
  const fullyRolledOut = stableHash === '' || stableHash === newRS?.podTemplateHash;
  if (fullyRolledOut) syncEphemeralMetadata(cluster, newRS, stable);
  else {
    syncEphemeralMetadata(cluster, newRS, next);
    syncEphemeralMetadata(cluster, stableRS, stable);
  }
  for (const rs of others)
    if (rs !== newRS && rs !== stableRS && rs.meta.annotations[EPHEMERAL_METADATA_ANNOTATION] !== undefined)
      syncEphemeralMetadata(cluster, rs, undefined);
}
