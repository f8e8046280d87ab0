import { describe, expect, it } from 'vitest';
import { sparkline } from '../../cli/tui/sparkline.js';

describe('sparkline', () => {
  it('follows its worked example: scaled to max, gaps as spaces, right-aligned', () => {
    expect(sparkline([0, 5, 10, null], 10, 6)).toBe('  ▁▅█ ');
  });

  it.each([
    ['all eight heights', [0, 1, 2, 3, 4, 5, 6, 7], 7, 8, '▁▂▃▄▅▆▇█'],
    ['keeps the newest values when there are more than columns', [7, 7, 0, 7], 7, 2, '▁█'],
    ['clamps above max and below zero', [20, -3], 10, 2, '█▁'],
    ['a zero max draws the floor, not a full bar', [0, 0], 0, 2, '▁▁'],
    ['NaN and Infinity are gaps, not bars', [Number.NaN, Number.POSITIVE_INFINITY, 1], 1, 3, '  █'],
    ['no room, no chart', [1, 2], 2, 0, ''],
  ])('%s', (_name, values, max, width, expected) => {
    expect(sparkline(values, max, width)).toBe(expected);
  });
});
