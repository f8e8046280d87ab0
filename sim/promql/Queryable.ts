/*
 * What the engine needs from storage. The TSDB implements it structurally (tsdb never imports
 * promql); tests can hand in any other implementation.
 */

/** A series' labels, `__name__` included; empty values never occur. */
export type LabelSet = Readonly<Record<string, string>>;

/** A label matcher; `matches` is the compiled test (RE2 semantics, fully anchored). */
export interface Matcher {
  readonly name: string;
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  /** True when the value ("" for an absent label) satisfies the matcher. */
  matches(value: string): boolean;
}

/**
 * One selected series. `ts`/`vs` hold timestamps (ms, ascending) and values; the samples with
 * `mint ≤ t ≤ maxt` are at indexes `[start, end)` (other indexes may hold other samples and must
 * not be read). Stale markers are the NaN with bits 0x7ff0000000000002 in `vs`; `mayHaveStale:
 * false` promises there are none in range.
 */
export interface SeriesData {
  readonly labels: LabelSet;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly start: number;
  readonly end: number;
  readonly mayHaveStale?: boolean;
}

/** A source of series: everything matching all matchers with a sample in `[mint, maxt]`. */
export interface Queryable {
  select(matchers: readonly Matcher[], mint: number, maxt: number): Iterable<SeriesData>;
}
