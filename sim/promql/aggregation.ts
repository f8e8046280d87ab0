import type { AggregateOp } from './ast.js';
import { quantile } from './quantile.js';
import type { Sample } from './values.js';

/*
 * The per-step arithmetic of aggregation operators, ported from Prometheus's `aggregation` and
 * `aggregationK` (engine.go): compensated sums, the overflow-safe mean, Welford variance, and the
 * k-heaps of topk/bottomk with NaN treated as the smallest value.
 */

/** Running state of one output group at one step. */
export interface AggGroup {
  seen: boolean;
  value: number;
  mean: number;
  /** Kahan compensation. */
  c: number;
  count: number;
  incremental: boolean;
  values: number[];
  dropName: boolean;
}

/** Fresh groups. */
export function newGroups(n: number): AggGroup[] {
  const out: AggGroup[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      seen: false,
      value: 0,
      mean: 0,
      c: 0,
      count: 0,
      incremental: false,
      values: [],
      dropName: false,
    });
  }
  return out;
}

/**
 * Adds one sample to its group (the first sample of a step initialises the group). The sum and
 * mean inline `kahanInc`: this runs once per input sample, and a tuple per call costs ~7×.
 */
export function accumulate(op: AggregateOp, g: AggGroup, f: number, dropName: boolean): void {
  if (!g.seen) {
    g.seen = true;
    g.value = f;
    g.mean = f;
    g.c = 0;
    g.count = 1;
    g.incremental = false;
    g.dropName = dropName;
    switch (op) {
      case 'stddev':
      case 'stdvar':
        g.value = Number.isNaN(f) || f === Infinity || f === -Infinity ? NaN : 0;
        break;
      case 'quantile':
        g.values = [f];
        break;
      case 'group':
        g.value = 1;
        break;
    }
    return;
  }
  if (dropName) g.dropName = true;
  switch (op) {
    case 'sum': {
      const t = g.value + f;
      if (t === Infinity || t === -Infinity) g.c = 0;
      else g.c += Math.abs(g.value) >= Math.abs(f) ? g.value - t + f : f - t + g.value;
      g.value = t;
      break;
    }
    case 'avg': {
      g.count++;
      if (!g.incremental) {
        const t = g.value + f;
        if (t !== Infinity && t !== -Infinity) {
          g.c += Math.abs(g.value) >= Math.abs(f) ? g.value - t + f : f - t + g.value;
          g.value = t;
          break;
        }
        // The sum would overflow: continue with an incremental mean.
        g.incremental = true;
        g.mean = g.value / (g.count - 1);
        g.c /= g.count - 1;
      }
      const q = (g.count - 1) / g.count;
      const inc = f / g.count;
      const s = q * g.mean;
      let c = q * g.c;
      const t = s + inc;
      if (t === Infinity || t === -Infinity) c = 0;
      else c += Math.abs(s) >= Math.abs(inc) ? s - t + inc : inc - t + s;
      g.mean = t;
      g.c = c;
      break;
    }
    case 'max':
      if (g.value < f || Number.isNaN(g.value)) g.value = f;
      break;
    case 'min':
      if (g.value > f || Number.isNaN(g.value)) g.value = f;
      break;
    case 'count':
      g.count++;
      break;
    case 'group':
      break;
    case 'stddev':
    case 'stdvar': {
      g.count++;
      const delta = f - g.mean;
      g.mean += delta / g.count;
      g.value += delta * (f - g.mean);
      break;
    }
    case 'quantile':
      g.values.push(f);
      break;
    default:
      throw new Error(`unexpected aggregation ${op}`);
  }
}

/** The group's output value at this step. */
export function finalize(op: AggregateOp, g: AggGroup, q: number): number {
  switch (op) {
    case 'sum':
      return g.value + g.c;
    case 'avg':
      return g.incremental ? g.mean + g.c : g.value / g.count + g.c / g.count;
    case 'count':
      return g.count;
    case 'stdvar':
      return g.value / g.count;
    case 'stddev':
      return Math.sqrt(g.value / g.count);
    case 'quantile':
      return quantile(q, g.values);
    default:
      return g.value;
  }
}

/**
 * A k-bounded heap in the order of Go's container/heap with Prometheus's comparators: for topk the
 * smallest kept value (NaN smallest) sits on top and is replaced by anything bigger; bottomk the
 * mirror. `sorted()` gives topk descending / bottomk ascending, NaN last.
 */
export class KHeap {
  readonly items: Sample[] = [];

  constructor(
    private readonly k: number,
    private readonly top: boolean,
  ) {}

  private less(a: Sample, b: Sample): boolean {
    if (Number.isNaN(a.f)) return true;
    return this.top ? a.f < b.f : a.f > b.f;
  }

  offer(s: Sample): void {
    const h = this.items;
    if (h.length < this.k) {
      h.push(s);
      this.up(h.length - 1);
      return;
    }
    const head = h[0]!;
    const better = this.top ? head.f < s.f : head.f > s.f;
    if (better || (Number.isNaN(head.f) && !Number.isNaN(s.f))) {
      h[0] = s;
      if (this.k > 1) this.down(0);
    }
  }

  sorted(): Sample[] {
    const out = this.items.slice();
    out.sort((a, b) => {
      const an = Number.isNaN(a.f);
      const bn = Number.isNaN(b.f);
      if (an || bn) return an === bn ? 0 : an ? 1 : -1;
      return this.top ? b.f - a.f : a.f - b.f;
    });
    return out;
  }

  private up(j: number): void {
    const h = this.items;
    for (;;) {
      const i = (j - 1) >> 1;
      if (j <= 0 || !this.less(h[j]!, h[i]!)) break;
      [h[i], h[j]] = [h[j]!, h[i]!];
      j = i;
    }
  }

  private down(i0: number): void {
    const h = this.items;
    const n = h.length;
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.less(h[j2]!, h[j1]!)) j = j2;
      if (!this.less(h[j]!, h[i]!)) break;
      [h[i], h[j]] = [h[j]!, h[i]!];
      i = j;
    }
  }
}
