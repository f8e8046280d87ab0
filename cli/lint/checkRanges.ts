import { formatGoDuration } from '../../go/duration.js';
import { charIndex, children, type Expr, type MatrixSelector } from '../../sim/promql/index.js';
import type { ParsedField } from './checkTemplateSyntax.js';
import { findingInString, type Finding } from './Finding.js';

/**
 * Functions that give no output for a series with fewer than 2 samples in the window
 * (spec/promql-semantics.md §4, §5): rate, increase and delta extrapolate between the first and
 * last sample, irate and idelta use the last two, deriv and predict_linear fit a line.
 */
const NEEDS_TWO = new Set(['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'predict_linear']);

/**
 * Functions that give no output for a series with no sample in the window. absent_over_time is
 * left out: an empty window is its answer (1), not a missing one.
 */
const NEEDS_ONE = new Set([
  'avg_over_time',
  'count_over_time',
  'first_over_time',
  'last_over_time',
  'max_over_time',
  'min_over_time',
  'present_over_time',
  'quantile_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'mad_over_time',
  'changes',
  'resets',
]);

/** Where the scrape interval lint assumes comes from, for messages. */
export interface ScrapeInterval {
  ms: number;
  /** `canarysim's default`, `--scrape-interval`, `prometheus.scrapeInterval in scenario.yaml`. */
  source: string;
}

function* calls(e: Expr): Generator<Extract<Expr, { type: 'Call' }>> {
  if (e.type === 'Call') yield e;
  for (const c of children(e)) yield* calls(c);
}

const matrixArg = (args: readonly Expr[]): MatrixSelector | undefined => {
  for (let a of args) {
    while (a.type === 'ParenExpr') a = a.expr;
    if (a.type === 'MatrixSelector') return a;
  }
  return undefined;
};

/**
 * Range selectors too short for the scrape interval. A window `(t − r, t]` over samples `s`
 * apart holds ⌊r/s⌋ or ⌈r/s⌉ of them: with r < 2s a rate often has only one sample and returns
 * nothing (r = s: always exactly one), and with r < s an `_over_time` window is often empty.
 *
 *   rate(x[30s]), scrape 30s → always 1 sample: always empty
 *   rate(x[45s]), scrape 30s → 1 or 2 samples: empty about half the time
 *   rate(x[1m]),  scrape 30s → 2 samples: a result (4× is the usual advice, for missed scrapes)
 */
export function checkRanges(q: ParsedField<Expr>, scrape: ScrapeInterval, findings: Finding[]): void {
  for (const call of calls(q.parsed)) {
    const name = call.func.name;
    const need = NEEDS_TWO.has(name) ? 2 : NEEDS_ONE.has(name) ? 1 : 0;
    const ms = need === 0 ? undefined : matrixArg(call.args);
    if (!ms || ms.rangeMs >= need * scrape.ms) continue;
    const end = charIndex(q.text, ms.pos.end);
    const open = q.text.lastIndexOf('[', end - 1);
    const range = formatGoDuration(ms.rangeMs);
    const every = `every ${formatGoDuration(scrape.ms)} (${scrape.source})`;
    // With the scrape phase uniform over the interval, the share of windows that hold `need` samples.
    const share = Math.round(((ms.rangeMs - (need - 1) * scrape.ms) / scrape.ms) * 100);
    const holds =
      share <= 0
        ? `holds ${need === 2 ? 'at most one sample' : 'no sample'} of a series when Prometheus scrapes ${every}`
        : `holds ${need === 2 ? 'two samples' : 'a sample'} of a series at only ${share}% of the measurements when Prometheus scrapes ${every}`;
    const needs = need === 2 ? 'needs two samples' : 'needs a sample';
    findings.push(
      findingInString(
        'range-too-short',
        q.node,
        q.toSource(open < 0 ? charIndex(q.text, ms.pos.start) : open),
        `the range [${range}] ${holds}: ${name}() ${needs}, so it returns nothing for that series ${share <= 0 ? 'at every measurement' : 'at the others'} and the condition sees an empty result. Use at least ${formatGoDuration(need * scrape.ms)}${need === 2 ? ` (${formatGoDuration(4 * scrape.ms)}, 4× the scrape interval, also survives a missed scrape)` : ''}`,
      ),
    );
  }
}
