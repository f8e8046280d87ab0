import { badBucketLabel, forcedMonotonicity, invalidQuantile } from './annotations.js';
import { unwrapParens, type Expr } from './ast.js';
import { formatGoFloat, parseGoFloat } from './goFormat.js';
import { Labels } from './Labels.js';
import type { PositionRange } from './PositionRange.js';
import { bucketQuantile, type Bucket } from './quantile.js';
import type { Sample } from './values.js';

/*
 * Functions evaluated step by step on instant vectors and scalars, ported from Prometheus's
 * `promql/functions.go`. Scalars arrive as one-sample vectors. Functions that change the meaning
 * of a value mark `dropName` (the name is removed at the end of the query).
 */

/** What a function sees besides its argument values. */
export interface FunctionContext {
  /** The step's evaluation time in ms. */
  readonly ts: number;
  /** The call's arguments (parentheses removed), for string arguments and positions. */
  readonly args: readonly Expr[];
  warn(text: string, pos: PositionRange, key?: string): void;
  info(text: string, pos: PositionRange, key?: string): void;
}

/** A function body for one step. */
export type InstantFunction = (vecs: readonly (readonly Sample[])[], ctx: FunctionContext) => Sample[];

function simple(f: (x: number) => number): InstantFunction {
  return (vecs) => vecs[0]!.map((s) => ({ metric: s.metric, f: f(s.f), dropName: true }));
}

function clamp(vec: readonly Sample[], min: number, max: number): Sample[] {
  if (max < min) return [];
  // Go's math.Max/Min: NaN in, NaN out.
  return vec.map((s) => ({ metric: s.metric, f: goMax(min, goMin(max, s.f)), dropName: true }));
}

function goMax(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return Math.max(a, b);
}

function goMin(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return Math.min(a, b);
}

const scalarArg = (vecs: readonly (readonly Sample[])[], i: number): number => vecs[i]![0]?.f ?? NaN;

/**
 * `absent`'s labels: equality matchers of a selector argument, except that a label constrained
 * more than once (or by a non-equality matcher) is left out; `__name__` never appears.
 */
export function labelsForAbsent(arg: Expr): Labels {
  const e = unwrapParens(arg);
  const matchers =
    e.type === 'VectorSelector' ? e.matchers : e.type === 'MatrixSelector' ? e.vectorSelector.matchers : null;
  if (!matchers) return Labels.EMPTY;
  let out = Labels.EMPTY;
  const has = new Set<string>();
  for (const m of matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !has.has(m.name)) {
      out = out.set(m.name, m.value);
      has.add(m.name);
    } else {
      out = out.set(m.name, '');
    }
  }
  return out;
}

/**
 * `histogram_quantile(φ, buckets)` over classic `le` buckets: groups samples by all labels but
 * `le` (the name included), then interpolates within the bucket holding rank φ·total. Samples
 * without a parseable `le` are skipped with a warning; non-monotonic counts are fixed with an info.
 */
const histogramQuantile: InstantFunction = (vecs, ctx) => {
  const q = scalarArg(vecs, 0);
  const [qArg, vecArg] = ctx.args as [Expr, Expr];
  if (Number.isNaN(q) || q < 0 || q > 1) ctx.warn(invalidQuantile(q), qArg.pos);
  const groups = new Map<string, { metric: Labels; buckets: Bucket[] }>();
  const noLe = new Set(['le']);
  const nameAndLe = new Set(['__name__', 'le']);
  for (const s of vecs[1]!) {
    const le = s.metric.get('le');
    const ub = parseGoFloat(le);
    if (typeof ub === 'string') {
      ctx.warn(badBucketLabel(s.metric.get('__name__'), le), vecArg.pos);
      continue;
    }
    const key = s.metric.without(noLe).key;
    let g = groups.get(key);
    if (!g) {
      g = { metric: s.metric.without(nameAndLe), buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push({ upperBound: ub, count: s.f });
  }
  const out: Sample[] = [];
  for (const [key, g] of groups) {
    const r = bucketQuantile(q, g.buckets);
    if (r.forcedMonotonic) {
      const name = key.startsWith('__name__\u0000') ? key.split('\u0000')[1]! : '';
      const details = `, from buckets ${formatGoFloat(r.minBucket)} to ${formatGoFloat(r.maxBucket)}, with a max diff of ${formatGoFloat(Number(r.maxDiff.toPrecision(2)))}`;
      ctx.info(forcedMonotonicity(name, details), vecArg.pos, `monotonicity\u0000${name}`);
    }
    out.push({ metric: g.metric, f: r.value, dropName: true });
  }
  return out;
};

function sortBy(desc: boolean): InstantFunction {
  return (vecs) =>
    vecs[0]!.slice().sort((a, b) => {
      // NaN always last.
      if (a.f !== a.f) return b.f !== b.f ? 0 : 1;
      if (b.f !== b.f) return -1;
      return desc ? b.f - a.f : a.f - b.f;
    });
}

/** Instant-vector and scalar functions, by name. */
export const INSTANT_FUNCTIONS: ReadonlyMap<string, InstantFunction> = new Map<string, InstantFunction>([
  ['abs', simple(Math.abs)],
  ['ceil', simple(Math.ceil)],
  ['floor', simple(Math.floor)],
  ['exp', simple(Math.exp)],
  ['sqrt', simple(Math.sqrt)],
  ['ln', simple(Math.log)],
  ['log2', simple(Math.log2)],
  ['log10', simple(Math.log10)],
  ['sgn', simple((v) => (v < 0 ? -1 : v > 0 ? 1 : v))],
  [
    'round',
    (vecs) => {
      const toNearest = vecs.length >= 2 ? scalarArg(vecs, 1) : 1;
      // Dividing by the inverse is what Prometheus does (fewer float artefacts); ties go up.
      const inverse = 1 / toNearest;
      return vecs[0]!.map((s) => ({
        metric: s.metric,
        f: Math.floor(s.f * inverse + 0.5) / inverse,
        dropName: true,
      }));
    },
  ],
  ['clamp', (vecs) => clamp(vecs[0]!, scalarArg(vecs, 1), scalarArg(vecs, 2))],
  ['clamp_min', (vecs) => clamp(vecs[0]!, scalarArg(vecs, 1), Infinity)],
  ['clamp_max', (vecs) => clamp(vecs[0]!, -Infinity, scalarArg(vecs, 1))],
  [
    'scalar',
    (vecs) => {
      const v = vecs[0]!;
      return [{ metric: Labels.EMPTY, f: v.length === 1 ? v[0]!.f : NaN, dropName: false }];
    },
  ],
  ['vector', (vecs) => [{ metric: Labels.EMPTY, f: scalarArg(vecs, 0), dropName: false }]],
  ['time', (_vecs, ctx) => [{ metric: Labels.EMPTY, f: ctx.ts / 1000, dropName: false }]],
  [
    'absent',
    (vecs, ctx) =>
      vecs[0]!.length > 0 ? [] : [{ metric: labelsForAbsent(ctx.args[0]!), f: 1, dropName: false }],
  ],
  ['histogram_quantile', histogramQuantile],
  ['sort', sortBy(false)],
  ['sort_desc', sortBy(true)],
  ['timestamp', (vecs, ctx) => vecs[0]!.map((s) => ({ metric: s.metric, f: ctx.ts / 1000, dropName: true }))],
]);
