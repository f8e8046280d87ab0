import { describe, expect, it } from 'vitest';
import {
  conditionErrorMessage,
  evaluateMeasurement,
  NO_DATA_MESSAGE,
} from '../../sim/analysis/verdict/index.js';
import { ARGO_PROFILES } from '../../sim/rollout/index.js';
import { HEADER, writeInline } from '../helpers/inlineScenario.js';
import { cli, shown } from '../lint/helpers.js';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

/*
 * How each Argo Rollouts release words a condition it cannot evaluate (the measurement message the
 * run quotes after "Error Message:"). v1.10 (argo-rollouts#4680; spec §5.4, read from a snapshot past
 * v1.10.0-rc1): `could not evaluate successCondition "<expr>": <err>`, the no-data text on an empty
 * result. Up to v1.9.1: utils/evaluate returns the expression engine's error unwrapped, and
 * antonmedv/expr v1.15.5 lets reflect panic on an index past the end: `reflect: slice index out of
 * range` (spec §6.3, issue #1466).
 */
describe('conditionErrorMessage', () => {
  const cases: [string, 'expr' | 'explained', string, unknown, string][] = [
    [
      'v1.10, empty result',
      'explained',
      'index out of range: 0 (array length is 0)',
      [],
      `could not evaluate successCondition "result[0] >= 0.95": ${NO_DATA_MESSAGE}`,
    ],
    [
      'v1.10, nil result',
      'explained',
      'cannot fetch 0 from <nil>',
      null,
      `could not evaluate successCondition "result[0] >= 0.95": ${NO_DATA_MESSAGE}`,
    ],
    [
      'v1.10, a result',
      'explained',
      'expected bool, but got float64',
      [1],
      'could not evaluate successCondition "result[0] >= 0.95": expected bool, but got float64',
    ],
    [
      'v1.9, empty result',
      'expr',
      'index out of range: 0 (array length is 0)',
      [],
      'reflect: slice index out of range',
    ],
    [
      'v1.9, index past the end',
      'expr',
      'index out of range: 3 (array length is 2)',
      [1, 2],
      'reflect: slice index out of range',
    ],
    [
      'v1.9, a type mismatch',
      'expr',
      'invalid operation: > (mismatched types []float64 and int)',
      [1],
      'invalid operation: > (mismatched types []float64 and int)',
    ],
  ];
  it.each(cases)('%s', (_, wording, reason, result, expected) => {
    expect(
      conditionErrorMessage(wording, 'successCondition', 'result[0] >= 0.95', reason, result as never),
    ).toBe(expected);
  });

  it('evaluateMeasurement words an Error measurement as the release asks', () => {
    const c = { successCondition: 'result[0] >= 0.95' };
    expect(evaluateMeasurement(c, [], 'expr')).toMatchObject({
      phase: 'Error',
      message: 'reflect: slice index out of range',
    });
    expect(evaluateMeasurement(c, [], 'explained').message).toBe(
      `could not evaluate successCondition "result[0] >= 0.95": ${NO_DATA_MESSAGE}`,
    );
    const f = { successCondition: 'true', failureCondition: 'result > 1' };
    expect(evaluateMeasurement(f, [1], 'expr').message).toBe(
      'invalid operation: > (mismatched types []float64 and int)',
    );
    expect(evaluateMeasurement(f, [1], 'explained').message).toBe(
      'could not evaluate failureCondition "result > 1": invalid operation: > (mismatched types []float64 and int)',
    );
  });

  it('the profiles: v1.9 and older give the engine error, 1.10 explains it; 1.9 and 1.10 prefix aborts', () => {
    expect(
      Object.entries(ARGO_PROFILES).map(([v, t]) => `${v} ${t.conditionErrors} ${t.analysisAbortPrefix}`),
    ).toEqual(['1.7 expr false', '1.8 expr false', '1.9 expr true', '1.10 explained true']);
  });

  it('a scenario selects 1.10 quoted; unquoted it is the number 1.1 and the error says so', async () => {
    const file = writeInline(`${HEADER}argoRollouts: 1.10\ntimeline:\n  - wait: 1s\n`);
    const { code, stderr } = await cli(['run', file]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `canarysim: ${shown(path.relative(REPO_ROOT, file))}:${HEADER.split('\n').length}:15: scenario: argoRollouts: invalid value "1.1": expected "1.7", "1.8", "1.9", "1.10" (a quoted string: 1.10 unquoted is the number 1.1)\n`,
    );
  });
});
