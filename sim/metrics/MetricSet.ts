/** A series' label values by name, as the instrumented code gives them (target labels come at scrape). */
export type SeriesLabels = Readonly<Record<string, string>>;

/** One counter series: its labels (the first object given for it) and its value. */
export interface CounterSeries {
  readonly labels: SeriesLabels;
  value: number;
}

/** One histogram series: observations per bucket (one per bound, then the +Inf overflow, not cumulative), sum and count. */
export interface HistogramSeries {
  readonly labels: SeriesLabels;
  readonly counts: number[];
  sum: number;
  count: number;
}

interface FamilyConfig {
  name: string;
  help: string;
  labelNames: readonly string[];
}

/**
 * The series of one family by caller key (any value: the labels object the caller keeps for a
 * series, or a string) and, for keys seen the first time, by label values — two keys with the same
 * values (two pods behind one gateway series) share a series, as a prom-client metric hashes them.
 */
class SeriesIndex<S extends { labels: SeriesLabels }> {
  readonly list: S[] = [];
  private readonly byKey = new Map<unknown, S>();
  private readonly byValues = new Map<string, S>();

  constructor(
    private readonly family: string,
    private readonly labelNames: readonly string[],
    private readonly make: (labels: SeriesLabels) => S,
  ) {}

  get(key: unknown, labels: SeriesLabels): S {
    const hit = this.byKey.get(key);
    if (hit !== undefined) return hit;
    let values = '';
    for (const n of this.labelNames) {
      const v = labels[n];
      if (typeof v !== 'string') throw new Error(`${this.family}: label ${n} missing`);
      values += `${v}\u0000`;
    }
    for (const n in labels)
      if (!this.labelNames.includes(n)) throw new Error(`${this.family}: label ${n} not declared`);
    let s = this.byValues.get(values);
    if (s === undefined) {
      s = this.make(labels);
      this.byValues.set(values, s);
      this.list.push(s);
    }
    this.byKey.set(key, s);
    return s;
  }
}

/** A Prometheus counter's series in plain numbers. Series are never removed: a new process gets a new set. */
export class CounterFamily {
  readonly type = 'counter';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  private readonly index: SeriesIndex<CounterSeries>;

  constructor(cfg: FamilyConfig) {
    this.name = cfg.name;
    this.help = cfg.help;
    this.labelNames = cfg.labelNames;
    this.index = new SeriesIndex(cfg.name, cfg.labelNames, (labels) => ({ labels, value: 0 }));
    // An unlabelled counter exists from the start at 0, as prom-client's does.
    if (cfg.labelNames.length === 0) this.index.get(undefined, {});
  }

  /** Series in the order they first appeared (the order prom-client lists them). */
  get series(): readonly CounterSeries[] {
    return this.index.list;
  }

  /** Adds `n` (≥ 0) to the series `key` stands for (`labels` are read the first time a key is seen). */
  inc(key: unknown, labels: SeriesLabels, n: number): void {
    if (!(n >= 0)) throw new Error(`${this.name}: counters only go up (inc by ${n})`);
    this.index.get(key, labels).value += n;
  }
}

/** A Prometheus histogram's series in plain numbers: bucket counts added in bulk (a batch of requests at once). */
export class HistogramFamily {
  readonly type = 'histogram';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Upper bounds, increasing, without +Inf. */
  readonly bounds: readonly number[];
  /** The `le` label of each bucket sample: the bound as JavaScript prints it (as prom-client does), then `+Inf`. */
  readonly le: readonly string[];
  private readonly index: SeriesIndex<HistogramSeries>;

  constructor(cfg: FamilyConfig & { buckets: readonly number[] }) {
    if (cfg.labelNames.includes('le')) throw new Error(`${cfg.name}: le is a reserved label name`);
    this.name = cfg.name;
    this.help = cfg.help;
    this.labelNames = cfg.labelNames;
    this.bounds = [...cfg.buckets];
    this.le = [...this.bounds.map(String), '+Inf'];
    const slots = this.bounds.length + 1;
    this.index = new SeriesIndex(cfg.name, cfg.labelNames, (labels) => ({
      labels,
      counts: new Array<number>(slots).fill(0),
      sum: 0,
      count: 0,
    }));
    // An unlabelled histogram exists from the start, empty, as prom-client's does.
    if (cfg.labelNames.length === 0) this.index.get(undefined, {});
  }

  get series(): readonly HistogramSeries[] {
    return this.index.list;
  }

  /** Adds `counts[i]` observations to bucket i (one count per bound, then +Inf) and `sum` to the series' sum. */
  observeBuckets(key: unknown, labels: SeriesLabels, counts: readonly number[], sum: number): void {
    const s = this.index.get(key, labels);
    const c = s.counts;
    let total = 0;
    for (let i = 0; i < c.length; i++) {
      const n = counts[i] ?? 0;
      c[i]! += n;
      total += n;
    }
    s.sum += sum;
    s.count += total;
  }
}

export type MetricFamily = CounterFamily | HistogramFamily;

/** One sample as an exposition lists it. */
export interface ExposedSample {
  family: MetricFamily;
  /** The sample's metric name: the family's, or with `_bucket`, `_sum`, `_count`. */
  name: string;
  labels: SeriesLabels;
  /** A bucket's upper bound label. */
  le?: string;
  value: number;
}

/**
 * What one scrape target exports — an Envoy's Istio metrics or an app's own — as plain counters,
 * the one source of truth: the embedded Prometheus's scraper appends them to the TSDB by series
 * ref, the federating `/metrics` prints them, and live mode's app `/metrics` hands them to
 * prom-client for its exposition (cli/live/promRegistry.ts). Samples of a family come in
 * prom-client's order: series as they first appeared; a histogram's cumulative buckets by `le`,
 * then `_sum` and `_count`.
 */
export class MetricSet {
  readonly families: MetricFamily[] = [];

  /** `beforeRead` brings the counts up to date (draws the latencies of batched requests). */
  constructor(private readonly beforeRead?: () => void) {}

  counter(cfg: FamilyConfig): CounterFamily {
    return this.add(new CounterFamily(cfg));
  }

  histogram(cfg: FamilyConfig & { buckets: readonly number[] }): HistogramFamily {
    return this.add(new HistogramFamily(cfg));
  }

  /**
   * Every series back to zero, labels kept: the exporting process restarted (an Envoy killed and
   * started again in the same pod), so Prometheus sees each counter drop — a counter reset.
   */
  reset(): void {
    this.collect();
    for (const f of this.families) {
      if (f.type === 'counter') for (const s of f.series) (s as CounterSeries).value = 0;
      else
        for (const s of f.series) {
          (s as HistogramSeries).counts.fill(0);
          (s as HistogramSeries).sum = 0;
          (s as HistogramSeries).count = 0;
        }
    }
  }

  /** Call before reading values: what prom-client's `collect` hook was. */
  collect(): void {
    this.beforeRead?.();
  }

  /**
   * Every sample now (after `collect`), in exposition order: its family, `name` with its suffix,
   * the series' labels and, for buckets, `le` — of every family or of `only`. For the exposition
   * paths; the scraper walks the families itself.
   */
  samples(only?: MetricFamily): ExposedSample[] {
    this.collect();
    const out: ExposedSample[] = [];
    for (const family of only ? [only] : this.families) {
      if (family.type === 'counter') {
        for (const s of family.series)
          out.push({ family, name: family.name, labels: s.labels, value: s.value });
        continue;
      }
      const bucket = `${family.name}_bucket`;
      for (const s of family.series) {
        let acc = 0;
        for (let i = 0; i < family.bounds.length; i++) {
          acc += s.counts[i]!;
          out.push({ family, name: bucket, labels: s.labels, le: family.le[i], value: acc });
        }
        out.push({ family, name: bucket, labels: s.labels, le: '+Inf', value: s.count });
        out.push({ family, name: `${family.name}_sum`, labels: s.labels, value: s.sum });
        out.push({ family, name: `${family.name}_count`, labels: s.labels, value: s.count });
      }
    }
    return out;
  }

  private add<F extends MetricFamily>(f: F): F {
    if (this.families.some((g) => g.name === f.name))
      throw new Error(`A metric with the name ${f.name} has already been registered.`);
    this.families.push(f);
    return f;
  }
}
