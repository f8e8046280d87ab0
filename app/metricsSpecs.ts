import type { AppMetricsSpec } from './types.js';

/** client_golang's `prometheus.DefBuckets`, seconds. */
export const PROMETHEUS_DEFAULT_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * podinfo's own metrics (pkg/api/http/metrics.go, v6.14.1): `http_requests_total{status}` and the
 * histogram `http_request_duration_seconds{method,path,status}` with the default buckets, where
 * `path` is the route's name (`root`, `healthz`, `delay`, …). Scraped as Prometheus's example
 * `kubernetes-pods` job does.
 */
export const PODINFO_METRICS: AppMetricsSpec = {
  job: 'kubernetes-pods',
  requests: {
    name: 'http_requests_total',
    help: 'The total number of HTTP requests.',
    labels: { status: 'status' },
  },
  duration: {
    name: 'http_request_duration_seconds',
    help: 'Seconds spent serving HTTP requests.',
    unit: 'seconds',
    buckets: PROMETHEUS_DEFAULT_BUCKETS,
    labels: { method: 'method', path: 'path', status: 'status' },
  },
};
