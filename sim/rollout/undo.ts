import { canonicalJson, revisionOf, type PodTemplate, type ReplicaSet } from '../cluster/index.js';

/** What `kubectl argo rollouts undo` decides before it patches anything. */
export type UndoPlan =
  | { kind: 'patch'; template: PodTemplate; revision: number }
  | { kind: 'skip'; message: string }
  | { kind: 'error'; message: string };

/**
 * The plugin's `RunUndoRollout` (pkg/kubectl-argo-rollouts/cmd/undo/undo.go): the ReplicaSet of
 * `toRevision`, or with 0 the second-newest revision; its pod template (without the hash label,
 * which canarysim keeps out of templates anyway) is what gets patched back. `current` is the
 * Rollout's own `spec.template`; with a workloadRef the plugin finds no template on the Rollout,
 * never skips, and patches the Deployment instead.
 *
 * Worked example: revisions 1, 2, 3 and no --to-revision → revision 2's template. The skip
 * message prints the flag's value as given, 0 included, as the plugin does.
 */
export function planUndo(
  rollout: string,
  replicaSets: readonly ReplicaSet[],
  current: PodTemplate | undefined,
  toRevision: number,
): UndoPlan {
  let target: ReplicaSet | undefined;
  if (toRevision > 0) {
    target = replicaSets.find((rs) => revisionOf(rs) === toRevision);
    if (!target)
      return { kind: 'error', message: `unable to find specified revision ${toRevision} in history` };
  } else {
    const sorted = [...replicaSets].sort((a, b) => revisionOf(b) - revisionOf(a));
    target = sorted[1];
    if (!target) return { kind: 'error', message: `no revision found for rollout "${rollout}"` };
  }
  if (current && canonicalJson(current.raw) === canonicalJson(target.template.raw)) {
    return {
      kind: 'skip',
      message: `skipped rollback (current template already matches revision ${toRevision})`,
    };
  }
  return { kind: 'patch', template: target.template, revision: revisionOf(target) };
}
