/**
 * The condition language of AnalysisTemplate `successCondition` / `failureCondition`: our own
 * lexer → parser → checker → evaluator for the expr-lang (v1.17) subset Argo users write. No
 * `eval`, no `Function`: a condition reads only the plain data it is given.
 *
 * Supported: int/float/string/bool/nil literals (`1_000`, `0x1F`, `1e3`, `'a'`, `"\n"`, raw
 * strings), arrays and maps; identifiers; `.name`, `?.`, `[i]` (negative from the end), `[a:b]`;
 * `?:`, `if {} else {}`, `??`, `or ||`, `and &&`, `not !`, `== != < > <= >=` (ordering
 * comparisons chain), `in`, `not in`, `matches`, `contains`, `startsWith`, `endsWith`, `..`,
 * `+ - * / %`, `** ^`, unary `- +`, pipes `x | f()`, `let x = ...;`, `a; b`; predicates with `#`,
 * `#index` (in `map`) and `.field` (`all(result, # > 1)`, `all(result, {# > 1})`); builtins
 * all none any one filter map find findIndex findLast findLastIndex count sum len type abs ceil
 * floor round int float string trim trimPrefix trimSuffix upper lower hasPrefix hasSuffix max min
 * mean median first last get; Argo's helpers asInt asFloat isNaN isInf isNil default.
 * Other expr-lang builtins (time, JSON, map iteration, bits) are rejected at parse time.
 */
export type { Value } from './Value.js';
export type { ConditionAst, Node as ConditionNode } from './ast.js';
export { children as conditionChildren, parseCondition } from './parseCondition.js';
export { ARGO_HELPER_NAMES, freeNames } from './freeNames.js';
export { accessPaths, type AccessPath } from './accessPaths.js';
export {
  checkCondition,
  evaluateCondition,
  evaluateBoolCondition,
  type ConditionFunctions,
} from './evaluateCondition.js';
export {
  arrayOf,
  BOOL,
  FLOAT,
  keyedMap,
  NIL,
  recordOf,
  STRING,
  UNKNOWN,
  type KeyCheck,
  type Nature,
} from './nature.js';
export { ConditionSyntaxError } from './ConditionSyntaxError.js';
export { ConditionEvalError } from './ConditionEvalError.js';
export { formatFloatF, formatFloatV } from '../../../go/float.js';
