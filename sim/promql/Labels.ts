import { goQuote } from './goFormat.js';
import type { LabelSet } from './Queryable.js';

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Labels dropped when a pending name drop is applied (Prometheus's metadata labels). */
const METADATA_LABELS = new Set(['__name__', '__type__', '__unit__']);

/**
 * An immutable label set inside the engine: names sorted in byte order, no empty values. `key`
 * is equal for equal sets and sorts like Prometheus's `labels.Compare`; it is computed once and
 * reused for hashing series across steps.
 */
export class Labels {
  private keyCache: string | undefined;
  private recordCache: LabelSet | undefined;

  private constructor(
    readonly names: readonly string[],
    readonly values: readonly string[],
  ) {}

  /** The empty label set `{}`. */
  static readonly EMPTY = new Labels([], []);

  /** From sorted parallel arrays (no empty values). */
  static fromSorted(names: readonly string[], values: readonly string[]): Labels {
    return names.length === 0 ? Labels.EMPTY : new Labels(names, values);
  }

  /** From a record; names are sorted and empty values dropped. Storage records are cached. */
  static fromRecord(rec: LabelSet): Labels {
    const cached = RECORD_CACHE.get(rec);
    if (cached) return cached;
    const names = Object.keys(rec)
      .filter((n) => rec[n] !== '')
      .sort(compareStrings);
    const l = Labels.fromSorted(
      names,
      names.map((n) => rec[n]!),
    );
    if (Object.isFrozen(rec)) RECORD_CACHE.set(rec, l);
    return l;
  }

  get size(): number {
    return this.names.length;
  }

  /** The value of `name`, "" when absent (Prometheus's `Get`). */
  get(name: string): string {
    const i = this.indexOf(name);
    return i < 0 ? '' : this.values[i]!;
  }

  has(name: string): boolean {
    return this.indexOf(name) >= 0;
  }

  private indexOf(name: string): number {
    const names = this.names;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
    return -1;
  }

  /** Identity and sort key: `name\0value\0…` (NUL keeps `{a}` before `{ab}`). */
  get key(): string {
    if (this.keyCache === undefined) {
      let k = '';
      for (let i = 0; i < this.names.length; i++) k += `${this.names[i]}\u0000${this.values[i]}\u0000`;
      this.keyCache = k;
    }
    return this.keyCache;
  }

  /** A frozen `{name: value}` record, names in order. */
  toRecord(): LabelSet {
    if (!this.recordCache) {
      const rec: Record<string, string> = {};
      for (let i = 0; i < this.names.length; i++) rec[this.names[i]!] = this.values[i]!;
      this.recordCache = Object.freeze(rec);
    }
    return this.recordCache;
  }

  /** Go `labels.String()`: `{__name__="up", job="api"}`. */
  toString(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i]!;
      parts.push(`${LEGACY_LABEL_NAME.test(n) ? n : goQuote(n)}=${goQuote(this.values[i]!)}`);
    }
    return `{${parts.join(', ')}}`;
  }

  /** Only the labels whose names are in `keep`. */
  keep(keep: ReadonlySet<string>): Labels {
    return this.filter((n) => keep.has(n));
  }

  /** All labels except those in `drop`. */
  without(drop: ReadonlySet<string>): Labels {
    return this.filter((n) => !drop.has(n));
  }

  /** Without `__name__`, `__type__`, `__unit__` (applying a name drop). */
  dropMetricName(): Labels {
    return this.filter((n) => !METADATA_LABELS.has(n));
  }

  /** With `name` set to `value` (deleted when value is ""). */
  set(name: string, value: string): Labels {
    const names: string[] = [];
    const values: string[] = [];
    let done = false;
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i]!;
      if (!done && n >= name) {
        if (value !== '') {
          names.push(name);
          values.push(value);
        }
        done = true;
        if (n === name) continue;
      }
      names.push(n);
      values.push(this.values[i]!);
    }
    if (!done && value !== '') {
      names.push(name);
      values.push(value);
    }
    return Labels.fromSorted(names, values);
  }

  private filter(pred: (name: string) => boolean): Labels {
    let all = true;
    for (const n of this.names) {
      if (!pred(n)) {
        all = false;
        break;
      }
    }
    if (all) return this;
    const names: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      if (pred(this.names[i]!)) {
        names.push(this.names[i]!);
        values.push(this.values[i]!);
      }
    }
    return Labels.fromSorted(names, values);
  }

  /** Prometheus's `labels.Compare`: label by label, name then value; a prefix sorts first. */
  static compare(a: Labels, b: Labels): number {
    const n = Math.min(a.names.length, b.names.length);
    for (let i = 0; i < n; i++) {
      const c = compareStrings(a.names[i]!, b.names[i]!) || compareStrings(a.values[i]!, b.values[i]!);
      if (c !== 0) return c;
    }
    return a.names.length - b.names.length;
  }
}

const RECORD_CACHE = new WeakMap<LabelSet, Labels>();

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
