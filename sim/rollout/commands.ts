import type { Clock } from '../clock/index.js';
import type { EventLog } from '../EventLog.js';
import type { RolloutCommands } from './machine.js';
import type { Rollout } from './types.js';

/**
 * The kubectl-argo-rollouts commands as the status/spec patches the plugin sends
 * (spec/argo-rollouts.md §3.5; pkg/kubectl-argo-rollouts/cmd/promote, abort, retry, pause).
 * The controller's next sync does the rest. `specPatched` is told when a command changed the
 * spec (spec.paused), so a later `kubectl apply` sees the live object differ from its manifest.
 */
export function rolloutCommands(
  ro: Rollout,
  clock: Clock,
  events: EventLog,
  specPatched: () => void = () => {},
): RolloutCommands {
  const s = ro.status;
  const unpause = () => {
    if (!ro.spec.paused) return;
    ro.spec.paused = false;
    ro.meta.generation++;
    specPatched();
  };
  return {
    promote(full: boolean) {
      unpause();
      if (full) {
        if (s.stableRS !== s.currentPodHash) s.promoteFull = true;
        return;
      }
      // Blue-green has no steps to skip (`getPatches` only moves a canary's index).
      const steps = ro.spec.strategy.canary?.steps.length ?? 0;
      const stepRun = s.canary.currentStepAnalysisRunStatus;
      if (stepRun?.status === 'Inconclusive' && s.controllerPause && steps > 0) {
        // Paused on an Inconclusive analysis step: resume past the step.
        s.pauseConditions = [];
        s.controllerPause = false;
        s.currentStepIndex = Math.min((s.currentStepIndex ?? 0) + 1, steps);
      } else if (s.pauseConditions.length > 0) {
        // A background run that paused the rollout as Inconclusive is replaced by a new run on
        // resume (a blue-green pre/post run too, by the controller's needsNewAnalysisRun).
        if (s.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun'))
          s.canary.currentBackgroundAnalysisRunStatus = undefined;
        s.pauseConditions = [];
      } else if (steps > 0) {
        s.currentStepIndex = Math.min((s.currentStepIndex ?? 0) + 1, steps);
      }
    },
    abort() {
      s.abort = true;
      s.abortedAt = clock.now();
    },
    retry() {
      s.abort = false;
      s.abortedAt = undefined;
      // The failed runs stay in history; new ones are created for the retried update (Argo's
      // needsNewAnalysisRun sees status.abortedAt still set on the first sync after the patch).
      s.canary.currentBackgroundAnalysisRunStatus = undefined;
      s.canary.currentStepAnalysisRunStatus = undefined;
      s.blueGreen.prePromotionAnalysisRunStatus = undefined;
      s.blueGreen.postPromotionAnalysisRunStatus = undefined;
      s.conditions = s.conditions.filter((c) => c.type !== 'Progressing');
      events.record(
        'Rollout',
        ro.meta.namespace,
        ro.meta.name,
        'RolloutRetry',
        'Retrying Rollout after abort',
      );
    },
    pause() {
      if (!ro.spec.paused) {
        ro.spec.paused = true;
        ro.meta.generation++;
        specPatched();
      }
    },
  };
}
