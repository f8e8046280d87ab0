import type { MetricSpec } from './types.js';

/**
 * How many non-error measurements end a metric (Argo's `Metric.EffectiveCount`):
 * count unset or 0 → 1 without an interval, unbounded (`undefined`) with one; otherwise `count`.
 *
 *   {}                               → 1
 *   { intervalMs: 60_000 }           → undefined (runs until terminated)
 *   { intervalMs: 60_000, count: 5 } → 5
 */
export function effectiveCount(metric: Pick<MetricSpec, 'count' | 'intervalMs'>): number | undefined {
  if (metric.count === undefined || metric.count === 0)
    return metric.intervalMs === undefined ? 1 : undefined;
  return metric.count;
}
