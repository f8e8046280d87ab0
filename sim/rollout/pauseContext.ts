import type { PauseReason, RolloutStatus } from './types.js';

/**
 * Argo's per-sync pause bookkeeping (`pauseContext`, rollout/pause.go), shared by the canary and
 * blue-green controllers: what this sync adds or removes, applied at the end as
 * `CalculatePauseStatus` does. The status Argo writes is built afresh each sync, so while aborted
 * it carries no pause condition and no controllerPause; otherwise controllerPause survives only
 * while a condition does.
 */
export class PauseContext {
  add: PauseReason[] = [];
  remove: PauseReason[] = [];
  clear = false;
  addAbort = false;
  removeAbort = false;
  abortMessage = '';

  constructor(private readonly status: RolloutStatus) {}

  isAborted(): boolean {
    if (this.removeAbort) return false;
    return this.addAbort || this.status.abort;
  }

  abort(message: string): void {
    this.addAbort = true;
    this.abortMessage = message;
  }

  apply(s: RolloutStatus, now: number): void {
    if (this.isAborted()) {
      if (!s.abort || s.abortedAt === undefined) s.abortedAt = now;
      s.abort = true;
      s.pauseConditions = [];
      s.controllerPause = false;
      return;
    }
    s.abort = false;
    s.abortedAt = undefined;
    if (this.clear) {
      s.pauseConditions = [];
      s.controllerPause = false;
      return;
    }
    let controllerPause = s.controllerPause;
    const kept = s.pauseConditions.filter((c) => !this.remove.includes(c.reason));
    const existing = new Set(s.pauseConditions.map((c) => c.reason));
    for (const r of this.add) {
      if (!existing.has(r)) {
        kept.push({ reason: r, startTime: now });
        existing.add(r);
        controllerPause = true;
      }
    }
    s.pauseConditions = kept;
    s.controllerPause = kept.length > 0 ? controllerPause : false;
  }
}
