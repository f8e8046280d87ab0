import { roleMetadata, syncEphemeralMetadata } from './ephemeralMetadata.js';
import type { Clock } from '../clock/index.js';
import {
  REVISION_ANNOTATION,
  revisionOf,
  type Cluster,
  type PodTemplate,
  type ReplicaSet,
} from '../cluster/index.js';
import type { EventLog } from '../EventLog.js';
import type { AnalysisApi, ArgoProfile, RunKind } from './interfaces.js';
import type { RolloutReconciler } from './machine.js';
import type { Rollout, RolloutAnalysis } from './types.js';

/** What every rollout controller is given. */
export interface BaseDeps {
  clock: Clock;
  cluster: Cluster;
  events: EventLog;
  analysis: AnalysisApi;
  profile: ArgoProfile;
}

/** One analysis a Rollout references, as Argo's validation walks them. */
export interface AnalysisRef {
  kind: RunKind;
  stepIndex?: number;
  analysis: RolloutAnalysis;
}

/**
 * What the canary and blue-green controllers share: Argo's workqueue (several changes at one
 * instant cost one sync), the re-sync after a sync that changed something, the Rollout as JSON,
 * events, and the Rollout's own validation of the analyses it references.
 */
export abstract class ControllerBase<D extends BaseDeps> implements RolloutReconciler {
  /** Simulated time of the earliest requeue the last sync asked for, or undefined. */
  requeueAt: number | undefined;
  /** Delivers a SYNC to the rollout's machine (set when the machine starts). */
  sendSync: () => void = () => {};
  /** Syncs that changed something (a cheap "has anything moved" stamp for observers). */
  changes = 0;
  /** Hears the end of every sync (the world keeps the rollout's history with it). */
  onSynced: () => void = () => {};
  private syncQueued = false;
  private syncsAt = { time: -1, count: 0 };

  constructor(
    readonly rollout: Rollout,
    protected readonly deps: D,
  ) {}

  /** One reconcile. Returns true when it changed something. */
  abstract sync(): boolean;

  protected get ns(): string {
    return this.rollout.meta.namespace;
  }

  protected get name(): string {
    return this.rollout.meta.name;
  }

  now(): number {
    return this.deps.clock.now();
  }

  protected event(reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    this.deps.events.record('Rollout', this.ns, this.name, reason, message, type);
  }

  /**
   * Queues a sync, as an informer event puts the rollout on Argo's workqueue: several changes at
   * one instant cost one sync, run after whatever else is due at that instant.
   */
  enqueue(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    this.deps.clock.setTimeout(() => {
      this.syncQueued = false;
      this.sendSync();
    }, 0);
  }

  /** A sync from the machine; when it changed anything, another follows (its own update event). */
  syncAndSchedule(): void {
    const now = this.now();
    if (this.syncsAt.time !== now) this.syncsAt = { time: now, count: 0 };
    if (++this.syncsAt.count > 500)
      throw new Error(`rollout ${this.name}: controller did not converge at t=${now}`);
    const changed = this.sync();
    this.onSynced();
    if (changed) {
      this.changes++;
      this.enqueue();
    }
  }

  /**
   * Argo's `getAllReplicaSetsAndSyncRevision`: the ReplicaSet of the current template (created
   * when missing), which takes the revision after every other one, like a Deployment's — an old
   * ReplicaSet that comes back with the same template is renumbered (revision 3 in the blog).
   */
  protected syncRevisionReplicaSet(
    template: PodTemplate,
    hash: string,
    all: readonly ReplicaSet[],
  ): { rs: ReplicaSet; created: boolean } {
    const existing = all.find((rs) => rs.podTemplateHash === hash);
    const maxOld = all.filter((rs) => rs !== existing).reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    if (!existing) {
      const rs = this.deps.cluster.createReplicaSet({
        namespace: this.ns,
        owner: this.name,
        hash,
        template,
        revision: maxOld + 1,
        minReadySeconds: this.rollout.spec.minReadySeconds,
      });
      // Argo injects the role metadata before any pod exists: the canary's (preview's) when a
      // different stable ReplicaSet exists, else the stable's (active's) — this one will become it.
      const { next, stable } = roleMetadata(this.rollout.spec);
      const stableHash = this.rollout.status.stableRS;
      syncEphemeralMetadata(this.deps.cluster, rs, stableHash !== '' && stableHash !== hash ? next : stable);
      this.event('NewReplicaSetCreated', `Created ReplicaSet ${rs.meta.name} (revision ${maxOld + 1})`);
      return { rs, created: true };
    }
    if (revisionOf(existing) <= maxOld)
      this.deps.cluster.setAnnotation(existing, REVISION_ANNOTATION, String(maxOld + 1));
    return { rs: existing, created: false };
  }

  /** The Rollout as `kubectl get -o json` shows metadata, spec and status (for fieldRef args). */
  protected json(): unknown {
    const ro = this.rollout;
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: ro.meta.name,
        namespace: ro.meta.namespace,
        labels: ro.meta.labels,
        annotations: ro.meta.annotations,
      },
      spec: ro.spec,
      status: ro.status,
    };
  }

  /**
   * Argo validates every analysis a Rollout references on every sync (templates exist, args
   * resolve, step metrics end): the first invalid one is the InvalidSpec message.
   */
  protected invalidAnalysis(refs: readonly AnalysisRef[]): string | undefined {
    const rolloutJson = this.json();
    for (const ref of refs) {
      const r = this.deps.analysis.validate({ ...ref, namespace: this.ns, rolloutJson });
      if (r) return `The Rollout "${this.name}" is invalid: ${r.fieldError}`;
    }
    return undefined;
  }
}
