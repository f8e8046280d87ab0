import {
  podTemplateHash,
  revisionOf,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type PodTemplate,
  type ReplicaSet,
} from '../cluster/index.js';
import type { TrafficRouter } from './interfaces.js';
import { calculatePhase, removeCondition, setCondition } from './phase.js';
import { restartPods } from './restart.js';
import {
  basicCanaryReplicaCounts,
  resolveFenceposts,
  trafficRoutedReplicaCounts,
  type RsCounts,
} from './replicaMath.js';
import { currentSetWeight, currentStep, previousSetWeight, stepHash, stepString } from './steps.js';
import type { CanaryStep, CanaryStrategy } from './types.js';
import { reconcileEphemeralMetadata } from './ephemeralMetadata.js';
import { ControllerBase, type BaseDeps } from './ControllerBase.js';
import { PauseContext } from './pauseContext.js';
import { reconcileCanaryAnalysis, type AnalysisHost } from './canaryAnalysis.js';
import type { SyncCtx } from './syncCtx.js';

export interface ControllerDeps extends BaseDeps {
  /** Present when the rollout uses trafficRouting. */
  router?: TrafficRouter;
}

/** Argo's Istio reconciler event when it removes the managed routes. */
const REMOVED_ROUTES = (vs: string) => `VirtualService \`${vs}\` removed all managed routes.`;

/**
 * One Rollout's reconcile loop, in Argo's order (rollout/canary.go `rolloutCanary`): new revision
 * detection; revision history; Services; traffic routing; analysis; ReplicaSets (one scaling action
 * per sync: stable, then new, then old); the pause step; then status — full promotion, abort, or the
 * step index moving on by at most one. Replica math, weights and phases come from the pure modules
 * beside it. The XState machine (machine.ts) decides when a sync runs; this decides what it does.
 */
export class RolloutController extends ControllerBase<ControllerDeps> {
  /** Hash of the stable ReplicaSet before the last promotion: it alone waits out scaleDownDelaySeconds. */
  private previousStable = '';

  /** This controller as the analysis stage sees it (canaryAnalysis.ts). */
  private readonly analysisHost: AnalysisHost = {
    rollout: this.rollout,
    ns: this.rollout.meta.namespace,
    name: this.rollout.meta.name,
    analysis: this.deps.analysis,
    profile: this.deps.profile,
    json: () => this.json(),
  };

  private get traffic(): boolean {
    return this.c.trafficRouting !== undefined;
  }

  /** The canary strategy (this controller only runs canary rollouts). */
  private get c(): CanaryStrategy {
    return this.rollout.spec.strategy.canary!;
  }

  /** The pod template: the rollout's own, or the referenced Deployment's. */
  private resolveTemplate(): PodTemplate | string {
    const spec = this.rollout.spec;
    if (spec.template) return spec.template;
    const ref = spec.workloadRef!;
    const d = this.deps.cluster.getDeployment(this.ns, ref.name);
    if (!d)
      return `The Rollout "${this.name}" is invalid: spec.workloadRef.name: Invalid value: "${ref.name}": Deployment not found`;
    return d.template;
  }
  /** One reconcile. Returns true when it changed something (the caller re-syncs soon, as an informer event would). */
  sync(): boolean {
    const ro = this.rollout;
    const s = ro.status;
    const now = this.deps.clock.now();
    const before = this.statusJson();
    s.observedGeneration = ro.meta.generation;
    this.requeueAt = undefined;

    const template = this.resolveTemplate();
    const invalid = typeof template === 'string' ? template : this.validateAnalyses();
    if (typeof template === 'string' || invalid !== undefined) {
      // Argo's Rollout validation: nothing is reconciled while the spec is invalid.
      const message = invalid!;
      if (s.conditions.find((c) => c.type === 'InvalidSpec')?.message !== message)
        removeCondition(s, 'InvalidSpec');
      setCondition(s, {
        type: 'InvalidSpec',
        status: 'True',
        reason: 'InvalidSpec',
        message,
        lastTransitionTime: now,
      });
      this.finishStatus(undefined);
      return this.statusJson() !== before;
    }
    removeCondition(s, 'InvalidSpec');

    const all = this.deps.cluster.listReplicaSets(this.ns, this.name);
    const hash = podTemplateHash(template.raw, s.collisionCount);
    const sHash = stepHash(ro.spec.strategy.canary!.steps);
    const newRS = all.find((rs) => rs.podTemplateHash === hash);

    // spec.paused at creation (§3.9): Argo only syncs replicas (`syncReplicasOnly`), which never
    // creates a ReplicaSet, so nothing is scaled up until promote clears it.
    if (ro.spec.paused && all.length === 0) {
      this.finishStatus(undefined);
      return this.statusJson() !== before;
    }

    // restart (restart.ts): Argo's podRestarter.Reconcile; a new template or steps count as done.
    restartPods(ro, this.deps, this, s.currentPodHash !== hash || s.currentStepHash !== sHash);
    if (s.currentPodHash !== hash || s.currentStepHash !== sHash) {
      this.startRevision(template, hash, sHash, all, now);
      return true;
    }

    const stableRS = s.stableRS ? all.find((rs) => rs.podTemplateHash === s.stableRS) : undefined;
    const others = all.filter((rs) => rs !== newRS && rs !== stableRS);
    const ctx: SyncCtx = {
      now,
      before: {
        replicas: s.replicas,
        updated: s.updatedReplicas,
        ready: s.readyReplicas,
        available: s.availableReplicas,
        step: s.currentStepIndex,
        stable: s.stableRS,
      },
      template,
      newRS,
      stableRS,
      others,
      pause: new PauseContext(s),
      requeueAt: [],
    };

    reconcileEphemeralMetadata(this.deps.cluster, ro.spec, s.stableRS, newRS, stableRS, others);
    this.reconcileRevisionHistory(ctx);
    this.reconcileServices(ctx);
    if (this.reconcileTrafficRouting(ctx) === 'halt') {
      if (ctx.requeueAt.length > 0) this.requeueAt = Math.min(...ctx.requeueAt);
      return this.statusJson() !== before;
    }
    reconcileCanaryAnalysis(this.analysisHost, ctx);
    if (ctx.pause.add.includes('InconclusiveAnalysisRun')) {
      this.syncStatus(ctx);
    } else {
      const scaled = this.reconcileReplicaSets(ctx);
      if (!scaled) this.reconcilePause(ctx);
      this.syncStatus(ctx);
    }
    if (ctx.requeueAt.length > 0) this.requeueAt = Math.min(...ctx.requeueAt);
    return this.statusJson() !== before;
  }

  /** What a sync may change: the status, and each ReplicaSet's scale and annotations. */
  private statusJson(): string {
    return JSON.stringify([
      this.rollout.status,
      this.deps.cluster.listReplicaSets(this.ns, this.name).map((r) => [r.replicas, r.meta.annotations]),
    ]);
  }

  // ---- a new pod template or new steps ----------------------------------------------------

  private startRevision(
    template: PodTemplate,
    hash: string,
    sHash: string,
    all: ReplicaSet[],
    now: number,
  ): void {
    const ro = this.rollout;
    const s = ro.status;
    const newRS = this.syncRevisionReplicaSet(template, hash, all).rs;
    const revision = revisionOf(newRS);
    if (s.currentPodHash !== hash) this.event('RolloutUpdated', `Rollout updated to revision ${revision}`);

    for (const run of this.deps.analysis.namesOf(this.ns, this.name))
      this.deps.analysis.terminate(this.ns, run);
    const steps = ro.spec.strategy.canary!.steps;
    s.currentPodHash = hash;
    s.currentStepHash = sHash;
    s.pauseConditions = [];
    s.controllerPause = false;
    s.abort = false;
    s.abortedAt = undefined;
    s.promoteFull = false;
    s.canary.currentBackgroundAnalysisRunStatus = undefined;
    s.canary.currentStepAnalysisRunStatus = undefined;
    s.lastProgressAt = now;
    s.currentStepIndex = steps.length > 0 ? 0 : undefined;
    removeCondition(s, 'Progressing');
    setCondition(s, {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "${newRS.meta.name}"`,
      lastTransitionTime: now,
    });
    if (s.stableRS === hash && steps.length > 0) {
      this.event('SkipSteps', 'Rollback to stable ReplicaSets');
      s.currentStepIndex = steps.length;
    }
    this.finishStatus(newRS);
  }

  // ---- revision history --------------------------------------------------------------------

  private reconcileRevisionHistory(ctx: SyncCtx): void {
    const limit = this.rollout.spec.revisionHistoryLimit;
    const old = ctx.others
      .filter((rs) => rs.replicas === 0 && rs.status.replicas === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const excess = old.length - limit;
    for (let i = 0; i < excess; i++) {
      const rs = old[i]!;
      this.deps.cluster.deleteReplicaSet(rs);
      ctx.others = ctx.others.filter((o) => o !== rs);
    }
  }

  // ---- Services ----------------------------------------------------------------------------

  private reconcileServices(ctx: SyncCtx): void {
    const c = this.rollout.spec.strategy.canary!;
    const cluster = this.deps.cluster;
    const point = (svcName: string | undefined, rs: ReplicaSet | undefined, requireAvailable: boolean) => {
      if (!svcName || !rs) return;
      const svc = cluster.getService(this.ns, svcName);
      if (!svc) return;
      if (
        requireAvailable &&
        rs.status.availableReplicas === 0 &&
        svc.managedSelector['rollouts-pod-template-hash'] !== undefined
      )
        return;
      cluster.setManagedSelector(svc, 'rollouts-pod-template-hash', rs.podTemplateHash);
    };
    point(c.stableService, ctx.stableRS, false);
    // After an abort the canary Service goes back to the stable pods.
    point(c.canaryService, ctx.pause.isAborted() ? ctx.stableRS : ctx.newRS, true);
  }

  // ---- traffic routing (rollout/trafficrouting.go) ------------------------------------------

  /** Returns 'halt' when Argo's reconcile would stop here with an error (and retry). */
  private reconcileTrafficRouting(ctx: SyncCtx): 'halt' | undefined {
    const router = this.deps.router;
    if (!router) {
      this.rollout.status.canary.weights = undefined;
      return undefined;
    }
    const ro = this.rollout;
    const s = ro.status;
    const n = ro.spec.replicas;
    const steps = this.c.steps;
    const { step, index } = currentStep(ro);
    const routeResults: { changed: string[]; error?: string; event?: (vs: string) => string }[] = [];
    let desired = 0;
    const fullyPromoted = s.stableRS !== '' && s.stableRS === s.currentPodHash;
    if (fullyPromoted) {
      routeResults.push({ ...router.removeManagedRoutes(), event: REMOVED_ROUTES });
    } else if (ctx.pause.isAborted()) {
      // Dynamic stable scaling steps traffic back as the stable becomes available.
      if (this.c.dynamicStableScale && ctx.stableRS && n > 0) {
        desired = 100 - Math.trunc((100 * ctx.stableRS.status.availableReplicas) / n);
        if (s.canary.weights) desired = Math.min(desired, s.canary.weights.canary.weight);
        desired = Math.max(0, desired);
      }
      routeResults.push({ ...router.removeManagedRoutes(), event: REMOVED_ROUTES });
    } else if (!ctx.newRS || ctx.newRS.status.availableReplicas === 0) {
      desired = 0;
    } else if (s.promoteFull) {
      if (this.c.dynamicStableScale && n > 0)
        desired = Math.trunc((100 * ctx.newRS.status.availableReplicas) / n);
      else desired = s.canary.weights?.canary.weight ?? 0;
      routeResults.push({ ...router.removeManagedRoutes(), event: REMOVED_ROUTES });
    } else if (index !== undefined) {
      if (!this.atDesiredReplicaCounts(ctx, false)) desired = previousSetWeight(ro);
      else if (index !== steps.length) desired = currentSetWeight(ro);
      else desired = 100;
    }
    // Header and mirror routes are written while their step is current (never on a first deploy).
    if (step && s.stableRS !== '' && !fullyPromoted && !ctx.pause.isAborted()) {
      if (step.kind === 'setHeaderRoute')
        routeResults.push({
          ...router.setHeaderRoute(step.name, step.match),
          event: (vs) => `VirtualService \`${vs}\` set headerRoute '${step.name}'`,
        });
      if (step.kind === 'setMirrorRoute')
        routeResults.push({
          ...router.setMirrorRoute(step.name, step.match, step.percentage),
          event: (vs) => `VirtualService \`${vs}\` set mirrorRoute '${step.name}'`,
        });
    }
    for (const r of routeResults) {
      if (r.error) this.event('TrafficRoutingError', r.error, 'Warning');
      for (const vs of r.changed) if (r.event) this.event('Updated VirtualService', r.event(vs));
    }
    if (router.updateHash) {
      const unavailable = !ctx.newRS || ctx.newRS.status.availableReplicas === 0;
      // A previous canary weight goes back to 0 before the rule moves to an empty canary, so no
      // traffic is routed to pods that do not exist yet.
      if (unavailable && (s.canary.weights?.canary.weight ?? 0) > 0) {
        const reset = router.setWeight(desired);
        if (reset.error) {
          this.event('TrafficRoutingError', reset.error, 'Warning');
          return 'halt';
        }
      }
      const all = [ctx.newRS, ctx.stableRS, ...ctx.others].filter((x): x is ReplicaSet => x !== undefined);
      const h = router.updateHash(
        ctx.newRS?.podTemplateHash ?? '',
        ctx.stableRS?.podTemplateHash ?? '',
        all.map((rs) => ({
          name: rs.meta.name,
          hash: rs.podTemplateHash,
          replicas: rs.replicas,
          available: rs.status.availableReplicas,
        })),
        ctx.pause.isAborted(),
      );
      if (h.warning) this.event(h.warning.reason, h.warning.message, 'Warning');
      if (h.error) {
        // Argo's reconcile returns the error here: nothing else happens this sync; it is retried.
        ctx.requeueAt.push(ctx.now + 1000);
        return 'halt';
      }
      if (h.updated) this.event('UpdatedDestinationRule', h.updated.message);
    }
    const changed = router.setWeight(desired);
    if (changed.error) {
      this.event('TrafficRoutingError', changed.error, 'Warning');
      return undefined;
    }
    for (const vs of changed.changed) {
      this.deps.events.record(
        'Rollout',
        this.ns,
        this.name,
        'Updated VirtualService',
        `VirtualService \`${vs}\` set to desiredWeight '${desired}'`,
      );
    }
    const c = ro.spec.strategy.canary!;
    const prev = s.canary.weights;
    const next = {
      canary: {
        weight: desired,
        podTemplateHash: ctx.newRS?.podTemplateHash ?? '',
        serviceName: c.canaryService ?? '',
      },
      stable: {
        weight: 100 - desired,
        podTemplateHash: ctx.stableRS?.podTemplateHash ?? '',
        serviceName: c.stableService ?? '',
      },
    };
    if (!prev || JSON.stringify(prev) !== JSON.stringify(next)) {
      const detail = !prev
        ? `to ${desired}`
        : prev.canary.weight !== desired
          ? `from ${prev.canary.weight} to ${desired}`
          : '';
      if (detail) this.event('TrafficWeightUpdated', `Traffic weight updated ${detail}`);
      s.canary.weights = next;
    }
  }

  /**
   * `AtDesiredReplicaCountsForCanary` (§2.6): the canary at its desired count with all of them
   * available (or `replicaProgressThreshold` met); the stable at its count, created (skipped with
   * dynamicStableScale); for a basic canary, no older RS still serving. `useWeights`: dynamic
   * stable scaling counts the stable from the recorded traffic weights, except where Argo passes
   * none (the traffic-routing reconcile).
   */
  private atDesiredReplicaCounts(ctx: SyncCtx, useWeights = true): boolean {
    const { canary, stable } = this.desiredCounts(ctx, useWeights);
    const nw = ctx.newRS;
    if (!nw || nw.replicas !== canary) return false;
    if (
      nw.status.availableReplicas !== canary &&
      !this.progressThresholdMet(nw.status.availableReplicas, canary)
    )
      return false;
    if (!this.traffic || !this.c.dynamicStableScale) {
      const st = ctx.stableRS && ctx.stableRS !== nw ? ctx.stableRS : undefined;
      if (!st || st.replicas !== stable || st.status.replicas !== stable) return false;
    }
    if (!this.traffic && ctx.others.reduce((a, rs) => a + rs.status.availableReplicas, 0) !== 0) return false;
    return true;
  }

  /** `replicaProgressThreshold`: Percent → available/desired·100 ≥ value (desired 0 passes); Pods → available ≥ value. */
  private progressThresholdMet(available: number, desired: number): boolean {
    const t = this.c.replicaProgressThreshold;
    if (!t) return false;
    if (t.type === 'Pods') return available >= t.value;
    return desired === 0 || (available / desired) * 100 >= t.value;
  }

  /**
   * `UseSetCanaryScale`: with traffic routing, the latest setCanaryScale at or before the current
   * step — unless it is `matchTrafficWeight`, or the rollout is aborted and
   * abortScaleDownDelaySeconds is not an explicit 0.
   */
  private useSetCanaryScale(): Extract<CanaryStep, { kind: 'setCanaryScale' }> | undefined {
    if (!this.traffic) return undefined;
    const ro = this.rollout;
    if (ro.status.abort && this.c.abortScaleDownDelaySeconds !== 0) return undefined;
    const { step, index } = currentStep(ro);
    if (!step || index === undefined) return undefined;
    for (let i = index; i >= 0; i--) {
      const st = this.c.steps[i]!;
      if (st.kind !== 'setCanaryScale') continue;
      return st.matchTrafficWeight ? undefined : st;
    }
    return undefined;
  }

  /** `GetCanaryReplicasOrWeight`: 100 when promoting or promoted; else setCanaryScale's replicas or weight; else the set weight. */
  private canaryReplicasOrWeight(): { replicas?: number; weight: number } {
    const s = this.rollout.status;
    if (s.promoteFull || s.stableRS === '' || s.currentPodHash === s.stableRS) return { weight: 100 };
    const scs = this.useSetCanaryScale();
    if (scs?.replicas !== undefined) return { replicas: scs.replicas, weight: 0 };
    if (scs?.weight !== undefined) return { weight: scs.weight };
    return { weight: currentSetWeight(this.rollout) };
  }

  private desiredCounts(ctx: SyncCtx, useWeights = true): { canary: number; stable: number } {
    const ro = this.rollout;
    const n = ro.spec.replicas;
    const c = this.c;
    const { replicas, weight } = this.canaryReplicasOrWeight();
    const stableExists = ctx.stableRS !== undefined && ctx.stableRS !== ctx.newRS;
    if (this.traffic) {
      if (!stableExists) return { canary: n, stable: 0 };
      const w = useWeights ? ro.status.canary.weights : undefined;
      return trafficRoutedReplicaCounts(n, weight, {
        setCanaryReplicas: replicas,
        minPods: c.minPodsPerReplicaSet,
        dynamicStableScale: c.dynamicStableScale,
        current: w && { canary: w.canary.weight, stable: w.stable.weight },
        aborted: ro.status.abort,
      });
    }
    const { surge, unavailable } = resolveFenceposts(c.maxSurge, c.maxUnavailable, n);
    const counts = (rs: ReplicaSet | undefined): RsCounts | undefined =>
      rs ? { spec: rs.replicas, available: rs.status.availableReplicas } : undefined;
    return basicCanaryReplicaCounts({
      n,
      weight,
      surge,
      unavailable,
      canary: counts(ctx.newRS),
      stable: stableExists ? counts(ctx.stableRS) : undefined,
      others: ctx.others.map((rs) => rs.replicas),
    });
  }

  // ---- analysis: canaryAnalysis.ts ------------------------------------------------------

  /** Argo's validation of the background analysis and each analysis step. */
  private validateAnalyses(): string | undefined {
    const bg = this.c.analysis;
    return this.invalidAnalysis([
      ...(bg ? [{ kind: 'Background' as const, analysis: bg }] : []),
      ...this.c.steps.flatMap((st, i) =>
        st.kind === 'analysis' ? [{ kind: 'Step' as const, stepIndex: i, analysis: st.analysis }] : [],
      ),
    ]);
  }

  // ---- ReplicaSets -------------------------------------------------------------------------

  private scale(rs: ReplicaSet, to: number): boolean {
    if (rs.replicas === to) return false;
    const from = rs.replicas;
    this.deps.cluster.scaleReplicaSet(rs, to);
    this.event(
      'ScalingReplicaSet',
      `Scaled ${to > from ? 'up' : 'down'} ReplicaSet ${rs.meta.name} (revision ${revisionOf(rs)}) from ${from} to ${to}`,
    );
    if (
      to === 0 &&
      rs.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined &&
      !this.delayScaleDownOnAbort()
    ) {
      this.deps.cluster.setAnnotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, undefined);
    }
    return true;
  }

  /** Aborted with a traffic router and a non-zero abortScaleDownDelaySeconds: the canary keeps its deadline annotation. */
  private delayScaleDownOnAbort(): boolean {
    return (
      this.rollout.status.abort &&
      this.traffic &&
      this.rollout.spec.strategy.canary!.abortScaleDownDelaySeconds > 0
    );
  }

  private reconcileReplicaSets(ctx: SyncCtx): boolean {
    const ro = this.rollout;
    const cluster = this.deps.cluster;
    const aborted = ctx.pause.isAborted();
    // Deadlines on the stable, or on the new RS outside an abort, are stale.
    for (const rs of [ctx.stableRS, aborted ? undefined : ctx.newRS]) {
      if (rs && rs.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined)
        cluster.setAnnotation(rs, SCALE_DOWN_DEADLINE_ANNOTATION, undefined);
    }
    const counts = this.desiredCounts(ctx);
    const stableExists = ctx.stableRS !== undefined && ctx.stableRS !== ctx.newRS;
    if (stableExists && this.scale(ctx.stableRS!, counts.stable)) return true;

    if (ctx.newRS) {
      let target = counts.canary;
      const abortDelay = ro.spec.strategy.canary!.abortScaleDownDelaySeconds;
      if (aborted && this.traffic && abortDelay > 0 && ctx.newRS.replicas > 0) {
        const deadline = ctx.newRS.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION];
        if (deadline === undefined) {
          // Start the countdown once the stable can take all the traffic.
          if (ctx.stableRS && ctx.stableRS.status.availableReplicas >= ro.spec.replicas) {
            cluster.setAnnotation(
              ctx.newRS,
              SCALE_DOWN_DEADLINE_ANNOTATION,
              new Date(ctx.now + abortDelay * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            );
            ctx.requeueAt.push(ctx.now + abortDelay * 1000);
          }
          target = ctx.newRS.replicas;
        } else if (Date.parse(deadline) > ctx.now) {
          ctx.requeueAt.push(Date.parse(deadline));
          target = ctx.newRS.replicas;
        }
      }
      if (this.scale(ctx.newRS, target)) return true;
    }
    return this.scaleDownOthers(ctx);
  }

  /** `scaleDownOldReplicaSetsForCanary`: drain old RSs within maxUnavailable (basic) or after their scale-down delay (traffic routing). */
  private scaleDownOthers(ctx: SyncCtx): boolean {
    const ro = this.rollout;
    const n = ro.spec.replicas;
    const active = ctx.others.filter((rs) => rs.replicas > 0);
    if (active.length === 0) return false;
    const all = [ctx.newRS, ctx.stableRS, ...ctx.others].filter((x): x is ReplicaSet => x !== undefined);
    const uniq = [...new Set(all)];
    const available = uniq.reduce((a, rs) => a + rs.status.availableReplicas, 0);
    const { unavailable } = resolveFenceposts(
      ro.spec.strategy.canary!.maxSurge,
      ro.spec.strategy.canary!.maxUnavailable,
      n,
    );
    let maxScaleDown = available - (n - unavailable);
    let scaled = false;
    // Newest revision first, as Argo sorts them.
    for (const rs of [...active].sort((a, b) => revisionOf(b) - revisionOf(a))) {
      let desired = 0;
      if (!this.traffic) {
        if (maxScaleDown <= 0) break;
        if (rs.replicas > maxScaleDown) desired = rs.replicas - maxScaleDown;
      } else {
        const deadline = rs.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION];
        if (deadline === undefined) {
          // The stable replaced by a promotion keeps serving until its delay passes (traffic may
          // still drain to it); an intermediate canary nobody routes to goes at once.
          const delay = ro.spec.strategy.canary!.scaleDownDelaySeconds;
          if (delay > 0 && rs.podTemplateHash === this.previousStable) {
            this.deps.cluster.setAnnotation(
              rs,
              SCALE_DOWN_DEADLINE_ANNOTATION,
              new Date(ctx.now + delay * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            );
            ctx.requeueAt.push(ctx.now + delay * 1000);
            desired = rs.replicas;
          }
        } else if (Date.parse(deadline) > ctx.now) {
          ctx.requeueAt.push(Date.parse(deadline));
          desired = rs.replicas;
        }
      }
      if (rs.replicas === desired) continue;
      const by = rs.replicas - desired;
      this.scale(rs, desired);
      maxScaleDown -= by;
      scaled = true;
    }
    return scaled;
  }

  // ---- pause steps -------------------------------------------------------------------------

  private reconcilePause(ctx: SyncCtx): void {
    const ro = this.rollout;
    if (ro.spec.paused || ro.status.promoteFull) return;
    const { step } = currentStep(ro);
    if (!step || step.kind !== 'pause') return;
    const cond = ro.status.pauseConditions.find((c) => c.reason === 'CanaryPauseStep');
    if (!cond) {
      if (!ro.status.controllerPause) {
        ctx.pause.add.push('CanaryPauseStep');
        if (step.durationSeconds !== undefined) ctx.requeueAt.push(ctx.now + step.durationSeconds * 1000);
      }
      return;
    }
    if (step.durationSeconds !== undefined) ctx.requeueAt.push(cond.startTime + step.durationSeconds * 1000);
  }

  private completedCurrentStep(ctx: SyncCtx): boolean {
    const ro = this.rollout;
    if (ro.spec.paused) return false;
    const { step } = currentStep(ro);
    if (!step) return false;
    if (step.kind === 'pause') {
      const cond = ro.status.pauseConditions.find((c) => c.reason === 'CanaryPauseStep');
      if (ro.status.controllerPause && !cond && !ctx.pause.add.includes('CanaryPauseStep')) return true;
      // A timer fires exactly at the end of the pause; Argo's `now.After(end)` is true a tick later.
      return (
        step.durationSeconds !== undefined &&
        cond !== undefined &&
        ctx.now >= cond.startTime + step.durationSeconds * 1000
      );
    }
    if (step.kind === 'analysis') {
      const ref = ro.status.canary.currentStepAnalysisRunStatus;
      return ref !== undefined && ref.status === 'Successful';
    }
    // Applied in this sync's traffic-routing pass.
    if (step.kind === 'setHeaderRoute' || step.kind === 'setMirrorRoute') return true;
    return this.atDesiredReplicaCounts(ctx);
  }

  // ---- status (syncRolloutStatusCanary) -----------------------------------------------------

  private shouldFullPromote(ctx: SyncCtx): string {
    const ro = this.rollout;
    if (!ctx.stableRS) return 'Initial deploy';
    if (ctx.pause.isAborted()) return '';
    const available = ctx.newRS?.status.availableReplicas ?? 0;
    if (
      !ctx.newRS ||
      (available !== ro.spec.replicas && !this.progressThresholdMet(available, ro.spec.replicas))
    )
      return '';
    if (ro.status.promoteFull) return 'Full promotion requested';
    const steps = ro.spec.strategy.canary!.steps.length;
    const { index } = currentStep(ro);
    if (steps === 0 || index === steps) return `Completed all ${steps} canary steps`;
    return '';
  }

  private syncStatus(ctx: SyncCtx): void {
    const ro = this.rollout;
    const s = ro.status;
    const steps = ro.spec.strategy.canary!.steps.length;
    if (s.promoteFull) {
      ctx.pause.clear = true;
      ctx.pause.removeAbort = true;
      if (steps > 0) s.currentStepIndex = steps;
    }
    const reason = this.shouldFullPromote(ctx);
    if (reason) {
      ctx.pause.clear = true;
      ctx.pause.removeAbort = true;
      if (steps > 0) s.currentStepIndex = steps;
      if (s.stableRS !== s.currentPodHash) {
        this.previousStable = s.stableRS;
        s.stableRS = s.currentPodHash;
        s.promoteFull = false;
        const rev = ctx.newRS ? revisionOf(ctx.newRS) : 0;
        this.event(
          'RolloutCompleted',
          `Rollout completed update to revision ${rev} (${s.currentPodHash}): ${reason}`,
        );
      }
    } else if (ctx.pause.isAborted()) {
      if (steps > 0) s.currentStepIndex = s.stableRS === s.currentPodHash ? steps : 0;
    } else if (this.completedCurrentStep(ctx)) {
      const { step, index } = currentStep(ro);
      const next = (index ?? 0) + 1;
      s.currentStepIndex = next;
      this.event('RolloutStepCompleted', `Rollout step ${next}/${steps} completed (${stepString(step!)})`);
      ctx.pause.remove.push('CanaryPauseStep');
    }
    this.checkProgressDeadline(ctx);
    ctx.pause.apply(s, ctx.now);
    this.updateConditions(ctx);
    this.finishStatus(ctx.newRS);
  }

  /**
   * `progressDeadlineSeconds` (Argo's `RolloutTimedOut`): progress — more updated, ready or
   * available pods, fewer old ones, a step or the stable moving — restarts the clock; pauses and
   * analysis or pause steps stop it. Past the deadline the Progressing condition becomes
   * `ProgressDeadlineExceeded` (Degraded) and, with `progressDeadlineAbort`, the update aborts.
   */
  private checkProgressDeadline(ctx: SyncCtx): void {
    const ro = this.rollout;
    const s = ro.status;
    if (ctx.pause.isAborted()) return;
    const now = this.counters();
    const b = ctx.before;
    const progressed =
      now.updated !== b.updated ||
      now.replicas - now.updated < b.replicas - b.updated ||
      now.ready > b.ready ||
      now.available > b.available ||
      s.currentStepIndex !== b.step ||
      s.stableRS !== b.stable;
    const paused = ro.spec.paused || s.pauseConditions.length > 0 || ctx.pause.add.length > 0;
    const done =
      s.stableRS === s.currentPodHash && (ctx.newRS?.status.availableReplicas ?? 0) >= ro.spec.replicas;
    if (progressed || paused || done || s.lastProgressAt === undefined) {
      s.lastProgressAt = ctx.now;
      return;
    }
    const { step } = currentStep(ro);
    const indefinite = step !== undefined && (step.kind === 'pause' || step.kind === 'analysis');
    if (indefinite) {
      s.lastProgressAt = ctx.now;
      return;
    }
    const deadline = s.lastProgressAt + ro.spec.progressDeadlineSeconds * 1000;
    const timedOut =
      s.conditions.find((c) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded';
    if (ctx.now > deadline || timedOut) {
      const msg = ctx.newRS
        ? `ReplicaSet "${ctx.newRS.meta.name}" has timed out progressing.`
        : `Rollout "${this.name}" has timed out progressing.`;
      ctx.timedOut = msg;
      if (ro.spec.progressDeadlineAbort) {
        ctx.pause.addAbort = true;
        ctx.pause.abortMessage = msg;
      }
      return;
    }
    // Argo requeues a stuck rollout a second after its deadline.
    ctx.requeueAt.push(deadline + 1000);
  }

  /** Replica counters summed over the rollout's ReplicaSets (plugin: Current, Updated, Ready, Available). */
  private counters(): { replicas: number; updated: number; ready: number; available: number } {
    const all = this.deps.cluster.listReplicaSets(this.ns, this.name);
    const s = this.rollout.status;
    const newRS = all.find((rs) => rs.podTemplateHash === s.currentPodHash);
    return {
      replicas: all.reduce((a, rs) => a + rs.status.replicas, 0),
      updated: newRS ? newRS.status.replicas : 0,
      ready: all.reduce((a, rs) => a + rs.status.readyReplicas, 0),
      available: all.reduce((a, rs) => a + rs.status.availableReplicas, 0),
    };
  }

  /** The Progressing condition, and the events Argo records when it changes (aborted, paused, resumed). */
  private updateConditions(ctx: SyncCtx): void {
    const s = this.rollout.status;
    const rev = ctx.newRS ? revisionOf(ctx.newRS) : 0;
    const rsName = ctx.newRS?.meta.name ?? '';
    const prev = s.conditions.find((c) => c.type === 'Progressing')?.reason;
    if (s.abort) {
      const msg = `Rollout aborted update to revision ${rev}${ctx.pause.abortMessage ? `: ${ctx.pause.abortMessage}` : ''}`;
      setCondition(s, {
        type: 'Progressing',
        status: 'False',
        reason: 'RolloutAborted',
        message: msg,
        lastTransitionTime: ctx.now,
      });
      if (prev !== 'RolloutAborted') this.event('RolloutAborted', msg, 'Warning');
    } else if (ctx.timedOut) {
      setCondition(s, {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: ctx.timedOut,
        lastTransitionTime: ctx.now,
      });
    } else if (s.pauseConditions.length > 0) {
      setCondition(s, {
        type: 'Progressing',
        status: 'Unknown',
        reason: 'RolloutPaused',
        message: 'Rollout is paused',
        lastTransitionTime: ctx.now,
      });
      if (prev !== 'RolloutPaused')
        this.event('RolloutPaused', `Rollout is paused (${s.pauseConditions[0]!.reason})`);
    } else {
      if (prev === 'RolloutPaused') this.event('RolloutResumed', 'Rollout is resumed');
      if (
        s.stableRS === s.currentPodHash &&
        ctx.newRS &&
        ctx.newRS.status.availableReplicas >= this.rollout.spec.replicas
      ) {
        setCondition(s, {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
          lastTransitionTime: ctx.now,
        });
      } else {
        setCondition(s, {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
          lastTransitionTime: ctx.now,
        });
      }
    }
  }

  /** Replica counters from the ReplicaSets, then phase and message. */
  private finishStatus(newRS: ReplicaSet | undefined): void {
    const s = this.rollout.status;
    const all = this.deps.cluster.listReplicaSets(this.ns, this.name);
    s.replicas = all.reduce((a, rs) => a + rs.status.replicas, 0);
    s.readyReplicas = all.reduce((a, rs) => a + rs.status.readyReplicas, 0);
    s.availableReplicas = all.reduce((a, rs) => a + rs.status.availableReplicas, 0);
    s.updatedReplicas = newRS ? newRS.status.replicas : 0;
    const p = calculatePhase(this.rollout, this.traffic);
    s.phase = p.phase;
    s.message = p.message;
  }
}
