import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration, parsePauseDurationSeconds } from '../../go/duration.js';

describe('pause durations (spec §1.3, §9 fact 15)', () => {
  it.each([
    [10, 10],
    ['10', 10],
    ['10s', 10],
    ['10m', 600],
    ['1h', 3600],
    ['1h30m', 5400],
    ['500ms', 0],
    ['1.5h', 5400],
    ['2h45m30s', 9930],
  ] as const)('%j → %i s', (v, s) => {
    expect(parsePauseDurationSeconds(v)).toBe(s);
  });

  it.each(['10x', '', 'h', '1h1', '1.5', '5 m', '1d'])('%j is not a duration', (v) => {
    expect(parsePauseDurationSeconds(v)).toBeUndefined();
  });

  it("parses and prints Go durations as Go's time package does", () => {
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('-1.5h')).toBe(-5_400_000);
    expect(parseGoDuration('1us')).toBe(0.001);
    expect(formatGoDuration(5_400_000)).toBe('1h30m0s');
    expect(formatGoDuration(10_000)).toBe('10s');
    expect(formatGoDuration(500)).toBe('500ms');
  });
});

describe('Go durations: one parser for everything', () => {
  it('a trailing newline or any other stray character is not a duration (it used to crash)', () => {
    for (const bad of ['5s\n', '5s ', ' 5s', '30s\r\n', '1h\t']) expect(parseGoDuration(bad)).toBeUndefined();
  });

  it('overflowing int64 nanoseconds is not a duration', () => {
    expect(parseGoDuration('2562047h')).toBe(2562047 * 3_600_000);
    expect(parseGoDuration('2562048h')).toBeUndefined();
  });
});
