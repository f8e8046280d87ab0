/**
 * expr-lang's builtin names. The parser must know all of them, because a call of a builtin
 * parses differently from a call of an environment function, even when canarysim does not
 * implement the builtin (it then rejects the condition at parse time, with a position).
 */
// prettier-ignore
export const EXPR_BUILTINS: ReadonlySet<string> = new Set([
  'all', 'none', 'any', 'one', 'filter', 'map', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'count', 'sum', 'groupBy', 'sortBy', 'reduce', 'len', 'type', 'abs', 'ceil', 'floor', 'round',
  'int', 'float', 'string', 'trim', 'trimPrefix', 'trimSuffix', 'upper', 'lower', 'split',
  'splitAfter', 'replace', 'repeat', 'join', 'indexOf', 'lastIndexOf', 'hasPrefix', 'hasSuffix',
  'max', 'min', 'mean', 'median', 'toJSON', 'fromJSON', 'toBase64', 'fromBase64', 'now',
  'duration', 'date', 'timezone', 'first', 'last', 'get', 'take', 'keys', 'values', 'toPairs',
  'fromPairs', 'reverse', 'uniq', 'concat', 'flatten', 'sort', 'bitand', 'bitor', 'bitxor',
  'bitnand', 'bitshl', 'bitshr', 'bitushr', 'bitnot',
]);

/** Argument shapes of the builtins that take a predicate (expr-lang's `predicates` table). */
export type PredicateArg = 'expr' | 'predicate' | 'optionalPredicate' | 'optionalExpr';

export const PREDICATE_BUILTINS: ReadonlyMap<string, readonly PredicateArg[]> = new Map([
  ['all', ['expr', 'predicate']],
  ['none', ['expr', 'predicate']],
  ['any', ['expr', 'predicate']],
  ['one', ['expr', 'predicate']],
  ['filter', ['expr', 'predicate']],
  ['map', ['expr', 'predicate']],
  ['count', ['expr', 'optionalPredicate']],
  ['sum', ['expr', 'optionalPredicate']],
  ['find', ['expr', 'predicate']],
  ['findIndex', ['expr', 'predicate']],
  ['findLast', ['expr', 'predicate']],
  ['findLastIndex', ['expr', 'predicate']],
  ['groupBy', ['expr', 'predicate']],
  ['sortBy', ['expr', 'predicate', 'optionalExpr']],
  ['reduce', ['expr', 'predicate', 'optionalExpr']],
]);

/**
 * What canarysim evaluates: the builtins analysis conditions use. Time, JSON, map iteration
 * (random order in Go) and bit functions are left out on purpose.
 */
// prettier-ignore
export const SUPPORTED_BUILTINS: ReadonlySet<string> = new Set([
  'all', 'none', 'any', 'one', 'filter', 'map', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'count', 'sum', 'len', 'type', 'abs', 'ceil', 'floor', 'round', 'int', 'float', 'string', 'trim',
  'trimPrefix', 'trimSuffix', 'upper', 'lower', 'hasPrefix', 'hasSuffix', 'max', 'min', 'mean',
  'median', 'first', 'last', 'get',
]);
