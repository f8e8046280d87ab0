import { canonicalJson, fnv1a32, safeEncodeString } from '../cluster/index.js';
import type { CanaryStep, Rollout } from './types.js';

/**
 * The current step and its index; the step is undefined once every step is done (index = len),
 * and both are without steps (a canary without any, or blue-green).
 */
export function currentStep(ro: Rollout): { step?: CanaryStep; index?: number } {
  const steps = ro.spec.strategy.canary?.steps ?? [];
  if (steps.length === 0) return {};
  const index = ro.status.currentStepIndex ?? 0;
  return { step: index < steps.length ? steps[index] : undefined, index };
}

/**
 * Argo's `GetCurrentSetWeight`: 0 when aborted; 100 once past the last step; otherwise the
 * nearest `setWeight` at or before the current step (0 when there is none).
 * Example: steps [pause, setWeight 20] at index 0 → 0; [setWeight 10] at index 1 → 100.
 */
export function currentSetWeight(ro: Rollout): number {
  if (ro.status.abort) return 0;
  const { step, index } = currentStep(ro);
  if (step === undefined || index === undefined) return 100;
  const steps = ro.spec.strategy.canary!.steps;
  for (let i = index; i >= 0; i--) {
    const s = steps[i]!;
    if (s.kind === 'setWeight') return s.setWeight;
  }
  return 0;
}

/**
 * The weight the replica math aims for (`GetCanaryReplicasOrWeight`): 100 on a full promotion, on
 * the first deploy and once fully promoted; otherwise the current set weight.
 */
export function desiredCanaryWeight(ro: Rollout): number {
  const s = ro.status;
  if (s.promoteFull || s.stableRS === '' || s.currentPodHash === s.stableRS) return 100;
  return currentSetWeight(ro);
}

/** The weight of the last `setWeight` strictly before the current step (0 if none). */
export function previousSetWeight(ro: Rollout): number {
  const { index } = currentStep(ro);
  if (index === undefined) return 0;
  const steps = ro.spec.strategy.canary!.steps;
  for (let i = index - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (s.kind === 'setWeight') return s.setWeight;
  }
  return 0;
}

/** Human-readable step, as Argo writes it in events (`utils/rollout/rolloututil.go`). */
export function stepString(step: CanaryStep): string {
  switch (step.kind) {
    case 'setWeight':
      return `setWeight: ${step.setWeight}`;
    case 'pause':
      return step.raw === undefined ? 'pause' : `pause: ${step.raw}`;
    case 'analysis':
      return 'analysis';
    case 'setCanaryScale':
      if (step.replicas !== undefined) return `setCanaryScale{replicas: ${step.replicas}}`;
      if (step.weight !== undefined) return `setCanaryScale{weight: ${step.weight}}`;
      return 'setCanaryScale{matchTrafficWeight: true}';
    case 'setHeaderRoute':
      return `setHeaderRoute: ${step.name}`;
    case 'setMirrorRoute':
      return `setMirrorRoute: ${step.name}`;
  }
}

/** A hash of the steps, so a change of steps alone starts a new rollout of the template. */
export function stepHash(steps: readonly CanaryStep[]): string {
  return safeEncodeString(String(fnv1a32(canonicalJson(steps))));
}
