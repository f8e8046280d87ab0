import type { Rollout } from './types.js';

/** A change of `status.phase`, as the controller set it at the end of a sync. */
export interface PhaseTransition {
  /** Simulated ms since the epoch. */
  time: number;
  phase: string;
  message: string;
}

/** User requests a ReplicaSet's pods answered, and how many of them with a 5xx status. */
export interface AnsweredCounts {
  requests: number;
  errors: number;
}

/** The latest abort: when, and what the canary had answered users by then. */
export interface AbortRecord {
  time: number;
  /** The canary's ReplicaSet (the update being aborted), or "" when there was none. */
  replicaSet: string;
  answered: AnsweredCounts;
  /**
   * User requests all the Rollout's ReplicaSets answered between the latest update and the abort
   * (canary and stable together: the denominator of a blast radius); undefined without an update.
   */
  sinceUpdate?: AnsweredCounts;
}

/** The latest update: the pod template changed (a new pod hash) after the first one seen. */
export interface UpdateRecord {
  time: number;
  /** The new (canary) ReplicaSet's pod-template hash. */
  podHash: string;
}

/** What the world tells a history about the Rollout's ReplicaSets, asked only at an update or abort. */
export interface AnsweredProbe {
  /** The current (canary) ReplicaSet and what its pods answered users so far. */
  canary(): { replicaSet: string; answered: AnsweredCounts };
  /** What each of the Rollout's ReplicaSets (by name) answered users so far. */
  all(): Map<string, AnsweredCounts>;
}

/** Phase transitions a history keeps: the most recent ones (README, Limits). */
export const MAX_PHASE_TRANSITIONS = 100;

/**
 * What happened to one Rollout object since it was applied, observed after every sync: its phase
 * transitions (the last {@link MAX_PHASE_TRANSITIONS}), when it last became Healthy, and its
 * latest abort (`status.abort` turning true, whether a metric or `abort` did it) with the
 * canary's request counts at that instant. A deleted and re-applied Rollout starts a new one.
 */
export class RolloutHistory {
  readonly transitions: PhaseTransition[] = [];
  /** Transitions dropped from the front to keep the bound. */
  dropped = 0;
  healthyAt: number | undefined;
  lastAbort: AbortRecord | undefined;
  lastUpdate: UpdateRecord | undefined;
  private aborted = false;
  private podHash: string | undefined;
  /** What each ReplicaSet had answered at the latest update (a blast radius counts from there). */
  private atUpdate: Map<string, AnsweredCounts> | undefined;

  /**
   * Records the state after a sync at `now`; `probe` tells what the ReplicaSets answered (asked
   * only when an update or an abort begins).
   */
  observe(ro: Rollout, now: number, probe: AnsweredProbe): void {
    const s = ro.status;
    const hash = s.currentPodHash;
    if (hash && hash !== this.podHash) {
      if (this.podHash !== undefined) {
        this.lastUpdate = { time: now, podHash: hash };
        this.atUpdate = probe.all();
      }
      this.podHash = hash;
    }
    const last = this.transitions[this.transitions.length - 1];
    if (s.phase !== last?.phase) {
      this.transitions.push({ time: now, phase: s.phase, message: s.message });
      if (this.transitions.length > MAX_PHASE_TRANSITIONS) {
        this.transitions.shift();
        this.dropped++;
      }
      if (s.phase === 'Healthy') this.healthyAt = now;
    }
    if (s.abort && !this.aborted) {
      this.lastAbort = { time: now, ...probe.canary() };
      if (this.atUpdate) {
        // Only the ReplicaSets there now can have answered since the update: one deleted in
        // between was an old one, scaled to zero before it.
        const since = { requests: 0, errors: 0 };
        for (const [rs, n] of probe.all()) {
          const before = this.atUpdate.get(rs);
          since.requests += n.requests - (before?.requests ?? 0);
          since.errors += n.errors - (before?.errors ?? 0);
        }
        this.lastAbort.sinceUpdate = since;
      }
    }
    this.aborted = s.abort;
  }
}
