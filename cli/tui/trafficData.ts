import type { TrafficGrid } from './trafficQueries.js';

/** One series of a range query, as `ControlClient.queryRange` returns it. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, number][];
}

/** One destination's chart: a value per grid point, null where there was no sample. */
export interface VersionSeries {
  destination: string;
  values: (number | null)[];
}

/** What the traffic panel charts: request rate (req/s) and success rate (0..1) per destination. */
export interface TrafficData {
  grid: TrafficGrid;
  requestRate: VersionSeries[];
  successRate: VersionSeries[];
}

/**
 * Aligns the two range-query results on `grid` and derives the success rate per point:
 * ok / total where total > 0, 0 when requests were made but none succeeded (the ok series is
 * absent then), null when there was no traffic. Destinations are sorted by name so the order
 * is stable between refreshes.
 */
export function trafficData(
  grid: TrafficGrid,
  requests: readonly RangeSeries[],
  ok: readonly RangeSeries[],
): TrafficData {
  const total = byDestination(grid, requests);
  const good = byDestination(grid, ok);
  const names = [...total.keys()].sort();
  return {
    grid,
    requestRate: names.map((destination) => ({ destination, values: total.get(destination) ?? [] })),
    successRate: names.map((destination) => {
      const t = total.get(destination) ?? [];
      const g = good.get(destination);
      return {
        destination,
        values: t.map((req, i) => (req === null || req <= 0 ? null : (g?.[i] ?? 0) / req)),
      };
    }),
  };
}

function byDestination(grid: TrafficGrid, series: readonly RangeSeries[]): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  for (const s of series) {
    const name = s.metric['destination_service_name'] ?? 'unknown';
    const values = out.get(name) ?? new Array<number | null>(grid.points).fill(null);
    for (const [t, v] of s.values) {
      const i = Math.round((toMs(t) - grid.startMs) / grid.stepMs);
      if (i >= 0 && i < grid.points && Number.isFinite(v)) values[i] = v;
    }
    out.set(name, values);
  }
  return out;
}

/**
 * The control API takes milliseconds, but Prometheus' own JSON carries Unix seconds; accept
 * both. 1e11 separates them for any date we simulate: as ms it is 1973, as seconds year 5138.
 */
function toMs(t: number): number {
  return t < 1e11 ? t * 1000 : t;
}
