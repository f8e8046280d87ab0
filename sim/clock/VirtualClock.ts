import type { Clock, TimerId } from './Clock.js';

interface Entry {
  at: number;
  seq: number;
  id: TimerId;
  fn: () => unknown;
}

/**
 * A discrete-event clock: timers wait in a queue ordered by (due time, arming order) and run
 * only when the owner advances time. A timer armed while another runs counts from the running
 * timer's due time, so chained delays never drift (unlike xstate's SimulatedClock, whose
 * `increment` re-arms from the end of the jump).
 *
 * A timer callback may return a promise (prom-client's collectors are async); the run loop awaits
 * it before the next timer, so nothing interleaves and the order stays deterministic.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private nextId = 1;
  private heap: Entry[] = [];
  private live = new Map<TimerId, Entry>();
  /**
   * Runs just before each timer, at its due time, with its id: what happens continuously between
   * events (load integrated over an interval) catches up to this instant before the event acts.
   * It may arm and clear timers; a timer it clears does not run.
   */
  beforeTimer: ((id: TimerId) => void) | undefined;

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => unknown, ms: number): TimerId {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    return this.schedule(this.current + delay, fn);
  }

  /** Arms a timer at an absolute simulated time (clamped to now). */
  schedule(atMs: number, fn: () => unknown): TimerId {
    const entry: Entry = { at: Math.max(atMs, this.current), seq: this.seq++, id: this.nextId++, fn };
    this.live.set(entry.id, entry);
    this.push(entry);
    return entry.id;
  }

  clearTimeout(id: TimerId): void {
    this.live.delete(id);
  }

  /** Due time of the next pending timer, or undefined when none is armed. */
  peek(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Runs every timer due at or before `targetMs`, in order, then sets the clock to `targetMs`. */
  async runUntil(targetMs: number): Promise<void> {
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (top === undefined || top.at > targetMs) break;
      this.pop();
      this.current = top.at;
      if (this.beforeTimer) {
        this.beforeTimer(top.id);
        if (!this.live.has(top.id)) continue;
      }
      this.live.delete(top.id);
      const out = top.fn();
      if (out !== undefined && typeof (out as Promise<unknown>).then === 'function') await out;
    }
    if (targetMs > this.current) this.current = targetMs;
  }

  /** Advances by `ms`, running everything that falls due. */
  advance(ms: number): Promise<void> {
    return this.runUntil(this.current + ms);
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && !this.live.has(this.heap[0]!.id)) this.pop();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
