import type { AppMetricLabel, AppMetricsSpec } from '../../app/index.js';
import { MetricSet, type CounterFamily, type HistogramFamily } from '../metrics/index.js';
import type { LatencyDraw } from '../mesh/latencySample.js';

/** What one group of requests tells the app's own metrics. */
export interface AppObservation {
  count: number;
  status: number;
  method: string;
  route: string;
}

/** The app's latency for a group, drawn into the histogram's bounds (ms). */
export type DrawIn = (boundsMs: readonly number[]) => LatencyDraw;

const valueOf = (o: AppObservation, what: AppMetricLabel): string =>
  what === 'status' ? String(o.status) : what === 'method' ? o.method : o.route;

/**
 * One process's own Prometheus metrics (podinfo's `http_requests_total{status}` and
 * `http_request_duration_seconds{method,path,status}`, or names the user picks), in plain
 * counters that the embedded Prometheus scrapes and live mode serves at `/metrics` (through
 * prom-client there). A new process starts from zero, as a restarted container does: Prometheus
 * sees a counter reset.
 */
export class AppMetrics {
  readonly metrics = new MetricSet();
  private readonly requests?: CounterFamily;
  private readonly duration?: HistogramFamily;
  private readonly boundsMs: readonly number[];
  private readonly toUnit: number;

  constructor(readonly spec: AppMetricsSpec) {
    const r = spec.requests;
    if (r)
      this.requests = this.metrics.counter({
        name: r.name,
        help: r.help,
        labelNames: Object.keys(r.labels),
      });
    const d = spec.duration;
    this.toUnit = d?.unit === 'seconds' ? 1 / 1000 : 1;
    this.boundsMs = d ? d.buckets.map((b) => (d.unit === 'seconds' ? b * 1000 : b)) : [];
    if (d)
      this.duration = this.metrics.histogram({
        name: d.name,
        help: d.help,
        labelNames: Object.keys(d.labels),
        buckets: d.buckets,
      });
  }

  /** Counts a group of requests; `draw` gives their latencies in the histogram's bounds. */
  observe(o: AppObservation, draw: DrawIn): void {
    if (o.count <= 0) return;
    const r = this.spec.requests;
    if (r && this.requests) {
      const labels: Record<string, string> = {};
      for (const [name, what] of Object.entries(r.labels)) labels[name] = valueOf(o, what);
      this.requests.inc(Object.values(labels).join('\u0000'), labels, o.count);
    }
    const d = this.spec.duration;
    if (d && this.duration) {
      const labels: Record<string, string> = {};
      for (const [name, what] of Object.entries(d.labels)) labels[name] = valueOf(o, what);
      const drawn = draw(this.boundsMs);
      this.duration.observeBuckets(
        Object.values(labels).join('\u0000'),
        labels,
        drawn.buckets,
        drawn.sumMs * this.toUnit,
      );
    }
  }

  /** Live mode: one request that took `ms`. */
  observeOne(o: Omit<AppObservation, 'count'>, ms: number): void {
    this.observe({ ...o, count: 1 }, (bounds) => {
      const buckets = new Array<number>(bounds.length + 1).fill(0);
      let b = 0;
      while (b < bounds.length && ms > bounds[b]!) b++;
      buckets[b] = 1;
      return { count: 1, buckets, sumMs: ms };
    });
  }
}
