import type { AnyWorld } from '../../sim/world.js';

/** At most this many points per series of a chart read from the TSDB (README, Limits): the step widens to fit. */
export const MAX_POINTS = 1_000;

/** Per ReplicaSet (`namespace/name`), over the run: request rate, 2xx–4xx rate, p99 latency. */
export interface TrafficByReplicaSet {
  t: number[];
  rate: Map<string, (number | null)[]>;
  ok: Map<string, (number | null)[]>;
  p99: Map<string, (number | null)[]>;
  queries: { rate: string; ok: string; p99: string; step: number };
}

/** A pod's ReplicaSet is its name less the pod's own suffix (`silly-demo-8b5546bf-6hwj6`). */
const BY_REPLICASET = (expr: string) => `label_replace(${expr}, "replicaset", "$1", "pod", "(.+)-[^-]+")`;

/**
 * What the embedded Prometheus recorded of each ReplicaSet's traffic, as range queries over the
 * whole run — the receiving sidecar's view (`reporter="destination"`), which names the pod that
 * answered. The window is four scrape intervals (Prometheus's advice for `rate`), the step one
 * scrape interval, widened so no series has more than MAX_POINTS points.
 */
export function trafficByReplicaSet(world: AnyWorld, startMs: number): TrafficByReplicaSet {
  const scrapeMs = world.options.scrapeIntervalMs;
  const endMs = world.now();
  const stepMs = scrapeMs * Math.max(1, Math.ceil((endMs - startMs) / scrapeMs / (MAX_POINTS - 1)));
  const window = `${(4 * scrapeMs) / 1000}s`;
  const sel = (extra: string) => `istio_requests_total{reporter="destination"${extra}}`;
  const queries = {
    rate: `sum by (namespace, replicaset) (${BY_REPLICASET(`rate(${sel('')}[${window}])`)})`,
    ok: `sum by (namespace, replicaset) (${BY_REPLICASET(`rate(${sel(',response_code!~"5.."')}[${window}])`)})`,
    p99: `histogram_quantile(0.99, sum by (namespace, replicaset, le) (${BY_REPLICASET(`rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[${window}])`)}))`,
    step: stepMs / 1000,
  };
  const t: number[] = [];
  for (let x = startMs; x <= endMs; x += stepMs) t.push((x - startMs) / 1000);
  const run = (expr: string): Map<string, (number | null)[]> => {
    const out = new Map<string, (number | null)[]>();
    const r = world.engine.rangeQuery(world.storage, expr, startMs, endMs, stepMs);
    if (r.resultType !== 'matrix') return out;
    for (const s of r.result) {
      const values: (number | null)[] = t.map(() => null);
      for (const p of s.values) {
        const i = Math.round((p.t - startMs) / stepMs);
        if (i >= 0 && i < values.length && Number.isFinite(p.v)) values[i] = p.v;
      }
      out.set(`${s.metric['namespace'] ?? ''}/${s.metric['replicaset'] ?? ''}`, values);
    }
    return out;
  };
  return { t, rate: run(queries.rate), ok: run(queries.ok), p99: run(queries.p99), queries };
}
