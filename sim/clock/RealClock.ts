import type { Clock, TimerId } from './Clock.js';

/** The longest delay Node's setTimeout honours (2^31 - 1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The fastest a live clock may run (serve's --speed, and a trainer's change while it runs). */
export const MAX_SPEED = 10_000;

interface Pending {
  due: number;
  fn: () => unknown;
  handle: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Wall-clock time, optionally sped up: with `speed` 10 a 300 s pause lasts 30 s of real time.
 * Simulated time starts at `startMs` (default: the wall clock at construction).
 *
 * A trainer may change the speed or pause the simulated clock while it runs (`setSpeed`,
 * `pause`, `resume`): simulated time continues from where it is — it never jumps or runs
 * backwards — and every pending timer keeps its simulated due time, re-armed for the new pace.
 * Only live mode uses this clock; the virtual clock, and so every rehearsal, is untouched.
 */
export class RealClock implements Clock {
  /** Wall ms and simulated ms at the last change of pace: now = simAnchor + (wall - wallAnchor) × speed. */
  private wallAnchor: number;
  private simAnchor: number;
  private pace: number;
  private paused = false;
  private readonly timers = new Map<TimerId, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(speed = 1, startMs?: number) {
    checkSpeed(speed);
    this.pace = speed;
    this.wallAnchor = Date.now();
    this.simAnchor = startMs ?? this.wallAnchor;
  }

  /** Simulated seconds per real second. */
  get speed(): number {
    return this.pace;
  }

  /** Whether the simulated clock stands still (`pause`). */
  get isPaused(): boolean {
    return this.paused;
  }

  now(): number {
    if (this.paused) return this.simAnchor;
    return this.simAnchor + (Date.now() - this.wallAnchor) * this.pace;
  }

  /** Runs simulated time `speed` times faster than the wall clock from now on (paused: once resumed). */
  setSpeed(speed: number): void {
    checkSpeed(speed);
    this.rebase();
    this.pace = speed;
    this.rearmAll();
  }

  /** Stops simulated time: `now()` stands still and no timer fires until `resume`. */
  pause(): void {
    if (this.paused) return;
    this.rebase();
    this.paused = true;
    for (const t of this.timers.values()) this.disarm(t);
  }

  /** Lets simulated time run again from where `pause` stopped it. */
  resume(): void {
    if (!this.paused) return;
    this.wallAnchor = Date.now();
    this.paused = false;
    this.rearmAll();
  }

  /** Moves the anchors to this instant, so a change of pace applies from now on only. */
  private rebase(): void {
    const now = this.now();
    this.wallAnchor = Date.now();
    this.simAnchor = now;
  }

  setTimeout(fn: () => unknown, ms: number): TimerId {
    const id = this.nextId++;
    if (this.closed) return id;
    const due = this.now() + (Number.isFinite(ms) && ms > 0 ? ms : 0);
    const t: Pending = { due, fn, handle: undefined };
    this.timers.set(id, t);
    this.arm(id, t);
    return id;
  }

  private rearmAll(): void {
    if (this.paused || this.closed) return;
    for (const [id, t] of this.timers) {
      this.disarm(t);
      this.arm(id, t);
    }
  }

  private disarm(t: Pending): void {
    if (t.handle !== undefined) clearTimeout(t.handle);
    t.handle = undefined;
  }

  /**
   * Node's timers run off the event loop's cached clock, so they can fire up to a millisecond
   * before `Date.now()` says the delay has passed. A timer that wakes early sleeps again for the
   * rest, so callbacks never see `now()` before their due time.
   */
  private arm(id: TimerId, t: Pending): void {
    if (this.paused) return;
    // Node turns a delay above 2^31 - 1 ms into 1 ms: a longer wait sleeps in pieces.
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, (t.due - this.now()) / this.pace));
    t.handle = setTimeout(() => {
      t.handle = undefined;
      if (this.closed || this.paused || this.timers.get(id) !== t) return;
      if (this.now() < t.due) {
        this.arm(id, t);
        return;
      }
      this.timers.delete(id);
      void t.fn();
    }, Math.ceil(wait));
  }

  clearTimeout(id: TimerId): void {
    const t = this.timers.get(id);
    if (t) this.disarm(t);
    this.timers.delete(id);
  }

  /** Cancels every pending timer (used on shutdown). */
  clearAll(): void {
    for (const t of this.timers.values()) this.disarm(t);
    this.timers.clear();
  }

  /** Shutdown: cancels every pending timer, and timers set from now on never fire. */
  close(): void {
    this.closed = true;
    this.clearAll();
  }
}

function checkSpeed(speed: number): void {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`speed must be a positive number, got ${speed}`);
}
