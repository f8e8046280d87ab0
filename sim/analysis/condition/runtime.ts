import { formatFloatV } from '../../../go/float.js';
import { funcTypeName, type FuncSig } from './nature.js';

/**
 * Values while a condition runs, typed the way Go would type them so that operators and error
 * messages behave like expr-lang's: a bigint is a Go `int` (`1`), a number is a `float64`
 * (`result[0]`, `1.0`), and slices remember their element type (`[]float64` from Prometheus,
 * `[]interface {}` from literals). Maps are real `Map`s: lookups never reach a prototype.
 */
export type RV = null | boolean | string | number | bigint | GoSlice | GoMap | GoFunc;

/** A Go slice. `elem` is the Go element type name. */
export class GoSlice {
  constructor(
    readonly elem: 'float64' | 'int' | 'interface {}',
    readonly items: readonly RV[],
  ) {}
}

/** A Go `map[string]interface {}`. */
export class GoMap {
  constructor(readonly entries: ReadonlyMap<string, RV>) {}
}

/** A function in the environment (Argo's helpers, caller-supplied functions). */
export class GoFunc {
  constructor(
    readonly name: string,
    readonly sig: FuncSig,
    readonly call: (args: readonly RV[]) => RV,
  ) {}
}

/** A Go panic inside the evaluator; becomes a ConditionEvalError at the node being evaluated. */
export class GoPanic extends Error {
  override readonly name = 'GoPanic';
}

export function panic(message: string): never {
  throw new GoPanic(message);
}

/** Go's `%T`. */
export function goTypeOf(v: RV): string {
  if (v === null) return '<nil>';
  if (v instanceof GoSlice) return `[]${v.elem}`;
  if (v instanceof GoMap) return 'map[string]interface {}';
  if (v instanceof GoFunc) return funcTypeName(v.sig);
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    default:
      return 'int';
  }
}

/** Go's `%v`. Map keys print sorted, as fmt does. */
export function goSprintV(v: RV): string {
  if (v === null) return '<nil>';
  if (v instanceof GoSlice) return `[${v.items.map(goSprintV).join(' ')}]`;
  if (v instanceof GoMap) {
    const keys = [...v.entries.keys()].sort();
    return `map[${keys.map((k) => `${k}:${goSprintV(v.entries.get(k) ?? null)}`).join(' ')}]`;
  }
  if (v instanceof GoFunc) return `func ${v.name}`;
  if (typeof v === 'number') return formatFloatV(v);
  return String(v);
}

export function isNumeric(v: RV): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function toFloat(v: number | bigint): number {
  return typeof v === 'number' ? v : Number(v);
}

/** Go's `interface{}.(T)` type assertion, with Go's panic text. */
export function assertBool(v: RV): boolean {
  if (typeof v !== 'boolean') panic(conversionError(v, 'bool'));
  return v;
}

export function assertString(v: RV): string {
  if (typeof v !== 'string') panic(conversionError(v, 'string'));
  return v;
}

export function conversionError(v: RV, want: string): string {
  const got = v === null ? 'nil' : goTypeOf(v);
  return `interface conversion: interface {} is ${got}, not ${want}`;
}

/** Go's float64 → int conversion; amd64 yields MinInt64 for NaN, ±Inf and out-of-range values. */
export function floatToInt(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return -(2n ** 63n);
  return BigInt(Math.trunc(f));
}

/** Wraps to int64 like Go's integer arithmetic. */
export function wrapInt(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}
