/**
 * The embedded PromQL engine: lexer → parser (AST with byte positions) → checker → evaluator,
 * with Prometheus 3.x semantics, plus a runner for Prometheus's test-script format.
 */
export type {
  AggregateExpr,
  BinaryExpr,
  Call,
  Expr,
  LabelMatcher,
  MatrixSelector,
  NumberLiteral,
  ParenExpr,
  StringLiteral,
  UnaryExpr,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
export { children, exprType } from './ast.js';
export { charIndex } from './PositionRange.js';
export { parseExpr } from './parser.js';
export { formatExpr } from './printer.js';
export { PromQLParseError } from './PromQLParseError.js';
export { PromQLEvalError } from './PromQLEvalError.js';
export type { PositionRange } from './PositionRange.js';
export { Engine } from './Engine.js';
export type { EngineOptions, QueryResult } from './Engine.js';
export type { Steps } from './Evaluator.js';
export { MAX_EXPR_DEPTH, MAX_QUERY_BYTES, MAX_RANGE_POINTS } from './limits.js';
export type { LabelSet, Matcher, Queryable, SeriesData } from './Queryable.js';
export { parseTestScript, runTestScript } from './testscript.js';
export type { TestScript, TestScriptResult, EvalOutcome, RunOptions } from './testscript.js';
export { parseSubsetAllowList } from './subsetAllowList.js';
export type { SubsetAllowList, SubsetClass, SubsetRow } from './subsetAllowList.js';
