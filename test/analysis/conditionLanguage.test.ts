import { describe, expect, it } from 'vitest';
import {
  ConditionEvalError,
  ConditionSyntaxError,
  evaluateBoolCondition,
  evaluateCondition,
  parseCondition,
  type Value,
} from '../../sim/analysis/condition/index.js';
import { evaluateMeasurement } from '../../sim/analysis/verdict/index.js';

// spec/argo-rollouts.md §6.4, bullet by bullet: the expr-lang v1.17 subset Argo users write, with
// Argo's helpers bound to `result` (utils/evaluate/evaluate.go).

const run = (src: string, result: Value | undefined = null) =>
  evaluateCondition(parseCondition(src), { result: result ?? null });

function failure(src: string, result: Value = null): string {
  try {
    run(src, result);
  } catch (e) {
    if (e instanceof ConditionEvalError || e instanceof ConditionSyntaxError) return e.message;
    throw e;
  }
  throw new Error(`${src} evaluated without error`);
}

describe('comparison', () => {
  it.each<[string, Value, boolean]>([
    ['result == 1', 1, true],
    ['result != 1', 1, false],
    ['result < 0.95', 0.9, true],
    ['result > 0.95', 0.9, false],
    ['result <= 0.9', 0.9, true],
    ['result >= 0.95', 0.97, true],
    ['1 == 1.0', null, true],
    ['"abc" < "abd"', null, true],
    ['result == nil', null, true],
  ])('%s with result %j → %s', (src, result, expected) => {
    expect(run(src, result)).toBe(expected);
  });
});

describe('logic: not ! and && or ||', () => {
  it.each<[string, boolean]>([
    ['not true', false],
    ['!true', false],
    ['!(1 > 2)', true],
    ['true and false', false],
    ['true && false', false],
    ['false or true', true],
    ['false || true', true],
    ['true or false and false', true], // and binds tighter than or
    ['not (1 > 2) and true', true],
  ])('%s → %s', (src, expected) => {
    expect(run(src)).toBe(expected);
  });

  it('&& and || short-circuit, so a length guard protects an index', () => {
    expect(run('len(result) == 0 || result[0] >= 0.95', [])).toBe(true);
    expect(run('len(result) > 0 && result[0] >= 0.95', [])).toBe(false);
  });
});

describe('arithmetic: + - * / % ^ **', () => {
  it.each<[string, number]>([
    ['1 + 2 * 3', 7],
    ['10 - 2 - 3', 5],
    ['7 / 2', 3.5], // / is always float division
    ['10 / 4', 2.5],
    ['7 % 3', 1],
    ['-7 % 3', -1], // Go's remainder keeps the dividend's sign
    ['2 ^ 10', 1024],
    ['2 ** 10', 1024],
    ['4 ^ 0.5', 2],
    ['2 ** -1', 0.5],
    ['2 ^ 3 ^ 2', 512], // right-associative
    ['-2 ** 2', -4], // ** binds tighter than unary minus
  ])('%s → %d', (src, expected) => {
    expect(run(src)).toBe(expected);
  });

  it('division by zero is ±Inf or NaN, % needs integers', () => {
    expect(run('7 / 0')).toBe(Infinity);
    expect(run('0 / 0')).toBeNaN();
    expect(failure('7.5 % 2')).toBe('invalid operation: % (mismatched types float64 and int)');
  });
});

describe('indexing', () => {
  it('result[0], negative indexes from the end, out-of-range errors', () => {
    expect(run('result[0]', [0.97, 0.5])).toBe(0.97);
    expect(run('result[-1]', [1, 2, 3])).toBe(3);
    expect(run('result[-3]', [1, 2, 3])).toBe(1);
    expect(failure('result[-4]', [1, 2, 3])).toBe('index out of range: -1 (array length is 3)');
    expect(failure('result[0]', [])).toBe('index out of range: 0 (array length is 0)');
  });

  it('get(result, 0) is nil instead of an index error; ?? makes it empty-safe', () => {
    expect(run('get(result, 0)', [])).toBe(null);
    expect(run('get(result, -1)', [1, 2])).toBe(2);
    expect(run('(get(result, 0) ?? 0) >= 0.95', [])).toBe(false);
    expect(run('(get(result, 0) ?? 0) >= 0.95', [0.99])).toBe(true);
    // comparing nil with a number is an evaluation error
    expect(failure('get(result, 0) >= 0.95', [])).toBe('invalid operation: <nil> >= float64');
  });
});

describe('len, all, any, one, none with # predicates', () => {
  it.each<[string, Value, Value]>([
    ['len(result)', [1, 2, 3], 3],
    ['len(result)', [], 0],
    ['all(result, # > 10)', [11, 12, 13, 14], true],
    ['all(result, {# > 1})', [2, 3], true], // braces optional
    ['all(result, # < 1000)', [999, 1000], false],
    ['any(result, # == 3)', [2, 3], true],
    ['one(result, # > 1)', [2, 3], false],
    ['one(result, # > 2)', [2, 3], true],
    ['none(result, # > 1)', [0], true],
    // empty arrays: all/none true, any/one false
    ['all(result, # > 1)', [], true],
    ['none(result, # > 1)', [], true],
    ['any(result, # > 1)', [], false],
    ['one(result, # > 1)', [], false],
    ['all(result.service_apdex.values, {# > 1})', { service_apdex: { values: [2, 3] } }, true],
  ])('%s on %j → %j', (src, result, expected) => {
    expect(run(src, result)).toEqual(expected);
  });
});

describe('Argo’s helpers', () => {
  it('isNaN and isInf (either sign)', () => {
    expect(run('isNaN(result)', NaN)).toBe(true);
    expect(run('isNaN(result)', 1)).toBe(false);
    expect(run('isInf(result)', Infinity)).toBe(true);
    expect(run('isInf(result)', -Infinity)).toBe(true);
    expect(run('isInf(result)', 1e308)).toBe(false);
  });

  it('isNil(_) looks at the whole result, whatever its argument', () => {
    expect(run('isNil(1)', null)).toBe(true);
    expect(run('isNil(nil)', [1])).toBe(false);
    // Prometheus never returns nil: an empty vector is an empty array
    expect(run('isNil(result)', [])).toBe(false);
  });

  it('default(_, d) is d when the whole result is nil, else the result: the argument is ignored', () => {
    expect(run('default(1, 0)', null)).toBe(0);
    expect(run('default(nil, 0)', [5])).toEqual([5]);
    expect(run('default(result, 0)', [])).toEqual([]);
  });

  it('asInt truncates numbers and parses base-10 strings; asFloat parses floats', () => {
    expect(run('asInt(1.9)')).toBe(1);
    expect(run('asInt(-1.9)')).toBe(-1);
    expect(run('asInt("12") + 1')).toBe(13);
    expect(failure('asInt("1.1")')).toBe('strconv.ParseInt: parsing "1.1": invalid syntax');
    expect(run('asFloat("1.5") * 2')).toBe(3);
    expect(failure('asFloat("NotANum")')).toBe('strconv.ParseFloat: parsing "NotANum": invalid syntax');
  });
});

describe('in, ternary, ??', () => {
  it.each<[string, Value, Value]>([
    ['10 in result', [10, 11], true],
    ['12 in result', [10, 11], false],
    ['"a" in result', { a: 1 }, true],
    ['"b" in {a: 1}', null, false],
    ['result > 1 ? "big" : "small"', 5, 'big'],
    ['result > 1 ? "big" : "small"', 0, 'small'],
    ['nil ?? 3', null, 3],
    ['result ?? 5', 0, 0], // only nil is replaced
    ['result.missing ?? 3', {}, 3],
  ])('%s on %j → %j', (src, result, expected) => {
    expect(run(src, result)).toEqual(expected);
  });
});

describe('a condition must be a bool (§5.4)', () => {
  it('`1` → expected bool, but got int; an unknown name is an error', () => {
    expect(() => evaluateBoolCondition(parseCondition('1'), { result: 1 })).toThrow(
      'expected bool, but got int',
    );
    expect(() => evaluateBoolCondition(parseCondition('invalidVariable'), { result: 1 })).toThrow(
      'unknown name invalidVariable',
    );
  });

  it('Argo wraps the error (a Prometheus vector is a []float64); with an empty result it says there was no data', () => {
    expect(evaluateMeasurement({ successCondition: 'result > 1' }, [2])).toMatchObject({
      phase: 'Error',
      message:
        'could not evaluate successCondition "result > 1": invalid operation: > (mismatched types []float64 and int)',
    });
    expect(evaluateMeasurement({ failureCondition: 'result[0] < 0.95' }, [])).toMatchObject({
      phase: 'Error',
      message:
        'could not evaluate failureCondition "result[0] < 0.95": metric result is nil or empty: no data returned from the metric provider',
    });
  });
});

describe('anything outside the supported subset fails validation with a position', () => {
  it.each<[string, string, number]>([
    ['now() - duration("5m") > 0', 'builtin now is not supported by canarysim', 0],
    ['result | sort() | first() > 1', 'builtin sort is not supported by canarysim', 9],
    ['toJSON(result) == "[]"', 'builtin toJSON is not supported by canarysim', 0],
    ['len(keys(result)) > 0', 'builtin keys is not supported by canarysim', 4],
    ['$env.result > 1', '$env is not supported by canarysim', 0],
    ['result >', 'unexpected token EOF', 7], // expr-lang puts EOF on the last character
    ['result[0] >>= 1', 'unexpected token Operator(">=")', 11],
  ])('%s → %s at offset %d', (src, reason, offset) => {
    let caught: unknown;
    try {
      parseCondition(src);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConditionSyntaxError);
    expect((caught as ConditionSyntaxError).reason).toBe(reason);
    expect((caught as ConditionSyntaxError).offset).toBe(offset);
  });
});
