import type { Registry } from 'prom-client';
import type { MetricFamily, MetricSet } from '../../sim/metrics/index.js';

/** What prom-client's Registry reads of a metric (its `get()`); every metric class implements it. */
type RegisteredMetric = Parameters<Registry['registerMetric']>[0];

/**
 * A prom-client Registry that exposes `set` — the same counters the embedded Prometheus scrapes —
 * in prom-client's own text format, read at each collection. prom-client is loaded here, on first
 * use (a live app's `/metrics`), not when canarysim starts: it pulls in @opentelemetry/api.
 */
export async function promRegistry(set: MetricSet): Promise<Registry> {
  const { Registry } = await import('prom-client');
  const registry = new Registry();
  for (const family of set.families) registry.registerMetric(view(set, family));
  return registry;
}

/**
 * One family as a prom-client metric: the registry calls `get()` and formats what it returns, as
 * it does for its own Counter and Histogram (whose `get()` gives the same shape: bucket labels
 * with `le` first).
 */
function view(set: MetricSet, family: MetricFamily): RegisteredMetric {
  const { name, help, type } = family;
  const get = async () => {
    const values = set.samples(family).map((s) => ({
      value: s.value,
      metricName: s.name,
      labels: s.le === undefined ? s.labels : { le: s.le, ...s.labels },
    }));
    return { name, help, type, values, aggregator: 'sum' };
  };
  // prom-client's registry reads a metric through get() alone (its types list only its own classes).
  return { name, help, type, aggregator: 'sum', get, reset() {} } as unknown as RegisteredMetric;
}
