import type { BinaryOp, VectorMatching } from './ast.js';
import { Labels } from './Labels.js';
import { PromQLEvalError } from './PromQLEvalError.js';
import type { Sample } from './values.js';

/*
 * Binary operators between samples, ported from Prometheus's `VectorBinop`, `VectorAnd/Or/Unless`,
 * `VectorscalarBinop`, `scalarBinop` and `vectorElemBinop` (engine.go). Signatures (the labels that
 * pair series up) arrive pre-computed as small integers, one per sample.
 */

const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
/** Operators after which the result is a different quantity, so `__name__` goes. */
const CHANGES_SCHEMA = new Set<BinaryOp>(['+', '-', '*', '/', '%', '^', 'atan2']);

/** True for `== != > < >= <=`. */
export function isComparison(op: BinaryOp): boolean {
  return COMPARISON.has(op);
}

/**
 * Go's `math.Pow`. JS `**` agrees except that Go gives 1 for `1^y` with any y and for
 * `(-1)^±Inf`, where JS gives NaN.
 */
function goPow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

/** Arithmetic result, or for comparisons the left value and whether the pair is kept. */
function elemBinop(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true];
    case '^':
      return [goPow(l, r), true];
    case 'atan2':
      return [Math.atan2(l, r), true];
    case '==':
      return [l, l === r];
    case '!=':
      return [l, l !== r];
    case '>':
      return [l, l > r];
    case '<':
      return [l, l < r];
    case '>=':
      return [l, l >= r];
    case '<=':
      return [l, l <= r];
    default:
      throw new Error(`operator ${op} not allowed for operations between vectors`);
  }
}

/** scalar op scalar; comparisons give 1 or 0 (they always carry `bool`). */
export function scalarBinop(op: BinaryOp, l: number, r: number): number {
  const [v, keep] = elemBinop(op, l, r);
  return COMPARISON.has(op) ? (keep ? 1 : 0) : v;
}

/**
 * vector op scalar (or scalar op vector when `swap`). Comparisons filter and keep the vector's
 * value even when the scalar is on the left; `bool` turns them into 1/0 and marks the name for
 * dropping, as arithmetic does.
 */
export function vectorScalarBinop(
  op: BinaryOp,
  vec: readonly Sample[],
  scalar: number,
  swap: boolean,
  returnBool: boolean,
): Sample[] {
  const out: Sample[] = [];
  const cmp = COMPARISON.has(op);
  const dropsName = CHANGES_SCHEMA.has(op) || returnBool;
  for (const s of vec) {
    const [l, r] = swap ? [scalar, s.f] : [s.f, scalar];
    let [value, keep] = elemBinop(op, l, r);
    if (cmp && swap) value = r;
    if (returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    out.push({ metric: s.metric, f: value, dropName: dropsName ? true : s.dropName });
  }
  return out;
}

/** `lhs and rhs`: left samples whose signature occurs on the right. */
export function vectorAnd(
  lhs: readonly Sample[],
  rhs: readonly Sample[],
  lsigs: readonly number[],
  rsigs: readonly number[],
): Sample[] {
  if (lhs.length === 0 || rhs.length === 0) return [];
  const present = new Set(rsigs);
  return lhs.filter((_, i) => present.has(lsigs[i]!));
}

/** `lhs or rhs`: all left samples, plus right samples whose signature is not on the left. */
export function vectorOr(
  lhs: readonly Sample[],
  rhs: readonly Sample[],
  lsigs: readonly number[],
  rsigs: readonly number[],
): Sample[] {
  if (lhs.length === 0) return rhs.slice();
  if (rhs.length === 0) return lhs.slice();
  const present = new Set(lsigs);
  const out = lhs.slice();
  rhs.forEach((s, j) => {
    if (!present.has(rsigs[j]!)) out.push(s);
  });
  return out;
}

/** `lhs unless rhs`: left samples whose signature does not occur on the right. */
export function vectorUnless(
  lhs: readonly Sample[],
  rhs: readonly Sample[],
  lsigs: readonly number[],
  rsigs: readonly number[],
): Sample[] {
  if (lhs.length === 0 || rhs.length === 0) return lhs.slice();
  const present = new Set(rsigs);
  return lhs.filter((_, i) => !present.has(lsigs[i]!));
}

/** Caches result label sets per (left, right) pair across the steps of one binary expression. */
export class ResultMetricCache {
  private readonly cache = new Map<string, Labels>();

  constructor(
    private readonly op: BinaryOp,
    private readonly matching: VectorMatching,
  ) {}

  /**
   * The labels of `lhs op rhs`: the left labels, name dropped for arithmetic, reduced to the `on`
   * labels (or without the `ignoring` ones) for one-to-one matching, plus `group_x` labels copied
   * from the "one" side (deleted when that side lacks them).
   */
  get(lhs: Labels, rhs: Labels): Labels {
    const k = `${lhs.key}\u0001${rhs.key}`;
    let out = this.cache.get(k);
    if (out) return out;
    out = lhs;
    if (CHANGES_SCHEMA.has(this.op)) out = out.dropMetricName();
    const m = this.matching;
    if (m.card === 'one-to-one') {
      const names = new Set(m.matchingLabels);
      out = m.on ? out.keep(names) : out.without(names);
    }
    for (const ln of m.include) out = out.set(ln, rhs.get(ln));
    this.cache.set(k, out);
    return out;
  }
}

/**
 * Arithmetic and comparison between two vectors with one-to-one, many-to-one (`group_left`) or
 * one-to-many (`group_right`) matching, including Prometheus's errors for ambiguous matches.
 */
export function vectorBinop(
  op: BinaryOp,
  lhsIn: readonly Sample[],
  rhsIn: readonly Sample[],
  matching: VectorMatching,
  returnBool: boolean,
  lsigsIn: readonly number[],
  rsigsIn: readonly number[],
  results: ResultMetricCache,
): Sample[] {
  if (lhsIn.length === 0 || rhsIn.length === 0) return [];
  const swapped = matching.card === 'one-to-many';
  const lhs = swapped ? rhsIn : lhsIn;
  const rhs = swapped ? lhsIn : rhsIn;
  const lsigs = swapped ? rsigsIn : lsigsIn;
  const rsigs = swapped ? lsigsIn : rsigsIn;

  // The "one" side must have unique signatures.
  const rightSigs = new Map<number, Sample>();
  rhs.forEach((rs, i) => {
    const sig = rsigs[i]!;
    const dupl = rightSigs.get(sig);
    if (dupl) {
      const matched = matchLabels(rs.metric, matching);
      const pair = [rs.metric, dupl.metric].sort(Labels.compare);
      throw new PromQLEvalError(
        `found duplicate series for the match group ${matched.toString()} on the ${swapped ? 'left' : 'right'} hand-side of the operation: ` +
          `[${pair[0]!.toString()}, ${pair[1]!.toString()}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    rightSigs.set(sig, rs);
  });

  const matchedSigs = new Map<number, Set<string> | null>();
  const out: Sample[] = [];
  lhs.forEach((ls, i) => {
    const sig = lsigs[i]!;
    const rs = rightSigs.get(sig);
    if (!rs) return;
    const [fl, fr] = swapped ? [rs.f, ls.f] : [ls.f, rs.f];
    const [result, keep] = elemBinop(op, fl, fr);
    const value = returnBool ? (keep ? 1 : 0) : result;
    const metric = results.get(ls.metric, rs.metric);
    if (matching.card === 'one-to-one') {
      if (matchedSigs.has(sig)) {
        throw new PromQLEvalError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      }
      matchedSigs.set(sig, null);
    } else {
      let inserted = matchedSigs.get(sig);
      if (!inserted) {
        inserted = new Set();
        matchedSigs.set(sig, inserted);
      } else if (inserted.has(metric.key)) {
        throw new PromQLEvalError('multiple matches for labels: grouping labels must ensure unique matches');
      }
      inserted.add(metric.key);
    }
    if (!keep && !returnBool) return;
    out.push({ metric, f: value, dropName: returnBool });
  });
  return out;
}

/** Prometheus's `MatchLabels`: the `on` labels, or all but the `ignoring` ones and `__name__`. */
function matchLabels(l: Labels, m: VectorMatching): Labels {
  const names = new Set(m.matchingLabels);
  if (m.on) return l.keep(names);
  names.add('__name__');
  return l.without(names);
}

/**
 * The signature key of a label set for matching: the `on` labels' pairs, or every pair except
 * `__name__` and the `ignoring` labels.
 */
export function signatureKey(l: Labels, on: boolean, names: ReadonlySet<string>): string {
  let k = '';
  for (let i = 0; i < l.names.length; i++) {
    const n = l.names[i]!;
    if (on ? names.has(n) : !names.has(n) && n !== '__name__') k += `${n}\u0000${l.values[i]}\u0000`;
  }
  return k;
}
