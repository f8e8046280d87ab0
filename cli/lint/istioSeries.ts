import {
  ISTIO_LABEL_NAMES,
  ISTIO_REQUEST_DURATION,
  ISTIO_REQUESTS_TOTAL,
  SCRAPE_TARGET_LABELS,
} from '../../sim/mesh/index.js';

/** What lint knows about one metric name Istio's proxies export (spec/seed-demo.md §5.1). */
export interface IstioMetric {
  /** HTTP metrics carry the 25 labels of §5.2; TCP metrics a set lint does not judge. */
  http: boolean;
  /** A histogram's `_bucket` series (it has `le`). */
  bucket: boolean;
  /** canarysim's mesh records it (sim/mesh IstioStats); a rehearsal has no series of the others. */
  recorded: boolean;
}

const histogram = (base: string, recorded: boolean): [string, IstioMetric][] => [
  [`${base}_bucket`, { http: true, bucket: true, recorded }],
  [`${base}_sum`, { http: true, bucket: false, recorded }],
  [`${base}_count`, { http: true, bucket: false, recorded }],
];
const counter = (name: string, http: boolean, recorded = false): [string, IstioMetric] => [
  name,
  { http, bucket: false, recorded },
];

/**
 * Every metric name of Istio's standard metrics as Prometheus stores it: istio_requests_total,
 * the three HTTP histograms, the two gRPC message counters and the four TCP counters.
 */
export const ISTIO_METRICS: ReadonlyMap<string, IstioMetric> = new Map([
  counter(ISTIO_REQUESTS_TOTAL, true, true),
  ...histogram(ISTIO_REQUEST_DURATION, true),
  ...histogram('istio_request_bytes', false),
  ...histogram('istio_response_bytes', false),
  counter('istio_request_messages_total', true),
  counter('istio_response_messages_total', true),
  counter('istio_tcp_sent_bytes_total', false),
  counter('istio_tcp_received_bytes_total', false),
  counter('istio_tcp_connections_opened_total', false),
  counter('istio_tcp_connections_closed_total', false),
]);

/** Metric names in Istio's own namespaces: one of these that is not in ISTIO_METRICS is a mistake. */
export const ISTIO_METRIC_PREFIXES = ['istio_request', 'istio_response', 'istio_tcp_'] as const;

/**
 * Labels on an HTTP metric's series: Istio's 25, the target labels canarysim's scrape adds, and
 * `le` on buckets.
 */
export function istioLabels(m: IstioMetric): string[] {
  return [...ISTIO_LABEL_NAMES, ...SCRAPE_TARGET_LABELS, ...(m.bucket ? ['le'] : []), '__name__'];
}

/** Label-name prefixes Istio owns on its metrics: another label with one of them is a typo. */
export const ISTIO_LABEL_PREFIXES = [
  'source_',
  'destination_',
  'request_',
  'response_',
  'grpc_',
  'connection_',
] as const;

/** Every HTTP status as Istio writes `response_code` ("0": no response). */
const RESPONSE_CODES = ['0', ...Array.from({ length: 500 }, (_, i) => String(100 + i))];

/**
 * The only values Istio writes for some labels (spec/seed-demo.md §5.2, §5.3): a selector that
 * asks for another value matches no series. `response_code` is the status alone ("500", never
 * "5xx"); `reporter` is `waypoint` only in ambient mode.
 */
export const ISTIO_LABEL_VALUES: Readonly<Record<string, readonly string[]>> = {
  reporter: ['source', 'destination', 'waypoint'],
  response_code: RESPONSE_CODES,
  request_protocol: ['http', 'grpc'],
  connection_security_policy: ['mutual_tls', 'none', 'unknown'],
};
