import { InputError } from '../../sim/errors.js';
import type { AnyWorld } from '../../sim/world.js';

/**
 * Trainer holds: "stop at step N so I can explain it". A hold pauses a rollout — as `canarysim
 * pause` (spec.paused) does, so `promote` resumes it — the moment it reaches `Step: N/M` of the
 * tree, whether a pause duration, a passing analysis or a promote took it there. The check runs
 * inside the controller's sync that completes the step (its RolloutStepCompleted event), so the
 * next step never starts, at any speed. A hold fires once.
 */
export class StepHolds {
  private readonly holds = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;
  private world: AnyWorld | undefined;

  /** Watches `world` (again after a reset: holds are part of the world and start empty). */
  attach(world: AnyWorld): void {
    this.unsubscribe?.();
    this.holds.clear();
    this.world = world;
    this.unsubscribe = world.events.subscribe((e) => {
      if (e.reason !== 'RolloutStepCompleted' || !e.object.startsWith('Rollout/')) return;
      this.check(e.namespace, e.object.slice('Rollout/'.length));
    });
  }

  /** The step each rollout is held at (`namespace/name` → N). */
  list(): ReadonlyMap<string, number> {
    return this.holds;
  }

  /**
   * Holds `namespace/name` at `Step: step/M` (1 ≤ step < M), or clears its hold (null); returns
   * the line the CLI prints. A rollout already at that step pauses now.
   */
  set(namespace: string, name: string, step: number | null): string {
    const world = this.world!;
    const r = world.rollout(namespace, name)!;
    const key = `${namespace}/${name}`;
    if (step === null) {
      const had = this.holds.delete(key);
      return had ? `rollout '${name}' hold cleared` : `rollout '${name}' had no hold`;
    }
    const steps = r.ro.spec.strategy.canary?.steps.length ?? 0;
    if (steps < 2)
      throw new InputError(
        `rollout '${name}' has ${steps} canary step${steps === 1 ? '' : 's'}: nothing to hold between`,
      );
    if (!Number.isInteger(step) || step < 1 || step >= steps)
      throw new InputError(
        `invalid step ${JSON.stringify(step)}: expected a step from 1 to ${steps - 1} (the tree's Step: N/${steps})`,
      );
    this.holds.set(key, step);
    if ((r.ro.status.currentStepIndex ?? 0) === step) this.check(namespace, name);
    return `rollout '${name}' held at step ${step}/${steps}`;
  }

  private check(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const step = this.holds.get(key);
    const r = this.world?.rollout(namespace, name);
    if (step === undefined || !r || (r.ro.status.currentStepIndex ?? 0) !== step) return;
    this.holds.delete(key);
    r.actor.send({ type: 'PAUSE' });
  }
}
