import type { Registry } from 'prom-client';
import type { Clock } from '../clock/index.js';

/** The part of the storage a scraper writes through. */
export interface Appender {
  seriesRef(labels: Record<string, string>): number;
  append(ref: number, t: number, v: number): boolean;
  appendStale(ref: number, t: number): boolean;
}

/** Something Prometheus scrapes: a registry and the target labels service discovery gives it. */
export interface ScrapeSource {
  registry: Registry;
  target: { job: string; instance: string } & Record<string, string>;
}

/** A series as one scrape saw it: its position in prom-client's output identifies it next time. */
interface SeenSeries {
  name: string;
  /** The labels object prom-client handed out (it keeps one per series): the same object, the same labels. */
  labels: Record<string, string | number>;
  keys: string[];
  values: (string | number)[];
  ref: number;
}

interface TargetState {
  /** Series of the last scrape, in prom-client's output order. */
  last: SeenSeries[];
  /** Every series of this target by a key of its name and labels (for output that moved). */
  byKey: Map<string, number>;
  upRef: number;
}

type PromSample = { labels: Record<string, string | number>; value: number; metricName?: string };

/** Whether `labels` has exactly the names and values `prev` had, in the same order. */
function sameSeries(prev: SeenSeries, name: string, labels: Record<string, string | number>): boolean {
  if (prev.name !== name) return false;
  let j = 0;
  for (const k in labels) {
    if (prev.keys[j] !== k || prev.values[j] !== labels[k]) return false;
    j++;
  }
  return j === prev.keys.length;
}

/**
 * Prometheus's scrape loop on the simulated clock: every `intervalMs` it collects each current
 * target's prom-client registry (copying values at once — prom-client hands out live objects), adds
 * the target labels and the synthetic `up` series, and appends the samples stamped with the scrape
 * time. Series that vanish — a target gone (pod deleted) or a series no longer exported — get a
 * stale marker, as Prometheus writes them, so queries stop seeing them at once instead of after the
 * 5-minute lookback.
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

  private async tick(): Promise<void> {
    this.timer = this.clock.setTimeout(() => this.tick(), this.intervalMs);
    await this.scrapeAll();
  }

  /** One scrape of every target, now. */
  async scrapeAll(): Promise<void> {
    const t = this.clock.now();
    const current = this.targets();
    const live = new Set<string>();
    for (const src of current) {
      const id = `${src.target.job}|${src.target.instance}`;
      live.add(id);
      let state = this.states.get(id);
      if (!state) {
        state = {
          last: [],
          byKey: new Map(),
          upRef: this.storage.seriesRef({ __name__: 'up', ...src.target }),
        };
        this.states.set(id, state);
      }
      const families = await src.registry.getMetricsAsJSON();
      const seen: SeenSeries[] = [];
      for (const fam of families) {
        for (const s of fam.values as PromSample[]) {
          const name = s.metricName ?? fam.name;
          // prom-client lists series in a stable order and keeps one labels object per series
          // (never changed: its hash depends on it), so the series at the same position with the
          // same labels object — or, failing that, the same label values — is the same series;
          // otherwise look it up by its full key.
          const prev = state.last[seen.length];
          let entry: SeenSeries;
          if (prev !== undefined && prev.labels === s.labels && prev.name === name) {
            entry = prev;
          } else if (prev !== undefined && sameSeries(prev, name, s.labels)) {
            entry = { ...prev, labels: s.labels };
          } else {
            const keys = Object.keys(s.labels);
            const values = keys.map((k) => s.labels[k]!);
            const key = `${name}\u0000${keys.join('\u0001')}\u0000${values.join('\u0001')}`;
            let ref = state.byKey.get(key);
            if (ref === undefined) {
              const labels: Record<string, string> = { __name__: name };
              for (const k of keys) labels[k] = String(s.labels[k]);
              ref = this.storage.seriesRef(Object.assign(labels, src.target));
              state.byKey.set(key, ref);
            }
            entry = { name, labels: s.labels, keys, values, ref };
          }
          this.storage.append(entry.ref, t, s.value);
          seen.push(entry);
        }
      }
      if (state.last.length > 0) {
        const now = new Set(seen.map((e) => e.ref));
        for (const e of state.last) if (!now.has(e.ref)) this.storage.appendStale(e.ref, t);
      }
      state.last = seen;
      this.storage.append(state.upRef, t, 1);
    }
    for (const [id, state] of this.states) {
      if (live.has(id)) continue;
      for (const e of state.last) this.storage.appendStale(e.ref, t);
      this.storage.appendStale(state.upRef, t);
      this.states.delete(id);
    }
    this.scrapes++;
  }
}
