import type { RolloutDetail } from '../live/controlApi.js';
import { roleColor, type Paint } from './ansi.js';
import { fit } from './text.js';

/**
 * The VirtualService weights as lines `width` cells wide: per route a heading, then one bar per
 * destination scaled to 100.
 *
 * Worked example (width 30):
 *   silly-demo / primary
 *   silly-demo-stable ██████░░  80
 *   silly-demo-canary ██░░░░░░  20
 */
export function weightsPanel(weights: RolloutDetail['weights'], width: number, paint: Paint): string[] {
  const routes = weights.filter((w) => w.destinations.length > 0);
  if (routes.length === 0) return [fit('no VirtualService routes', width)];
  const hosts = routes.flatMap((r) => r.destinations.map((d) => d.host));
  // name, space, bar (at least 5), space, 3-digit weight
  const nameWidth = Math.min(Math.max(...hosts.map((h) => [...h].length)), Math.max(width - 10, 4));
  const barWidth = Math.max(width - nameWidth - 5, 5);
  const lines: string[] = [];
  for (const route of routes) {
    lines.push(
      fit(route.route === null ? route.virtualService : `${route.virtualService} / ${route.route}`, width),
    );
    for (const { host, weight } of route.destinations) {
      const filled = Math.round((Math.min(Math.max(weight, 0), 100) / 100) * barWidth);
      const name = fit(host, nameWidth).padEnd(nameWidth);
      const color = roleColor(host);
      const bar = '█'.repeat(filled);
      lines.push(
        `${name} ${color === undefined ? bar : paint(bar, color)}${'░'.repeat(barWidth - filled)} ${String(weight).padStart(3)}`,
      );
    }
  }
  return lines;
}
