import type { ValueType } from './ast.js';

/**
 * A function's signature, as the parser and checker need it (the implementations live in the
 * evaluator, keyed by the same names). `variadic`: 0 = exactly `argTypes.length` arguments;
 * n > 0 = the last argument type may appear up to n times (0..n); -1 = any number of times.
 */
export interface FunctionSignature {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  readonly variadic: number;
  readonly returnType: ValueType;
}

const sig = (
  name: string,
  argTypes: ValueType[],
  returnType: ValueType,
  variadic = 0,
): FunctionSignature => ({
  name,
  argTypes,
  variadic,
  returnType,
});

const overTime = (name: string): FunctionSignature => sig(name, ['matrix'], 'vector');
const math = (name: string): FunctionSignature => sig(name, ['vector'], 'vector');

/** The functions canarysim evaluates, by name (PromQL function names are case-sensitive). */
export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(
  [
    sig('abs', ['vector'], 'vector'),
    sig('absent', ['vector'], 'vector'),
    overTime('absent_over_time'),
    overTime('avg_over_time'),
    math('ceil'),
    sig('changes', ['matrix'], 'vector'),
    sig('clamp', ['vector', 'scalar', 'scalar'], 'vector'),
    sig('clamp_max', ['vector', 'scalar'], 'vector'),
    sig('clamp_min', ['vector', 'scalar'], 'vector'),
    overTime('count_over_time'),
    sig('delta', ['matrix'], 'vector'),
    sig('deriv', ['matrix'], 'vector'),
    math('exp'),
    overTime('first_over_time'),
    math('floor'),
    sig('histogram_quantile', ['scalar', 'vector'], 'vector'),
    sig('idelta', ['matrix'], 'vector'),
    sig('increase', ['matrix'], 'vector'),
    sig('irate', ['matrix'], 'vector'),
    sig('label_join', ['vector', 'string', 'string', 'string'], 'vector', -1),
    sig('label_replace', ['vector', 'string', 'string', 'string', 'string'], 'vector'),
    overTime('last_over_time'),
    math('ln'),
    math('log10'),
    math('log2'),
    overTime('max_over_time'),
    overTime('min_over_time'),
    sig('predict_linear', ['matrix', 'scalar'], 'vector'),
    overTime('present_over_time'),
    sig('quantile_over_time', ['scalar', 'matrix'], 'vector'),
    sig('rate', ['matrix'], 'vector'),
    sig('resets', ['matrix'], 'vector'),
    sig('round', ['vector', 'scalar'], 'vector', 1),
    sig('scalar', ['vector'], 'scalar'),
    math('sgn'),
    sig('sort', ['vector'], 'vector'),
    sig('sort_desc', ['vector'], 'vector'),
    math('sqrt'),
    overTime('stddev_over_time'),
    overTime('stdvar_over_time'),
    overTime('sum_over_time'),
    sig('time', [], 'scalar'),
    sig('timestamp', ['vector'], 'vector'),
    sig('vector', ['scalar'], 'vector'),
  ].map((f) => [f.name, f]),
);

/**
 * Functions Prometheus has but canarysim does not evaluate: the parser names them in a clear
 * error instead of calling them unknown.
 */
export const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'cos',
  'cosh',
  'sin',
  'sinh',
  'tan',
  'tanh',
  'deg',
  'rad',
  'pi',
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'double_exponential_smoothing',
  'histogram_avg',
  'histogram_count',
  'histogram_fraction',
  'histogram_quantiles',
  'histogram_stddev',
  'histogram_stdvar',
  'histogram_sum',
  'info',
  'mad_over_time',
  'sort_by_label',
  'sort_by_label_desc',
  'ts_of_first_over_time',
  'ts_of_last_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
]);

/**
 * Functions whose result depends on the evaluation time even when their arguments do not
 * (Prometheus's `AtModifierUnsafeFunctions`).
 */
export const AT_MODIFIER_UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
]);
