import { ConditionEvalError } from './ConditionEvalError.js';
import { FLOAT, INT, MAP, NIL, BOOL, STRING, UNKNOWN, type Nature } from './nature.js';
import { GoFunc, GoMap, GoSlice, type RV } from './runtime.js';
import type { Value } from './Value.js';

/**
 * Turns caller data into runtime values. Only plain data crosses: numbers (float64), strings,
 * booleans, null/undefined (nil), arrays and plain objects, read through own data properties
 * only — no getters run, no prototype is consulted, nothing callable gets in. An all-number
 * array becomes `[]float64`, as Argo's Prometheus provider builds it; any other array is
 * `[]interface {}`, as a decoded JSON body is.
 */
export function toRuntime(value: unknown, path: string, ancestors: Set<object> = new Set()): RV {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      throw unsupported(path, typeof value);
  }
  if (ancestors.has(value)) throw new ConditionEvalError(`unsupported value at ${path}: it contains itself`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: RV[] = [];
      for (let i = 0; i < value.length; i++)
        items.push(toRuntime(ownData(value, String(i), path), `${path}[${i}]`, ancestors));
      return new GoSlice(items.every((x) => typeof x === 'number') ? 'float64' : 'interface {}', items);
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw unsupported(path, 'a non-plain object');
    const entries = new Map<string, RV>();
    for (const key of Object.keys(value)) {
      entries.set(key, toRuntime(ownData(value, key, path), `${path}.${key}`, ancestors));
    }
    return new GoMap(entries);
  } finally {
    ancestors.delete(value);
  }
}

/** Turns a runtime value back into plain data (ints become numbers). */
export function fromRuntime(v: RV): Value {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoSlice) return v.items.map(fromRuntime);
  if (v instanceof GoMap) return Object.fromEntries([...v.entries].map(([k, x]) => [k, fromRuntime(x)]));
  throw new ConditionEvalError(`a condition cannot return a function (${v.name})`);
}

/** The checker's view of a runtime value. */
export function natureOf(v: RV): Nature {
  if (v === null) return NIL;
  if (v instanceof GoSlice) {
    const elem = v.elem === 'float64' ? FLOAT : v.elem === 'int' ? INT : UNKNOWN;
    return { kind: 'array', type: `[]${v.elem}`, elem };
  }
  if (v instanceof GoMap) return MAP;
  if (v instanceof GoFunc) return { kind: 'func', sig: v.sig };
  switch (typeof v) {
    case 'boolean':
      return BOOL;
    case 'string':
      return STRING;
    case 'number':
      return FLOAT;
    default:
      return INT;
  }
}

/** Reads an own data property; accessors are refused so no caller code runs. */
export function ownData(obj: object, key: string, path: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (d === undefined) return undefined;
  if (!('value' in d)) throw new ConditionEvalError(`unsupported value at ${path}.${key}: accessor property`);
  return d.value;
}

function unsupported(path: string, what: string): ConditionEvalError {
  return new ConditionEvalError(
    `unsupported value at ${path}: ${what} (conditions read numbers, strings, booleans, null, arrays and plain objects)`,
  );
}
