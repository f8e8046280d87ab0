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

interface TargetState {
  /** Series refs written at the last scrape, by a key of their labels. */
  seen: Map<string, number>;
  upRef: number;
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
        state = { seen: new Map(), upRef: this.storage.seriesRef({ __name__: 'up', ...src.target }) };
        this.states.set(id, state);
      }
      const families = await src.registry.getMetricsAsJSON();
      const seenNow = new Map<string, number>();
      for (const fam of families) {
        for (const s of fam.values as {
          labels: Record<string, string | number>;
          value: number;
          metricName?: string;
        }[]) {
          const name = s.metricName ?? fam.name;
          // Within one family prom-client builds label objects in a fixed key order (and a series'
          // name fixes its label names), so the name and the values in order identify the series.
          const key = `${name}\u0000${Object.values(s.labels).join('\u0001')}`;
          let ref = state.seen.get(key);
          if (ref === undefined) {
            const labels: Record<string, string> = { __name__: name };
            for (const k in s.labels) labels[k] = String(s.labels[k]);
            ref = this.storage.seriesRef(Object.assign(labels, src.target));
          }
          this.storage.append(ref, t, s.value);
          seenNow.set(key, ref);
        }
      }
      for (const [key, ref] of state.seen) if (!seenNow.has(key)) this.storage.appendStale(ref, t);
      state.seen = seenNow;
      this.storage.append(state.upRef, t, 1);
    }
    for (const [id, state] of this.states) {
      if (live.has(id)) continue;
      for (const ref of state.seen.values()) this.storage.appendStale(ref, t);
      this.storage.appendStale(state.upRef, t);
      this.states.delete(id);
    }
    this.scrapes++;
  }
}
