import type { Clock, TimerId } from './Clock.js';

/** The longest delay Node's setTimeout honours (2^31 - 1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Wall-clock time, optionally sped up: with `speed` 10 a 300 s pause lasts 30 s of real time.
 * Simulated time starts at `startMs` (default: the wall clock at construction).
 */
export class RealClock implements Clock {
  private readonly wallStart: number;
  private readonly simStart: number;
  private readonly timers = new Map<TimerId, ReturnType<typeof setTimeout>>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly speed = 1,
    startMs?: number,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new RangeError(`speed must be a positive number, got ${speed}`);
    this.wallStart = Date.now();
    this.simStart = startMs ?? this.wallStart;
  }

  now(): number {
    return this.simStart + (Date.now() - this.wallStart) * this.speed;
  }

  setTimeout(fn: () => unknown, ms: number): TimerId {
    const id = this.nextId++;
    if (this.closed) return id;
    const due = this.now() + (Number.isFinite(ms) && ms > 0 ? ms : 0);
    this.arm(id, due, fn);
    return id;
  }

  /**
   * Node's timers run off the event loop's cached clock, so they can fire up to a millisecond
   * before `Date.now()` says the delay has passed. A timer that wakes early sleeps again for the
   * rest, so callbacks never see `now()` before their due time.
   */
  private arm(id: TimerId, due: number, fn: () => unknown): void {
    // Node turns a delay above 2^31 - 1 ms into 1 ms: a longer wait sleeps in pieces.
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, (due - this.now()) / this.speed));
    const handle = setTimeout(() => {
      if (this.closed || !this.timers.has(id)) return;
      if (this.now() < due) {
        this.arm(id, due, fn);
        return;
      }
      this.timers.delete(id);
      void fn();
    }, Math.ceil(wait));
    this.timers.set(id, handle);
  }

  clearTimeout(id: TimerId): void {
    const handle = this.timers.get(id);
    if (handle !== undefined) clearTimeout(handle);
    this.timers.delete(id);
  }

  /** Cancels every pending timer (used on shutdown). */
  clearAll(): void {
    for (const handle of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
  }

  /** Shutdown: cancels every pending timer, and timers set from now on never fire. */
  close(): void {
    this.closed = true;
    this.clearAll();
  }
}
