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
  private aborted = false;

  /**
   * Records the state after a sync at `now`; `canary` gives the current ReplicaSet's name and
   * what it answered (called only when an abort begins).
   */
  observe(ro: Rollout, now: number, canary: () => { replicaSet: string; answered: AnsweredCounts }): void {
    const s = ro.status;
    const last = this.transitions[this.transitions.length - 1];
    if (s.phase !== last?.phase) {
      this.transitions.push({ time: now, phase: s.phase, message: s.message });
      if (this.transitions.length > MAX_PHASE_TRANSITIONS) {
        this.transitions.shift();
        this.dropped++;
      }
      if (s.phase === 'Healthy') this.healthyAt = now;
    }
    if (s.abort && !this.aborted) this.lastAbort = { time: now, ...canary() };
    this.aborted = s.abort;
  }
}
