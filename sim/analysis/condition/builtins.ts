import { parseFloat64 } from '../../../go/strconv.js';
import { BOOL, elemOf, FLOAT, INT, STRING, typeName, UNKNOWN, type FuncSig, type Nature } from './nature.js';
import { compare, fetch, length } from './operators.js';
import {
  assertString,
  floatToInt,
  GoFunc,
  GoMap,
  GoPanic,
  GoSlice,
  goSprintV,
  goTypeOf,
  isNumeric,
  panic,
  wrapInt,
  type RV,
} from './runtime.js';

/**
 * A non-predicate builtin: how the checker types a call (`validate`, expr-lang's Validate hook,
 * or `overloads`, its Types list) and what it does at run time. Texts are expr-lang's.
 */
export interface BuiltinSpec {
  /** Result nature, or the error text. */
  readonly validate?: (args: readonly Nature[]) => Nature | string;
  readonly overloads?: readonly FuncSig[];
  readonly run: (args: readonly RV[]) => RV;
}

const sig = (params: Nature[], out: Nature): FuncSig => ({ params, variadic: false, out });

// reflect.Kind of what Validate sees (an unknown nature is `interface {}`).
function kind(n: Nature): string {
  switch (n.kind) {
    case 'unknown':
      return 'interface';
    case 'nil':
      return 'invalid';
    case 'int':
    case 'int64':
    case 'float':
      return 'number';
    case 'array':
      return 'slice';
    case 'predicate':
      return 'func';
    default:
      return n.kind;
  }
}

// Validate prints a reflect.Type with %s; a nil Type prints as Go's `%!s(<nil>)`.
function vt(n: Nature): string {
  return n.kind === 'nil' ? '%!s(<nil>)' : typeName(n);
}

function arity(args: readonly Nature[], want: number): string | undefined {
  return args.length === want
    ? undefined
    : `invalid number of arguments (expected ${want}, got ${args.length})`;
}

function one(name: string, accepts: string[], out: (arg: Nature) => Nature, error?: (arg: Nature) => string) {
  return (args: readonly Nature[]): Nature | string => {
    const wrong = arity(args, 1);
    if (wrong !== undefined) return wrong;
    const arg = args[0] ?? UNKNOWN;
    if (accepts.includes(kind(arg))) return out(arg);
    return error ? error(arg) : `invalid argument for ${name} (type ${vt(arg)})`;
  };
}

function aggregate(name: string) {
  return (args: readonly Nature[]): Nature | string => {
    if (args.length === 0) return `not enough arguments to call ${name}`;
    for (const arg of args) {
      const k = kind(arg);
      if (k === 'interface' || k === 'slice') return UNKNOWN;
      if (k !== 'number') return `invalid argument for ${name} (type ${vt(arg)})`;
    }
    return args[0] ?? UNKNOWN;
  };
}

function rounding(name: string, fn: (x: number) => number) {
  return {
    validate: one(name, ['number', 'interface'], () => FLOAT),
    run: ([v = null]: readonly RV[]) => {
      if (typeof v === 'number') return fn(v);
      if (typeof v === 'bigint') return Number(v);
      panic(`invalid argument for ${name} (type ${goTypeOf(v)})`);
    },
  };
}

// math.Round: half away from zero (JS Math.round goes half up).
function goRound(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

// Go's simple case mapping: a rune maps to one rune or stays (no `ß` → `SS` expansion).
function mapCase(s: string, upper: boolean): string {
  let out = '';
  for (const ch of s) {
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += [...mapped].length === 1 ? mapped : ch;
  }
  return out;
}

const SPACE = /^\p{White_Space}$/u;

function trimBy(s: string, cut: (ch: string) => boolean): string {
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && cut(chars[a] ?? '')) a++;
  while (b > a && cut(chars[b - 1] ?? '')) b--;
  return chars.slice(a, b).join('');
}

function safeFetch(from: RV, key: RV): RV {
  try {
    return fetch(from, key);
  } catch (e) {
    if (e instanceof GoPanic) return null;
    throw e;
  }
}

// builtin.minMax: numbers and (nested) arrays of numbers; a lone non-number comes back as is.
function minMax(name: string, replace: (current: RV, candidate: RV) => boolean, args: readonly RV[]): RV {
  let val: RV | undefined;
  for (const arg of args) {
    if (arg instanceof GoSlice) {
      for (const item of arg.items) {
        const elem = minMax(name, replace, [item]);
        if (!isNumeric(elem)) panic(`invalid argument for ${name} (type ${goTypeOf(elem)})`);
        if (val === undefined || replace(val, elem)) val = elem;
      }
    } else if (isNumeric(arg)) {
      if (val === undefined || replace(val, arg)) val = arg;
    } else {
      if (args.length === 1) return arg;
      panic(`invalid argument for ${name} (type ${goTypeOf(arg)})`);
    }
  }
  return val ?? null;
}

function numbers(name: string, args: readonly RV[]): number[] {
  const out: number[] = [];
  for (const arg of args) {
    if (arg instanceof GoSlice) out.push(...numbers(name, arg.items));
    else if (isNumeric(arg)) out.push(Number(arg));
    else panic(`invalid argument for ${name} (type ${goTypeOf(arg)})`);
  }
  return out;
}

// builtin.Type.
function typeOf(v: RV): string {
  if (v === null) return 'nil';
  if (v instanceof GoSlice) return 'array';
  if (v instanceof GoMap) return 'map';
  if (v instanceof GoFunc) return 'func';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float';
    default:
      return 'int';
  }
}

/** The non-predicate builtins canarysim evaluates, by name. */
export const BUILTINS: ReadonlyMap<string, BuiltinSpec> = new Map<string, BuiltinSpec>([
  [
    'len',
    {
      validate: one('len', ['slice', 'map', 'string', 'interface'], () => INT),
      run: ([v = null]) => length(v),
    },
  ],
  [
    'abs',
    {
      validate: one('abs', ['number', 'interface'], (arg) => (arg.kind === 'unknown' ? UNKNOWN : arg)),
      run: ([v = null]) => {
        if (typeof v === 'bigint') return v < 0n ? wrapInt(-v) : v;
        if (typeof v === 'number') return v < 0 ? -v : v;
        panic(`invalid argument for abs (type ${goTypeOf(v)})`);
      },
    },
  ],
  ['ceil', rounding('ceil', Math.ceil)],
  ['floor', rounding('floor', Math.floor)],
  ['round', rounding('round', goRound)],
  [
    'int',
    {
      validate: one('int', ['number', 'string', 'interface'], () => INT),
      run: ([v = null]) => {
        if (typeof v === 'bigint') return v;
        if (typeof v === 'number') return floatToInt(v);
        if (typeof v === 'string') {
          if (!/^[+-]?[0-9]+$/.test(v)) panic(`invalid operation: int(${v})`);
          const n = BigInt(v);
          if (n !== BigInt.asIntN(64, n)) panic(`invalid operation: int(${v})`);
          return n;
        }
        panic(`invalid operation: int(${goTypeOf(v)})`);
      },
    },
  ],
  [
    'float',
    {
      validate: one('float', ['number', 'string', 'interface'], () => FLOAT),
      run: ([v = null]) => {
        if (isNumeric(v)) return Number(v);
        if (typeof v === 'string') {
          const f = parseFloat64(v);
          if (typeof f === 'string') panic(`invalid operation: float(${v})`);
          return f;
        }
        panic(`invalid operation: float(${goTypeOf(v)})`);
      },
    },
  ],
  ['string', { overloads: [sig([UNKNOWN], STRING)], run: ([v = null]) => goSprintV(v) }],
  ['type', { overloads: [sig([UNKNOWN], STRING)], run: ([v = null]) => typeOf(v) }],
  [
    'trim',
    {
      overloads: [sig([STRING], STRING), sig([STRING, STRING], STRING)],
      run: ([s = null, cutset]) => {
        const text = assertString(s);
        if (cutset === undefined) return trimBy(text, (ch) => SPACE.test(ch));
        const cut = new Set(assertString(cutset));
        return trimBy(text, (ch) => cut.has(ch));
      },
    },
  ],
  [
    'trimPrefix',
    {
      overloads: [sig([STRING, STRING], STRING), sig([STRING], STRING)],
      run: ([s = null, p = ' ']) => {
        const [text, prefix] = [assertString(s), assertString(p)];
        return text.startsWith(prefix) ? text.slice(prefix.length) : text;
      },
    },
  ],
  [
    'trimSuffix',
    {
      overloads: [sig([STRING, STRING], STRING), sig([STRING], STRING)],
      run: ([s = null, p = ' ']) => {
        const [text, suffix] = [assertString(s), assertString(p)];
        return suffix !== '' && text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
      },
    },
  ],
  ['upper', { overloads: [sig([STRING], STRING)], run: ([s = null]) => mapCase(assertString(s), true) }],
  ['lower', { overloads: [sig([STRING], STRING)], run: ([s = null]) => mapCase(assertString(s), false) }],
  [
    'hasPrefix',
    {
      overloads: [sig([STRING, STRING], BOOL)],
      run: ([s = null, p = null]) => assertString(s).startsWith(assertString(p)),
    },
  ],
  [
    'hasSuffix',
    {
      overloads: [sig([STRING, STRING], BOOL)],
      run: ([s = null, p = null]) => assertString(s).endsWith(assertString(p)),
    },
  ],
  [
    'first',
    {
      validate: one(
        'first',
        ['interface', 'slice'],
        (arg) => elemOf(arg),
        (arg) => `cannot get first element from ${vt(arg)}`,
      ),
      run: ([v = null]) => safeFetch(v, 0n),
    },
  ],
  [
    'last',
    {
      validate: one(
        'last',
        ['interface', 'slice'],
        (arg) => elemOf(arg),
        (arg) => `cannot get last element from ${vt(arg)}`,
      ),
      run: ([v = null]) => safeFetch(v, -1n),
    },
  ],
  // get's typing is special-cased in the checker (expr-lang's checkBuiltinGet).
  ['get', { run: ([v = null, key = null]) => safeFetch(v, key) }],
  ['max', { validate: aggregate('max'), run: (args) => minMax('max', (a, b) => compare('<', a, b), args) }],
  ['min', { validate: aggregate('min'), run: (args) => minMax('min', (a, b) => compare('>', a, b), args) }],
  [
    'mean',
    {
      validate: aggregate('mean'),
      run: (args) => {
        const xs = numbers('mean', args);
        return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
      },
    },
  ],
  [
    'median',
    {
      validate: aggregate('median'),
      run: (args) => {
        // sort.Float64s puts NaN first.
        const xs = numbers('median', args).sort((a, b) =>
          Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b,
        );
        const n = xs.length;
        if (n === 0) return 0;
        const mid = Math.floor(n / 2);
        return n % 2 === 1 ? (xs[mid] ?? 0) : ((xs[mid - 1] ?? 0) + (xs[mid] ?? 0)) / 2;
      },
    },
  ],
]);
