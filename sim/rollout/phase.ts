import type { Rollout, RolloutCondition, RolloutStatus } from './types.js';

export type RolloutPhase = RolloutStatus['phase'];

const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

/**
 * The controller's phase and message (Argo's `CalculateRolloutPhase`), first match wins:
 * InvalidSpec or an aborted / timed-out Progressing condition → Degraded; `spec.paused` →
 * Paused `manually paused`; a pause condition → Paused with its reason; a pending restart; then
 * the Progressing reasons in Argo's order (utils/rollout/rolloututil.go), blue-green's cutover
 * and post-promotion ones included; else Healthy with no message.
 */
export function calculatePhase(ro: Rollout, traffic: boolean): { phase: RolloutPhase; message: string } {
  const s = ro.status;
  const invalid = s.conditions.find((c) => c.type === 'InvalidSpec');
  if (invalid) return { phase: 'Degraded', message: `InvalidSpec: ${invalid.message}` };
  const progressing = s.conditions.find((c) => c.type === 'Progressing');
  if (
    progressing &&
    (progressing.reason === 'RolloutAborted' || progressing.reason === 'ProgressDeadlineExceeded')
  ) {
    return { phase: 'Degraded', message: `${progressing.reason}: ${progressing.message}` };
  }
  if (ro.spec.paused) return { phase: 'Paused', message: 'manually paused' };
  if (s.pauseConditions.length > 0) return { phase: 'Paused', message: s.pauseConditions[0]!.reason };
  // Pending from the moment restartAt is set, even when it lies ahead (`restart --in`).
  if (ro.spec.restartAt !== undefined && s.restartedAt !== ro.spec.restartAt)
    return { phase: 'Progressing', message: 'rollout is restarting' };
  const n = ro.spec.replicas;
  if (s.updatedReplicas < n) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if (s.availableReplicas < s.updatedReplicas)
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  const bg = ro.spec.strategy.blueGreen;
  if (bg) {
    const active = s.blueGreen.activeSelector;
    if (!active || active !== s.currentPodHash)
      return { phase: 'Progressing', message: 'active service cutover pending' };
    if (s.stableRS === '' || s.stableRS !== s.currentPodHash) {
      // Switched, not yet stable: post-promotion analysis runs, or (Argo) target verification.
      const post = s.blueGreen.postPromotionAnalysisRunStatus;
      const waiting = bg.postPromotionAnalysis !== undefined && (!post || !COMPLETED.has(post.status));
      return {
        phase: 'Progressing',
        message: waiting
          ? 'waiting for analysis to complete'
          : 'waiting for post-promotion verification to complete',
      };
    }
    return { phase: 'Healthy', message: '' };
  }
  if (!traffic && s.replicas > s.updatedReplicas)
    return { phase: 'Progressing', message: 'old replicas are pending termination' };
  if (s.stableRS !== s.currentPodHash)
    return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  return { phase: 'Healthy', message: '' };
}

/** The phase `kubectl argo rollouts` shows: the client-side overrides, then the controller's. */
export function clientPhase(ro: Rollout): { phase: RolloutPhase; message: string } {
  if (ro.status.observedGeneration !== ro.meta.generation)
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  if (ro.status.controllerPause && ro.status.pauseConditions.length === 0)
    return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  return { phase: ro.status.phase, message: ro.status.message };
}

/** Sets a condition, keeping the old one (and its message and time) when type, status and reason are unchanged. */
export function setCondition(s: RolloutStatus, c: RolloutCondition): void {
  const i = s.conditions.findIndex((x) => x.type === c.type);
  if (i >= 0) {
    const old = s.conditions[i]!;
    if (old.status === c.status && old.reason === c.reason) return;
    s.conditions[i] = c;
  } else {
    s.conditions.push(c);
  }
}

export function removeCondition(s: RolloutStatus, type: RolloutCondition['type']): void {
  s.conditions = s.conditions.filter((c) => c.type !== type);
}
