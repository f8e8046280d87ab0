/** Opaque handle returned by {@link Clock.setTimeout}. */
export type TimerId = number;

/**
 * The only source of time in the simulation. Compatible with xstate's `Clock`, so the same
 * object drives the rollout machine's `after` delays.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in simulated time. */
  now(): number;
  /** Runs `fn` once, `ms` milliseconds from now (negative or zero: as soon as possible, after what is already due). */
  setTimeout(fn: () => unknown, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}
