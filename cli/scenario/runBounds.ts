import { parseHeyArgs } from '../../loadgen/heyFlags.js';
import type { TrafficRate } from '../../loadgen/TrafficSpec.js';
import { InputError } from '../../sim/errors.js';
import { formatGoDuration } from '../../go/duration.js';
import { MAX_SCENARIO_DURATION_MS } from './quantities.js';
import type { Action, Scenario } from './types.js';

/*
 * The bounds of one rehearsal: how long it may run in simulated time and how many requests its
 * loads may send. Both are checked before the first simulated second, from what the timeline
 * states (waits, waitUntil timeouts, rates and durations), and again while it runs — the count of
 * a closed-loop hey without -q depends on the simulated latencies.
 */

/** The longest rehearsal: 30 simulated days. */
export const MAX_REHEARSAL_MS = MAX_SCENARIO_DURATION_MS;

/** Requests all the loads of one rehearsal may send together (hey, traffic). */
export const MAX_REQUESTS_PER_RUN = 10_000_000_000;

/** The shortest `waitUntil` poll: nothing a condition reads is worth looking at more often. */
export const MIN_POLL_MS = 1000;

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** "more than 30 days" as the error says it. */
const REHEARSAL_LIMIT = `${formatGoDuration(MAX_REHEARSAL_MS)} (30 days)`;

/** How long an action may advance the simulated clock, at most. */
function advances(a: Action): number {
  if (a.type === 'wait') return a.ms;
  if (a.type === 'waitUntil') return a.timeoutMs;
  return 0;
}

/** The highest rate a traffic spec reaches, per second. */
function peakRate(r: TrafficRate): number {
  switch (r.kind) {
    case 'constant':
      return r.perSecond;
    case 'ramp':
      return Math.max(r.fromPerSecond, r.toPerSecond);
    case 'schedule':
      return Math.max(...r.points.map((p) => p.perSecond));
    case 'daily':
      return r.maxPerSecond;
  }
}

/** At most how many requests a load sends in `windowMs`, or undefined when no flag bounds it. */
function requestsAtMost(a: Action, windowMs: number): number | undefined {
  if (a.type === 'traffic')
    return (peakRate(a.spec.rate) * Math.min(windowMs, a.spec.durationMs ?? Infinity)) / 1000;
  if (a.type !== 'hey') return 0;
  const o = parseHeyArgs(a.argv);
  if (o.z === 0) return o.n;
  // -z: a closed loop; only -q (per worker) bounds its rate without knowing the latencies.
  return o.q > 0 ? (o.c * o.q * Math.min(windowMs, o.z)) / 1000 : undefined;
}

/**
 * Refuses a timeline that could run past MAX_REHEARSAL_MS of simulated time (its waits and
 * waitUntil timeouts added up) or whose loads could send more than MAX_REQUESTS_PER_RUN requests,
 * at the action that crosses the line.
 */
export function checkRunBounds(sc: Scenario): void {
  const startAt: number[] = [];
  let elapsed = 0;
  for (const a of sc.timeline) {
    startAt.push(elapsed);
    elapsed += advances(a);
    if (elapsed > MAX_REHEARSAL_MS)
      throw new InputError(
        `the timeline's waits and waitUntil timeouts add up to ${formatGoDuration(elapsed)} by here, more than canarysim's limit of ${REHEARSAL_LIMIT} for a rehearsal`,
        a.pos,
      );
  }
  let total = 0;
  sc.timeline.forEach((a, i) => {
    if (a.type !== 'hey' && a.type !== 'traffic') return;
    const id = a.type === 'hey' ? a.id : a.spec.id;
    const stopType = a.type === 'hey' ? 'stopHey' : 'stopTraffic';
    const stop = sc.timeline.findIndex(
      (b, j) =>
        j > i && (b.type === 'stopHey' || b.type === 'stopTraffic') && b.type === stopType && b.id === id,
    );
    const windowMs = (stop < 0 ? elapsed : startAt[stop]!) - startAt[i]!;
    const n = requestsAtMost(a, windowMs);
    if (n === undefined) return;
    total += n;
    if (total > MAX_REQUESTS_PER_RUN)
      throw new InputError(
        `${a.type} "${id}" may send up to ${count(n)} requests${total > n ? ` (${count(total)} with the loads before it)` : ''}, more than canarysim's limit of ${count(MAX_REQUESTS_PER_RUN)} per rehearsal`,
        a.pos,
      );
  });
}

/**
 * The same bounds while the rehearsal runs: simulated time the timeline advances, and requests
 * its loads send (a closed-loop hey is only known as it goes). Past either, the run stops with an
 * InputError at the action responsible.
 */
export class RunBudget {
  private requests = 0;

  constructor(private readonly startMs: number) {}

  /** Before advancing the clock to `toMs` for action `a`. */
  advanceTo(a: Action, toMs: number): void {
    if (toMs - this.startMs > MAX_REHEARSAL_MS)
      throw new InputError(
        `the rehearsal would run past ${REHEARSAL_LIMIT} of simulated time here, canarysim's limit`,
        a.pos,
      );
  }

  /** Before `n` more requests of the load action `a` (named `id`) go out. */
  send(a: Action, id: string, n: number): void {
    this.requests += n;
    if (this.requests > MAX_REQUESTS_PER_RUN)
      throw new InputError(
        `${a.type} "${id}" took the rehearsal past ${count(MAX_REQUESTS_PER_RUN)} requests, canarysim's limit per rehearsal`,
        a.pos,
      );
  }
}
