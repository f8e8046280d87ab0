import type { TimerId } from '../sim/clock/index.js';
import type { VirtualTarget } from './virtualHey.js';

/** A load that sends, at a catch-up, the requests that arrived since the last one. */
interface Paced {
  /** Sends the requests of (fromMs, toMs] now. */
  send(fromMs: number, toMs: number): void;
  /** Its own timer fell due: send, then finish or `schedule` the next. */
  tick(): void;
}

/**
 * The loads' registry: before every event of the clock (and every timeline step that may change
 * the world or read the load), each load sends what arrived since its last catch-up, in start
 * order, so the event sees the requests before it and the requests before it saw the world
 * before it.
 */
export class TrafficPump {
  private readonly pacers: Pacer[] = [];
  private busy = false;

  add(p: Pacer): void {
    this.pacers.push(p);
  }

  remove(p: Pacer): void {
    const i = this.pacers.indexOf(p);
    if (i >= 0) this.pacers.splice(i, 1);
  }

  /**
   * Every load catches up to now. `changes`: what comes next may change routing or behaviour, so
   * each load plans again one tick later. `firing`: the timer about to run (its own load's tick
   * sends for itself).
   */
  catchUp(changes: boolean, firing?: TimerId): void {
    // A send can reach back here (a notice printed mid-dispatch): the loads are catching up already.
    if (this.busy) return;
    this.busy = true;
    try {
      for (const p of [...this.pacers]) p.catchUp(changes, firing);
    } finally {
      this.busy = false;
    }
  }
}

/**
 * When a virtual load sends. Without `target.steadyUntil` (or `target.pump`), every tick of the
 * grid `start + k·tick`, as hey's and open traffic's models always did. With them, the world is
 * stationary between events, so a load sends an interval's requests in one batch: at the events
 * (the pump), on the grid tick after each (so a closed loop's rate follows the answers, and the
 * next stretch is planned from the world after the event), at the last grid tick before the
 * world's next timed change (a model change, a ramp), and at the load's own horizon (hey's `-z`
 * end, `-n` spent). Where the world is not steady (saturation, cold starts, request-count
 * crashes, stateful apps) it ticks.
 */
export class Pacer {
  /** The end of the last interval sent. */
  lastMs: number;
  private timer: TimerId | undefined;
  private timerAt = Infinity;
  /** A tick passed since the last event: the world is as planned. */
  private settled = false;
  /** Started and not stopped. */
  private active = false;

  constructor(
    private readonly target: VirtualTarget,
    private readonly startMs: number,
    private readonly tickMs: number,
    private readonly endMs: number | undefined,
    private readonly load: Paced,
  ) {
    this.lastMs = startMs;
  }

  /** Sends intervals between events (else: every tick). */
  get steady(): boolean {
    return this.target.steadyUntil !== undefined && this.target.pump !== undefined;
  }

  start(): void {
    this.active = true;
    if (this.steady) this.target.pump!.add(this);
    this.schedule();
  }

  /** The first grid tick after `ms`. */
  private nextTick(ms: number): number {
    return this.startMs + (Math.floor((ms - this.startMs) / this.tickMs) + 1) * this.tickMs;
  }

  /**
   * Arms the next send. `horizonMs`: when the load itself must next act (hey's `-n` spent, by the
   * current rate; infinity when never).
   */
  schedule(horizonMs = Infinity): void {
    const next = this.nextTick(this.lastMs);
    let at = next;
    if (this.steady && this.settled) {
      const until = this.target.steadyUntil!();
      // The last grid tick before the world changes, or the first at or after the horizon.
      const before = until === Infinity ? Infinity : this.nextTick(until - 1) - this.tickMs;
      const horizon =
        horizonMs === Infinity
          ? Infinity
          : this.startMs + Math.ceil((horizonMs - this.startMs) / this.tickMs) * this.tickMs;
      at = Math.max(next, Math.min(before, horizon));
    }
    if (this.endMs !== undefined) at = Math.min(at, this.endMs);
    this.arm(at);
  }

  /** Arms the timer at `at` (infinity: none; the next event's catch-up plans again). */
  private arm(at: number): void {
    if (this.timer !== undefined) {
      if (this.timerAt === at) return;
      this.target.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = this.target.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.settled = true;
      this.load.tick();
    }, at - this.target.now());
  }

  /** Sends what arrived since the last catch-up (nothing if no time passed). */
  sendToNow(): void {
    const now = this.target.now();
    if (now <= this.lastMs) return;
    const from = this.lastMs;
    this.lastMs = now;
    this.load.send(from, now);
  }

  /** See TrafficPump.catchUp. */
  catchUp(changes: boolean, firing?: TimerId): void {
    if (firing !== undefined && firing === this.timer) return;
    this.sendToNow();
    if (!changes || !this.active) return;
    this.settled = false;
    const next = this.nextTick(this.lastMs);
    if (this.timerAt > next) this.arm(this.endMs !== undefined ? Math.min(next, this.endMs) : next);
  }

  /** No more sends: the timer is cleared and the pump forgets the load. */
  stop(): void {
    this.active = false;
    if (this.timer !== undefined) this.target.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.steady) this.target.pump!.remove(this);
  }
}
