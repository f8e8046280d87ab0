import { compileRegexp, RegexpError } from '../../go/regexp.js';
import { accumulate, finalize, KHeap, newGroups } from './aggregation.js';
import { Annotations, invalidQuantile, possibleNonCounter } from './annotations.js';
import {
  exprType,
  unwrapParens,
  type AggregateExpr,
  type BinaryExpr,
  type Call,
  type Expr,
  type MatrixSelector,
  type VectorMatching,
  type VectorSelector,
} from './ast.js';
import {
  ResultMetricCache,
  scalarBinop,
  signatureKey,
  vectorAnd,
  vectorBinop,
  vectorOr,
  vectorScalarBinop,
  vectorUnless,
} from './binaryOps.js';
import { formatGoFloat } from './goFormat.js';
import { expandTemplate } from './expandTemplate.js';
import { INSTANT_FUNCTIONS, labelsForAbsent, type FunctionContext } from './instantFunctions.js';
import { Labels } from './Labels.js';
import { mergeSameLabelsets } from './mergeSameLabelsets.js';
import type { PositionRange } from './PositionRange.js';
import { PromQLEvalError, TOO_MANY_SAMPLES } from './PromQLEvalError.js';
import type { Queryable, SeriesData } from './Queryable.js';
import { RANGE_KERNELS, type RangeCall } from './rangeFunctions.js';
import { isValidUtf8 } from './unquoteString.js';
import type { Sample, Series } from './values.js';

/*
 * Evaluates an expression over the steps `start, start+interval, …, end` (an instant query is a
 * single step), node by node like Prometheus's evaluator: each node yields a matrix of step
 * points, and operators combine them step by step (`rangeEval`). Selectors read the storage once
 * per query and then binary-search the typed arrays per step.
 *
 * The evaluation is a generator that pauses (yields) after every CHECKPOINT_EVERY units of work
 * — a sample read, a point produced, a series visited at a step — where Prometheus checks its
 * context: the caller may give other work a turn, or stop there (a query timeout).
 */

/** Units of work between two pauses: a millisecond or two. */
const CHECKPOINT_EVERY = 20_000;

/** An evaluation in progress: it yields at each checkpoint and returns its value. */
export type Steps<T> = Generator<void, T, void>;

/** Settings for one evaluation. */
export interface EvaluatorOptions {
  readonly queryable: Queryable;
  readonly startMs: number;
  readonly endMs: number;
  /** Step in ms (1 for an instant query). */
  readonly intervalMs: number;
  readonly lookbackMs: number;
  readonly maxSamples: number;
  readonly annotations: Annotations;
}

/** A matrix or a string (the only non-matrix value). */
export type EvalResult = { kind: 'matrix'; series: Series[] } | { kind: 'string'; value: string };

/** One selected series with its labels converted once. */
interface Selected {
  readonly labels: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly start: number;
  readonly end: number;
  readonly mayHaveStale: boolean;
}

const STALE_HI = 0x7ff00000;
const STALE_LO = 0x00000002;

/** True when vs[i] holds the stale marker (bits read in place: copies may lose NaN payloads). */
function staleAt(vs: Float64Array, i: number): boolean {
  const v = vs[i]!;
  if (v === v) return false;
  const bits = new Uint32Array(vs.buffer, vs.byteOffset + i * 8, 2);
  return bits[0] === STALE_LO && bits[1] === STALE_HI;
}

/** First index in [lo, hi) with ts[i] > t (hi when none). */
function upperBound(ts: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Like `upperBound` from `i`, stepping linearly first: consecutive steps usually move a few samples. */
function advance(ts: Float64Array, i: number, hi: number, t: number): number {
  for (let n = 0; n < 8; n++) {
    if (i >= hi || ts[i]! > t) return i;
    i++;
  }
  return upperBound(ts, i, hi, t);
}

const KEEP_NAME_FUNCTIONS = new Set(['last_over_time', 'first_over_time']);
const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];
const MIN_INT64 = -9223372036854775808;
const MAX_INT64 = 9223372036854774784;

/** One query's evaluation. */
export class Evaluator {
  private readonly start: number;
  private readonly end: number;
  private readonly interval: number;
  private readonly numSteps: number;
  private samples = 0;
  private credit = CHECKPOINT_EVERY;

  constructor(private readonly o: EvaluatorOptions) {
    this.start = o.startMs;
    this.end = o.endMs;
    this.interval = o.intervalMs;
    this.numSteps = Math.floor((o.endMs - o.startMs) / o.intervalMs) + 1;
  }

  /** Evaluates `expr` and applies pending `__name__` drops, merging series that became equal. */
  *evaluate(expr: Expr): Steps<EvalResult> {
    const v = yield* this.evalExpr(expr);
    if (v.kind === 'string') return v;
    for (const s of v.series) if (s.dropName) s.metric = s.metric.dropMetricName();
    return { kind: 'matrix', series: mergeSameLabelsets(v.series) };
  }

  /**
   * Tracks samples held by the query, like Prometheus's `currentSamples`: points of every
   * intermediate result stay counted; a range window counts only while it is being read.
   */
  /** Spends `units` of work; true when the credit ran out, and the caller pauses (`yield`). */
  private spent(units: number): boolean {
    this.credit -= units;
    return this.pauseDue();
  }

  /** True (and the credit renewed) when the work done since the last pause calls for one. */
  private pauseDue(): boolean {
    if (this.credit > 0) return false;
    this.credit = CHECKPOINT_EVERY;
    return true;
  }

  private count(n: number, transient = false): void {
    if (this.samples + n > this.o.maxSamples) {
      throw new PromQLEvalError(TOO_MANY_SAMPLES);
    }
    if (!transient) this.samples += n;
  }

  private *evalMatrix(expr: Expr): Steps<Series[]> {
    const v = yield* this.evalExpr(expr);
    if (v.kind !== 'matrix') throw new Error(`unexpected string value for ${expr.type}`);
    return v.series;
  }

  private *evalExpr(e: Expr): Steps<EvalResult> {
    switch (e.type) {
      case 'NumberLiteral':
        return this.matrix(
          yield* this.rangeEval([], () => [{ metric: Labels.EMPTY, f: e.val, dropName: false }]),
        );
      case 'StringLiteral':
        return { kind: 'string', value: e.val };
      case 'ParenExpr':
        return yield* this.evalExpr(e.expr);
      case 'UnaryExpr': {
        const series = yield* this.evalMatrix(e.expr);
        if (e.op === '-') {
          for (const s of series) {
            s.dropName = true;
            for (let i = 0; i < s.fs.length; i++) s.fs[i] = -s.fs[i]!;
          }
        }
        return this.matrix(series);
      }
      case 'VectorSelector':
        return this.matrix(yield* this.vectorSelector(e));
      case 'MatrixSelector':
        if (this.start !== this.end) throw new Error('cannot do range evaluation of matrix selector');
        return this.matrix(yield* this.matrixSelector(e));
      case 'BinaryExpr':
        return this.matrix(yield* this.binary(e));
      case 'AggregateExpr':
        return this.matrix(yield* this.aggregate(e));
      case 'Call':
        return this.matrix(yield* this.call(e));
    }
  }

  private matrix(series: Series[]): EvalResult {
    return { kind: 'matrix', series };
  }

  // --- selection --------------------------------------------------------------------------

  /** The time a selector is pinned to by `@`, or null. */
  private pinnedTime(vs: VectorSelector): number | null {
    if (vs.timestampMs !== null) return vs.timestampMs;
    if (vs.startOrEnd === 'start') return this.start;
    if (vs.startOrEnd === 'end') return this.end;
    return null;
  }

  private select(vs: VectorSelector, rangeMs: number): Selected[] {
    const pinned = this.pinnedTime(vs);
    const from = pinned ?? this.start;
    const to = pinned ?? this.end;
    // Both windows are open on the left: a sample exactly `range` (or lookback) old is excluded.
    const mint = from - vs.offsetMs - (rangeMs > 0 ? rangeMs : this.o.lookbackMs) + 1;
    const maxt = to - vs.offsetMs;
    const out: Selected[] = [];
    for (const d of this.o.queryable.select(vs.matchers, mint, maxt)) out.push(toSelected(d));
    return out;
  }

  /**
   * For each step, the index of the sample an instant selector picks for `sel`: the newest one at
   * or before the step's time (minus offset, or the `@` time) and less than the lookback old, or
   * -1 when there is none or it is a stale marker.
   */
  private instantIndexes(sel: Selected, vs: VectorSelector): Int32Array {
    const pinned = this.pinnedTime(vs);
    const lookback = this.o.lookbackMs;
    const out = new Int32Array(this.numSteps);
    let next = sel.start;
    for (let k = 0, t = this.start; k < this.numSteps; k++, t += this.interval) {
      const ref = (pinned ?? t) - vs.offsetMs;
      // `next` is the first sample after ref; steps only move it forward (unless pinned).
      next =
        pinned !== null || k === 0
          ? upperBound(sel.ts, sel.start, sel.end, ref)
          : advance(sel.ts, next, sel.end, ref);
      const idx = next - 1;
      const live =
        idx >= sel.start && sel.ts[idx]! > ref - lookback && !(sel.mayHaveStale && staleAt(sel.vs, idx));
      out[k] = live ? idx : -1;
    }
    return out;
  }

  private *vectorSelector(vs: VectorSelector): Steps<Series[]> {
    const out: Series[] = [];
    for (const sel of this.select(vs, 0)) {
      if (this.spent(this.numSteps)) yield;
      const idx = this.instantIndexes(sel, vs);
      const ts: number[] = [];
      const fs: number[] = [];
      for (let k = 0, t = this.start; k < this.numSteps; k++, t += this.interval) {
        if (idx[k]! < 0) continue;
        ts.push(t);
        fs.push(sel.vs[idx[k]!]!);
      }
      if (ts.length > 0) {
        this.count(ts.length);
        out.push({ metric: sel.labels, dropName: false, ts, fs });
      }
    }
    return out;
  }

  /** A range vector as a result (instant queries only): the raw samples, stale markers dropped. */
  private *matrixSelector(ms: MatrixSelector): Steps<Series[]> {
    const vs = ms.vectorSelector;
    const ref = (this.pinnedTime(vs) ?? this.start) - vs.offsetMs;
    const out: Series[] = [];
    for (const sel of this.select(vs, ms.rangeMs)) {
      const lo = upperBound(sel.ts, sel.start, sel.end, ref - ms.rangeMs);
      const hi = upperBound(sel.ts, lo, sel.end, ref);
      if (this.spent(hi - lo + 1)) yield;
      const ts: number[] = [];
      const fs: number[] = [];
      for (let i = lo; i < hi; i++) {
        if (sel.mayHaveStale && staleAt(sel.vs, i)) continue;
        ts.push(sel.ts[i]!);
        fs.push(sel.vs[i]!);
      }
      if (ts.length > 0) {
        this.count(ts.length);
        out.push({ metric: sel.labels, dropName: false, ts, fs });
      }
    }
    return out;
  }

  // --- step-wise combination --------------------------------------------------------------

  /**
   * Evaluates `exprs` (null for string arguments), then calls `fn` once per step with the samples
   * each has at that step, and assembles the outputs into series. With `matching`, also passes
   * each sample's signature ordinal. In an instant query the output keeps `fn`'s order.
   */
  private *rangeEval(
    exprs: readonly (Expr | null)[],
    fn: (vectors: Sample[][], sigs: number[][], ts: number) => Sample[],
    matching?: VectorMatching | null,
  ): Steps<Series[]> {
    const matrices: Series[][] = [];
    for (const e of exprs) matrices.push(e === null ? [] : yield* this.evalMatrix(e));
    let width = 1;
    for (const m of matrices) width += m.length;
    let seriesSigs: number[][] = [];
    if (matching) {
      const names = new Set(matching.matchingLabels);
      const ordinals = new Map<string, number>();
      seriesSigs = matrices.map((m) =>
        m.map((s) => {
          const key = signatureKey(s.metric, matching.on, names);
          let ord = ordinals.get(key);
          if (ord === undefined) {
            ord = ordinals.size;
            ordinals.set(key, ord);
          }
          return ord;
        }),
      );
    }
    const cursors = matrices.map((m) => new Int32Array(m.length));
    const instant = this.start === this.end;
    const out = new Map<string, { series: Series }>();
    /** The last step each label set appeared at. */
    const seen = new Map<string, number>();
    for (let k = 0, t = this.start; k < this.numSteps;) {
      // Steps run in chunks between pauses: a yield inside the step loop slows every step.
      for (; k < this.numSteps && this.credit > 0; k++, t += this.interval) {
        this.credit -= width;
        const vectors: Sample[][] = [];
        const sigs: number[][] = [];
        for (let m = 0; m < matrices.length; m++) {
          const mat = matrices[m]!;
          const cur = cursors[m]!;
          const vec: Sample[] = [];
          const sig: number[] = [];
          for (let i = 0; i < mat.length; i++) {
            const s = mat[i]!;
            const c = cur[i]!;
            if (c < s.ts.length && s.ts[c] === t) {
              vec.push({ metric: s.metric, f: s.fs[c]!, dropName: s.dropName });
              if (matching) sig.push(seriesSigs[m]![i]!);
              cur[i] = c + 1;
            }
          }
          vectors.push(vec);
          sigs.push(sig);
        }
        const result = fn(vectors, sigs, t);
        this.count(result.length);
        if (instant)
          return result.map((s) => ({ metric: s.metric, dropName: s.dropName, ts: [t], fs: [s.f] }));
        for (const s of result) {
          // A step's samples must differ in their labels (name included), as in Prometheus. Across
          // steps, a series whose name is to be dropped is kept apart from one with the same labels
          // that keeps it (`x == 0 or x * 0 + 2`): Prometheus, dropping names as it goes, returns
          // `x{…}` and `{…}` as two series.
          const key = s.metric.key;
          if (seen.get(key) === t)
            throw new PromQLEvalError('vector cannot contain metrics with the same labelset');
          seen.set(key, t);
          const outKey = s.dropName ? `${key}\u0000drop` : key;
          const entry = out.get(outKey);
          if (entry) {
            entry.series.ts.push(t);
            entry.series.fs.push(s.f);
          } else {
            out.set(outKey, { series: { metric: s.metric, dropName: s.dropName, ts: [t], fs: [s.f] } });
          }
        }
      }
      if (this.pauseDue()) yield;
    }
    return [...out.values()].map((e) => e.series);
  }

  // --- operators --------------------------------------------------------------------------

  private *binary(e: BinaryExpr): Steps<Series[]> {
    const lt = exprType(e.lhs);
    const rt = exprType(e.rhs);
    if (lt === 'scalar' && rt === 'scalar') {
      return yield* this.rangeEval([e.lhs, e.rhs], ([l, r]) => [
        { metric: Labels.EMPTY, f: scalarBinop(e.op, l![0]!.f, r![0]!.f), dropName: false },
      ]);
    }
    if (lt === 'vector' && rt === 'vector') {
      const matching = e.matching!;
      switch (e.op) {
        case 'and':
          return yield* this.rangeEval(
            [e.lhs, e.rhs],
            ([l, r], [ls, rs]) => vectorAnd(l!, r!, ls!, rs!),
            matching,
          );
        case 'or':
          return yield* this.rangeEval(
            [e.lhs, e.rhs],
            ([l, r], [ls, rs]) => vectorOr(l!, r!, ls!, rs!),
            matching,
          );
        case 'unless':
          return yield* this.rangeEval(
            [e.lhs, e.rhs],
            ([l, r], [ls, rs]) => vectorUnless(l!, r!, ls!, rs!),
            matching,
          );
        default: {
          const cache = new ResultMetricCache(e.op, matching);
          return yield* this.rangeEval(
            [e.lhs, e.rhs],
            ([l, r], [ls, rs]) => vectorBinop(e.op, l!, r!, matching, e.returnBool, ls!, rs!, cache),
            matching,
          );
        }
      }
    }
    if (lt === 'vector') {
      return yield* this.rangeEval([e.lhs, e.rhs], ([l, r]) =>
        vectorScalarBinop(e.op, l!, r![0]!.f, false, e.returnBool),
      );
    }
    return yield* this.rangeEval([e.lhs, e.rhs], ([l, r]) =>
      vectorScalarBinop(e.op, r!, l![0]!.f, true, e.returnBool),
    );
  }

  /** Per-step values of a scalar parameter (k of topk, φ of quantile). */
  private *scalarParam(param: Expr): Steps<number[]> {
    const values = new Array<number>(this.numSteps).fill(NaN);
    const series = yield* this.evalMatrix(param);
    const s = series[0];
    if (s)
      for (let i = 0; i < s.ts.length; i++)
        values[Math.round((s.ts[i]! - this.start) / this.interval)] = s.fs[i]!;
    return values;
  }

  private *aggregate(e: AggregateExpr): Steps<Series[]> {
    const param = e.param ? unwrapParens(e.param) : null;
    const params = param ? yield* this.scalarParam(param) : [];
    const input = yield* this.evalMatrix(unwrapParens(e.expr));
    const grouping = new Set(e.grouping);
    const isK = e.op === 'topk' || e.op === 'bottomk';

    // Map input series to groups once: `by` keeps the listed labels, `without` drops them and
    // the name, no clause makes one group.
    if (e.without) grouping.add('__name__');
    const groupLabels = (m: Labels): Labels =>
      e.without ? m.without(grouping) : grouping.size === 0 ? Labels.EMPTY : m.keep(grouping);
    const groupIndex = new Int32Array(input.length);
    const keys = new Map<string, number>();
    const groupMetrics: Labels[] = [];
    input.forEach((s, i) => {
      const labels = groupLabels(s.metric);
      let g = keys.get(labels.key);
      if (g === undefined) {
        g = keys.size;
        keys.set(labels.key, g);
        groupMetrics.push(labels);
      }
      groupIndex[i] = g;
    });
    const numGroups = keys.size;

    if (param) {
      // Go's math.Min/Max: a NaN anywhere makes both NaN, so only the NaN check fires then.
      let min = Infinity;
      let max = -Infinity;
      let anyNaN = false;
      for (const p of params) {
        if (Number.isNaN(p)) anyNaN = true;
        min = Math.min(min, p);
        max = Math.max(max, p);
      }
      if (isK) {
        if (max < 1) return [];
        if (anyNaN) throw new PromQLEvalError('Parameter value is NaN');
        if (min <= MIN_INT64)
          throw new PromQLEvalError(`Scalar value ${formatGoFloat(min)} underflows int64`);
        if (max >= MAX_INT64) throw new PromQLEvalError(`Scalar value ${formatGoFloat(max)} overflows int64`);
      } else if (e.op === 'quantile') {
        if (anyNaN) this.o.annotations.add('warning', invalidQuantile(NaN), param.pos);
        if (max > 1) this.o.annotations.add('warning', invalidQuantile(max), param.pos);
        if (min < 0) this.o.annotations.add('warning', invalidQuantile(min), param.pos);
      }
    }

    const cursors = new Int32Array(input.length);
    const instant = this.start === this.end;
    // topk/bottomk keep the input series' own labels; other aggregations output one series a group.
    const result: Series[] = isK
      ? []
      : groupMetrics.map((metric) => ({ metric, dropName: false, ts: [], fs: [] }));
    const kOut = new Map<string, Series>();
    const groups = newGroups(numGroups);
    for (let step = 0, t = this.start; step < this.numSteps;) {
      // Steps run in chunks between pauses: a yield inside the step loop slows every step.
      for (; step < this.numSteps && this.credit > 0; step++, t += this.interval) {
        this.credit -= input.length + 1;
        const p = params[step] ?? NaN;
        if (isK) {
          const k = Math.min(Math.trunc(p), input.length);
          const heaps: (KHeap | undefined)[] = new Array(numGroups);
          const order: number[] = [];
          for (let si = 0; si < input.length; si++) {
            const s = input[si]!;
            const c = cursors[si]!;
            if (!(c < s.ts.length && s.ts[c] === t)) continue;
            cursors[si] = c + 1;
            if (!(k >= 1)) continue;
            const g = groupIndex[si]!;
            let h = heaps[g];
            if (!h) {
              h = new KHeap(k, e.op === 'topk');
              heaps[g] = h;
              order.push(g);
            }
            h.offer({ metric: s.metric, f: s.fs[c]!, dropName: s.dropName });
          }
          for (const g of order.sort((a, b) => a - b)) {
            for (const smp of heaps[g]!.sorted()) {
              if (instant) {
                result.push({ metric: smp.metric, dropName: smp.dropName, ts: [t], fs: [smp.f] });
                continue;
              }
              let series = kOut.get(smp.metric.key);
              if (!series) {
                series = { metric: smp.metric, dropName: smp.dropName, ts: [], fs: [] };
                kOut.set(smp.metric.key, series);
              }
              series.ts.push(t);
              series.fs.push(smp.f);
            }
          }
          continue;
        }
        for (const g of groups) g.seen = false;
        for (let si = 0; si < input.length; si++) {
          const s = input[si]!;
          const c = cursors[si]!;
          if (!(c < s.ts.length && s.ts[c] === t)) continue;
          cursors[si] = c + 1;
          accumulate(e.op, groups[groupIndex[si]!]!, s.fs[c]!, s.dropName);
        }
        for (let g = 0; g < numGroups; g++) {
          const grp = groups[g]!;
          if (!grp.seen) continue;
          const series = result[g]!;
          series.ts.push(t);
          series.fs.push(finalize(e.op, grp, p));
          series.dropName = grp.dropName;
        }
      }
      if (this.pauseDue()) yield;
    }
    const out = isK ? (instant ? result : [...kOut.values()]) : result.filter((s) => s.ts.length > 0);
    for (const s of out) this.count(s.ts.length);
    return out;
  }

  // --- functions --------------------------------------------------------------------------

  private *call(e: Call): Steps<Series[]> {
    const name = e.func.name;
    const args = e.args.map(unwrapParens);
    if (name === 'label_replace') return yield* this.labelReplace(args);
    if (name === 'label_join') return yield* this.labelJoin(args);
    const first = args[0];
    if (name === 'timestamp' && first?.type === 'VectorSelector')
      return yield* this.timestampOfSelector(first);
    const matrixIndex = args.findIndex((a) => a.type === 'MatrixSelector');
    if (matrixIndex >= 0) return yield* this.rangeFunction(e, args, matrixIndex);
    const fn = INSTANT_FUNCTIONS.get(name);
    if (!fn) throw new Error(`no implementation for function ${name}`);
    const annotations = this.o.annotations;
    const ctx: { -readonly [K in keyof FunctionContext]: FunctionContext[K] } = {
      ts: 0,
      args,
      warn: (text, pos, key) => annotations.add('warning', text, pos, key),
      info: (text, pos, key) => annotations.add('info', text, pos, key),
    };
    return yield* this.rangeEval(
      args.map((a) => (exprType(a) === 'string' ? null : a)),
      (vectors, _sigs, ts) => {
        ctx.ts = ts;
        return fn(vectors, ctx);
      },
    );
  }

  private *rangeFunction(e: Call, args: readonly Expr[], matrixIndex: number): Steps<Series[]> {
    const name = e.func.name;
    const kernel = RANGE_KERNELS.get(name);
    if (!kernel) throw new Error(`no implementation for function ${name}`);
    const ms = args[matrixIndex] as MatrixSelector;
    const vs = ms.vectorSelector;
    const paramArgs = args.filter((_, i) => i !== matrixIndex);
    const params: number[][] = [];
    for (const a of paramArgs) params.push(yield* this.scalarParam(a));
    const pinned = this.pinnedTime(vs);
    const dropName = !KEEP_NAME_FUNCTIONS.has(name);
    const annotations = this.o.annotations;
    const paramPos: PositionRange = args[0]!.pos;
    const call: RangeCall = {
      rangeStartMs: 0,
      rangeEndMs: 0,
      rangeMs: ms.rangeMs,
      evalMs: 0,
      params: params.map(() => NaN),
      warnParam: (text) => annotations.add('warning', text, paramPos),
    };
    const out: Series[] = [];
    for (const sel of this.select(vs, ms.rangeMs)) {
      if (this.spent(sel.end - sel.start)) yield;
      const src = windowSource(sel);
      // One mutable window per series: kernels read it and keep nothing.
      const win = { ts: src.ts, vs: src.vs, lo: src.lo, hi: src.lo };
      const ts: number[] = [];
      const fs: number[] = [];
      let lo = src.lo;
      let hi = src.lo;
      for (let k = 0, t = this.start; k < this.numSteps;) {
        // Steps run in chunks between pauses: a yield inside the step loop slows every step.
        for (; k < this.numSteps && this.credit > 0; k++, t += this.interval) {
          const ref = (pinned ?? t) - vs.offsetMs;
          // Steps only move forward, so both bounds do too (unless pinned by @).
          if (pinned !== null || k === 0) {
            lo = upperBound(src.ts, src.lo, src.hi, ref - ms.rangeMs);
            hi = upperBound(src.ts, lo, src.hi, ref);
          } else {
            lo = advance(src.ts, lo, src.hi, ref - ms.rangeMs);
            hi = advance(src.ts, hi < lo ? lo : hi, src.hi, ref);
          }
          this.credit -= hi - lo + 1;
          if (lo >= hi) continue;
          this.count(hi - lo, true);
          call.rangeStartMs = ref - ms.rangeMs;
          call.rangeEndMs = ref;
          call.evalMs = t;
          for (let p = 0; p < params.length; p++) call.params[p] = params[p]![k]!;
          win.lo = lo;
          win.hi = hi;
          const v = kernel(win, call);
          if (v === undefined) continue;
          ts.push(t);
          fs.push(v);
        }
        if (this.pauseDue()) yield;
      }
      if (ts.length === 0) continue;
      this.count(ts.length);
      out.push({ metric: sel.labels, dropName, ts, fs });
      if (name === 'rate' || name === 'increase') {
        const metricName = sel.labels.get('__name__');
        if (metricName !== '' && !COUNTER_SUFFIXES.some((suffix) => metricName.endsWith(suffix))) {
          annotations.add('info', possibleNonCounter(metricName), args[0]!.pos);
        }
      }
    }
    if (name === 'absent_over_time') return this.absentOverTime(out, args[0]!);
    return out;
  }

  /** 1 at every step where no selected series had a sample in its window. */
  private absentOverTime(present: Series[], arg: Expr): Series[] {
    const found = new Set<number>();
    for (const s of present) {
      if (s.ts.length === this.numSteps) return [];
      for (const t of s.ts) found.add(t);
    }
    const ts: number[] = [];
    const fs: number[] = [];
    for (let k = 0, t = this.start; k < this.numSteps; k++, t += this.interval) {
      if (found.has(t)) continue;
      ts.push(t);
      fs.push(1);
    }
    if (ts.length === 0) return [];
    return [{ metric: labelsForAbsent(arg), dropName: true, ts, fs }];
  }

  /** `timestamp(selector)`: the time of the sample each step selected, in seconds. */
  private *timestampOfSelector(vs: VectorSelector): Steps<Series[]> {
    const out: Series[] = [];
    for (const sel of this.select(vs, 0)) {
      if (this.spent(this.numSteps)) yield;
      const idx = this.instantIndexes(sel, vs);
      const ts: number[] = [];
      const fs: number[] = [];
      for (let k = 0, t = this.start; k < this.numSteps; k++, t += this.interval) {
        if (idx[k]! < 0) continue;
        ts.push(t);
        fs.push(sel.ts[idx[k]!]! / 1000);
      }
      if (ts.length > 0) out.push({ metric: sel.labels, dropName: true, ts, fs });
    }
    return out;
  }

  private *labelReplace(args: readonly Expr[]): Steps<Series[]> {
    const [dst, repl, src, regex] = args.slice(1).map(stringArg) as [string, string, string, string];
    // Prometheus compiles exactly this text, so `a)(b` is accepted here as it is there.
    const re = compileRegexp(`^(?s:${regex})$`);
    if (re instanceof RegexpError)
      throw new PromQLEvalError(
        re.kind === 'limit'
          ? `invalid regular expression in label_replace(): ${re.message}`
          : `invalid regular expression in label_replace(): ${regex}`,
      );
    if (!isValidLabelName(dst))
      throw new PromQLEvalError(`invalid destination label name in label_replace(): ${dst}`);
    const series = yield* this.evalMatrix(args[0]!);
    for (const s of series) {
      const m = re.exec(s.metric.get(src));
      if (!m) continue;
      s.metric = s.metric.set(dst, expandTemplate(repl, m));
      s.dropName = dst === '__name__' ? false : s.dropName;
    }
    return mergeSameLabelsets(series);
  }

  private *labelJoin(args: readonly Expr[]): Steps<Series[]> {
    const strings = args.slice(1).map(stringArg);
    const dst = strings[0]!;
    const sep = strings[1]!;
    const srcs = strings.slice(2);
    for (const src of srcs) {
      if (!isValidLabelName(src))
        throw new PromQLEvalError(`invalid source label name in label_join(): ${src}`);
    }
    if (!isValidLabelName(dst))
      throw new PromQLEvalError(`invalid destination label name in label_join(): ${dst}`);
    const series = yield* this.evalMatrix(args[0]!);
    for (const s of series) {
      s.metric = s.metric.set(dst, srcs.map((l) => s.metric.get(l)).join(sep));
      s.dropName = dst === '__name__' ? false : s.dropName;
    }
    return mergeSameLabelsets(series);
  }
}

/** Prometheus 3 accepts any non-empty valid UTF-8 label name. */
function isValidLabelName(name: string): boolean {
  return name !== '' && isValidUtf8(name);
}

function stringArg(e: Expr): string {
  if (e.type !== 'StringLiteral') throw new Error('expected a string literal argument');
  return e.val;
}

function toSelected(d: SeriesData): Selected {
  return {
    labels: Labels.fromRecord(d.labels),
    ts: d.ts,
    vs: d.vs,
    start: d.start,
    end: d.end,
    mayHaveStale: d.mayHaveStale !== false,
  };
}

/** The selected samples without stale markers (a copy only when there are any). */
function windowSource(sel: Selected): { ts: Float64Array; vs: Float64Array; lo: number; hi: number } {
  if (sel.mayHaveStale) {
    let stale = 0;
    for (let i = sel.start; i < sel.end; i++) if (staleAt(sel.vs, i)) stale++;
    if (stale > 0) {
      const n = sel.end - sel.start - stale;
      const ts = new Float64Array(n);
      const vs = new Float64Array(n);
      let j = 0;
      for (let i = sel.start; i < sel.end; i++) {
        if (staleAt(sel.vs, i)) continue;
        ts[j] = sel.ts[i]!;
        vs[j] = sel.vs[i]!;
        j++;
      }
      return { ts, vs, lo: 0, hi: n };
    }
  }
  return { ts: sel.ts, vs: sel.vs, lo: sel.start, hi: sel.end };
}
