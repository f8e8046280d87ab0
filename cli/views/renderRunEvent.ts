import { printHeySummary } from '../../loadgen/printHeySummary.js';
import type { QueryResult } from '../../sim/promql/index.js';
import type { AnyWorld as World } from '../../sim/world.js';
import type { RunEvent } from '../scenario/runScenario.js';
import { clockTime } from './clockTime.js';
import { formatLabels } from './formatLabels.js';
import { humanDuration } from './humanDuration.js';
import { projectRollout } from './projectRollout.js';
import { renderGetRollout } from './renderGetRollout.js';
import { formatObserved } from '../scenario/observe.js';

/** Simulated clock as `hh:mm:ss` since the scenario started. */
function clockOf(world: World, ms: number): string {
  return clockTime((ms - world.options.startMs) / 1000);
}

/** A query result as promtool prints an instant query: one `labels => value @[t]` line per sample. */
function renderQuery(r: QueryResult | { error: string }, world: World): string[] {
  if ('error' in r) return [`Error: ${r.error}`];
  const t = (world.now() / 1000).toFixed(3);
  switch (r.resultType) {
    case 'vector':
      return r.result.length === 0
        ? ['(empty vector)']
        : r.result.map((s) => `${formatLabels(s.metric)} => ${s.value} @[${t}]`);
    case 'scalar':
      return [`scalar: ${r.result} @[${t}]`];
    case 'string':
      return [`string: ${r.result} @[${t}]`];
    case 'matrix':
      return r.result.map(
        (s) =>
          `${formatLabels(s.metric)} =>\n${s.values.map((p) => `${p.v} @[${(p.t / 1000).toFixed(3)}]`).join('\n')}`,
      );
  }
}

/**
 * One event of a run as the terminal shows it: commands prefixed with `$`, their output, the
 * plugin's `get rollout` block, curl bodies, query values, and the passing of simulated time.
 * Pure over the world's state at the moment it is called.
 */
export function renderRunEvent(e: RunEvent, world: World, opts: { color?: boolean } = {}): string {
  switch (e.type) {
    case 'say':
      return `\n${e.text}\n\n`;
    case 'notice':
      return `note: ${e.text}\n\n`;
    case 'command':
      return `$ ${e.text}\n${e.output.map((l) => `${l}\n`).join('')}\n`;
    case 'getRollout': {
      const r = world.rollout(e.namespace, e.name)!;
      const view = projectRollout(world, r.ro);
      return `$ kubectl argo rollouts --namespace ${e.namespace} get rollout ${e.name}\n${renderGetRollout(view, world.now(), opts)}\n`;
    }
    case 'yaml':
      return `$ ${e.command}\n${e.text}\n`;
    case 'heyStarted':
      return `$ ${e.command} &\n(hey runs in the background)\n\n`;
    case 'trafficStarted':
      return `(traffic ${e.id}: ${e.description})\n\n`;
    case 'trafficStopped': {
      const r = e.result;
      const codes = Object.entries(r.statusCodes)
        .map(([c, n]) => `${c}: ${n}`)
        .join(', ');
      return `(traffic ${e.id} ${e.stopped ? 'stopped' : 'finished'}: ${r.requests} requests in ${r.seconds}s${codes ? `; ${codes}` : ''}${r.errors > 0 ? `; ${r.errors} errors` : ''})\n\n`;
    }
    case 'heySummary':
      return `${e.stopped ? `^C (stopping ${e.command})\n` : `(${e.command} finished)\n`}${printHeySummary(e.result)}\n`;
    case 'curl':
      return `$ ${e.command}\n${e.bodies.join('')}${e.bodies.length > 0 && !e.bodies[e.bodies.length - 1]!.endsWith('\n') ? '\n' : ''}\n`;
    case 'query':
      return `$ promql> ${e.expr}\n${renderQuery(e.result, world).join('\n')}\n\n`;
    case 'wait': {
      const d = humanDuration(e.toMs - e.fromMs);
      const what = e.until ? (e.timedOut ? ` — timed out waiting for ${e.until}` : ` until ${e.until}`) : '';
      return `... ${d} later (${clockOf(world, e.toMs)})${what}\n\n`;
    }
    case 'expect': {
      const r = e.result;
      const saw = r.observed?.length ? `    saw ${r.observed.map(formatObserved).join('; ')}\n` : '';
      return `${r.passed ? '✔' : '✖'} expect ${r.condition}${r.error ? ` — ${r.error}` : ''}  (${r.source})\n${saw}`;
    }
  }
}
