import { describe, expect, it } from 'vitest';
import { formatValue } from '../../sim/analysis/formatValue.js';

// spec/argo-rollouts.md §6.2: Go strconv.FormatFloat(v, 'f', -1, 64) for scalars, `[v1,v2]` for vectors.
describe('formatValue', () => {
  it.each<[number, string]>([
    [10, '10'],
    [0.95, '0.95'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [1e-7, '0.0000001'],
    [1e21, '1000000000000000000000'],
    [123456789012, '123456789012'],
    [1.5e300, '15' + '0'.repeat(299)],
    [0, '0'],
    [-0, '-0'],
    [-2.5, '-2.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [5e-324, '0.' + '0'.repeat(323) + '5'],
  ])('scalar %d → %s', (v, expected) => {
    expect(formatValue(v)).toBe(expected);
  });

  it.each<[number[], string]>([
    [[10, 11], '[10,11]'],
    [[], '[]'],
    [[0.97], '[0.97]'],
    [[0.9], '[0.9]'],
    [[11, 12, 13, 14], '[11,12,13,14]'],
    [[NaN, Infinity], '[NaN,+Inf]'],
  ])('vector %j → %s', (v, expected) => {
    expect(formatValue(v)).toBe(expected);
  });
});
