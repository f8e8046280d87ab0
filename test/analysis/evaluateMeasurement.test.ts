import { describe, expect, it } from 'vitest';
import { parseCondition, type Value } from '../../sim/analysis/condition/index.js';
import { formatValue } from '../../sim/analysis/formatValue.js';
import { evaluateMeasurement, NO_DATA_MESSAGE } from '../../sim/analysis/verdict/index.js';

const NO_DATA = 'metric result is nil or empty: no data returned from the metric provider';

describe('evaluateMeasurement: the §5.4 decision table', () => {
  // S = successCondition, F = failureCondition, undefined = not set (Argo's evaluate_test.go cases).
  it.each<[string | undefined, string | undefined, string]>([
    ['true', 'false', 'Successful'],
    ['true', 'true', 'Failed'],
    ['false', 'true', 'Failed'],
    ['false', 'false', 'Inconclusive'],
    [undefined, 'false', 'Successful'],
    [undefined, 'true', 'Failed'],
    ['true', undefined, 'Successful'],
    ['false', undefined, 'Failed'],
    [undefined, undefined, 'Successful'],
    ['', '', 'Successful'],
  ])('S %j F %j → %s', (success, failure, phase) => {
    expect(evaluateMeasurement({ successCondition: success, failureCondition: failure }, true).phase).toBe(
      phase,
    );
    const parsed = {
      successCondition: success ? parseCondition(success) : undefined,
      failureCondition: failure ? parseCondition(failure) : undefined,
    };
    expect(evaluateMeasurement(parsed, true).phase).toBe(phase);
  });

  it('an invalid reference in either condition is an Error', () => {
    // Argo stops at the first condition that errors: the failure condition is never evaluated.
    const s = 'could not evaluate successCondition "a == true": unknown name a';
    expect(evaluateMeasurement({ successCondition: 'a == true', failureCondition: 'true' }, true)).toEqual({
      phase: 'Error',
      message: s,
      conditions: [{ condition: 'successCondition', expression: 'a == true', error: s }],
    });
    const f = 'could not evaluate failureCondition "a == true": unknown name a';
    expect(evaluateMeasurement({ successCondition: 'true', failureCondition: 'a == true' }, true)).toEqual({
      phase: 'Error',
      message: f,
      conditions: [
        { condition: 'successCondition', expression: 'true', value: true },
        { condition: 'failureCondition', expression: 'a == true', error: f },
      ],
    });
  });

  it('a non-bool condition is an Error', () => {
    expect(evaluateMeasurement({ successCondition: '1' }, true)).toMatchObject({
      phase: 'Error',
      message: 'could not evaluate successCondition "1": expected bool, but got int',
    });
  });

  it('a condition that does not parse is an Error with expr-lang text, without position', () => {
    expect(evaluateMeasurement({ successCondition: 'result >= > 1' }, 1)).toMatchObject({
      phase: 'Error',
      message: 'could not evaluate successCondition "result >= > 1": unexpected token Operator(">")',
    });
  });

  it('a nil or empty result explains itself instead of the raw expr error', () => {
    expect(NO_DATA_MESSAGE).toBe(NO_DATA);
    const empty = `could not evaluate successCondition "result[0] >= 0.95": ${NO_DATA}`;
    expect(evaluateMeasurement({ successCondition: 'result[0] >= 0.95' }, [])).toEqual({
      phase: 'Error',
      message: empty,
      conditions: [{ condition: 'successCondition', expression: 'result[0] >= 0.95', error: empty }],
    });
    expect(evaluateMeasurement({ successCondition: 'result > 1' }, undefined)).toMatchObject({
      phase: 'Error',
      message: `could not evaluate successCondition "result > 1": ${NO_DATA}`,
    });
    expect(evaluateMeasurement({ failureCondition: 'result[0] < 0.95' }, [])).toMatchObject({
      phase: 'Error',
      message: `could not evaluate failureCondition "result[0] < 0.95": ${NO_DATA}`,
    });
  });
});

describe('evaluateMeasurement: Prometheus edge cases (§6.3)', () => {
  const S = 'result >= 0.9';
  const F = 'result < 0.9';
  it.each<[string, string | undefined, string | undefined, Value | undefined, string]>([
    ['NaN, both conditions', S, F, NaN, 'Inconclusive'],
    ['NaN, success guarded with isNaN', 'result >= 0.9 || isNaN(result)', undefined, NaN, 'Successful'],
    ['NaN, success only', S, undefined, NaN, 'Failed'],
    ['+Inf, success', S, undefined, Infinity, 'Successful'],
    ['+Inf, failure isInf', undefined, 'isInf(result)', Infinity, 'Failed'],
    ['vector [10,11]', '10 in result', 'len(result) != 2', [10, 11], 'Successful'],
    ['range query [11..14]', 'all(result, # > 10)', 'all(result, # < 10)', [11, 12, 13, 14], 'Successful'],
    ['empty vector, unguarded', 'result[0] >= 0.95', undefined, [], 'Error'],
    [
      'empty vector, len guard (empty = Successful)',
      'len(result) == 0 || result[0] >= 0.95',
      undefined,
      [],
      'Successful',
    ],
    [
      'empty vector, len guard (empty = Failed)',
      'len(result) > 0 && result[0] >= 0.95',
      undefined,
      [],
      'Failed',
    ],
    ['empty vector, get ?? guard', '(get(result, 0) ?? 0) >= 0.95', undefined, [], 'Failed'],
    ['non-empty vector, get ?? guard', '(get(result, 0) ?? 0) >= 0.95', undefined, [0.97], 'Successful'],
    ['empty vector, default() does not help', 'default(result, 0) >= 0.95', undefined, [], 'Error'],
    ['type mismatch', 'result > 1', undefined, [1, 2], 'Error'],
  ])('%s → %s', (_name, successCondition, failureCondition, result, phase) => {
    expect(evaluateMeasurement({ successCondition, failureCondition }, result).phase).toBe(phase);
  });

  it('a type mismatch reports the expr error (the result is not empty)', () => {
    expect(evaluateMeasurement({ successCondition: 'result > 1' }, [1, 2]).message).toBe(
      'could not evaluate successCondition "result > 1": invalid operation: > (mismatched types []float64 and int)',
    );
  });
});

describe('evaluateMeasurement: what each condition evaluated to (the trace)', () => {
  it('23: [0.90] against result[0] >= 0.95 is false → Failed; [0.97] is true → Successful', () => {
    const c = { successCondition: 'result[0] >= 0.95' };
    expect(evaluateMeasurement(c, [0.9])).toEqual({
      phase: 'Failed',
      conditions: [{ condition: 'successCondition', expression: 'result[0] >= 0.95', value: false }],
    });
    expect(evaluateMeasurement({ successCondition: parseCondition(c.successCondition) }, [0.97])).toEqual({
      phase: 'Successful',
      conditions: [{ condition: 'successCondition', expression: 'result[0] >= 0.95', value: true }],
    });
  });

  it('26: NaN, success result >= 0.9 and failure result < 0.9 both false → Inconclusive, both listed in order', () => {
    expect(
      evaluateMeasurement({ successCondition: 'result >= 0.9', failureCondition: 'result < 0.9' }, NaN),
    ).toEqual({
      phase: 'Inconclusive',
      conditions: [
        { condition: 'successCondition', expression: 'result >= 0.9', value: false },
        { condition: 'failureCondition', expression: 'result < 0.9', value: false },
      ],
    });
  });
});

describe('evaluateMeasurement: scenario facts (§9)', () => {
  it('22: a metric without conditions is always Successful (docs say Inconclusive; code says Successful)', () => {
    for (const result of [[0.1], [], 0, NaN, undefined]) {
      expect(evaluateMeasurement({}, result)).toEqual({ phase: 'Successful', conditions: [] });
    }
  });

  it('23: result[0] >= 0.95 on [0.97] is Successful with value [0.97]; on [0.90] Failed', () => {
    expect(evaluateMeasurement({ successCondition: 'result[0] >= 0.95' }, [0.97]).phase).toBe('Successful');
    expect(formatValue([0.97])).toBe('[0.97]');
    expect(evaluateMeasurement({ successCondition: 'result[0] >= 0.95' }, [0.9]).phase).toBe('Failed');
  });

  it('26: NaN with success result >= 0.9 and failure result < 0.9 is Inconclusive', () => {
    expect(
      evaluateMeasurement({ successCondition: 'result >= 0.9', failureCondition: 'result < 0.9' }, NaN).phase,
    ).toBe('Inconclusive');
  });
});
