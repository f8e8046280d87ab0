import { formatGoDuration } from '../../go/duration.js';
import { children, type Expr } from '../../sim/promql/index.js';
import type { RolloutSpec } from '../../sim/rollout/index.js';
import type { ParsedField, ParsedMetric } from './checkTemplateSyntax.js';
import { findingInString, type Finding } from './Finding.js';
import type { AnalysisUse } from './resolveAnalysis.js';
import { proportionThreshold } from './conditionThreshold.js';
import { adviseSampleSize, type SampleSizeAdvice } from './sampleSize.js';
import type { RolloutTimeline } from './timeline.js';

/** The traffic rate the advisor judges by, and where it comes from (for messages). */
export interface DeclaredRate {
  perSecond: number;
  /** `--rps`, `the traffic "users" of scenario.yaml`. */
  source: string;
}

/** One metric at one step: what its window holds and resolves. */
export interface SampleSizeRow {
  analysis: string;
  metric: string;
  step: number;
  /** The canary's mean weight (%) over the window before the step's first measurement: the share of the traffic a canary-only query counts. */
  weight: number;
  /** The query selects the canary's traffic only (so it sees `weight` % of the rate). */
  canaryOnly: boolean;
  windowMs: number;
  /** How the window was read: `irate: the last two scrapes`, `rate over [5m]`. */
  window: string;
  /** The comparison it judges: `result[0] >= 0.95`, and the error rate it allows. */
  condition: string;
  errorThreshold: number;
  advice: SampleSizeAdvice;
}

/** Functions whose answer rests on the last two samples only: a window of one scrape interval. */
const LAST_TWO = new Set(['irate', 'idelta']);

function* calls(e: Expr): Generator<Extract<Expr, { type: 'Call' }>> {
  if (e.type === 'Call') yield e;
  for (const c of children(e)) yield* calls(c);
}

/**
 * The seconds of requests a measurement rests on: the shortest window among the query's range
 * functions — one scrape interval for irate/idelta (two samples), the range for rate, increase
 * and the `_over_time` functions. Undefined for a query without a range.
 */
export function queryWindow(q: Expr, scrapeMs: number): { ms: number; text: string } | undefined {
  let best: { ms: number; text: string } | undefined;
  for (const c of calls(q)) {
    let arg: Expr | undefined = c.args.find((a) => a.type === 'MatrixSelector' || a.type === 'ParenExpr');
    while (arg?.type === 'ParenExpr') arg = arg.expr;
    if (arg?.type !== 'MatrixSelector') continue;
    const w = LAST_TWO.has(c.func.name)
      ? {
          ms: Math.min(scrapeMs, arg.rangeMs),
          text: `${c.func.name}: the last two scrapes, ${formatGoDuration(Math.min(scrapeMs, arg.rangeMs))}`,
        }
      : { ms: arg.rangeMs, text: `${c.func.name} over [${formatGoDuration(arg.rangeMs)}]` };
    if (!best || w.ms < best.ms) best = w;
  }
  return best;
}

/**
 * The canary's weight (%) over time, from the static timeline: a setWeight step's weight holds
 * from the end of its row (its pods are available and Argo has set the route), until the next.
 */
function weightChanges(spec: RolloutSpec, tl: RolloutTimeline): { atMs: number; weight: number }[] {
  const steps = spec.strategy.canary?.steps ?? [];
  const out = [{ atMs: -Infinity, weight: 0 }];
  for (const r of tl.rows) {
    const st = r.step === undefined ? undefined : steps[r.step];
    if (st?.kind === 'setWeight') out.push({ atMs: r.endMs, weight: st.setWeight });
  }
  return out;
}

/** The mean weight (%) over (from, to]: what share of the traffic the canary answered in a window. */
function meanWeight(changes: readonly { atMs: number; weight: number }[], from: number, to: number): number {
  let sum = 0;
  for (let i = 0; i < changes.length; i++) {
    const a = Math.max(from, changes[i]!.atMs);
    const b = Math.min(to, changes[i + 1]?.atMs ?? Infinity);
    if (b > a) sum += (b - a) * changes[i]!.weight;
  }
  return to > from ? sum / (to - from) : 0;
}

const pct = (x: number) => `${Number((x * 100).toPrecision(3))}%`;
const num = (x: number) => (x >= 100 ? String(Math.round(x)) : String(Number(x.toPrecision(3))));

function parsedFor(
  analyses: readonly AnalysisUse[],
  label: string,
  metric: string,
): ParsedMetric | undefined {
  const use = analyses.find((u) =>
    label === 'background' ? u.kind === 'background' : u.kind === 'step' && label === `step ${u.stepIndex}`,
  );
  return use?.templates.flatMap((t) => t.metrics).find((m) => m.metric.name === metric);
}

/**
 * The sample-size advice of a canary Rollout's analyses at `rate`: per metric with a proportion
 * threshold and a range query, per step it measures in, the requests its window holds and what
 * they resolve; a `low-sample-size` warning at the threshold for each metric whose window is too
 * small at some step, naming the rate or window that would do.
 */
export function checkSampleSize(
  spec: RolloutSpec,
  tl: RolloutTimeline,
  analyses: readonly AnalysisUse[],
  rate: DeclaredRate,
  scrapeMs: number,
): { rows: SampleSizeRow[]; findings: Finding[] } {
  const rows: SampleSizeRow[] = [];
  const findings: Finding[] = [];
  if (tl.strategy !== 'canary') return { rows, findings };
  const changes = weightChanges(spec, tl);
  const canary = spec.strategy.canary?.canaryService;
  for (const m of tl.metrics) {
    const pm = parsedFor(analyses, m.analysis, m.metric);
    if (!pm?.query || pm.query.partial) continue;
    const cond: [ParsedField<unknown>, 'successCondition' | 'failureCondition'] | undefined =
      pm.successCondition
        ? [pm.successCondition, 'successCondition']
        : pm.failureCondition
          ? [pm.failureCondition, 'failureCondition']
          : undefined;
    if (!cond) continue;
    const threshold = proportionThreshold(cond[0].text, cond[1]);
    const window = queryWindow(pm.query.parsed, scrapeMs);
    if (!threshold || !window) continue;
    const canaryOnly = canary !== undefined && pm.query.text.includes(canary);
    // A step analysis measures during its step; a background one in whichever step has begun.
    const stepAt = (t: number): number | undefined =>
      m.analysis.startsWith('step ')
        ? Number(m.analysis.slice(5))
        : tl.rows.filter((r) => r.step !== undefined && r.startMs <= t).at(-1)?.step;
    const first = new Map<number, number>();
    for (const t of m.measurementTimesMs) {
      const step = stepAt(t);
      if (step !== undefined && !first.has(step)) first.set(step, t);
    }
    const mine: SampleSizeRow[] = [...first].map(([step, t]) => {
      const weight = meanWeight(changes, t - window.ms, t);
      return {
        analysis: m.analysis,
        metric: m.metric,
        step,
        weight,
        canaryOnly,
        windowMs: window.ms,
        window: window.text,
        condition: threshold.text,
        errorThreshold: threshold.errorThreshold,
        advice: adviseSampleSize({
          rps: rate.perSecond,
          share: canaryOnly ? weight / 100 : 1,
          windowSeconds: window.ms / 1000,
          errorThreshold: threshold.errorThreshold,
        }),
      };
    });
    rows.push(...mine);
    // The step that holds the fewest requests is the one to fix.
    const worst = mine
      .filter((r) => !r.advice.enough)
      .sort((a, b) => a.advice.requests - b.advice.requests)[0];
    if (!worst) continue;
    const a = worst.advice;
    // A rate needs two samples in its range: never advise a range under two scrape intervals.
    const windowMs = Math.max(Math.ceil(a.minWindowSeconds) * 1000, 2 * scrapeMs);
    const fn = window.text.split(':')[0]!;
    const widen = LAST_TWO.has(fn) ? ` (rate over [${formatGoDuration(windowMs)}] instead of ${fn})` : '';
    findings.push(
      findingInString(
        'low-sample-size',
        cond[0].node,
        cond[0].toSource(threshold.offset),
        `at ${num(rate.perSecond)} req/s (${rate.source}), step ${worst.step}${canaryOnly ? ` (canary weight ${num(worst.weight)}% in the window)` : ''} puts ${a.requests < 1 ? `${a.requests === 0 ? 'no' : `${num(a.requests)} (less than one)`} requests in the query's window (${window.text}): no error rate can be measured there, let alone told from the ${pct(worst.errorThreshold)} of errors ${threshold.text} allows.` : `${num(a.requests)} requests in the query's window (${window.text}): at 95% confidence they resolve error rates only to ±${pct(a.resolution)}, no finer than the ${pct(worst.errorThreshold)} of errors ${threshold.text} allows, so a faultless version and one failing at the threshold look alike.`} ${a.minRequests} requests would resolve it: ${num(a.minRps)} req/s, or a window of ${Number.isFinite(a.minWindowSeconds) ? formatGoDuration(windowMs) : 'any length once traffic reaches it'}${Number.isFinite(a.minWindowSeconds) ? widen : ''}`,
      ),
    );
  }
  return { rows, findings };
}
