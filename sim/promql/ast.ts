import type { PositionRange } from './PositionRange.js';
import type { FunctionSignature } from './functions.js';

/*
 * The PromQL syntax tree, shaped like Prometheus's `promql/parser/ast.go`. Every node has `pos`:
 * byte offsets into the query text, which errors and annotations turn into line:col.
 */

/** A value's type, as the checker and the engine see it. */
export type ValueType = 'none' | 'scalar' | 'vector' | 'matrix' | 'string';

/** Label matcher operators. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** One `name op "value"` inside a selector, with its compiled test. */
export interface LabelMatcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  /** True when the label value (or "" for an absent label) satisfies the matcher. */
  matches(v: string): boolean;
  /**
   * Where the parser read it: the label name and the quoted value (for a metric name written
   * before the braces, both are the name). Absent on matchers built by the engine.
   */
  readonly namePos?: PositionRange;
  readonly valuePos?: PositionRange;
}

/** Binary operators (arithmetic, comparison, set, atan2). */
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/** Aggregation operators. */
export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'count_values'
  | 'quantile'
  | 'limitk'
  | 'limit_ratio';

/** How series of two vectors are paired. */
export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** `on`/`ignoring` and `group_left`/`group_right` of a vector–vector binary expression. */
export interface VectorMatching {
  readonly card: Cardinality;
  /** Labels of `on(…)` or `ignoring(…)`. */
  readonly matchingLabels: readonly string[];
  /** True for `on`, false for `ignoring` (or no clause). */
  readonly on: boolean;
  /** Labels copied from the "one" side by `group_x(…)`. */
  readonly include: readonly string[];
}

/** A number (`1`, `0x1F`, `Inf`) or a duration used as seconds (`5m`). */
export interface NumberLiteral {
  readonly type: 'NumberLiteral';
  readonly val: number;
  /** True when written as a duration (`5m`), printed back the same way. */
  readonly duration: boolean;
  readonly pos: PositionRange;
}

/** A quoted string, unquoted. */
export interface StringLiteral {
  readonly type: 'StringLiteral';
  readonly val: string;
  readonly pos: PositionRange;
}

/** `name{matchers} [@ t] [offset d]`: an instant vector. */
export interface VectorSelector {
  readonly type: 'VectorSelector';
  /** Metric name written before the braces ("" when only matchers were given). */
  readonly name: string;
  /** All matchers, including `__name__="<name>"` for a name written outside the braces (last). */
  readonly matchers: readonly LabelMatcher[];
  /** `offset` in ms (negative allowed). */
  readonly offsetMs: number;
  /** `@ <t>` in ms, or null. */
  readonly timestampMs: number | null;
  /** `@ start()` / `@ end()`. */
  readonly startOrEnd: 'start' | 'end' | null;
  readonly pos: PositionRange;
}

/** `selector[range]`: a range vector. */
export interface MatrixSelector {
  readonly type: 'MatrixSelector';
  readonly vectorSelector: VectorSelector;
  readonly rangeMs: number;
  readonly pos: PositionRange;
}

/** `( expr )`. */
export interface ParenExpr {
  readonly type: 'ParenExpr';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

/** `-expr` or `+expr` (a sign on a number literal is folded into the literal instead). */
export interface UnaryExpr {
  readonly type: 'UnaryExpr';
  readonly op: '+' | '-';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

/** `lhs op [bool] [on|ignoring(…)] [group_left|group_right(…)] rhs`. */
export interface BinaryExpr {
  readonly type: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly returnBool: boolean;
  /** Null when either side is a scalar. */
  readonly matching: VectorMatching | null;
  readonly pos: PositionRange;
}

/** `op [by|without (…)] ([param,] expr)`. */
export interface AggregateExpr {
  readonly type: 'AggregateExpr';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** k of topk/bottomk, φ of quantile; null otherwise. */
  readonly param: Expr | null;
  readonly grouping: readonly string[];
  readonly without: boolean;
  readonly pos: PositionRange;
}

/** `func(args…)`. */
export interface Call {
  readonly type: 'Call';
  readonly func: FunctionSignature;
  readonly args: readonly Expr[];
  readonly pos: PositionRange;
}

/** Any PromQL expression. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | Call;

/** The type an expression evaluates to. */
export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
      return 'matrix';
    case 'ParenExpr':
    case 'UnaryExpr':
      return exprType(e.expr);
    case 'BinaryExpr':
      return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'Call':
      return e.func.returnType;
  }
}

/** The type's name in messages ("instant vector", "range vector", "scalar", "string"). */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

/** Removes any number of wrapping parentheses (Prometheus does this for call and aggregation arguments). */
export function unwrapParens(e: Expr): Expr {
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}

/** Direct child expressions, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'MatrixSelector':
      return [e.vectorSelector];
    case 'ParenExpr':
    case 'UnaryExpr':
      return [e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'AggregateExpr':
      return e.param ? [e.param, e.expr] : [e.expr];
    case 'Call':
      return [...e.args];
    default:
      return [];
  }
}
