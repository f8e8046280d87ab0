import {
  podTemplateHash,
  revisionOf,
  ROLLOUTS_POD_TEMPLATE_HASH,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type PodTemplate,
  type ReplicaSet,
  type Service,
} from '../cluster/index.js';
import { ARGO_PROFILES, type RunInfo } from './interfaces.js';
import { calculatePhase, removeCondition, setCondition } from './phase.js';
import { reconcileEphemeralMetadata } from './ephemeralMetadata.js';
import { restartPods } from './restart.js';
import type { BlueGreenStrategy, RunStatusRef } from './types.js';
import { ControllerBase, type BaseDeps } from './ControllerBase.js';
import { PauseContext } from './pauseContext.js';

export type BlueGreenDeps = BaseDeps;

interface SyncCtx {
  now: number;
  newRS: ReplicaSet;
  stableRS?: ReplicaSet;
  others: ReplicaSet[];
  all: ReplicaSet[];
  active?: Service;
  preview?: Service;
  pause: PauseContext;
  requeueAt: number[];
  /** The new RS carried a scale-down deadline when the sync began (a rollback within the delay). */
  newRSHadDeadline: boolean;
  /** Status counters and selectors as the previous sync left them (progress detection). */
  before: { replicas: number; updated: number; ready: number; available: number; selectors: string };
  /** Set when the progress deadline passed this sync. */
  timedOut?: string;
  /** The InvalidSpec message of an analysis that cannot be created. */
  invalidSpec?: string;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hashOf = (svc: Service | undefined) => svc?.managedSelector[ROLLOUTS_POD_TEMPLATE_HASH];

/**
 * One blue-green Rollout's reconcile loop, in Argo's order (rollout/bluegreen.go
 * `rolloutBlueGreen`): a new ReplicaSet for a new template, the preview Service pointed at it,
 * pod restarts, ReplicaSets (the active one at full size, the new one at full size or
 * previewReplicaCount, old ones scaled down after scaleDownDelaySeconds), the BlueGreenPause,
 * the active Service switch, pre- and post-promotion analysis, then status — promotion to
 * stable, abort, conditions, phase. The XState machine decides when a sync runs.
 */
export class BlueGreenController extends ControllerBase<BlueGreenDeps> {
  private get bg(): BlueGreenStrategy {
    return this.rollout.spec.strategy.blueGreen!;
  }
  private snapshot(): string {
    return JSON.stringify([
      this.rollout.status,
      this.deps.cluster.listReplicaSets(this.ns, this.name).map((r) => [r.replicas, r.meta.annotations]),
      hashOf(this.service(this.bg.activeService)),
      hashOf(this.bg.previewService ? this.service(this.bg.previewService) : undefined),
    ]);
  }

  private service(name: string): Service | undefined {
    return this.deps.cluster.getService(this.ns, name);
  }

  /** Argo's validation of the pre- and post-promotion analyses, on every sync. */
  private validateAnalyses(): string | undefined {
    const { prePromotionAnalysis: pre, postPromotionAnalysis: post } = this.bg;
    return this.invalidAnalysis([
      ...(pre ? [{ kind: 'PrePromotion' as const, analysis: pre }] : []),
      ...(post ? [{ kind: 'PostPromotion' as const, analysis: post }] : []),
    ]);
  }

  /** The rollout's own template or the referenced Deployment's; a string says why there is none. */
  private resolveTemplate(): PodTemplate | string {
    const spec = this.rollout.spec;
    const invalid = (field: string, value: string, why: string) =>
      `The Rollout "${this.name}" is invalid: ${field}: Invalid value: "${value}": ${why}`;
    // Argo's reference validation (validation_references.go) needs both Services to exist.
    for (const [field, svc] of [
      ['activeService', this.bg.activeService],
      ['previewService', this.bg.previewService],
    ] as const) {
      if (svc && !this.service(svc))
        return invalid(`spec.strategy.blueGreen.${field}`, svc, `service "${svc}" not found`);
    }
    if (spec.template) return spec.template;
    const ref = spec.workloadRef!;
    const d = this.deps.cluster.getDeployment(this.ns, ref.name);
    if (!d) return invalid('spec.workloadRef.name', ref.name, 'Deployment not found');
    return d.template;
  }

  /** One reconcile. Returns true when it changed something. */
  sync(): boolean {
    const ro = this.rollout;
    const s = ro.status;
    const now = this.now();
    const before = this.snapshot();
    s.observedGeneration = ro.meta.generation;
    this.requeueAt = undefined;

    const template = this.resolveTemplate();
    const invalid = typeof template === 'string' ? template : this.validateAnalyses();
    if (typeof template === 'string' || invalid !== undefined) {
      if (s.conditions.find((c) => c.type === 'InvalidSpec')?.message !== invalid)
        removeCondition(s, 'InvalidSpec');
      setCondition(s, {
        type: 'InvalidSpec',
        status: 'True',
        reason: 'InvalidSpec',
        message: invalid!,
        lastTransitionTime: now,
      });
      this.finishStatus(undefined);
      // Argo requeues an invalid rollout every 20 s: it may only be waiting for a Service.
      this.requeueAt = now + 20_000;
      return this.snapshot() !== before;
    }
    removeCondition(s, 'InvalidSpec');

    let all = this.deps.cluster.listReplicaSets(this.ns, this.name);
    const hash = podTemplateHash(template.raw, s.collisionCount);
    const templateChanged = s.currentPodHash !== hash;
    // spec.paused at creation (§3.9): Argo only syncs replicas (`syncReplicasOnly`), which never
    // creates a ReplicaSet, so nothing is scaled up until promote clears it.
    if (ro.spec.paused && all.length === 0) {
      this.finishStatus(undefined);
      return this.snapshot() !== before;
    }
    const newRS = this.syncRevision(template, hash, all, templateChanged, now);
    all = this.deps.cluster.listReplicaSets(this.ns, this.name);
    const stableRS = s.stableRS ? all.find((rs) => rs.podTemplateHash === s.stableRS) : undefined;
    const ctx: SyncCtx = {
      now,
      newRS,
      stableRS,
      others: all.filter((rs) => rs !== newRS && rs !== stableRS),
      all,
      active: this.service(this.bg.activeService),
      preview: this.bg.previewService ? this.service(this.bg.previewService) : undefined,
      pause: new PauseContext(s),
      requeueAt: [],
      newRSHadDeadline: newRS.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined,
      before: {
        replicas: s.replicas,
        updated: s.updatedReplicas,
        ready: s.readyReplicas,
        available: s.availableReplicas,
        selectors: `${s.blueGreen.activeSelector}/${s.blueGreen.previewSelector}`,
      },
    };

    // "This must happen right after the new replicaset is created" (bluegreen.go).
    this.reconcilePreviewService(ctx);
    if (templateChanged) {
      this.resetForNewRevision(ctx);
      this.syncStatus(ctx);
    } else {
      restartPods(ro, this.deps, this, false);
      reconcileEphemeralMetadata(this.deps.cluster, ro.spec, s.stableRS, newRS, stableRS, ctx.others);
      this.reconcileReplicaSets(ctx);
      this.reconcilePause(ctx);
      this.reconcileActiveService(ctx);
      this.reconcileAnalysis(ctx);
      this.syncStatus(ctx);
    }
    if (ctx.requeueAt.length > 0) this.requeueAt = Math.min(...ctx.requeueAt);
    return this.snapshot() !== before;
  }

  // ---- revisions (sync.go getAllReplicaSetsAndSyncRevision) ---------------------------------

  /**
   * The ReplicaSet of the current template: created at 0 replicas with the next revision, or an
   * old one taken back and renumbered after every other (Deployment semantics).
   */
  private syncRevision(
    template: PodTemplate,
    hash: string,
    all: ReplicaSet[],
    templateChanged: boolean,
    now: number,
  ): ReplicaSet {
    const s = this.rollout.status;
    const { rs: newRS, created } = this.syncRevisionReplicaSet(template, hash, all);
    if (created) {
      removeCondition(s, 'Progressing');
      setCondition(s, {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetCreated',
        message: `Created new replica set "${newRS.meta.name}"`,
        lastTransitionTime: now,
      });
    }
    if (templateChanged) this.event('RolloutUpdated', `Rollout updated to revision ${revisionOf(newRS)}`);
    return newRS;
  }

  /** `resetRolloutStatus`: a new template starts over — no pauses, no abort, no runs, restart done. */
  private resetForNewRevision(ctx: SyncCtx): void {
    const s = this.rollout.status;
    const api = this.deps.analysis;
    for (const run of api.namesOf(this.ns, this.name)) api.terminate(this.ns, run);
    ctx.pause.clear = true;
    ctx.pause.removeAbort = true;
    s.promoteFull = false;
    s.currentPodHash = ctx.newRS.podTemplateHash;
    s.currentStepIndex = undefined;
    s.blueGreen.prePromotionAnalysisRunStatus = undefined;
    s.blueGreen.postPromotionAnalysisRunStatus = undefined;
    s.blueGreen.scaleUpPreviewCheckPoint = false;
    restartPods(this.rollout, this.deps, this, true);
  }

  // ---- Services (service.go) ------------------------------------------------------------------

  /** `haltProgress`: a manual pause or an Inconclusive analysis stops service switches and the pause logic. */
  private haltProgress(): string {
    if (this.rollout.spec.paused) return 'user paused';
    if (this.rollout.status.pauseConditions.some((c) => c.reason === 'InconclusiveAnalysisRun'))
      return 'inconclusive analysis';
    return '';
  }

  /** `switchServiceSelector`: event `SwitchService` whenever the selector moves. */
  private switchService(svc: Service, hash: string | undefined): void {
    if (hash === undefined) return;
    const old = hashOf(svc) ?? '';
    if (!this.deps.cluster.setManagedSelector(svc, ROLLOUTS_POD_TEMPLATE_HASH, hash)) return;
    this.event(
      'SwitchService',
      `Switched selector for service '${svc.meta.name}' from '${old}' to '${hash}'`,
    );
  }

  private reconcilePreviewService(ctx: SyncCtx): void {
    if (!ctx.preview || this.haltProgress()) return;
    this.switchService(ctx.preview, ctx.newRS.podTemplateHash);
  }

  /**
   * `reconcileActiveService`: once the new RS is at full size and available, the active Service
   * moves to it — at once on a fast track (first deploy, promote --full, rollback within the
   * delay), else when the BlueGreenPause is done and pre-promotion analysis succeeded. An abort
   * points it back at the stable RS.
   */
  private reconcileActiveService(ctx: SyncCtx): void {
    if (!ctx.active || this.haltProgress()) return;
    if (!this.readyForPause(ctx) || !this.isSaturated(ctx.newRS)) return;
    let hash = hashOf(ctx.active);
    if (this.fastTracked(ctx)) hash = ctx.newRS.podTemplateHash;
    if (this.completedBlueGreenPause(ctx) && this.completedPrePromotionAnalysis()) {
      hash = ctx.newRS.podTemplateHash;
    }
    if (this.rollout.status.abort) hash = this.rollout.status.stableRS || undefined;
    this.switchService(ctx.active, hash);
  }

  // ---- ReplicaSets (bluegreen.go reconcileBlueGreenReplicaSets, replicaset.go) -----------------

  /** `NewRSNewReplicas` for blue-green: full size, or previewReplicaCount until promotion begins. */
  private newRSReplicas(ctx: SyncCtx): number {
    const ro = this.rollout;
    const s = ro.status;
    const n = ro.spec.replicas;
    const preview = this.bg.previewReplicaCount;
    if (preview === undefined) return n;
    const activeRS = s.blueGreen.activeSelector
      ? ctx.all.find((rs) => rs.podTemplateHash === s.blueGreen.activeSelector)
      : undefined;
    if (!activeRS || activeRS === ctx.newRS) return n;
    if (s.promoteFull) return n;
    if (ctx.newRS.podTemplateHash !== s.currentPodHash) return preview;
    const notPaused = !ro.spec.paused && s.pauseConditions.length === 0;
    if (notPaused && s.blueGreen.scaleUpPreviewCheckPoint) return n;
    return preview;
  }

  /** `ReadyForPause`: the new RS has the size it should have now, all available. */
  private readyForPause(ctx: SyncCtx): boolean {
    const want = this.newRSReplicas(ctx);
    return ctx.newRS.replicas === want && ctx.newRS.status.availableReplicas === want;
  }

  /** `annotations.IsSaturated`: at full size, every replica available. */
  private isSaturated(rs: ReplicaSet | undefined): boolean {
    const n = this.rollout.spec.replicas;
    return rs !== undefined && rs.replicas === n && rs.status.availableReplicas === n;
  }

  private scale(rs: ReplicaSet, to: number, ctx: SyncCtx): boolean {
    if (rs.replicas === to) return false;
    const from = rs.replicas;
    this.deps.cluster.scaleReplicaSet(rs, to);
    this.event(
      'ScalingReplicaSet',
      `Scaled ${to > from ? 'up' : 'down'} ReplicaSet ${rs.meta.name} (revision ${revisionOf(rs)}) from ${from} to ${to}`,
    );
    if (to === 0 && !this.delayScaleDownOnAbort(ctx))
      this.deps.cluster.setAnnotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, undefined);
    return true;
  }

  /** `shouldDelayScaleDownOnAbort`: aborted with a stable RS and abortScaleDownDelaySeconds ≠ 0. */
  private delayScaleDownOnAbort(ctx: SyncCtx): boolean {
    return ctx.pause.isAborted() && ctx.stableRS !== undefined && this.bg.abortScaleDownDelaySeconds > 0;
  }

  private reconcileReplicaSets(ctx: SyncCtx): void {
    const cluster = this.deps.cluster;
    const n = this.rollout.spec.replicas;
    // removeScaleDownDeadlines: the new RS (unless it is waiting out an abort) and the stable RS.
    const clear = [this.delayScaleDownOnAbort(ctx) ? undefined : ctx.newRS, ctx.stableRS];
    for (const rs of clear) {
      if (rs && rs.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined)
        cluster.setAnnotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, undefined);
    }
    // The ReplicaSet behind the active Service is kept at full size.
    const activeHash = hashOf(ctx.active);
    const activeRS = activeHash ? ctx.all.find((rs) => rs.podTemplateHash === activeHash) : undefined;
    if (activeRS) this.scale(activeRS, n, ctx);
    this.reconcileNewReplicaSet(ctx);
    this.scaleDownOthers(ctx);
    this.reconcileRevisionHistory(ctx);
  }

  private reconcileNewReplicaSet(ctx: SyncCtx): void {
    let count = this.newRSReplicas(ctx);
    const rs = ctx.newRS;
    if (this.delayScaleDownOnAbort(ctx)) {
      const deadline = rs.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION];
      if (deadline === undefined) {
        // Annotate only once the stable RS can take everything; until then leave the preview up.
        if (ctx.stableRS && ctx.stableRS.status.availableReplicas === this.rollout.spec.replicas) {
          const at = ctx.now + this.bg.abortScaleDownDelaySeconds * 1000;
          this.deps.cluster.setAnnotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, rfc3339(at));
          ctx.requeueAt.push(Date.parse(rfc3339(at)));
        }
        return;
      }
      if (Date.parse(deadline) > ctx.now) {
        ctx.requeueAt.push(Date.parse(deadline));
        return;
      }
      count = 0;
    }
    this.scale(rs, count, ctx);
  }

  /** `isReplicaSetReferenced`: a hash the status or a Service still points at is never scaled down. */
  private referenced(rs: ReplicaSet, ctx: SyncCtx): boolean {
    const s = this.rollout.status;
    const h = rs.podTemplateHash;
    return [
      s.stableRS,
      s.currentPodHash,
      s.blueGreen.activeSelector,
      s.blueGreen.previewSelector,
      hashOf(ctx.active),
      hashOf(ctx.preview),
    ].includes(h);
  }

  /**
   * `scaleDownOldReplicaSetsForBlueGreen`: each old RS nothing references gets a
   * `scale-down-deadline` of now + scaleDownDelaySeconds and stays up until then, then goes to 0.
   * Nothing is scaled down while an Inconclusive analysis holds the rollout.
   */
  private scaleDownOthers(ctx: SyncCtx): void {
    const s = this.rollout.status;
    if (s.pauseConditions.some((c) => c.reason === 'InconclusiveAnalysisRun')) return;
    const n = this.rollout.spec.replicas;
    const delay = this.bg.scaleDownDelaySeconds;
    for (const rs of [...ctx.others].sort((a, b) => revisionOf(b) - revisionOf(a))) {
      if (this.referenced(rs, ctx) || rs.replicas === 0) continue;
      const deadline = rs.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION];
      let desired = 0;
      if (deadline === undefined && delay > 0) {
        const at = ctx.now + delay * 1000;
        this.deps.cluster.setAnnotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, rfc3339(at));
        ctx.requeueAt.push(Date.parse(rfc3339(at)));
        desired = rs.replicas;
      } else if (deadline !== undefined && Date.parse(deadline) > ctx.now) {
        // scaleDownDelayHelper keeps a delayed RS at the rollout's full size.
        ctx.requeueAt.push(Date.parse(deadline));
        desired = n;
      }
      // With scaleDownDelaySeconds: 0 the old RS goes at once (canarysim's reading: Argo's helper
      // would annotate nothing and keep it up).
      this.scale(rs, desired, ctx);
    }
  }

  /**
   * `reconcileRevisionHistoryLimit`: of the old RSs, the oldest beyond revisionHistoryLimit are
   * deleted — those among them that still have replicas are skipped, not replaced by newer ones.
   */
  private reconcileRevisionHistory(ctx: SyncCtx): void {
    const old = [...ctx.others].sort((a, b) => a.meta.creationTimestamp - b.meta.creationTimestamp);
    const excess = old.length - this.rollout.spec.revisionHistoryLimit;
    for (let i = 0; i < excess; i++) {
      const rs = old[i]!;
      if (rs.replicas !== 0 || rs.status.replicas !== 0) continue;
      this.deps.cluster.deleteReplicaSet(rs);
      ctx.others = ctx.others.filter((o) => o !== rs);
      ctx.all = ctx.all.filter((o) => o !== rs);
    }
  }

  // ---- the BlueGreenPause (bluegreen.go reconcileBlueGreenPause, pause.go) ---------------------

  /** `needsBlueGreenControllerPause`: autoPromotionEnabled: false, or autoPromotionSeconds > 0. */
  private needsControllerPause(): boolean {
    return !this.bg.autoPromotionEnabled || this.bg.autoPromotionSeconds > 0;
  }

  /** `isBlueGreenFastTracked`: no pause for a rollback within the delay, a full promotion, or a first deploy. */
  private fastTracked(ctx: SyncCtx): boolean {
    if (ctx.newRSHadDeadline || this.rollout.status.promoteFull) return true;
    const active = hashOf(ctx.active);
    return active === undefined || active === ctx.newRS.podTemplateHash;
  }

  /**
   * `CompletedBlueGreenPause`: no pause is needed; or, with auto-promotion, autoPromotionSeconds
   * have passed since the pause began; or, without, a user removed the condition (`promote`).
   */
  private completedBlueGreenPause(ctx: SyncCtx): boolean {
    const s = this.rollout.status;
    if (ctx.pause.add.length > 0) return false;
    if (s.blueGreen.scaleUpPreviewCheckPoint) return true;
    if (!this.needsControllerPause()) return true;
    const cond = s.pauseConditions.find((c) => c.reason === 'BlueGreenPause');
    if (this.bg.autoPromotionEnabled) {
      // A timer fires exactly at the deadline; Argo's `now.After(deadline)` holds a tick later.
      return cond !== undefined && ctx.now >= cond.startTime + this.bg.autoPromotionSeconds * 1000;
    }
    return s.controllerPause && cond === undefined;
  }

  private reconcilePause(ctx: SyncCtx): void {
    const s = this.rollout.status;
    if (s.abort || !this.readyForPause(ctx) || this.haltProgress()) return;
    if (this.fastTracked(ctx) || s.blueGreen.scaleUpPreviewCheckPoint || !this.needsControllerPause()) {
      ctx.pause.remove.push('BlueGreenPause');
      return;
    }
    // The pause waits for pre-promotion analysis to succeed first.
    if (!this.completedPrePromotionAnalysis()) return;
    const cond = s.pauseConditions.find((c) => c.reason === 'BlueGreenPause');
    if (cond) {
      if (this.completedBlueGreenPause(ctx)) ctx.pause.remove.push('BlueGreenPause');
      else if (this.bg.autoPromotionSeconds > 0)
        ctx.requeueAt.push(cond.startTime + this.bg.autoPromotionSeconds * 1000);
    } else if (!s.controllerPause) {
      // No condition but controllerPause set means a user just promoted: do not pause again.
      ctx.pause.add.push('BlueGreenPause');
      if (this.bg.autoPromotionSeconds > 0) ctx.requeueAt.push(ctx.now + this.bg.autoPromotionSeconds * 1000);
    }
  }

  // ---- analysis (analysis.go reconcileAnalysisRuns, pre- and post-promotion) -------------------

  private run(ref: RunStatusRef | undefined): RunInfo | undefined {
    return ref ? this.deps.analysis.get(this.ns, ref.name) : undefined;
  }

  private completedPrePromotionAnalysis(): boolean {
    if (!this.bg.prePromotionAnalysis) return true;
    return this.run(this.rollout.status.blueGreen.prePromotionAnalysisRunStatus)?.phase === 'Successful';
  }

  /** `needsNewAnalysisRun`: none yet; a resumed Inconclusive one; or a retried abort. */
  private needsNewRun(cur: RunInfo | undefined): boolean {
    const s = this.rollout.status;
    if (!cur) return true;
    if (s.controllerPause && !s.pauseConditions.some((c) => c.reason === 'BlueGreenPause'))
      return cur.phase === 'Inconclusive';
    return s.abortedAt !== undefined;
  }

  /** The reason appended to the abort message: Argo 1.9+ names the analysis (commit ac7491e). */
  private abortReason(kind: 'pre' | 'post', message: string): string {
    if (!ARGO_PROFILES[this.deps.profile].analysisAbortPrefix) return message;
    return `Blue/green ${kind}-promotion analysis phase error/failed: ${message}`;
  }

  private reconcileAnalysis(ctx: SyncCtx): void {
    const s = this.rollout.status;
    const api = this.deps.analysis;
    if (ctx.pause.isAborted() || s.promoteFull || ctx.newRSHadDeadline || s.stableRS === '') {
      for (const name of api.namesOf(this.ns, this.name)) api.terminate(this.ns, name);
      this.recordRuns();
      return;
    }
    const pre = this.reconcileRun(ctx, 'pre');
    const post = this.reconcileRun(ctx, 'post');
    const current = new Set([pre, post].filter((r): r is RunInfo => r !== undefined).map((r) => r.name));
    for (const name of api.namesOf(this.ns, this.name)) if (!current.has(name)) api.terminate(this.ns, name);
    s.blueGreen.prePromotionAnalysisRunStatus = pre && {
      name: pre.name,
      status: pre.phase,
      message: pre.message,
    };
    s.blueGreen.postPromotionAnalysisRunStatus = post && {
      name: post.name,
      status: post.phase,
      message: post.message,
    };
  }

  /** Statuses of the current runs as they stand (after a termination, say). */
  private recordRuns(): void {
    const bgs = this.rollout.status.blueGreen;
    const pre = this.run(bgs.prePromotionAnalysisRunStatus);
    const post = this.run(bgs.postPromotionAnalysisRunStatus);
    if (pre) bgs.prePromotionAnalysisRunStatus = { name: pre.name, status: pre.phase, message: pre.message };
    if (post)
      bgs.postPromotionAnalysisRunStatus = { name: post.name, status: post.phase, message: post.message };
  }

  /**
   * `reconcilePre/PostPromotionAnalysisRun` and `setPauseOrAbort`. Pre-promotion runs once the
   * new RS is saturated and before the switch (previewReplicaCount: once that many are up);
   * post-promotion once the active Service selects the new RS. Inconclusive pauses the rollout;
   * Failed or Error aborts it.
   */
  private reconcileRun(ctx: SyncCtx, kind: 'pre' | 'post'): RunInfo | undefined {
    const s = this.rollout.status;
    const api = this.deps.analysis;
    const ref =
      kind === 'pre' ? s.blueGreen.prePromotionAnalysisRunStatus : s.blueGreen.postPromotionAnalysisRunStatus;
    const analysis = kind === 'pre' ? this.bg.prePromotionAnalysis : this.bg.postPromotionAnalysis;
    let cur = this.run(ref);
    if (!analysis) {
      if (cur) api.terminate(this.ns, cur.name);
      return undefined;
    }
    if (kind === 'pre' ? this.skipPre(ctx) : this.skipPost(ctx)) {
      if (cur) api.terminate(this.ns, cur.name);
      return this.run(ref);
    }
    if (!s.pauseConditions.some((c) => c.reason === 'InconclusiveAnalysisRun') && this.needsNewRun(cur)) {
      const created = api.createRun({
        kind: kind === 'pre' ? 'PrePromotion' : 'PostPromotion',
        namespace: this.ns,
        rollout: this.name,
        podHash: ctx.newRS.podTemplateHash,
        stablePodHash: ctx.stableRS?.podTemplateHash ?? '',
        revision: revisionOf(ctx.newRS),
        analysis,
        rolloutJson: this.json(),
      });
      if ('error' in created) {
        // Argo's validation rejects what it can before a run exists (InvalidSpec); any other
        // failure to create the run ends the update like a failed run (canarysim's choice).
        if (created.invalidSpec)
          ctx.invalidSpec = `The Rollout "${this.name}" is invalid: ${created.fieldError}`;
        else ctx.pause.abort(this.abortReason(kind, created.error));
        return cur;
      }
      cur = api.get(this.ns, created.name);
    }
    if (cur?.phase === 'Inconclusive') ctx.pause.add.push('InconclusiveAnalysisRun');
    else if (cur?.phase === 'Failed' || cur?.phase === 'Error')
      ctx.pause.abort(this.abortReason(kind, cur.message));
    return cur;
  }

  /** `skipPrePromotionAnalysisRun`: already promoted or switched, first deploy, or not yet saturated. */
  private skipPre(ctx: SyncCtx): boolean {
    const s = this.rollout.status;
    const h = ctx.newRS.podTemplateHash;
    const active = s.blueGreen.activeSelector;
    if (s.stableRS === h || !active || active === h) return true;
    const preview = this.bg.previewReplicaCount;
    if (preview !== undefined)
      return ctx.newRS.replicas !== preview || ctx.newRS.status.availableReplicas !== preview;
    return !this.isSaturated(ctx.newRS);
  }

  /** `skipPostPromotionAnalysisRun`: promoted already, not yet switched, or not saturated. */
  private skipPost(ctx: SyncCtx): boolean {
    const s = this.rollout.status;
    const h = ctx.newRS.podTemplateHash;
    return s.stableRS === h || s.blueGreen.activeSelector !== h || !this.isSaturated(ctx.newRS);
  }
  // ---- status (syncRolloutStatusBlueGreen) -----------------------------------------------------

  /**
   * `shouldFullPromote` for blue-green: the first deploy at once; otherwise only after the active
   * Service selects the new RS — then a full promotion, a rollback within the scale-down delay,
   * or (unless aborted) post-promotion analysis having succeeded.
   */
  private shouldFullPromote(ctx: SyncCtx): string {
    const s = this.rollout.status;
    if (!ctx.stableRS) return 'Initial deploy';
    const active = hashOf(ctx.active) ?? '';
    if (active === '') return 'Initial deploy';
    if (active !== s.currentPodHash) return '';
    if (s.promoteFull) return 'Full promotion requested';
    if (ctx.pause.isAborted()) return '';
    if (this.bg.postPromotionAnalysis) {
      if (ctx.newRSHadDeadline) return `Rollback to '${ctx.newRS.meta.name}' within scaleDownDelay`;
      if (this.run(s.blueGreen.postPromotionAnalysisRunStatus)?.phase !== 'Successful') return '';
    }
    return 'Completed blue-green update';
  }

  /**
   * `calculateScaleUpPreviewCheckPoint`: a one-way trip-wire, set once previewReplicaCount pods
   * are available and pre-promotion analysis and the pause are done; reset by a new template or
   * promotion. Until it trips the new RS stays at previewReplicaCount.
   */
  private scaleUpPreviewCheckPoint(ctx: SyncCtx): boolean {
    const s = this.rollout.status;
    const preview = this.bg.previewReplicaCount;
    if (preview === undefined) return false;
    if (s.blueGreen.scaleUpPreviewCheckPoint) return true;
    if (!this.completedPrePromotionAnalysis() || !this.completedBlueGreenPause(ctx)) return false;
    return ctx.newRS.status.availableReplicas === preview;
  }

  private syncStatus(ctx: SyncCtx): void {
    const s = this.rollout.status;
    if (s.promoteFull) {
      ctx.pause.clear = true;
      ctx.pause.removeAbort = true;
    }
    s.blueGreen.previewSelector = hashOf(ctx.preview);
    s.blueGreen.activeSelector = hashOf(ctx.active);
    const reason = this.shouldFullPromote(ctx);
    if (reason) {
      // promoteStable
      ctx.pause.clear = true;
      ctx.pause.removeAbort = true;
      s.promoteFull = false;
      s.blueGreen.scaleUpPreviewCheckPoint = false;
      if (s.stableRS !== s.currentPodHash) {
        s.stableRS = s.currentPodHash;
        this.event(
          'RolloutCompleted',
          `Rollout completed update to revision ${revisionOf(ctx.newRS)} (${s.currentPodHash}): ${reason}`,
        );
      }
    } else {
      s.blueGreen.scaleUpPreviewCheckPoint = this.scaleUpPreviewCheckPoint(ctx);
    }
    if (ctx.invalidSpec) {
      setCondition(s, {
        type: 'InvalidSpec',
        status: 'True',
        reason: 'InvalidSpec',
        message: ctx.invalidSpec,
        lastTransitionTime: ctx.now,
      });
    }
    this.finishStatus(ctx);
    this.checkProgressDeadline(ctx);
    ctx.pause.apply(s, ctx.now);
    this.updateConditions(ctx);
    const p = calculatePhase(this.rollout, false);
    s.phase = p.phase;
    s.message = p.message;
  }

  /**
   * `progressDeadlineSeconds` (Argo's `RolloutTimedOut`): progress — updated, ready or available
   * pods, fewer old ones, a selector moving — restarts the clock; pauses stop it; a finished
   * update needs none. Past the deadline the Progressing condition becomes
   * `ProgressDeadlineExceeded` (Degraded) and, with `progressDeadlineAbort`, the update aborts.
   */
  private checkProgressDeadline(ctx: SyncCtx): void {
    const ro = this.rollout;
    const s = ro.status;
    if (ctx.pause.isAborted()) return;
    const b = ctx.before;
    const progressed =
      s.updatedReplicas !== b.updated ||
      s.replicas - s.updatedReplicas < b.replicas - b.updated ||
      s.readyReplicas > b.ready ||
      s.availableReplicas > b.available ||
      `${s.blueGreen.activeSelector}/${s.blueGreen.previewSelector}` !== b.selectors;
    const paused = ro.spec.paused || s.pauseConditions.length > 0 || ctx.pause.add.length > 0;
    if (progressed || paused || this.healthy() || s.lastProgressAt === undefined) {
      s.lastProgressAt = ctx.now;
      return;
    }
    const deadline = s.lastProgressAt + ro.spec.progressDeadlineSeconds * 1000;
    const timedOut =
      s.conditions.find((c) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded';
    if (ctx.now > deadline || timedOut) {
      ctx.timedOut = `ReplicaSet "${ctx.newRS.meta.name}" has timed out progressing.`;
      if (ro.spec.progressDeadlineAbort) ctx.pause.abort(ctx.timedOut);
      return;
    }
    // Argo requeues a stuck rollout a second after its deadline.
    ctx.requeueAt.push(deadline + 1000);
  }

  /** `conditions.RolloutHealthy` for blue-green: both Services on the new RS, all of it updated and available. */
  private healthy(): boolean {
    const s = this.rollout.status;
    const n = this.rollout.spec.replicas;
    const previewDone = !this.bg.previewService || s.blueGreen.previewSelector === s.currentPodHash;
    return (
      s.blueGreen.activeSelector === s.currentPodHash &&
      previewDone &&
      s.stableRS === s.currentPodHash &&
      s.updatedReplicas === n &&
      s.availableReplicas === n
    );
  }

  /** Progressing and Available conditions, and the events Argo records when they change. */
  private updateConditions(ctx: SyncCtx): void {
    const s = this.rollout.status;
    const rev = revisionOf(ctx.newRS);
    const rsName = ctx.newRS.meta.name;
    const prev = s.conditions.find((c) => c.type === 'Progressing')?.reason;
    const set = (status: 'True' | 'False' | 'Unknown', reason: string, message: string) =>
      setCondition(s, { type: 'Progressing', status, reason, message, lastTransitionTime: ctx.now });
    if (s.abort) {
      const msg = `Rollout aborted update to revision ${rev}${ctx.pause.abortMessage ? `: ${ctx.pause.abortMessage}` : ''}`;
      set('False', 'RolloutAborted', msg);
      if (prev !== 'RolloutAborted') this.event('RolloutAborted', msg, 'Warning');
    } else if (ctx.timedOut) {
      set('False', 'ProgressDeadlineExceeded', ctx.timedOut);
    } else if (s.pauseConditions.length > 0) {
      set('Unknown', 'RolloutPaused', 'Rollout is paused');
      if (prev !== 'RolloutPaused')
        this.event('RolloutPaused', `Rollout is paused (${s.pauseConditions[0]!.reason})`);
    } else {
      if (prev === 'RolloutPaused') this.event('RolloutResumed', 'Rollout is resumed');
      if (this.healthy())
        set('True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`);
      else set('True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`);
    }
    // Blue-green is available when the active RS is saturated (sync.go calculateRolloutConditions).
    const activeRS = ctx.all.find((rs) => rs.podTemplateHash === s.blueGreen.activeSelector);
    const available = this.isSaturated(activeRS);
    setCondition(s, {
      type: 'Available',
      status: available ? 'True' : 'False',
      reason: 'AvailableReason',
      message: available ? 'Rollout has minimum availability' : 'Rollout does not have minimum availability',
      lastTransitionTime: ctx.now,
    });
  }

  /**
   * Replica counters: Current and Updated over the ReplicaSets as for a canary; Ready and
   * Available are the active RS's alone (all RSs' before there is one).
   */
  private finishStatus(ctx: SyncCtx | undefined): void {
    const s = this.rollout.status;
    const all = this.deps.cluster.listReplicaSets(this.ns, this.name);
    const newRS = ctx?.newRS ?? all.find((rs) => rs.podTemplateHash === s.currentPodHash);
    const activeRS = s.blueGreen.activeSelector
      ? all.find((rs) => rs.podTemplateHash === s.blueGreen.activeSelector)
      : undefined;
    const counted = activeRS ? [activeRS] : all;
    s.replicas = all.reduce((a, rs) => a + rs.status.replicas, 0);
    s.updatedReplicas = newRS ? newRS.status.replicas : 0;
    s.readyReplicas = counted.reduce((a, rs) => a + rs.status.readyReplicas, 0);
    s.availableReplicas = counted.reduce((a, rs) => a + rs.status.availableReplicas, 0);
    if (!ctx) {
      const p = calculatePhase(this.rollout, false);
      s.phase = p.phase;
      s.message = p.message;
    }
  }
}
