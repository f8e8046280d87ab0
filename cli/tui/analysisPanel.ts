import type { RolloutDetail } from '../live/controlApi.js';
import { humanDuration } from '../views/humanDuration.js';
import type { Paint } from './ansi.js';
import { phaseIcon, phaseLabel } from './phaseIcon.js';
import { cellWidth, fit, wrapText } from './text.js';

type Run = RolloutDetail['runs'][number];

/** Measurements shown per metric: enough to see a trend turn, few enough for several runs. */
export const MEASUREMENTS_PER_METRIC = 3;

/**
 * The analysis runs, newest first, as at most `height` lines `width` cells wide: the run's
 * name, its phase, revision and message, then per metric its counts and latest measurements
 * (newest first) with phase, value and age against `now`.
 *
 * Worked example:
 *   α silly-demo-6c8f7b9d5-2-1
 *     ◌ Running  revision 2
 *     success-rate  ✔ 2,✖ 1
 *       ✖ Failed  [0.62]  10s ago
 *       ✔ Successful  [0.97]  20s ago
 *       ✔ Successful  [1]  30s ago
 */
export function analysisPanel(
  runs: RolloutDetail['runs'],
  now: number,
  width: number,
  height: number,
  paint: Paint,
): string[] {
  if (runs.length === 0) return [fit('no analysis runs', width)];
  const lines = [...runs]
    .reverse()
    .flatMap((run, i) => [...(i > 0 ? [''] : []), ...runLines(run, now, width, paint)]);
  return lines.slice(0, Math.max(height, 0));
}

function runLines(run: Run, now: number, width: number, paint: Paint): string[] {
  const lines = [
    `α ${fit(run.name, width - 2)}`,
    `  ${phaseLabel(run.phase, paint)}  revision ${run.revision}`,
  ];
  if (run.message !== '') lines.push(...wrapText(run.message, width - 2).map((l) => `  ${l}`));
  for (const metric of metricNames(run)) {
    const state = run.metrics.find((m) => m.name === metric);
    const counts = state === undefined ? '' : `  ${countsLabel(state, paint)}`;
    lines.push(`  ${fit(metric, width - 2 - cellWidth(counts))}${counts}`);
    const latest = run.measurements
      .filter((m) => m.metric === metric)
      .slice(-MEASUREMENTS_PER_METRIC)
      .reverse();
    for (const m of latest) {
      const phase = phaseLabel(m.phase, paint);
      const age = `${humanDuration(now - m.at)} ago`;
      // The value gives way first: phase and age are what the trainer points at.
      const room = width - 4 - cellWidth(phase) - 2 - age.length - 2;
      const value = m.value === '' || room < 1 ? '' : `  ${fit(compactValue(m.value), room)}`;
      lines.push(`    ${phase}${value}  ${age}`);
    }
  }
  return lines;
}

/** The run's metrics in template order, then any that only appear in measurements. */
function metricNames(run: Run): string[] {
  const names = run.metrics.map((m) => m.name);
  for (const m of run.measurements) if (!names.includes(m.metric)) names.push(m.metric);
  return names;
}

/** Non-zero counts as the plugin's INFO column prints them: `✔ 4,✖ 1`. */
function countsLabel(m: Run['metrics'][number], paint: Paint): string {
  const counts: [string, number][] = [
    ['Successful', m.successful],
    ['Failed', m.failed],
    ['Inconclusive', m.inconclusive],
    ['Error', m.error],
  ];
  return counts
    .filter(([, n]) => n > 0)
    .map(([phase, n]) => `${phaseIcon(phase, paint)} ${n}`)
    .join(',');
}

/**
 * Argo stores values with Go's shortest float formatting (`[0.9743589743589743]`); four
 * decimals are plenty on a dashboard and keep the age on the line.
 */
export function compactValue(value: string): string {
  return value.replace(/\d+\.\d{5,}/g, (n) => String(Number(Number(n).toFixed(4))));
}
