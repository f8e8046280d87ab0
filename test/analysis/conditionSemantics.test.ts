import { describe, expect, it } from 'vitest';
import {
  ConditionEvalError,
  evaluateBoolCondition,
  evaluateCondition,
  parseCondition,
  type Value,
} from '../../sim/analysis/condition/index.js';

const evaluate = (src: string, result?: Value) =>
  evaluateCondition(parseCondition(src), result === undefined ? {} : { result });

function failure(src: string, result?: Value, bool = false): string {
  try {
    const ast = parseCondition(src);
    const env: Record<string, Value> = result === undefined ? {} : { result };
    if (bool) evaluateBoolCondition(ast, env);
    else evaluateCondition(ast, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConditionEvalError);
    return (e as Error).message;
  }
  throw new Error(`${src} evaluated without an error`);
}

// Cases and outcomes from Argo's utils/evaluate/evaluate_test.go.
describe("Argo's EvalCondition tests", () => {
  it.each<[string, Value, boolean]>([
    ['result == true', true, true],
    ['result == false', true, false],
    ['2 in result', [2, 2], true],
    ['result > 1', 5, true],
    [
      'all(result.service_apdex.values.values, {# > 1})',
      { service_apdex: { label: null, values: { values: [2, 2] } } },
      true,
    ],
    ['asInt(result) == 1', '1', true],
    ['asInt(result) == 1', 1, true],
    ['asInt(result) == 1', 1.123, true],
    ['asFloat(result) == 1.1', '1.1', true],
    ['asFloat(result) >= 1.1', '1.1', true],
    ['asFloat(result) <= 1.1', '1.1', true],
    ['asFloat(result) == 1.1', 1.1, true],
    ['asFloat(result) == 1', 1, true],
    ['asFloat(result) >= 1', 1, true],
  ])('%s with %j → %s', (src, result, expected) => {
    expect(evaluateBoolCondition(parseCondition(src), { result })).toBe(expected);
  });

  it.each<[string, Value, string]>([
    ['1', true, 'expected bool, but got int'],
    ['invalidVariable', true, 'unknown name invalidVariable'],
    ['a == true', true, 'unknown name a'],
    ['asFloat(result) == 1.1', 'NotANum', 'strconv.ParseFloat: parsing "NotANum": invalid syntax'],
    ['asFloat(result) == "1.1"', '1.1', 'invalid operation: == (mismatched types float64 and string)'],
    ['asInt(result) == 1.1', '1.1', 'strconv.ParseInt: parsing "1.1": invalid syntax'],
    ['result.Name() == "hi"', true, 'type bool has no method Name'],
  ])('%s with %j fails: %s', (src, result, message) => {
    expect(failure(src, result, true)).toBe(message);
  });

  it('isNil(_) and default(_, d) look at the whole result, not their argument', () => {
    expect(evaluate('isNil(1)', null)).toBe(true);
    expect(evaluate('isNil(nil)', 1)).toBe(false);
    expect(evaluate('isNil(result)', [])).toBe(false); // an empty Prometheus vector is not nil
    expect(evaluate('default(5, 0)', null)).toBe(0);
    expect(evaluate('default(5, 0)', 7)).toBe(7);
    expect(evaluate('default(result, 0) < 0.05', null)).toBe(true);
    // For Prometheus the result is never nil, so default() does not help with an empty vector.
    expect(failure('default(result, 0) < 0.05', [])).toBe('invalid operation: []float64 < float64');
  });

  it('isNaN and isInf (either sign)', () => {
    expect(evaluate('isNaN(result)', NaN)).toBe(true);
    expect(evaluate('isNaN(result)', 1)).toBe(false);
    expect(evaluate('isInf(result)', Infinity)).toBe(true);
    expect(evaluate('isInf(result)', -Infinity)).toBe(true);
    expect(evaluate('isInf(result)', 0)).toBe(false);
    expect(evaluate('isNaN(1)')).toBe(false); // int literal converted for the float64 parameter
    expect(failure('isNaN(result)', [1])).toBe(
      'cannot use []float64 as argument (type float64) to call isNaN ',
    );
  });
});

describe('int vs float typing', () => {
  it('`1` is an int, `1.0` and provider numbers are float64', () => {
    expect(failure('1', undefined, true)).toBe('expected bool, but got int');
    expect(failure('1.0', undefined, true)).toBe('expected bool, but got float64');
    expect(failure('result[0]', [0.5], true)).toBe('expected bool, but got float64');
    expect(failure('result', [0.5], true)).toBe('expected bool, but got []float64');
    expect(failure('"yes"', undefined, true)).toBe('expected bool, but got string');
    expect(failure('nil', undefined, true)).toBe('expected bool, but got <nil>');
    expect(failure('result', { a: 1 }, true)).toBe('expected bool, but got map[string]interface {}');
    expect(failure('asInt(result)', 1, true)).toBe('expected bool, but got int');
  });

  it('ints and floats compare and mix', () => {
    expect(evaluate('result[0] > 1', [1.5])).toBe(true);
    expect(evaluate('result == 1', 1)).toBe(true);
    expect(evaluate('1 == 1.0')).toBe(true);
    expect(evaluate('1 + 1.5')).toBe(2.5);
    expect(evaluate('7 / 2')).toBe(3.5); // `/` always yields float64
    expect(evaluate('7 % 3')).toBe(1);
    expect(evaluate('2 ** 10')).toBe(1024);
    expect(evaluate('9223372036854775807 + 1 < 0')).toBe(true); // int64 wraps
    expect(failure('7.5 % 2')).toBe('invalid operation: % (mismatched types float64 and int)');
    expect(failure('5 % 0')).toBe('runtime error: integer divide by zero');
  });
});

describe('nil, NaN and errors', () => {
  it('comparing nil with a number is an error', () => {
    expect(failure('nil > 1')).toBe('invalid operation: > (mismatched types nil and int)');
    expect(failure('get(result, 0) >= 0.95', [])).toBe('invalid operation: <nil> >= float64');
    expect(evaluate('(get(result, 0) ?? 0) >= 0.95', [])).toBe(false);
    expect(evaluate('result == nil', null)).toBe(true);
    expect(evaluate('nil == nil')).toBe(true);
  });

  it('NaN: ordered comparisons and == are false, != is true', () => {
    for (const op of ['<', '<=', '>', '>=', '==']) expect(evaluate(`result ${op} 0.9`, NaN)).toBe(false);
    expect(evaluate('result != 0.9', NaN)).toBe(true);
    expect(evaluate('result != result', NaN)).toBe(true);
  });

  it('index errors read as Argo users see them', () => {
    expect(failure('result[0] >= 0.95', [])).toBe('index out of range: 0 (array length is 0)');
    expect(failure('result[3]', [1, 2])).toBe('index out of range: 3 (array length is 2)');
    expect(failure('result[-3]', [1, 2])).toBe('index out of range: -1 (array length is 2)');
    expect(evaluate('result[-1]', [1, 2])).toBe(2);
    expect(evaluate('get(result, 5)', [1])).toBe(null);
    expect(evaluate('get(result, -1)', [1, 2])).toBe(2);
  });

  it('type mismatches are compile-time errors against the live result', () => {
    expect(failure('result > 1', [1, 2])).toBe('invalid operation: > (mismatched types []float64 and int)');
    expect(failure('result["a"]', [1])).toBe(
      'array elements can only be selected using an integer (got string)',
    );
    expect(failure('"a" in result', [1])).toBe('cannot use string as type float64 in array');
    expect(failure('1 + "a"')).toBe('invalid operation: + (mismatched types int and string)');
    expect(failure('result ? 1 : 2', 1)).toBe('non-bool expression (type float64) used as condition');
    expect(failure('len(result)', 1)).toBe('invalid argument for len (type float64)');
    expect(failure('all(result, # > 1)', 1)).toBe('builtin all takes only array (got float64)');
    expect(failure('all(result, # + 1)', [1])).toBe('predicate should return boolean (got float64)');
    expect(failure('upper(1)')).toBe('cannot use int as argument (type string) to call upper ');
    expect(failure('len(1, 2)')).toBe('invalid number of arguments (expected 1, got 2)');
  });

  it('run-time errors surface for values only known when running', () => {
    expect(failure('result.a > 1', { a: 'x' })).toBe('invalid operation: string > int');
    expect(failure('result.a.b', { a: null })).toBe('cannot fetch b from <nil>');
    expect(failure('!result.a', { a: 1 })).toBe('interface conversion: interface {} is float64, not bool');
    expect(failure('result.a && true', { a: 1 })).toBe(
      'interface conversion: interface {} is float64, not bool',
    );
    expect(failure('asInt(result)', true)).toBe('asInt() not supported on bool true');
    expect(failure('1..2000000')).toBe('memory budget exceeded');
  });
});

describe('operators', () => {
  it.each<[string, Value | undefined, Value]>([
    ['10 in result', [10, 11], true],
    ['12 not in result', [10, 11], true],
    ['"a" in result', { a: 1 }, true],
    ['"b" in result', { a: 1 }, false],
    ['1 in result.missing', { a: 1 }, false],
    ['result[1:3]', [1, 2, 3, 4], [2, 3]],
    ['result[:2]', [1, 2, 3], [1, 2]],
    ['result[-2:]', [1, 2, 3], [2, 3]],
    ['result[5:9]', [1, 2, 3], []],
    ['"hello"[1:3]', undefined, 'el'],
    ['1..4', undefined, [1, 2, 3, 4]],
    ['3..1', undefined, []],
    ['"canary-v2" matches "^canary-v[0-9]+$"', undefined, true],
    ['"Canary" matches "(?i)^canary"', undefined, true],
    ['"abc" contains "b"', undefined, true],
    ['"abc" startsWith "ab" && "abc" endsWith "bc"', undefined, true],
    ['"ab" + "cd"', undefined, 'abcd'],
    ['"a" < "b"', undefined, true],
    ['1 < 2 < 3', undefined, true],
    ['3 > 2 > 2', undefined, false],
    ['true ? "y" : "n"', undefined, 'y'],
    ['false ?: "fallback"', undefined, 'fallback'],
    ['if result > 1 { "big" } else { "small" }', 5, 'big'],
    ['nil ?? 5', undefined, 5],
    ['result ?? 5', 0, 0],
    ['result?.a?.b', { a: null }, null],
    ['result.a?.b.c', { a: null }, null],
    ['result.missing', { a: 1 }, null],
    ['[1, 2] == [1, 2]', undefined, true],
    ['[1, 2] == [1.0, 2.0]', undefined, true],
    ['{a: 1}.a', undefined, 1],
    ['{a: 1, a: 2}.a', undefined, 1],
    ['let x = result * 2; x + 1', 3, 7],
    ['result | len()', [1, 2, 3], 3],
    ['-result', 2, -2],
    ['not (1 > 2)', undefined, true],
  ])('%s with %j → %j', (src, result, expected) => {
    expect(evaluate(src, result)).toEqual(expected);
  });

  it('&& and || short-circuit, so guards protect indexing', () => {
    expect(evaluate('len(result) == 0 || result[0] >= 0.95', [])).toBe(true);
    expect(evaluate('len(result) > 0 && result[0] >= 0.95', [])).toBe(false);
  });
});

describe('builtins', () => {
  it.each<[string, Value | undefined, Value]>([
    ['len(result)', [1, 2], 2],
    ['len(result)', { a: 1 }, 1],
    ['len("héllo")', undefined, 6], // bytes, as Go counts them
    ['all(result, # > 10)', [11, 12, 13, 14], true],
    ['all(result, {# > 1})', [2, 2], true],
    ['all(result, # < 1000)', [999, 1000], false],
    ['all(result, # > 1)', [], true],
    ['none(result, # > 1)', [], true],
    ['any(result, # > 1)', [], false],
    ['one(result, # > 1)', [], false],
    ['one(result, # > 1)', [1, 2], true],
    ['any(result, # > 1)', [1, 2], true],
    ['none(result, # > 5)', [1, 2], true],
    ['filter(result, # > 1)', [1, 2, 3], [2, 3]],
    ['map(result, # * 2)', [1, 2], [2, 4]],
    ['map(result, #index)', [5, 6], [0, 1]],
    ['filter(result, .ok)', [{ ok: true }, { ok: false }], [{ ok: true }]],
    ['count(result, # > 1)', [1, 2, 3], 2],
    ['count(result)', [true, false, true], 2],
    ['sum(result)', [1, 2.5], 3.5],
    ['sum(result)', [], 0],
    ['sum(result, # * 2)', [1, 2], 6],
    ['mean(result)', [1, 2], 1.5],
    ['mean(result)', [], 0],
    ['median(result)', [3, 1, 2], 2],
    ['median(result)', [4, 1, 3, 2], 2.5],
    ['max(result)', [3, 7, 2], 7],
    ['min(result)', [3, 7, 2], 2],
    ['max(1, 2.5)', undefined, 2.5],
    ['max(result)', [], null],
    ['find(result, # > 1)', [1, 2, 3], 2],
    ['findIndex(result, # > 1)', [1, 2, 3], 1],
    ['findLast(result, # > 1)', [1, 2, 3], 3],
    ['findLastIndex(result, # > 5)', [1, 2, 3], null],
    ['first(result)', [], null],
    ['last(result)', [], null],
    ['first(result)', [4, 5], 4],
    ['last(result)', [4, 5], 5],
    ['get(result, "a")', { a: 1 }, 1],
    ['abs(-3)', undefined, 3],
    ['abs(-2.5)', undefined, 2.5],
    ['ceil(1.2)', undefined, 2],
    ['floor(-1.2)', undefined, -2],
    ['round(2.5)', undefined, 3],
    ['round(-2.5)', undefined, -3], // half away from zero, like Go
    ['int(2.9) + int("3")', undefined, 5],
    ['float("1e3")', undefined, 1000],
    ['string(1000000.0)', undefined, '1e+06'],
    ['string(0.95)', undefined, '0.95'],
    ['string(result)', [1, 2], '[1 2]'],
    ['upper("abc") + lower("DEF")', undefined, 'ABCdef'],
    ['trim("  x \\n")', undefined, 'x'],
    ['trim("--x--", "-")', undefined, 'x'],
    ['type(result)', [1], 'array'],
    ['type(1) + type(1.5)', undefined, 'intfloat'],
  ])('%s with %j → %j', (src, result, expected) => {
    expect(evaluate(src, result)).toEqual(expected);
  });

  it('asInt rejects non-integers, asFloat parses floats', () => {
    expect(failure('asInt("1.1")')).toBe('strconv.ParseInt: parsing "1.1": invalid syntax');
    expect(failure('asInt("99999999999999999999")')).toBe(
      'strconv.ParseInt: parsing "99999999999999999999": value out of range',
    );
    expect(evaluate('asFloat("1.5") + asFloat(2)')).toBe(3.5);
    expect(evaluate('asInt(-2.7)')).toBe(-2); // truncation
  });
});

describe('caller functions and results', () => {
  it('offers extra functions that see and return plain data', () => {
    const funcs = { double: (x: Value) => (typeof x === 'number' ? x * 2 : null) };
    expect(evaluateCondition(parseCondition('double(result) == 4'), { result: 2 }, funcs)).toBe(true);
  });

  it('errors thrown by a caller function become evaluation errors', () => {
    const funcs = {
      boom: (): Value => {
        throw new Error('kaboom');
      },
    };
    expect(() => evaluateCondition(parseCondition('boom()'), {}, funcs)).toThrow(ConditionEvalError);
    expect(() => evaluateCondition(parseCondition('boom()'), {}, funcs)).toThrow('kaboom');
  });

  it('returns plain data', () => {
    expect(evaluate('{a: [1, 2.5, "x", nil, true]}')).toEqual({ a: [1, 2.5, 'x', null, true] });
  });
});
