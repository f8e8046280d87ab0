import { lerpLatency, type LatencyModel } from '../../app/index.js';
import type { Behaviour, BehaviourChange, ErrorRule } from './spec.js';

/** A behaviour with every field decided (what a process does at one instant). */
export interface EffectiveBehaviour {
  errors: ErrorRule[];
  /** Absent: the app's own latency. */
  latency?: LatencyModel;
  coldStart?: Behaviour['coldStart'];
  saturation?: Behaviour['saturation'];
  ready: boolean;
  unhealthy: boolean;
}

/** The fields `over` gives replace those of `base`. */
export function overlay(base: EffectiveBehaviour, over: Behaviour): EffectiveBehaviour {
  return {
    errors: over.errors ?? base.errors,
    latency: over.latency ?? base.latency,
    coldStart: over.coldStart ?? base.coldStart,
    saturation: over.saturation ?? base.saturation,
    ready: over.ready ?? base.ready,
    unhealthy: over.unhealthy ?? base.unhealthy,
  };
}

/**
 * `f` of the way from `a` to `b` (a ramp): latency parameters move linearly; error rules fade —
 * `a`'s shares shrink by (1 − f) while `b`'s grow by f, so the total error share moves linearly
 * from one to the other; the other fields switch at the end of the ramp.
 */
function ramp(a: EffectiveBehaviour, b: EffectiveBehaviour, f: number): EffectiveBehaviour {
  if (f >= 1) return b;
  const errors =
    a.errors === b.errors
      ? a.errors
      : [
          ...a.errors.map((r) => ({ ...r, share: r.share * (1 - f) })),
          ...b.errors.map((r) => ({ ...r, share: r.share * f })),
        ];
  let latency = b.latency;
  if (a.latency !== b.latency) {
    latency = a.latency && b.latency ? lerpLatency(a.latency, b.latency, f) : f < 1 ? a.latency : b.latency;
  }
  return { ...a, errors, latency };
}

/**
 * A model's behaviour at simulated time `now` for a process started at `startedAt` (both epoch
 * ms; `scenarioStart` anchors `at:`): its base, then each change that has begun, in order,
 * part-way through its ramp.
 */
export function behaviourAt(
  base: EffectiveBehaviour,
  changes: readonly BehaviourChange[],
  now: number,
  startedAt: number,
  scenarioStart: number,
): EffectiveBehaviour {
  let b = base;
  for (const c of changes) {
    const from = c.atMs !== undefined ? scenarioStart + c.atMs : startedAt + (c.afterStartMs ?? 0);
    if (now < from) continue;
    const next = overlay(b, c.set);
    b = c.rampMs > 0 ? ramp(b, next, (now - from) / c.rampMs) : next;
  }
  return b;
}

/**
 * When the behaviour next changes after `now` (a change's start or the end of its ramp, sampled
 * every `step` ms while ramping), or undefined when it never does: lets callers cache.
 */
export function nextChangeAfter(
  changes: readonly BehaviourChange[],
  now: number,
  startedAt: number,
  scenarioStart: number,
): number | undefined {
  let next: number | undefined;
  for (const c of changes) {
    const from = c.atMs !== undefined ? scenarioStart + c.atMs : startedAt + (c.afterStartMs ?? 0);
    const to = from + c.rampMs;
    const t = now < from ? from : now < to ? now : undefined;
    if (t !== undefined && (next === undefined || t < next)) next = t;
  }
  return next;
}
