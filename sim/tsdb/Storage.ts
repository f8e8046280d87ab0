import { labelSetKey, normalizeLabels, type LabelSet } from './LabelSet.js';
import { MemSeries } from './MemSeries.js';
import { intersectSorted, PostingsIndex, unionSorted } from './PostingsIndex.js';

/**
 * A label matcher as the query engine hands it over. `matches` (when given) is the engine's own
 * compiled test and is preferred; without it regexes are compiled here, fully anchored.
 */
export interface SelectMatcher {
  readonly name: string;
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  matches?(value: string): boolean;
}

/**
 * One selected series: its labels and a view of its samples. The arrays are the storage's own
 * buffers (read them, never write), valid until the next write to the storage; the samples with
 * timestamps in the requested `[mint, maxt]` are at indexes `[start, end)`. Stale markers are in
 * `vs` as the stale NaN; `mayHaveStale: false` promises there are none in the range.
 */
export interface SelectedSeries {
  readonly labels: LabelSet;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly start: number;
  readonly end: number;
  readonly mayHaveStale: boolean;
}

/** Storage options. */
export interface StorageOptions {
  /** Samples older than the newest append minus this are dropped as writes go on. */
  retentionMs?: number;
}

/**
 * The in-memory head block: series by label set, samples in typed arrays, an inverted index for
 * selection. Structurally it is the `Queryable` the PromQL engine reads (`select`).
 */
export class Storage {
  private readonly series: MemSeries[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly index = new PostingsIndex();
  private readonly retentionMs: number | undefined;
  /** Position of each ref in label order, rebuilt lazily after series are added. */
  private rank: Int32Array = new Int32Array(0);
  private rankedCount = 0;
  private readonly regexCache = new Map<string, RegExp>();

  constructor(opts: StorageOptions = {}) {
    if (opts.retentionMs !== undefined && !(opts.retentionMs > 0)) {
      throw new RangeError(`retentionMs must be > 0, got ${opts.retentionMs}`);
    }
    this.retentionMs = opts.retentionMs;
  }

  /** Returns a stable ref for the label set (labels with "" values are dropped, as Prometheus does at ingest). */
  seriesRef(labels: Record<string, string>): number {
    const normalized = normalizeLabels(labels);
    const key = labelSetKey(normalized);
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const ref = this.series.length;
    this.series.push(new MemSeries(normalized, key));
    this.byKey.set(key, ref);
    this.index.add(ref, normalized);
    return ref;
  }

  /** Appends a sample; t in ms; samples of one series must come in increasing t (equal or older t: ignored, return false). */
  append(ref: number, t: number, v: number): boolean {
    const s = this.get(ref);
    if (!s.append(t, v)) return false;
    this.applyRetention(s, t);
    return true;
  }

  /** Appends a stale marker: from `t` on the series is absent for instant selectors. */
  appendStale(ref: number, t: number): boolean {
    const s = this.get(ref);
    if (!s.appendStale(t)) return false;
    this.applyRetention(s, t);
    return true;
  }

  /** Labels of a ref. */
  labels(ref: number): LabelSet {
    return this.get(ref).labels;
  }

  /**
   * Number of series and live samples; `sampleBytes` is the bytes holding those samples (8 for
   * the timestamp, 8 for the value), `allocatedBytes` what the typed arrays reserve (growth slack).
   */
  stats(): { series: number; samples: number; sampleBytes: number; allocatedBytes: number } {
    let samples = 0;
    let sampleBytes = 0;
    let allocatedBytes = 0;
    for (const s of this.series) {
      samples += s.size;
      sampleBytes += s.size * (s.ts.BYTES_PER_ELEMENT + s.vs.BYTES_PER_ELEMENT);
      allocatedBytes += s.ts.byteLength + s.vs.byteLength;
    }
    return { series: this.series.length, samples, sampleBytes, allocatedBytes };
  }

  /** Drops samples older than t (retention). */
  truncateBefore(t: number): void {
    for (const s of this.series) s.truncateBefore(t);
  }

  /**
   * Series matching every matcher that have at least one sample (stale markers included) with
   * timestamp in `[mint, maxt]`, in label order. A matcher that matches "" also matches series
   * without that label, as in Prometheus.
   */
  select(matchers: readonly SelectMatcher[], mint: number, maxt: number): SelectedSeries[] {
    const tests = matchers.map((m) => this.compile(m));
    let candidates: number[] | undefined;
    const residual: { name: string; test: (v: string) => boolean }[] = [];
    for (let i = 0; i < matchers.length; i++) {
      const m = matchers[i]!;
      const test = tests[i]!;
      if (test('')) {
        residual.push({ name: m.name, test });
        continue;
      }
      // The matcher needs the label present: its postings bound the candidates.
      let refs: readonly number[];
      if (m.type === '=') refs = this.index.postings(m.name, m.value);
      else {
        const lists: (readonly number[])[] = [];
        for (const [value, r] of this.index.valuesOf(m.name)) if (test(value)) lists.push(r);
        refs = unionSorted(lists);
      }
      candidates = candidates === undefined ? refs.slice() : intersectSorted(candidates, refs);
      if (candidates.length === 0) return [];
    }
    if (candidates === undefined) candidates = this.series.map((_, ref) => ref);

    const out: { ref: number; sel: SelectedSeries }[] = [];
    for (const ref of candidates) {
      const s = this.series[ref]!;
      let ok = true;
      for (const r of residual) {
        if (!r.test(s.labels[r.name] ?? '')) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const start = s.lowerBound(mint);
      const end = s.upperBound(maxt);
      if (start >= end) continue;
      out.push({
        ref,
        sel: { labels: s.labels, ts: s.ts, vs: s.vs, start, end, mayHaveStale: s.staleCount > 0 },
      });
    }
    if (out.length > 1) {
      const rank = this.ranks();
      out.sort((a, b) => rank[a.ref]! - rank[b.ref]!);
    }
    return out.map((o) => o.sel);
  }

  private get(ref: number): MemSeries {
    const s = this.series[ref];
    if (!s) throw new RangeError(`unknown series ref ${ref}`);
    return s;
  }

  private applyRetention(s: MemSeries, t: number): void {
    const keep = this.retentionMs;
    if (keep === undefined) return;
    // Truncate in batches (a quarter of the retention at a time) so appends stay O(1) amortized.
    if (s.ts[s.head]! < t - keep - keep / 4) s.truncateBefore(t - keep);
  }

  private ranks(): Int32Array {
    if (this.rankedCount !== this.series.length) {
      const order = this.series.map((_, ref) => ref);
      order.sort((a, b) => {
        const ka = this.series[a]!.key;
        const kb = this.series[b]!.key;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
      this.rank = new Int32Array(order.length);
      order.forEach((ref, i) => (this.rank[ref] = i));
      this.rankedCount = this.series.length;
    }
    return this.rank;
  }

  private compile(m: SelectMatcher): (v: string) => boolean {
    if (m.matches) return (v) => m.matches!(v);
    switch (m.type) {
      case '=':
        return (v) => v === m.value;
      case '!=':
        return (v) => v !== m.value;
      case '=~':
      case '!~': {
        let re = this.regexCache.get(m.value);
        if (!re) {
          re = new RegExp(`^(?:${m.value})$`, 's');
          this.regexCache.set(m.value, re);
        }
        const r = re;
        return m.type === '=~' ? (v) => r.test(v) : (v) => !r.test(v);
      }
    }
  }
}
