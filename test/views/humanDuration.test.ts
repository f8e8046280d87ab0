import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../cli/views/humanDuration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  // Table from k8s.io/apimachinery duration_test.go's thresholds plus the blog's own ages.
  it.each<[number, string]>([
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * S, '1s'],
    [59 * S, '59s'],
    [118 * S, '118s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + 15 * S, '2m15s'],
    [6 * M + 6 * S, '6m6s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 59 * S, '10m'],
    [103 * M, '103m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [3 * H + 59 * M + 59 * S, '3h59m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [50 * H, '2d2h'],
    [7 * D, '7d'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [731 * D, '2y1d'],
    [8 * 365 * D - 1, '7y364d'],
    [8 * 365 * D, '8y'],
  ])('%d ms → %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});
