import { compileRegexp, RegexpError } from '../../go/regexp.js';
import {
  ConditionEvalError,
  evaluateBoolCondition,
  type ConditionAst,
  type Value,
} from '../../sim/analysis/condition/index.js';
import {
  assessRunStatus,
  conditionErrorMessage,
  emptyMetricResult,
  evaluateMeasurement,
} from '../../sim/analysis/verdict/index.js';
import { charIndex, exprType, type Expr } from '../../sim/promql/index.js';
import { ARGO_PROFILES, type ArgoProfile } from '../../sim/rollout/index.js';
import { checkRanges, type ScrapeInterval } from './checkRanges.js';
import { checkSelectors, type SelectorTargets } from './checkSelectors.js';
import type { ParsedField, ParsedMetric } from './checkTemplateSyntax.js';
import { findingAt, findingInString, type Finding } from './Finding.js';
import { dryRunNames, metricTiming } from './metricTiming.js';
import type { AnalysisUse } from './resolveAnalysis.js';

/** What the checks of an analysis need besides the analysis: the setting it will run in. */
export interface AnalysisContext {
  /** The Argo Rollouts release whose messages the findings quote. */
  argo: ArgoProfile;
  scrape: ScrapeInterval;
  targets: SelectorTargets;
}

type ResultShape = 'scalar' | 'array';

/** Results a query of each shape can return, other than empty and NaN (checked on their own). */
const SAMPLES: Record<ResultShape, Value[]> = {
  scalar: [0, 0.5, 1, 100],
  array: [[0], [0.5], [1], [100], [0.5, 0.5, 0.5, 0.5]],
};

/** Where a query can produce NaN (a character offset in `text`): `a / b` (0/0 without traffic), histogram_quantile, scalar(). */
function nanSource(e: Expr, text: string): { offset: number; what: string; when: string } | undefined {
  switch (e.type) {
    case 'BinaryExpr': {
      if (e.op === '/') {
        const lhsEnd = charIndex(text, e.lhs.pos.end);
        const between = text.slice(lhsEnd, charIndex(text, e.rhs.pos.start));
        return {
          offset: lhsEnd + Math.max(0, between.indexOf('/')),
          what: 'divides',
          when: 'both sides are 0 (0/0: no requests in the window)',
        };
      }
      return nanSource(e.lhs, text) ?? nanSource(e.rhs, text);
    }
    case 'Call':
      if (e.func.name === 'histogram_quantile')
        return {
          offset: charIndex(text, e.pos.start),
          what: 'calls histogram_quantile()',
          when: 'the buckets did not grow (no requests in the window)',
        };
      if (e.func.name === 'scalar')
        return {
          offset: charIndex(text, e.pos.start),
          what: 'calls scalar()',
          when: 'its vector is empty or has more than one series',
        };
      for (const a of e.args) {
        const s = nanSource(a, text);
        if (s) return s;
      }
      return undefined;
    case 'AggregateExpr':
      return nanSource(e.expr, text) ?? (e.param ? nanSource(e.param, text) : undefined);
    case 'ParenExpr':
    case 'UnaryExpr':
      return nanSource(e.expr, text);
    default:
      return undefined;
  }
}

/** The error a condition raises on `result`, or undefined when it evaluates to a bool. */
function evalError(ast: ConditionAst, result: Value): ConditionEvalError | undefined {
  try {
    evaluateBoolCondition(ast, { result });
    return undefined;
  } catch (e) {
    if (e instanceof ConditionEvalError) return e;
    throw e;
  }
}

/**
 * The run's message once a metric's Error measurements pass its consecutiveErrorLimit, as Argo
 * words it (the verdict functions, fed the run's state at that moment).
 */
function errorRunMessage(metric: string, limit: number, message: string): string {
  const n = limit + 1;
  const last = { phase: 'Error' as const, message, startedAt: 0, finishedAt: 0, value: '' };
  const result = {
    ...emptyMetricResult(metric),
    phase: 'Running' as const,
    measurements: [last],
    error: n,
    consecutiveError: n,
  };
  return assessRunStatus([{ name: metric, consecutiveErrorLimit: limit }], [result], false).message;
}

function checkCondition(
  field: 'successCondition' | 'failureCondition',
  c: ParsedField<ConditionAst>,
  shape: ResultShape,
  metric: string,
  consecutiveErrorLimit: number,
  argo: ArgoProfile,
  findings: Finding[],
): boolean {
  const at = (e: ConditionEvalError) => c.toSource(e.offset ?? 0);
  const words = (e: ConditionEvalError, result: Value) =>
    conditionErrorMessage(ARGO_PROFILES[argo].conditionErrors, field, c.parsed.source, e.message, result);
  const errors = SAMPLES[shape].map((s) => evalError(c.parsed, s));
  if (errors.every((e) => e !== undefined)) {
    const e = errors[0]!;
    findings.push(
      findingInString(
        'condition-error',
        c.node,
        at(e),
        `every measurement would be an Error (the query returns ${shape === 'array' ? 'a vector, []float64' : 'a scalar, float64'}) — Argo Rollouts ${argo} says: ${words(e, SAMPLES[shape][0]!)}`,
      ),
    );
    return false;
  }
  if (shape === 'array') {
    const e = evalError(c.parsed, []);
    if (e) {
      const n = consecutiveErrorLimit + 1;
      findings.push(
        findingInString(
          'unguarded-index',
          c.node,
          at(e),
          `on an empty result (no series matched, e.g. before the new version has served a request) it cannot be evaluated: the measurement is an Error, retried every 10s, and error ${n} in a row (consecutiveErrorLimit ${consecutiveErrorLimit}) fails the run and aborts the rollout ${consecutiveErrorLimit * 10}s after the first — Argo Rollouts ${argo} says: ${errorRunMessage(metric, consecutiveErrorLimit, words(e, []))}. Guard it with len(result) == 0 || … (empty passes) or len(result) > 0 && … (empty fails)`,
        ),
      );
    }
  }
  return true;
}

/**
 * What can be known about each metric of an analysis before it runs: the query's result type,
 * conditions that always error or fail on an empty or NaN result, and count against the limits.
 */
function checkMetric(
  pm: ParsedMetric,
  use: AnalysisUse,
  dryRun: boolean,
  ctx: AnalysisContext,
  findings: Finding[],
): void {
  const m = pm.metric;
  const timing = metricTiming(m, use.args, dryRun);
  const { count, failureLimit, consecutiveSuccessLimit: csl, inconclusiveLimit } = timing;
  if (count !== undefined && count > 0) {
    const countNode = m.node.child('count');
    if (failureLimit >= 0 && csl >= 0 && count < failureLimit + csl)
      findings.push(
        findingAt(
          'count-below-limits',
          countNode,
          `count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failureLimit} + ${csl}): Argo rejects the metric`,
        ),
      );
    if (count < inconclusiveLimit)
      findings.push(
        findingAt(
          'count-below-limits',
          countNode,
          `count (${count}) must be >= inconclusiveLimit (${inconclusiveLimit}): Argo rejects the metric`,
        ),
      );
  }
  const q = pm.query;
  if (!q) return;
  checkRanges(q, ctx.scrape, findings);
  checkSelectors(q, ctx.targets, findings);
  const type = exprType(q.parsed);
  if (type === 'string') {
    findings.push(
      findingInString(
        'query-type',
        q.node,
        q.toSource(charIndex(q.text, q.parsed.pos.start)),
        'the query returns a string: Argo measures only scalars, vectors and matrices, so every measurement is an Error (Prometheus metric type not supported)',
      ),
    );
    return;
  }
  const shape: ResultShape = type === 'scalar' ? 'scalar' : 'array';
  const conditions = (['successCondition', 'failureCondition'] as const).flatMap((f) => {
    const c = pm[f];
    return c && !c.partial ? [[f, c] as const] : [];
  });
  const usable = conditions.every(([f, c]) =>
    checkCondition(f, c, shape, m.name, timing.consecutiveErrorLimit, ctx.argo, findings),
  );
  const success = pm.successCondition;
  if (!usable || !success || success.partial || m.failureCondition !== undefined) return;
  const nan = nanSource(q.parsed, q.text);
  if (!nan) return;
  const verdict = evaluateMeasurement({ successCondition: success.parsed }, shape === 'array' ? [NaN] : NaN);
  if (verdict.phase !== 'Failed') return;
  const qPos = q.node.posAt(q.toSource(nan.offset));
  findings.push(
    findingAt(
      'nan-fails',
      success.node,
      `the query ${nan.what} (at ${qPos.line}:${qPos.col}), so it returns NaN when ${nan.when}; with a successCondition and no failureCondition a NaN measurement is Failed${failureLimit >= 0 ? ` (failureLimit ${failureLimit}: failure ${failureLimit + 1} aborts the rollout)` : ''}. Add a failureCondition (NaN is then Inconclusive: the rollout pauses) or accept NaN explicitly (… || isNaN(result${shape === 'array' ? '[0]' : ''}))`,
    ),
  );
}

/**
 * The checks that need the analysis resolved (args, all templates), run for every analysis a
 * Rollout has (and every template no Rollout uses): metric semantics, dryRun and
 * measurementRetention rules that match nothing, and metrics that never end where they must.
 */
export function checkAnalysisUse(use: AnalysisUse, ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const names = use.templates.flatMap((t) => t.template.spec.metrics.map((m) => m.name));
  const dry = dryRunNames(names, use.rules);
  for (const t of use.templates)
    for (const pm of t.metrics) checkMetric(pm, use, dry.has(pm.metric.name), ctx, findings);

  const index = { dryRun: 0, measurementRetention: 0 };
  for (const r of use.rules) {
    const i = index[r.kind]++;
    const re = compileRegexp(r.metricName);
    if (re instanceof RegexpError || names.some((n) => re.matchString(n)) || !use.complete) continue;
    findings.push(
      findingAt(
        r.kind === 'dryRun' ? 'dry-run-no-match' : 'retention-no-match',
        r.node.child('metricName'),
        `${r.kind} rule ${JSON.stringify(r.metricName)} matches no metric (${names.join(', ')}; an unanchored Go regexp, use .* for all): the run ends in Error: Analysis spec invalid: ${r.kind}[${i}]: Rule didn't match any metric name(s)`,
      ),
    );
  }

  if (use.kind === 'step' || use.kind === 'prePromotion' || use.kind === 'postPromotion') {
    for (const t of use.templates) {
      for (const m of t.template.spec.metrics) {
        const timing = metricTiming(m, use.args, false);
        if (timing.effectiveCount !== undefined || timing.unknown.includes('count')) continue;
        const what =
          use.kind === 'step'
            ? `step ${use.stepIndex}'s analysis`
            : `${use.kind === 'prePromotion' ? 'pre' : 'post'}-promotion analysis`;
        findings.push(
          findingAt(
            'unbounded-metric',
            t.refNode.child('templateName'),
            // Argo's own words (it names a ClusterAnalysisTemplate "AnalysisTemplate" too).
            `AnalysisTemplate ${t.template.name} has metric ${m.name} which runs indefinitely. Invalid value for count: ${m.count === undefined ? '<nil>' : String(m.count)} (interval ${m.interval} without a count never ends, so ${what} could never complete; the Rollout is InvalidSpec)`,
          ),
        );
      }
    }
  }
  return findings;
}
