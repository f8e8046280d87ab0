import { parseFloat64, parseInt64 } from '../../../go/strconv.js';
import { BOOL, FLOAT, INT64, UNKNOWN } from './nature.js';
import { floatToInt, GoFunc, goSprintV, goTypeOf, panic, type RV } from './runtime.js';

/**
 * The functions Argo puts beside `result` (utils/evaluate): `asInt`, `asFloat`, `isNaN`, `isInf`,
 * `isNil`, `default`. `isNil` and `default` look at the whole `result`, whatever argument they
 * are given — a quirk of Argo's closures that conditions rely on.
 */
export function argoHelpers(result: RV): GoFunc[] {
  const resultIsNil = result === null;
  return [
    new GoFunc('asInt', { params: [UNKNOWN], variadic: false, out: INT64 }, ([v = null]) => asInt(v)),
    new GoFunc('asFloat', { params: [UNKNOWN], variadic: false, out: FLOAT }, ([v = null]) => asFloat(v)),
    new GoFunc('isNaN', { params: [FLOAT], variadic: false, out: BOOL }, ([v = null]) => Number.isNaN(v)),
    new GoFunc(
      'isInf',
      { params: [FLOAT], variadic: false, out: BOOL },
      ([v]) => v === Infinity || v === -Infinity,
    ),
    new GoFunc('isNil', { params: [UNKNOWN], variadic: false, out: BOOL }, () => resultIsNil),
    new GoFunc(
      'default',
      { params: [UNKNOWN, UNKNOWN], variadic: false, out: UNKNOWN },
      ([, fallback = null]) => (resultIsNil ? fallback : result),
    ),
  ];
}

function asInt(v: RV): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt(v);
  if (typeof v === 'string') {
    const parsed = parseInt64(v);
    if (typeof parsed === 'string') panic(parsed);
    return parsed;
  }
  panic(`asInt() not supported on ${goTypeOf(v)} ${goSprintV(v)}`);
}

function asFloat(v: RV): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const parsed = parseFloat64(v);
    if (typeof parsed === 'string') panic(parsed);
    return parsed;
  }
  panic(`asFloat() not supported on ${goTypeOf(v)} ${goSprintV(v)}`);
}
