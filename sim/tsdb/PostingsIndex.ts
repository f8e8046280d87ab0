import type { LabelSet } from './LabelSet.js';

/**
 * Inverted index: label name → label value → series refs (ascending, because refs are handed out
 * in increasing order). `=` matchers read one list; other matchers walk the values of one name.
 */
export class PostingsIndex {
  private readonly byName = new Map<string, Map<string, number[]>>();

  /** Registers a new series; refs must arrive in increasing order. */
  add(ref: number, labels: LabelSet): void {
    for (const name in labels) {
      let values = this.byName.get(name);
      if (!values) {
        values = new Map();
        this.byName.set(name, values);
      }
      const value = labels[name]!;
      let refs = values.get(value);
      if (!refs) {
        refs = [];
        values.set(value, refs);
      }
      refs.push(ref);
    }
  }

  /** Refs of series with `name="value"` (empty when none). */
  postings(name: string, value: string): readonly number[] {
    return this.byName.get(name)?.get(value) ?? EMPTY;
  }

  /** Every value of `name` with its refs. */
  valuesOf(name: string): ReadonlyMap<string, readonly number[]> {
    return this.byName.get(name) ?? EMPTY_MAP;
  }
}

const EMPTY: readonly number[] = Object.freeze([]);
const EMPTY_MAP: ReadonlyMap<string, readonly number[]> = new Map();

/** Intersection of two ascending ref lists. */
export function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/** Union of several ascending ref lists, ascending and without duplicates. */
export function unionSorted(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0]!.slice();
  const out: number[] = [];
  for (const l of lists) for (const r of l) out.push(r);
  out.sort((x, y) => x - y);
  let w = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[w++] = out[i]!;
  out.length = w;
  return out;
}
