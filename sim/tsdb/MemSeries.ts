import type { LabelSet } from './LabelSet.js';
import { isStaleAt, writeStaleAt } from './staleMarker.js';

const INITIAL_CAPACITY = 16;

/**
 * One series' samples in two parallel typed arrays (timestamp ms, value), 16 bytes a sample.
 * Live samples occupy `[head, tail)`; retention advances `head`, appends advance `tail`, and the
 * arrays double when full (or slide down first when most of the front is dead).
 */
export class MemSeries {
  ts: Float64Array;
  vs: Float64Array;
  head = 0;
  tail = 0;
  /** Stale markers among the live samples; lets readers skip the staleness scan when 0. */
  staleCount = 0;
  /** Newest timestamp ever appended, even if truncated since: older samples are refused. */
  maxT = -Infinity;

  constructor(
    readonly labels: LabelSet,
    readonly key: string,
  ) {
    this.ts = new Float64Array(INITIAL_CAPACITY);
    this.vs = new Float64Array(INITIAL_CAPACITY);
  }

  get size(): number {
    return this.tail - this.head;
  }

  get capacity(): number {
    return this.ts.length;
  }

  /** Appends a sample; `t` must be newer than every earlier one (else it is ignored: false). */
  append(t: number, v: number): boolean {
    if (!(t > this.maxT)) return false;
    this.ensureRoom();
    this.ts[this.tail] = t;
    this.vs[this.tail] = v;
    this.tail++;
    this.maxT = t;
    return true;
  }

  /** Appends a stale marker at `t` (same ordering rule as `append`). */
  appendStale(t: number): boolean {
    if (!(t > this.maxT)) return false;
    this.ensureRoom();
    this.ts[this.tail] = t;
    writeStaleAt(this.vs, this.tail);
    this.tail++;
    this.staleCount++;
    this.maxT = t;
    return true;
  }

  /** Index of the first live sample with timestamp ≥ t (tail when none). */
  lowerBound(t: number): number {
    let lo = this.head;
    let hi = this.tail;
    const ts = this.ts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first live sample with timestamp > t (tail when none). */
  upperBound(t: number): number {
    let lo = this.head;
    let hi = this.tail;
    const ts = this.ts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops samples older than `t`; returns how many went. */
  truncateBefore(t: number): number {
    const newHead = this.lowerBound(t);
    const dropped = newHead - this.head;
    if (dropped === 0) return 0;
    if (this.staleCount > 0) {
      for (let i = this.head; i < newHead; i++) if (isStaleAt(this.vs, i)) this.staleCount--;
    }
    this.head = newHead;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    }
    return dropped;
  }

  private ensureRoom(): void {
    if (this.tail < this.ts.length) return;
    const live = this.tail - this.head;
    // Sliding is enough when at least half the array is dead front; otherwise double.
    const capacity = this.head >= this.ts.length / 2 ? this.ts.length : this.ts.length * 2;
    if (capacity === this.ts.length) {
      this.ts.copyWithin(0, this.head, this.tail);
      this.vs.copyWithin(0, this.head, this.tail);
    } else {
      const ts = new Float64Array(capacity);
      const vs = new Float64Array(capacity);
      ts.set(this.ts.subarray(this.head, this.tail));
      // Copying the bytes (not the numbers) keeps stale-marker NaN payloads intact.
      new Uint8Array(vs.buffer).set(new Uint8Array(this.vs.buffer, this.head * 8, live * 8));
      this.ts = ts;
      this.vs = vs;
    }
    this.head = 0;
    this.tail = live;
  }
}
