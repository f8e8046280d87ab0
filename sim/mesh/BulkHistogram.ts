import {
  Histogram,
  type HistogramConfiguration,
  type MetricObjectWithValues,
  type MetricValueWithName,
} from 'prom-client';

interface HistogramEntry {
  labels: Record<string, string>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/**
 * A prom-client Histogram that can take many observations at once, given their bucket counts.
 * prom-client only observes one value per call; a simulated second of hey traffic is thousands of
 * requests, so we add whole bucket counts to the series prom-client keeps. The exposition is
 * prom-client's own, and a test checks it equals the same observations made one by one.
 */
export class BulkHistogram<T extends string> extends Histogram<T> {
  private readonly entries = new Map<unknown, HistogramEntry>();
  /** Per series, the label objects of its bucket samples, made once (prom-client copies them on every get). */
  private readonly bucketLabels = new WeakMap<HistogramEntry, Record<string, string | number>[]>();

  constructor(config: HistogramConfiguration<T>) {
    super(config);
  }

  /**
   * Adds `counts[i]` observations to bucket i (one count per bound, then the +Inf overflow) and
   * `sum` to the series' sum. `key` identifies the label set (a string or the labels object the
   * caller keeps for it).
   */
  observeBuckets(key: unknown, labels: Record<T, string>, counts: readonly number[], sum: number): void {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      // Another caller key may already have this label set (two pods behind one gateway series):
      // share its series — prom-client's zero() would replace it with an empty one.
      const map = (this as unknown as { hashMap: Record<string, HistogramEntry> }).hashMap;
      const same = (e: HistogramEntry) => {
        const a = e.labels;
        const b = labels as Record<string, string>;
        for (const k in b) if (a[k] !== b[k]) return false;
        for (const k in a) if (!(k in b)) return false;
        return true;
      };
      entry = Object.values(map).find(same);
      if (entry === undefined) {
        this.zero(labels);
        entry = Object.values(map).find((e) => e.labels === (labels as Record<string, string>));
      }
      if (entry === undefined)
        throw new Error('prom-client histogram internals changed: zero() did not store the series');
      this.entries.set(key, entry);
    }
    const bounds = this.upperBoundsList();
    let total = 0;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i]!;
      total += c;
      if (i < bounds.length) entry.bucketValues[bounds[i]!]! += c;
    }
    entry.sum += sum;
    entry.count += total;
  }

  /**
   * prom-client's `get()` output, built without re-copying every series' labels into each of its
   * bucket samples on every call (the scrape path): the same values, names and label sets,
   * label objects reused between calls.
   */
  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    const self = this as unknown as {
      collect?: () => unknown;
      hashMap: Record<string, HistogramEntry>;
      name: string;
      help: string;
      aggregator: string;
    };
    if (self.collect) {
      const v = self.collect();
      if (v instanceof Promise) await v;
    }
    const bounds = this.upperBoundsList();
    const bucketName = `${self.name}_bucket`;
    const values: MetricValueWithName<T>[] = [];
    for (const entry of Object.values(self.hashMap)) {
      let labels = this.bucketLabels.get(entry);
      if (labels === undefined) {
        labels = [...bounds, '+Inf'].map((le) => ({ le, ...entry.labels }));
        this.bucketLabels.set(entry, labels);
      }
      let acc = 0;
      for (let i = 0; i < bounds.length; i++) {
        acc += entry.bucketValues[bounds[i]!]!;
        values.push({
          value: acc,
          metricName: bucketName,
          exemplar: null,
          labels: labels[i],
        } as unknown as MetricValueWithName<T>);
      }
      values.push({
        value: entry.count,
        metricName: bucketName,
        exemplar: null,
        labels: labels[bounds.length],
      } as unknown as MetricValueWithName<T>);
      values.push({
        value: entry.sum,
        metricName: `${self.name}_sum`,
        exemplar: undefined,
        labels: entry.labels,
      } as unknown as MetricValueWithName<T>);
      values.push({
        value: entry.count,
        metricName: `${self.name}_count`,
        exemplar: undefined,
        labels: entry.labels,
      } as unknown as MetricValueWithName<T>);
    }
    return {
      name: self.name,
      help: self.help,
      type: 'histogram',
      values,
      aggregator: self.aggregator,
    } as unknown as MetricObjectWithValues<MetricValueWithName<T>>;
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor calls reset() before our fields exist.
    (this.entries as Map<string, HistogramEntry> | undefined)?.clear();
  }

  private upperBoundsList(): readonly number[] {
    return (this as unknown as { upperBounds: readonly number[] }).upperBounds;
  }
}
