import {
  GoMap,
  GoSlice,
  goSprintV,
  goTypeOf,
  isNumeric,
  panic,
  toFloat,
  floatToInt,
  wrapInt,
  type RV,
} from './runtime.js';

// expr-lang's vm/runtime helpers, with its panic texts. Ints and floats mix as in Go's generated
// helpers: int op int stays int (wrapping at 64 bits), anything with a float becomes float64.

/** runtime.Equal: numbers compare across int/float, slices element-wise, the rest deeply. */
export function equal(a: RV, b: RV): boolean {
  if (isNumeric(a) && isNumeric(b)) {
    return typeof a === 'bigint' && typeof b === 'bigint' ? a === b : toFloat(a) === toFloat(b);
  }
  if (a instanceof GoSlice && b instanceof GoSlice) {
    if (a.elem === 'interface {}' || b.elem === 'interface {}' || a.elem === b.elem) {
      return a.items.length === b.items.length && a.items.every((x, i) => equal(x, b.items[i] ?? null));
    }
    return false;
  }
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b;
  if (a === null && b === null) return true;
  return deepEqual(a, b);
}

// reflect.DeepEqual: same dynamic types all the way down; NaN is never equal.
function deepEqual(a: RV, b: RV): boolean {
  if (goTypeOf(a) !== goTypeOf(b)) return false;
  if (a instanceof GoSlice && b instanceof GoSlice) {
    return a.items.length === b.items.length && a.items.every((x, i) => deepEqual(x, b.items[i] ?? null));
  }
  if (a instanceof GoMap && b instanceof GoMap) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, v] of a.entries) {
      if (!b.entries.has(k) || !deepEqual(v, b.entries.get(k) ?? null)) return false;
    }
    return true;
  }
  return a === b;
}

export type Ordering = '<' | '>' | '<=' | '>=';

/** runtime.Less/More/LessOrEqual/MoreOrEqual. NaN makes every ordering false. */
export function compare(op: Ordering, a: RV, b: RV): boolean {
  let c: number;
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') c = a < b ? -1 : a > b ? 1 : 0;
    else {
      const x = toFloat(a);
      const y = toFloat(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return false;
      c = x < y ? -1 : x > y ? 1 : 0;
    }
  } else if (typeof a === 'string' && typeof b === 'string') {
    c = compareStrings(a, b);
  } else {
    panic(`invalid operation: ${goTypeOf(a)} ${op} ${goTypeOf(b)}`);
  }
  switch (op) {
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
  }
}

// Go compares strings bytewise; UTF-8 byte order is code point order.
function compareStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export type Arithmetic = '+' | '-' | '*' | '/' | '%';

/** runtime.Add/Subtract/Multiply/Divide/Modulo. `/` always yields float64, `%` needs ints. */
export function arithmetic(op: Arithmetic, a: RV, b: RV): RV {
  if (isNumeric(a) && isNumeric(b)) {
    if (op === '/') return toFloat(a) / toFloat(b);
    if (typeof a === 'bigint' && typeof b === 'bigint') {
      switch (op) {
        case '+':
          return wrapInt(a + b);
        case '-':
          return wrapInt(a - b);
        case '*':
          return wrapInt(a * b);
        case '%':
          if (b === 0n) panic('runtime error: integer divide by zero');
          return wrapInt(a % b);
      }
    }
    if (op !== '%') {
      const x = toFloat(a);
      const y = toFloat(b);
      return op === '+' ? x + y : op === '-' ? x - y : x * y;
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  panic(`invalid operation: ${goTypeOf(a)} ${op} ${goTypeOf(b)}`);
}

/** runtime.Exponent: math.Pow on float64 operands. */
export function exponent(a: RV, b: RV): number {
  const x = toFloat64(a);
  const y = toFloat64(b);
  // math.Pow differs from JS `**` here: Pow(1, y) = 1 and Pow(-1, ±Inf) = 1.
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** runtime.Negate. */
export function negate(v: RV): RV {
  if (typeof v === 'bigint') return wrapInt(-v);
  if (typeof v === 'number') return -v;
  panic(`invalid operation: - ${goTypeOf(v)}`);
}

/** runtime.ToInt: numbers truncate. */
export function toInt(v: RV): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt(v);
  panic(`invalid operation: int(${goTypeOf(v)})`);
}

/** runtime.ToFloat64. */
export function toFloat64(v: RV): number {
  if (isNumeric(v)) return toFloat(v);
  panic(`invalid operation: float(${goTypeOf(v)})`);
}

/** The `..` operator: an inclusive []int, within expr-lang's memory budget. */
export function range(a: RV, b: RV): GoSlice {
  const min = toInt(a);
  const max = toInt(b);
  const size = max - min + 1n;
  if (size >= 1_000_000n) panic('memory budget exceeded');
  const items: bigint[] = [];
  for (let i = min; i <= max; i++) items.push(i);
  return new GoSlice('int', items);
}

/** runtime.In: element equality for slices, key presence for maps, false for nil. */
export function contains(needle: RV, haystack: RV): boolean {
  if (haystack === null) return false;
  if (haystack instanceof GoSlice) return haystack.items.some((item) => equal(item, needle));
  if (haystack instanceof GoMap) return haystack.entries.has(mapKey(needle));
  panic(`operator "in" not defined on ${goTypeOf(haystack)}`);
}

// reflect.MapIndex on map[string]interface{}: a nil key means the zero key "".
function mapKey(key: RV): string {
  if (key === null) return '';
  if (typeof key === 'string') return key;
  panic(`reflect.Value.MapIndex: value of type ${goTypeOf(key)} is not assignable to type string`);
}

/**
 * runtime.Fetch: `a[i]`, `a.name`. Negative indexes count from the end; a missing map key is
 * nil. Strings index bytes (Go `uint8`, returned here as an int).
 */
export function fetch(from: RV, key: RV): RV {
  if (from instanceof GoSlice || typeof from === 'string') {
    const seq = from instanceof GoSlice ? from.items : [...utf8(from)].map((b) => BigInt(b));
    const length = seq.length;
    let index = Number(toInt(key));
    if (index < 0) index = length + index;
    if (index < 0 || index >= length) panic(`index out of range: ${index} (array length is ${length})`);
    return seq[index] ?? null;
  }
  if (from instanceof GoMap) return from.entries.get(mapKey(key)) ?? null;
  panic(`cannot fetch ${goSprintV(key)} from ${goTypeOf(from)}`);
}

/** runtime.Slice: `a[from:to]`, clamped to the bounds like expr-lang (never an error). */
export function slice(value: RV, fromV: RV, toV: RV): RV {
  if (value instanceof GoSlice || typeof value === 'string') {
    const bytes = typeof value === 'string' ? utf8(value) : undefined;
    const length = bytes ? bytes.length : (value as GoSlice).items.length;
    let a = Number(toInt(fromV));
    let b = Number(toInt(toV));
    if (a < 0) a = length + a;
    if (a < 0) a = 0;
    if (b < 0) b = length + b;
    if (b < 0) b = 0;
    if (b > length) b = length;
    if (a > b) a = b;
    if (bytes) return new TextDecoder().decode(bytes.subarray(a, b));
    const s = value as GoSlice;
    return new GoSlice(s.elem, s.items.slice(a, b));
  }
  panic(`cannot slice ${goSprintV(fromV)}`);
}

/** runtime.Len: slices, maps, strings (in bytes). */
export function length(v: RV): bigint {
  if (v instanceof GoSlice) return BigInt(v.items.length);
  if (v instanceof GoMap) return BigInt(v.entries.size);
  if (typeof v === 'string') return BigInt(utf8(v).length);
  panic(`invalid argument for len (type ${goTypeOf(v)})`);
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
