import { formatGoDuration } from '../go/duration.js';
import type { TrafficRate, TrafficSpec } from './TrafficSpec.js';

/**
 * One line saying what a traffic sends, for the run's output when it starts, e.g.
 * `traffic users: 20/s → 200/s over 10m0s (poisson) GET http://checkout.127.0.0.1.nip.io/api/cart,
 * mix 80% /api/cart, 20% checkout, from shop/frontend, for 1h0m0s`.
 */
export function describeTraffic(spec: TrafficSpec): string {
  const parts = [
    `traffic ${spec.id}: ${describeRate(spec.rate)} (${spec.arrivals}) ${spec.method} ${spec.url}`,
  ];
  if (spec.mix) parts.push(`mix ${spec.mix.map((m) => `${m.share}% ${m.name}`).join(', ')}`);
  if (spec.from) parts.push(`from ${spec.from.namespace}/${spec.from.workload}`);
  if (spec.durationMs !== undefined) parts.push(`for ${formatGoDuration(spec.durationMs)}`);
  return parts.join(', ');
}

/** `20/s`, `0.5/s`, `12/m`, `3/h`: the largest unit that shows the rate as at least 1 (or /s). */
export function formatRate(perSecond: number): string {
  const fmt = (x: number) => String(Number(x.toPrecision(12)));
  if (perSecond === 0 || perSecond >= 1) return `${fmt(perSecond)}/s`;
  if (perSecond * 60 >= 1) return `${fmt(perSecond * 60)}/m`;
  return `${fmt(perSecond * 3600)}/h`;
}

function describeRate(r: TrafficRate): string {
  switch (r.kind) {
    case 'constant':
      return formatRate(r.perSecond);
    case 'ramp':
      return `${formatRate(r.fromPerSecond)} → ${formatRate(r.toPerSecond)} over ${formatGoDuration(r.overMs)}`;
    case 'schedule':
      return `schedule of ${r.points.length} point${r.points.length === 1 ? '' : 's'} from ${formatRate(r.points[0]?.perSecond ?? 0)}`;
    case 'daily':
      return `daily ${formatRate(r.minPerSecond)} to ${formatRate(r.maxPerSecond)}, peak at ${clock(r.peakAtMs)} UTC`;
  }
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = s % 60;
  return ss === 0 ? `${hh}:${mm}` : `${hh}:${mm}:${String(ss).padStart(2, '0')}`;
}
