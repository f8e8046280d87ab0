import { Annotations } from './annotations.js';
import { documentedType, exprType, type Expr } from './ast.js';
import { Evaluator, type Steps } from './Evaluator.js';
import { Labels } from './Labels.js';
import { parseExpr, sourceOf } from './parser.js';
import { PromQLEvalError, TOO_MANY_SAMPLES } from './PromQLEvalError.js';
import type { LabelSet, Queryable } from './Queryable.js';
import type { Series } from './values.js';

/** Engine settings. */
export interface EngineOptions {
  /** How far back an instant selector looks for a sample (default 5m; ≤ 0 means the default). */
  lookbackDeltaMs?: number;
  /** Cap on the samples one query may touch (default 50,000,000, Prometheus's default). */
  maxSamples?: number;
}

/** A query's value, with Prometheus's annotations ("PromQL warning: … (1:5)") beside it. */
export type QueryResult =
  | {
      resultType: 'vector';
      result: { metric: LabelSet; value: number }[];
      warnings: string[];
      infos: string[];
    }
  | { resultType: 'scalar'; result: number; warnings: string[]; infos: string[] }
  | { resultType: 'string'; result: string; warnings: string[]; infos: string[] }
  | {
      resultType: 'matrix';
      result: { metric: LabelSet; values: { t: number; v: number }[] }[];
      warnings: string[];
      infos: string[];
    };

const DEFAULT_LOOKBACK_MS = 5 * 60_000;
const DEFAULT_MAX_SAMPLES = 50_000_000;

/**
 * The PromQL engine (Prometheus 3.x semantics, delayed `__name__` removal). Pure: time comes in as
 * arguments. Throws `PromQLParseError` for bad query text and `PromQLEvalError` for runtime errors.
 * Each query also comes stepwise (`…Stepwise`): a generator that pauses every few milliseconds of
 * work, so a caller can serve other requests meanwhile or abandon it (a timeout), as Prometheus
 * checks its context between steps.
 */
export class Engine {
  private readonly lookbackMs: number;
  private readonly maxSamples: number;

  constructor(opts: EngineOptions = {}) {
    const lb = opts.lookbackDeltaMs;
    this.lookbackMs = lb !== undefined && lb > 0 ? lb : DEFAULT_LOOKBACK_MS;
    this.maxSamples = opts.maxSamples ?? DEFAULT_MAX_SAMPLES;
  }

  /** Evaluates `expr` at `tMs`; a range-vector expression returns a matrix of raw samples. */
  instantQuery(q: Queryable, expr: Expr | string, tMs: number): QueryResult {
    return drain(this.instantQueryStepwise(q, expr, tMs));
  }

  /** {@link instantQuery}, pausing (yielding) at each checkpoint. */
  *instantQueryStepwise(q: Queryable, expr: Expr | string, tMs: number): Steps<QueryResult> {
    const { tree, text } = prepare(expr);
    const annotations = new Annotations();
    const value = yield* new Evaluator({
      queryable: q,
      startMs: tMs,
      endMs: tMs,
      intervalMs: 1,
      lookbackMs: this.lookbackMs,
      maxSamples: this.maxSamples,
      annotations,
    }).evaluate(tree);
    const notes = annotations.format(text);
    if (value.kind === 'string') return { resultType: 'string', result: value.value, ...notes };
    const series = value.series;
    switch (exprType(tree)) {
      case 'scalar':
        return { resultType: 'scalar', result: series[0]?.fs[0] ?? NaN, ...notes };
      case 'matrix':
        return { resultType: 'matrix', result: toMatrix(series), ...notes };
      default:
        return {
          resultType: 'vector',
          result: series.map((s) => ({ metric: s.metric.toRecord(), value: s.fs[0]! })),
          ...notes,
        };
    }
  }

  /**
   * Evaluates `expr` at `startMs, startMs+stepMs, …` up to and including `endMs`. Only scalar and
   * instant-vector expressions are allowed; series come sorted by label set.
   */
  rangeQuery(q: Queryable, expr: Expr | string, startMs: number, endMs: number, stepMs: number): QueryResult {
    return drain(this.rangeQueryStepwise(q, expr, startMs, endMs, stepMs));
  }

  /** {@link rangeQuery}, pausing (yielding) at each checkpoint. */
  *rangeQueryStepwise(
    q: Queryable,
    expr: Expr | string,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Steps<QueryResult> {
    if (!(stepMs > 0))
      throw new PromQLEvalError(
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    if (endMs < startMs) throw new PromQLEvalError('end timestamp must not be before start time');
    // Every step is a point of the result: more steps than samples allowed cannot succeed, and
    // the per-step arrays alone would not fit in memory (a test script's `step 1ms` over years).
    if (Math.floor((endMs - startMs) / stepMs) + 1 > this.maxSamples)
      throw new PromQLEvalError(TOO_MANY_SAMPLES);
    const { tree, text } = prepare(expr);
    const t = exprType(tree);
    if (t !== 'vector' && t !== 'scalar') {
      throw new PromQLEvalError(
        `invalid expression type "${documentedType(t)}" for range query, must be Scalar or instant Vector`,
      );
    }
    const annotations = new Annotations();
    const value = yield* new Evaluator({
      queryable: q,
      startMs,
      endMs,
      intervalMs: stepMs,
      lookbackMs: this.lookbackMs,
      maxSamples: this.maxSamples,
      annotations,
    }).evaluate(tree);
    const notes = annotations.format(text);
    if (value.kind === 'string') throw new Error('string value in range query');
    return { resultType: 'matrix', result: toMatrix(value.series), ...notes };
  }
}

/** Runs stepwise work to the end without pausing. */
function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function prepare(expr: Expr | string): { tree: Expr; text: string | undefined } {
  if (typeof expr === 'string') return { tree: parseExpr(expr), text: expr };
  return { tree: expr, text: sourceOf(expr) };
}

function toMatrix(series: Series[]): { metric: LabelSet; values: { t: number; v: number }[] }[] {
  return series
    .slice()
    .sort((a, b) => Labels.compare(a.metric, b.metric))
    .map((s) => ({ metric: s.metric.toRecord(), values: s.ts.map((t, i) => ({ t, v: s.fs[i]! })) }));
}
