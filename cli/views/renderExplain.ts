import type {
  ExplainableReport,
  ReportMeasurement,
  ReportMetric,
  ReportRun,
} from '../scenario/readReport.js';
import { clockTime } from './clockTime.js';
import { formatLabels } from './formatLabels.js';
import { otherAborts, secondsOf, transitionOf, type Transition } from './rolloutTransitions.js';

/** How much of a query a chain line quotes (the whole query is printed once above it). */
const QUERY_CHARS = 40;
/** Series a chain line lists before it says how many more there were. */
const SERIES_SHOWN = 4;
/** A metric with more measurements than this shows the first 2 and the last 8. */
const MEASUREMENTS_SHOWN = 12;
/** The reason a metric ended without a measurement of its own (assessMetric). */
const TERMINATING = 'the run is terminating';

/**
 * `canarysim explain`: for each decision an analysis made about a rollout, the chain from the
 * measurements to the transition — what was queried, what came back (with labels), how each
 * condition evaluated, how the counters stood against the limits, and what the rollout did
 * (docs/report.md, *The trace*). Aborts no analysis explains are listed too. Pure: report → text.
 */
export function renderExplain(report: ExplainableReport, opts: { rollout?: string } = {}): string {
  const names = Object.keys(report.rollouts)
    .filter((n) => opts.rollout === undefined || n === opts.rollout)
    .sort();
  const blocks: string[] = [];
  for (const name of names) {
    const r = report.rollouts[name]!;
    const head = `Rollout ${name} (namespace ${r.namespace}): ${r.phase}${r.message ? ` — ${r.message}` : ''}`;
    const runs = Object.values(report.analysisRuns)
      .filter((run) => run.rollout === name)
      .map((run) => ({ run, transition: transitionOf(report, run) }));
    const explained = new Set(runs.flatMap((x) => (x.transition?.event ? [x.transition.event] : [])));
    const items: { t: number; text: string }[] = [
      ...runs.map(({ run, transition }) => ({
        t: run.completedAt !== null ? secondsOf(report, run.completedAt) : Infinity,
        text: explainRun(report, run, transition),
      })),
      ...otherAborts(report, name, explained).map((a) => ({
        t: a.t,
        text: `${clockTime(a.t)}  Rollout aborted${a.where ? ` (${a.where})` : ''}: ${a.event!.message} — no analysis run decided this (an abort command or a progress deadline)`,
      })),
    ].sort((a, b) => a.t - b.t);
    const body = items.length ? items.map((i) => i.text).join('\n\n') : 'no analysis runs and no aborts';
    blocks.push(`${head}\n\n${body}`);
  }
  return blocks.length ? `${blocks.join('\n\n')}\n` : 'no rollouts in this report\n';
}

function explainRun(report: ExplainableReport, run: ReportRun, transition: Transition | undefined): string {
  const ended = run.completedAt !== null ? clockTime(secondsOf(report, run.completedAt)) : 'still running';
  const lines = [
    `${ended}  ${run.kind} analysis ${run.name} (revision ${run.revision}) → ${run.phase || 'not yet reconciled'}${run.message ? `: ${run.message}` : ''}`,
  ];
  const decider = decidingMetric(run);
  const runEnd = transition ? ` → run ${run.phase} → ${outcome(transition)}` : '';
  for (const m of [...run.metrics].sort((a, b) => Number(a === decider) - Number(b === decider))) {
    lines.push(...explainMetric(m, m === decider ? runEnd : ''));
  }
  if (run.metrics.length === 0 && transition)
    lines.push(`  run ${run.phase}: ${run.message} → ${outcome(transition)}`);
  else if (!decider && transition) lines.push(`  → run ${run.phase} → ${outcome(transition)}`);
  return lines.join('\n');
}

function outcome(t: Transition): string {
  return `${t.text}${t.where ? ` (${t.where})` : ''}`;
}

/**
 * The metric whose measurement decided the run: the one its message names (`Metric "x" assessed
 * …`, the first worst in spec order); for a Successful run, the counted metric that ended last.
 * None for a terminated run or one still running.
 */
function decidingMetric(run: ReportRun): ReportMetric | undefined {
  const named = /^Metric "(.+?)" assessed /.exec(run.message)?.[1];
  if (named !== undefined) return run.metrics.find((m) => m.name === named);
  if (run.phase !== 'Successful' || run.message === 'Run Terminated') return undefined;
  let last: ReportMetric | undefined;
  for (const m of run.metrics)
    if (!m.dryRun && m.decided && (!last || m.decided.t >= (last.decided?.t ?? -Infinity))) last = m;
  return last;
}

function explainMetric(m: ReportMetric, runEnd: string): string[] {
  const dry = m.dryRun ? ' (dry run)' : '';
  if (m.measurements === undefined)
    return [
      `  ${m.name}${dry}: ${m.phase} — this report has no measurement trace (written before canarysim kept one)`,
    ];
  const out: string[] = [];
  let query: string | undefined;
  const shown = pick(m.measurements);
  const dropped = m.measurementsDropped ?? 0;
  if (dropped > 0) out.push(`  … ${dropped} earlier measurements of ${m.name} are past the trace's bound`);
  for (const x of shown) {
    if (x === undefined) {
      out.push(`  … ${m.measurements.length - MEASUREMENTS_SHOWN + 2} more measurements of ${m.name}`);
      continue;
    }
    if (x.query !== query) {
      query = x.query;
      out.push(`  ${m.name}${dry} queries ${x.address || '(no address)'} with:`);
      out.push(
        ...x.query
          .trimEnd()
          .split('\n')
          .map((l) => `      ${l}`),
      );
    }
    const last = x === m.measurements.at(-1);
    out.push(`  ${chain(m, x, last ? runEnd : '')}`);
  }
  if (m.decided && !m.measurements.some((x) => x.reason !== null))
    out.push(
      `  ${m.name}${dry}: ${m.decided.phase} at ${clockTime(m.decided.t)} — ${m.decided.reason}${m.decided.reason === TERMINATING ? ', not measured again' : ''}${runEnd}`,
    );
  else if (runEnd && m.measurements.at(-1)?.reason == null) out.push(`  ${runEnd.slice(1)}`);
  if (m.message) out.push(`  ${m.name} message: ${m.message}`);
  return out;
}

/** The measurements a metric shows: all, or the first 2, a gap (undefined) and the last 8. */
function pick(ms: readonly ReportMeasurement[]): (ReportMeasurement | undefined)[] {
  if (ms.length <= MEASUREMENTS_SHOWN) return [...ms];
  return [...ms.slice(0, 2), undefined, ...ms.slice(-(MEASUREMENTS_SHOWN - 4))];
}

/**
 * One measurement's chain: `at 00:12:30 measurement 3 of success-rate: `sum(irate(…` returned
 * {destination_service="…"} 0.874; `result[0] >= 0.95` is false → Failed; failed (1) >
 * failureLimit (0) → metric Failed` and, on the measurement that decided the run, what followed.
 */
function chain(m: ReportMetric, x: ReportMeasurement, runEnd: string): string {
  const parts = [`at ${clockTime(x.t)} measurement ${x.n} of ${m.name}${m.dryRun ? ' (dry run)' : ''}: `];
  const q = `\`${abbreviate(x.query)}\``;
  if (x.result === null) parts.push(`${q} failed: ${x.message ?? 'no answer'}`);
  else parts.push(`${q} returned ${answered(x)}`);
  const conditions = x.conditions.map((c) =>
    c.error !== null
      ? `\`${c.expression}\` could not be evaluated (${c.error.replace(/^could not evaluate \w+ ".*?": /s, '')})`
      : `\`${c.expression}\` is ${String(c.value)}`,
  );
  if (x.result !== null)
    parts.push(`; ${conditions.length ? conditions.join(', ') : 'no conditions (always Successful)'}`);
  parts.push(` → ${x.phase}; `);
  if (x.reason !== null) {
    parts.push(`${x.reason} → metric ${x.metricPhase}`);
    if (m.dryRun) parts.push(' (a dry-run metric: counted in dryRunSummary, it never decides the run)');
    else parts.push(runEnd);
  } else parts.push(standing(m, x));
  return parts.join('');
}

/** What a vector or scalar answer held: labels and values (values as Argo stored them). */
function answered(x: ReportMeasurement): string {
  const r = x.result!;
  if (r.resultType === 'scalar') return `scalar ${x.value}`;
  if (r.series.length === 0) return 'no series ([])';
  // Argo's `[v1,v2]` holds the values in series order, NaN and ±Inf included (JSON has neither).
  const values = x.value.replace(/^\[|\]$/g, '').split(',');
  const shown = r.series
    .slice(0, SERIES_SHOWN)
    .map((s, i) => `${formatLabels(s.labels)} ${values[i] ?? String(s.value)}`);
  const more = r.series.length > SERIES_SHOWN ? ` … (${r.series.length} series)` : '';
  return `${shown.join(', ')}${more}`;
}

/** A non-deciding measurement: the counter it moved against its limit. */
function standing(m: ReportMetric, x: ReportMeasurement): string {
  const l = m.limits;
  const c = x.counters;
  if (!l) return `metric ${x.metricPhase}`;
  switch (x.phase) {
    case 'Failed':
      return l.failureLimit < 0
        ? `failureLimit (-1): failures do not fail it`
        : `failed (${c.failed}) <= failureLimit (${l.failureLimit})`;
    case 'Inconclusive':
      return `inconclusive (${c.inconclusive}) <= inconclusiveLimit (${l.inconclusiveLimit})`;
    case 'Error':
      return `consecutiveErrors (${c.consecutiveError}) <= consecutiveErrorLimit (${l.consecutiveErrorLimit}); retried 10 s later`;
    default:
      if (l.consecutiveSuccessLimit > 0)
        return `consecutiveSuccess (${c.consecutiveSuccess}) < consecutiveSuccessLimit (${l.consecutiveSuccessLimit})`;
      return l.count === null ? `count ${c.count}, no count limit` : `count ${c.count} of ${l.count}`;
  }
}

/** A query on one line, cut to QUERY_CHARS characters. */
function abbreviate(query: string): string {
  const one = query.replace(/\s+/g, ' ').trim();
  return one.length <= QUERY_CHARS
    ? one
    : `${Array.from(one)
        .slice(0, QUERY_CHARS - 1)
        .join('')}…`;
}
