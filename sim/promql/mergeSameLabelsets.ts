import { PromQLEvalError } from './PromQLEvalError.js';
import type { Series } from './values.js';

/**
 * Merges series whose label sets became equal (after a name drop or relabeling) when their points
 * do not overlap; overlapping points are Prometheus's "vector cannot contain metrics with the
 * same labelset" error.
 */
export function mergeSameLabelsets(series: Series[]): Series[] {
  if (series.length <= 1) return series;
  const byKey = new Map<string, Series[]>();
  let dup = false;
  for (const s of series) {
    const list = byKey.get(s.metric.key);
    if (list) {
      list.push(s);
      dup = true;
    } else byKey.set(s.metric.key, [s]);
  }
  if (!dup) return series;
  const out: Series[] = [];
  for (const list of byKey.values()) {
    if (list.length === 1) {
      out.push(list[0]!);
      continue;
    }
    const points: [number, number][] = [];
    for (const s of list) for (let i = 0; i < s.ts.length; i++) points.push([s.ts[i]!, s.fs[i]!]);
    points.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < points.length; i++) {
      if (points[i]![0] === points[i - 1]![0])
        throw new PromQLEvalError('vector cannot contain metrics with the same labelset');
    }
    const base = list[0]!;
    out.push({
      metric: base.metric,
      dropName: base.dropName,
      ts: points.map((p) => p[0]),
      fs: points.map((p) => p[1]),
    });
  }
  return out;
}
