import { MetricSet, type CounterFamily, type HistogramFamily } from '../metrics/index.js';
import { ENVOY_DEFAULT_BUCKETS } from './envoyBuckets.js';
import type { Rng } from '../clock/index.js';
import { PendingLatencies, type Latencies } from './latencySample.js';

/** The 25 labels Istio's proxy puts on its standard HTTP metrics (spec/seed-demo.md §5.2). */
export const ISTIO_LABEL_NAMES = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;

export type IstioLabelName = (typeof ISTIO_LABEL_NAMES)[number];
export type IstioLabels = Record<IstioLabelName, string>;

/** Where Prometheus scrapes a proxy: the target labels it adds. */
export interface ScrapeTarget {
  job: string;
  instance: string;
  namespace: string;
  pod: string;
}

/** The labels a scrape of a proxy adds to every series (ScrapeTarget's fields). */
export const SCRAPE_TARGET_LABELS = [
  'job',
  'instance',
  'namespace',
  'pod',
] as const satisfies readonly (keyof ScrapeTarget)[];

/** The Istio metrics each proxy records: a counter, and a histogram (`_bucket`, `_sum`, `_count`). */
export const ISTIO_REQUESTS_TOTAL = 'istio_requests_total';
export const ISTIO_REQUEST_DURATION = 'istio_request_duration_milliseconds';

/**
 * One Envoy proxy's Istio metrics — the ingress gateway (reporter="source") or a pod's sidecar
 * (reporter="destination") — as Envoy serves them on :15090/stats/prometheus, in plain counters
 * (a MetricSet) that the scraper reads straight into the TSDB. Requests are counted in batches
 * and added to the counters when the set is read (its `collect`), so the hot path stays cheap:
 * latencies are drawn then, one draw per series and latency model since the last read
 * (PendingLatencies), from this proxy's own seeded stream.
 */
export class IstioStats {
  readonly metrics = new MetricSet(() => this.flush());
  private readonly requests: CounterFamily;
  private readonly duration: HistogramFamily;
  /** By label set (the cached labels object of each series). */
  private readonly pending = new Map<IstioLabels, PendingLatencies>();

  constructor(
    readonly target: ScrapeTarget,
    /** Draws the latencies of the requests recorded (when collected). */
    private readonly rng: Rng,
  ) {
    this.requests = this.metrics.counter({
      name: ISTIO_REQUESTS_TOTAL,
      help: 'Total requests.',
      labelNames: ISTIO_LABEL_NAMES,
    });
    this.duration = this.metrics.histogram({
      name: ISTIO_REQUEST_DURATION,
      help: 'Request duration in milliseconds.',
      labelNames: ISTIO_LABEL_NAMES,
      buckets: ENVOY_DEFAULT_BUCKETS,
    });
  }

  /** Counts requests with these labels (the same object for the same series) and their latencies. */
  record(labels: IstioLabels, latencies: Latencies): void {
    if (latencies.count === 0) return;
    let p = this.pending.get(labels);
    if (!p) this.pending.set(labels, (p = new PendingLatencies(ENVOY_DEFAULT_BUCKETS)));
    p.add(latencies);
  }

  /** Adds the batched requests to the counters, drawing their latencies (called before every read). */
  flush(): void {
    for (const [labels, p] of this.pending) {
      if (p.count === 0) continue;
      const d = p.drain(this.rng);
      this.requests.inc(labels, labels, d.count);
      this.duration.observeBuckets(labels, labels, d.buckets, d.sumMs);
    }
  }
}

export const DEFAULT_BUCKET_BOUNDS = ENVOY_DEFAULT_BUCKETS;
