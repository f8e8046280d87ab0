/**
 * What the checker knows about a value before running: expr-lang's `Nature`. `unknown` is Go's
 * `interface{}` — anything goes until run time. Names print as Go types, because they end up in
 * messages like `invalid operation: > (mismatched types []float64 and int)`.
 */
export type Nature =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'nil' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int' }
  | { readonly kind: 'int64' }
  | { readonly kind: 'float' }
  | { readonly kind: 'string' }
  /** `type` is the Go slice type (`[]float64`, `[]interface {}`); `elem` what indexing yields. */
  | { readonly kind: 'array'; readonly type: string; readonly elem: Nature }
  /** `shape`: what a caller knows of the map's keys (a scenario's state); expr-lang has none. */
  | { readonly kind: 'map'; readonly shape?: MapShape }
  | { readonly kind: 'func'; readonly sig: FuncSig }
  /** A predicate closure; `out` is what its body yields. */
  | { readonly kind: 'predicate'; readonly out: Nature };

/**
 * What a caller knows of a map beyond `map[string]interface {}`, so the checker can refuse a
 * literal key that certainly is not there: a record has a fixed set of fields; a keyed map holds
 * values of one nature under names the caller may check. `what` names it in messages ("a
 * rollout"). Only literal keys are checked: `m[name]` with a variable is left to run time.
 */
export type MapShape =
  | { readonly kind: 'record'; readonly what: string; readonly fields: ReadonlyMap<string, Nature> }
  | { readonly kind: 'keyed'; readonly values: Nature; readonly key?: KeyCheck };

/** Says why a literal key cannot be in a keyed map (and which names it may have meant), or undefined. */
export type KeyCheck = (
  key: string,
) => { readonly message: string; readonly candidates: readonly string[] } | undefined;

/** A Go function signature, as far as argument checking needs it. */
export interface FuncSig {
  readonly params: readonly Nature[];
  /** The last param repeats (`...T`). */
  readonly variadic: boolean;
  readonly out: Nature;
}

export const UNKNOWN: Nature = { kind: 'unknown' };
export const NIL: Nature = { kind: 'nil' };
export const BOOL: Nature = { kind: 'bool' };
export const INT: Nature = { kind: 'int' };
export const INT64: Nature = { kind: 'int64' };
export const FLOAT: Nature = { kind: 'float' };
export const STRING: Nature = { kind: 'string' };
export const MAP: Nature = { kind: 'map' };

/** A map with known fields (plain data the caller describes, such as a scenario's rollout). */
export function recordOf(what: string, fields: ReadonlyMap<string, Nature>): Nature {
  return { kind: 'map', shape: { kind: 'record', what, fields } };
}

/** A map whose values all have nature `values`; `key` refuses literal keys that cannot exist. */
export function keyedMap(values: Nature, key?: KeyCheck): Nature {
  return { kind: 'map', shape: { kind: 'keyed', values, ...(key ? { key } : {}) } };
}

/** expr-lang's `arrayOf`: a `[]interface {}` whose elements are known to be `elem`. */
export function arrayOf(elem: Nature): Nature {
  return { kind: 'array', type: '[]interface {}', elem };
}

/** The Go type name a nature prints as. */
export function typeName(n: Nature): string {
  switch (n.kind) {
    case 'unknown':
      return 'interface {}';
    case 'nil':
      return 'nil';
    case 'float':
      return 'float64';
    case 'array':
      return n.type;
    case 'map':
      return 'map[string]interface {}';
    case 'func':
      return funcTypeName(n.sig);
    case 'predicate':
      return n.out.kind === 'nil' ? 'func(interface {})' : `func(interface {}) ${typeName(n.out)}`;
    default:
      return n.kind;
  }
}

export function funcTypeName(sig: FuncSig): string {
  const params = sig.params.map((p, i) =>
    sig.variadic && i === sig.params.length - 1 ? `...${typeName(p)}` : typeName(p),
  );
  return `func(${params.join(', ')}) ${typeName(sig.out)}`;
}

export const isUnknown = (n: Nature): boolean => n.kind === 'unknown';
export const isNil = (n: Nature): boolean => n.kind === 'nil';
export const isBool = (n: Nature): boolean => n.kind === 'bool';
export const isString = (n: Nature): boolean => n.kind === 'string';
export const isInteger = (n: Nature): boolean => n.kind === 'int' || n.kind === 'int64';
export const isFloat = (n: Nature): boolean => n.kind === 'float';
export const isNumber = (n: Nature): boolean => isInteger(n) || isFloat(n);
export const isArray = (n: Nature): boolean => n.kind === 'array';
export const isMap = (n: Nature): boolean => n.kind === 'map';

/** What indexing or iterating yields. */
export function elemOf(n: Nature): Nature {
  return n.kind === 'array' ? n.elem : UNKNOWN;
}

/** Go's AssignableTo: anything fits `interface{}`; otherwise the types must be the same. */
export function assignable(from: Nature, to: Nature): boolean {
  if (to.kind === 'unknown') return true;
  if (from.kind === 'unknown' || from.kind === 'nil') return false;
  return typeName(from) === typeName(to);
}

/** expr-lang's `isComparable` (operands of `==`, elements for `in`). */
export function comparable(l: Nature, r: Nature): boolean {
  if (isUnknown(l) || isUnknown(r) || isNil(l) || isNil(r)) return true;
  if (isNumber(l) && isNumber(r)) return true;
  if (isArray(l) && isArray(r)) return true;
  return assignable(l, r);
}

/** expr-lang's `combined`: the result type of `+ - *` on numbers. */
export function combined(l: Nature, r: Nature): Nature {
  if (isUnknown(l) || isUnknown(r)) return UNKNOWN;
  if (isFloat(l) || isFloat(r)) return FLOAT;
  return INT;
}
