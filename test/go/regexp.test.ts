import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileRegexp,
  MAX_REGEX_LENGTH,
  MAX_REGEX_PROGRAM,
  REGEX_CACHE_ENTRIES,
  Regexp,
  RegexpError,
} from '../../go/regexp.js';

// go/regexp: Go's regexp on re2js. The callers' semantics (PromQL, Envoy, expr's `matches`) are
// tested beside them; here, what all of them share: linear time, Go's errors, limits, the cache.

const compiled = (p: string, dotNL = false): Regexp => {
  const re = compileRegexp(p, { dotNL });
  if (re instanceof RegexpError) throw re;
  return re;
};

describe('Go regexp on re2js', () => {
  it('find, full match and submatches', () => {
    expect(compiled('total').matchString('5xx-total-errors')).toBe(true);
    expect(compiled('total').fullMatch('5xx-total-errors')).toBe(false);
    expect(compiled('a|ab').fullMatch('ab')).toBe(true);
    const m = compiled('^(?s:(?P<ver>v\\d+)-(x)?(.*))$').exec('v2-\nrest');
    expect([...m!]).toEqual(['v2-\nrest', 'v2', undefined, '\nrest']);
    expect(m!.groups).toEqual({ ver: 'v2' });
    expect(compiled('x').exec('abc')).toBeNull();
    expect(String(compiled('a+b'))).toBe('a+b');
  });

  it('dotNL is Prometheus’s DotNL: `.` takes `\\n`, and errors still quote the pattern as written', () => {
    expect(compiled('a.b').fullMatch('a\nb')).toBe(false);
    expect(compiled('a.b', true).fullMatch('a\nb')).toBe(true);
    expect(compileRegexp('a)', { dotNL: true })).toMatchObject({
      kind: 'syntax',
      message: 'error parsing regexp: unexpected ): `a)`',
    });
  });

  it.each([
    ['(a+)+b', 'a'],
    ['(.*.*)*x', 'a'],
    ['(a|aa)*c', 'a'],
    ['(a*)*(b*)*$x', 'ab'],
    ['(?:a?){30}a{30}b', 'a'],
    ['(\\w+\\s?)+$!', 'word '],
  ])('%j on a 100,000-character input completes (no backtracking)', (p, unit) => {
    const s = unit.repeat(Math.ceil(100_000 / unit.length));
    expect(compiled(p).matchString(s)).toBe(false);
    expect(compiled(p).fullMatch(s)).toBe(false);
    expect(compiled(p, true).fullMatch(s)).toBe(false);
  });
});

describe('limits', () => {
  it(`a pattern over ${MAX_REGEX_LENGTH} characters is refused, counted in characters`, () => {
    expect(compileRegexp('a'.repeat(32_768))).toEqual(
      new RegexpError(`regex too long (32768 characters; at most ${MAX_REGEX_LENGTH})`, 'limit', 0),
    );
    expect(compileRegexp('a'.repeat(32_768))).toMatchObject({ kind: 'limit' });
    expect(compiled('a'.repeat(MAX_REGEX_LENGTH)).fullMatch('a'.repeat(MAX_REGEX_LENGTH))).toBe(true);
    // 16,384 astral characters are 32,768 UTF-16 units, and still 16,384 characters.
    expect(compileRegexp('😀'.repeat(MAX_REGEX_LENGTH))).toBeInstanceOf(Regexp);
  });

  it(`a program over ${MAX_REGEX_PROGRAM} instructions is refused; re2js's own size check too`, () => {
    expect(compileRegexp('a{1000}'.repeat(51))).toMatchObject({
      kind: 'limit',
      message: `regex too large (compiles to 51002 instructions; at most ${MAX_REGEX_PROGRAM})`,
    });
    // re2js's parser refuses this before compiling it, at about 1.4 million instructions.
    expect(compileRegexp('a{1000}'.repeat(2000))).toMatchObject({
      kind: 'limit',
      message: `regex too large (compiles to more than ${MAX_REGEX_PROGRAM} instructions)`,
    });
  });

  it("Go's own limits keep Go's words", () => {
    expect(compileRegexp(`${'('.repeat(1001)}a${')'.repeat(1001)}`)).toMatchObject({
      kind: 'syntax',
      message: expect.stringMatching(/^error parsing regexp: expression nests too deeply: `/),
    });
    expect(compileRegexp('(a{100}){100}')).toMatchObject({
      message: 'error parsing regexp: invalid repeat count: `{100}`',
    });
  });

  it('any pattern compiles or is refused with a RegexpError; nothing else escapes', () => {
    const piece = fc.oneof(
      fc.constantFrom(...'()[]{}|*+?.^$\\-:!=<>PpQEz0123456789aAbB,'.split('')),
      fc.constantFrom('(?', '(?P<', '(?i)', '\\p{', '[[:', ':]]', '{1000}', '\\x{', '\\Q', '\\E'),
      fc.string({ maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.string({ maxLength: 50 }), (parts, input) => {
        const re = compileRegexp(parts.join(''));
        if (re instanceof RegexpError) {
          expect(re.message).toMatch(/^(error parsing regexp: .*: `[^]*`|regex too (long|large) \(.*\))$/);
          return;
        }
        re.matchString(input);
        re.fullMatch(input);
        re.exec(input);
      }),
      { numRuns: 2000, seed: 9 },
    );
  });
});

describe('the compiled-pattern cache', () => {
  it('returns the same compiled pattern (or refusal) for the same source and flags', () => {
    expect(compileRegexp('cache-(a|b)')).toBe(compileRegexp('cache-(a|b)'));
    expect(compileRegexp('cache-(a|b)', { dotNL: true })).not.toBe(compileRegexp('cache-(a|b)'));
    expect(compileRegexp('cache-(')).toBe(compileRegexp('cache-('));
  });

  it(`keeps at most ${REGEX_CACHE_ENTRIES} patterns, dropping the least recently used`, () => {
    const first = compileRegexp('lru-first');
    const kept = compileRegexp('lru-kept');
    for (let i = 0; i < REGEX_CACHE_ENTRIES - 1; i++) {
      compileRegexp(`lru-${i}`);
      compileRegexp('lru-kept');
    }
    expect(compileRegexp('lru-kept')).toBe(kept);
    expect(compileRegexp('lru-first')).not.toBe(first);
  });
});
