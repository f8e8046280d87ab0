import type { Clock } from '../clock/index.js';
import type { MetricFamily, MetricSet, SeriesLabels } from '../metrics/index.js';

/** The part of the storage a scraper writes through. */
export interface Appender {
  seriesRef(labels: Record<string, string>): number;
  append(ref: number, t: number, v: number): boolean;
  appendStale(ref: number, t: number): boolean;
}

/** Something Prometheus scrapes: the target's counters and the target labels service discovery gives it. */
export interface ScrapeSource {
  metrics: MetricSet;
  target: { job: string; instance: string } & Record<string, string>;
}

interface TargetState {
  /** The counters scraped last time (a restarted process brings a new set). */
  metrics: MetricSet;
  /**
   * Series refs by family, then by series (in the family's order), then by sample: a counter's
   * one, a histogram's buckets, `_sum` and `_count`. Families never drop series, so a scrape of
   * the same set appends by position.
   */
  refs: number[][][];
  upRef: number;
}

/**
 * Prometheus's scrape loop on the simulated clock: every `intervalMs` it reads each current
 * target's counters (straight from its MetricSet, by series ref: no exposition text or sample
 * objects in between), adds the target labels and the synthetic `up` series, and appends the
 * samples stamped with the scrape time. Series that vanish — a target gone (pod deleted) or a
 * series no longer exported (a restarted process that has not seen it yet) — get a stale marker,
 * as Prometheus writes them, so queries stop seeing them at once instead of after the 5-minute
 * lookback.
 */
export class Scraper {
  private readonly states = new Map<string, TargetState>();
  private timer: number | undefined;
  /** Scrapes done (for reports). */
  scrapes = 0;

  constructor(
    private readonly clock: Clock,
    private readonly storage: Appender,
    private readonly targets: () => readonly ScrapeSource[],
    readonly intervalMs: number,
  ) {}

  /** Starts scraping `offsetMs` from now, then every interval. */
  start(offsetMs = 0): void {
    this.timer = this.clock.setTimeout(() => this.tick(), offsetMs);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.timer = this.clock.setTimeout(() => this.tick(), this.intervalMs);
    this.scrapeAll();
  }

  /** One scrape of every target, now. */
  scrapeAll(): void {
    const t = this.clock.now();
    const current = this.targets();
    const live = new Set<string>();
    for (const src of current) {
      const id = `${src.target.job}|${src.target.instance}`;
      live.add(id);
      let state = this.states.get(id);
      if (!state) {
        state = {
          metrics: src.metrics,
          refs: [],
          upRef: this.storage.seriesRef({ __name__: 'up', ...src.target }),
        };
        this.states.set(id, state);
      }
      const before = state.metrics === src.metrics ? undefined : state.refs;
      if (before) {
        state.metrics = src.metrics;
        state.refs = [];
      }
      src.metrics.collect();
      const fams = src.metrics.families;
      for (let f = 0; f < fams.length; f++) {
        const fam = fams[f]!;
        const famRefs = (state.refs[f] ??= []);
        const series = fam.series;
        for (let i = 0; i < series.length; i++) {
          const refs = (famRefs[i] ??= this.seriesRefs(fam, series[i]!.labels, src.target));
          this.appendSeries(fam, i, refs, t);
        }
      }
      if (before) {
        const now = new Set(state.refs.flat(2));
        for (const ref of before.flat(2)) if (!now.has(ref)) this.storage.appendStale(ref, t);
      }
      this.storage.append(state.upRef, t, 1);
    }
    for (const [id, state] of this.states) {
      if (live.has(id)) continue;
      for (const ref of state.refs.flat(2)) this.storage.appendStale(ref, t);
      this.storage.appendStale(state.upRef, t);
      this.states.delete(id);
    }
    this.scrapes++;
  }

  /** The refs of one series' samples, in `appendSeries`'s order. */
  private seriesRefs(fam: MetricFamily, labels: SeriesLabels, target: ScrapeSource['target']): number[] {
    const ref = (name: string, le?: string) => {
      const l: Record<string, string> = { __name__: name };
      if (le !== undefined) l['le'] = le;
      return this.storage.seriesRef(Object.assign(l, labels, target));
    };
    if (fam.type === 'counter') return [ref(fam.name)];
    const out = fam.le.map((le) => ref(`${fam.name}_bucket`, le));
    out.push(ref(`${fam.name}_sum`), ref(`${fam.name}_count`));
    return out;
  }

  /** Appends series `i` of `fam` at `t`: a counter's value, or a histogram's cumulative buckets, sum and count. */
  private appendSeries(fam: MetricFamily, i: number, refs: readonly number[], t: number): void {
    if (fam.type === 'counter') {
      this.storage.append(refs[0]!, t, fam.series[i]!.value);
      return;
    }
    const s = fam.series[i]!;
    const n = fam.bounds.length;
    let acc = 0;
    for (let b = 0; b < n; b++) {
      acc += s.counts[b]!;
      this.storage.append(refs[b]!, t, acc);
    }
    this.storage.append(refs[n]!, t, s.count);
    this.storage.append(refs[n + 1]!, t, s.sum);
    this.storage.append(refs[n + 2]!, t, s.count);
  }
}
