import { roleColor, type Paint } from './ansi.js';
import type { DashboardData } from './fetchDashboardData.js';
import { sparkline } from './sparkline.js';
import { fit } from './text.js';
import type { VersionSeries } from './trafficData.js';

/**
 * Request rate and success rate per destination over the chart window, as lines `width`
 * cells wide: a heading per chart, then per destination its name with the latest value and a
 * sparkline under it (newest point on the right). Request rates share one scale so the split
 * between versions reads at a glance; success rates are scaled 0..100 %.
 *
 * Worked example (width 24, stable at 8 req/s, canary at 2 req/s for the last 2 minutes,
 * failing 40 % of them):
 *   req/s, last 5m
 *   silly-demo-canary   2.00
 *               ▃▃▃▃▃▃▃▃▃▃▃▃
 *   silly-demo-stable   8.00
 *   ████████████████████████
 *
 *   success, last 5m
 *   silly-demo-canary  60.0%
 *               ▅▅▅▅▅▅▅▅▅▅▅▅
 *   silly-demo-stable 100.0%
 *   ████████████████████████
 */
export function trafficPanel(traffic: DashboardData['traffic'], width: number, paint: Paint): string[] {
  if ('error' in traffic) return [fit(`metrics unavailable: ${traffic.error}`, width)];
  const minutes = Math.round((traffic.grid.endMs - traffic.grid.startMs) / 60_000);
  if (traffic.requestRate.length === 0) return [fit(`no requests in the last ${minutes}m`, width)];
  const maxRate = Math.max(0, ...traffic.requestRate.flatMap((s) => s.values.filter(isNumber)));
  return [
    fit(`req/s, last ${minutes}m`, width),
    ...traffic.requestRate.flatMap((s) => chart(s, maxRate, formatRate, width, paint)),
    '',
    fit(`success, last ${minutes}m`, width),
    ...traffic.successRate.flatMap((s) => chart(s, 1, formatRatio, width, paint)),
  ];
}

function chart(
  series: VersionSeries,
  max: number,
  format: (v: number) => string,
  width: number,
  paint: Paint,
): string[] {
  const latest = series.values[series.values.length - 1];
  const value = latest === null || latest === undefined ? '–' : format(latest);
  const name = fit(series.destination, Math.max(width - value.length - 1, 1));
  const gap = Math.max(width - [...name].length - value.length, 1);
  const spark = sparkline(series.values, max, width);
  const color = roleColor(series.destination);
  return [`${name}${' '.repeat(gap)}${value}`, color === undefined ? spark : paint(spark, color)];
}

function formatRate(v: number): string {
  return v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0);
}

function formatRatio(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function isNumber(v: number | null): v is number {
  return v !== null;
}
