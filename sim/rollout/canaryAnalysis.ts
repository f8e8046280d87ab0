import { revisionOf } from '../cluster/index.js';
import { ARGO_PROFILES, type AnalysisApi, type ArgoProfile, type RunInfo } from './interfaces.js';
import { setCondition } from './phase.js';
import { currentStep } from './steps.js';
import type { SyncCtx } from './syncCtx.js';
import type { Rollout, RolloutAnalysis } from './types.js';

/** What a canary's analysis reconcile needs of its controller. */
export interface AnalysisHost {
  readonly rollout: Rollout;
  readonly ns: string;
  readonly name: string;
  readonly analysis: AnalysisApi;
  readonly profile: ArgoProfile;
  /** The Rollout as `kubectl get -o json` shows it (fieldRef args). */
  json(): unknown;
}

/**
 * The canary's analysis stage of a sync (Argo's rollout/analysis.go): runs stop on abort, full
 * promotion or once fully promoted; otherwise the step's run and the background run are created
 * and mirrored into the status, and a failed one aborts the rollout, an inconclusive one pauses it.
 */
export function reconcileCanaryAnalysis(h: AnalysisHost, ctx: SyncCtx): void {
  const ro = h.rollout;
  const s = ro.status;
  const api = h.analysis;
  const fullyPromoted = s.stableRS !== '' && s.stableRS === s.currentPodHash;
  const mirror = (ref: { name: string } | undefined) => {
    const run = ref ? api.get(h.ns, ref.name) : undefined;
    return run
      ? { name: run.name, status: run.phase, message: run.message }
      : ref && { ...ref, status: '', message: '' };
  };
  const stopAll = () => {
    for (const name of api.namesOf(h.ns, h.name)) api.terminate(h.ns, name);
    const bg = s.canary.currentBackgroundAnalysisRunStatus;
    if (bg) s.canary.currentBackgroundAnalysisRunStatus = mirror(bg);
    const st = s.canary.currentStepAnalysisRunStatus;
    if (st) s.canary.currentStepAnalysisRunStatus = mirror(st);
  };
  if (ctx.pause.isAborted() || s.promoteFull || fullyPromoted) {
    stopAll();
    if (fullyPromoted) {
      s.canary.currentBackgroundAnalysisRunStatus = undefined;
      s.canary.currentStepAnalysisRunStatus = undefined;
    }
    return;
  }
  if (s.stableRS === '' || !ctx.newRS) return;
  reconcileStepAnalysis(h, ctx);
  if (ctx.pause.addAbort) return;
  reconcileBackgroundAnalysis(h, ctx);
}

/** The inline `analysis` step's run: created when the step is reached; its result moves, pauses or aborts the rollout. */
function reconcileStepAnalysis(h: AnalysisHost, ctx: SyncCtx): void {
  const ro = h.rollout;
  const s = ro.status;
  const api = h.analysis;
  const { step, index } = currentStep(ro);
  const current = s.canary.currentStepAnalysisRunStatus;
  const currentRun = current ? api.get(h.ns, current.name) : undefined;
  const onStep = step?.kind === 'analysis' && index !== undefined;
  // A run of a step the rollout has left (promote skipped it) is terminated.
  if (current && (!onStep || !current.name.endsWith(`-${index}`) || !currentRun)) {
    if (currentRun) api.terminate(h.ns, currentRun.name);
    if (!onStep || !currentRun) s.canary.currentStepAnalysisRunStatus = undefined;
  }
  if (!onStep || step.kind !== 'analysis') return;
  if (s.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) {
    if (currentRun)
      s.canary.currentStepAnalysisRunStatus = {
        name: currentRun.name,
        status: currentRun.phase,
        message: currentRun.message,
      };
    return;
  }
  const run =
    (currentRun && current!.name.includes(`-${index}`) ? currentRun : undefined) ??
    startRun(h, ctx, 'Step', step.analysis, index);
  if (!run) return;
  s.canary.currentStepAnalysisRunStatus = { name: run.name, status: run.phase, message: run.message };
  judge(h, ctx, run, 'Step-based');
}

/** The background run (`strategy.canary.analysis`), from `startingStep` until promotion. */
function reconcileBackgroundAnalysis(h: AnalysisHost, ctx: SyncCtx): void {
  const ro = h.rollout;
  const s = ro.status;
  const api = h.analysis;
  const current = s.canary.currentBackgroundAnalysisRunStatus;
  const bg = h.rollout.spec.strategy.canary!.analysis;
  if (!bg || bg.templates.length === 0) return;
  const { index } = currentStep(ro);
  if (index !== undefined && index < bg.startingStep) return;
  if (s.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) return;

  const run = (current ? api.get(h.ns, current.name) : undefined) ?? startRun(h, ctx, 'Background', bg);
  if (!run) return;
  s.canary.currentBackgroundAnalysisRunStatus = { name: run.name, status: run.phase, message: run.message };
  judge(h, ctx, run, 'Background');
}

/** Creates the run of an analysis for the new ReplicaSet; undefined (and the sync told) when it cannot be. */
function startRun(
  h: AnalysisHost,
  ctx: SyncCtx,
  kind: 'Step' | 'Background',
  analysis: RolloutAnalysis,
  stepIndex?: number,
): RunInfo | undefined {
  const created = h.analysis.createRun({
    kind,
    namespace: h.ns,
    rollout: h.name,
    podHash: ctx.newRS!.podTemplateHash,
    stablePodHash: ctx.stableRS?.podTemplateHash ?? '',
    revision: revisionOf(ctx.newRS!),
    ...(stepIndex !== undefined ? { stepIndex } : {}),
    analysis,
    rolloutJson: h.json(),
  });
  if ('error' in created) {
    failRunCreation(h, ctx, created, kind === 'Step' ? 'Step-based' : 'Background');
    return undefined;
  }
  return h.analysis.get(h.ns, created.name)!;
}

/** A run's phase for the rollout: Inconclusive pauses it; Failed or Error aborts it and stops every run. */
function judge(h: AnalysisHost, ctx: SyncCtx, run: RunInfo, type: 'Background' | 'Step-based'): void {
  if (run.phase === 'Inconclusive') ctx.pause.add.push('InconclusiveAnalysisRun');
  else if (run.phase === 'Failed' || run.phase === 'Error') {
    ctx.pause.addAbort = true;
    ctx.pause.abortMessage = analysisAbortMessage(h, type, run.message);
    for (const name of h.analysis.namesOf(h.ns, h.name)) h.analysis.terminate(h.ns, name);
  }
}

/** A run that could not be created: InvalidSpec for what Argo's validation catches, else an abort. */
function failRunCreation(
  h: AnalysisHost,
  ctx: SyncCtx,
  r: { error: string; invalidSpec?: false } | { error: string; fieldError: string; invalidSpec: true },
  type: 'Background' | 'Step-based',
): void {
  if (r.invalidSpec) {
    setCondition(h.rollout.status, {
      type: 'InvalidSpec',
      status: 'True',
      reason: 'InvalidSpec',
      message: `The Rollout "${h.name}" is invalid: ${r.fieldError}`,
      lastTransitionTime: ctx.now,
    });
    return;
  }
  ctx.pause.addAbort = true;
  ctx.pause.abortMessage = analysisAbortMessage(h, type, r.error);
}

/** The reason appended to the abort message: Argo 1.9+ prefixes the analysis type. */
function analysisAbortMessage(
  h: AnalysisHost,
  type: 'Background' | 'Step-based',
  runMessage: string,
): string {
  return ARGO_PROFILES[h.profile].analysisAbortPrefix
    ? `${type} analysis phase error/failed: ${runMessage}`
    : runMessage;
}
