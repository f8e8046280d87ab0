import { describe, expect, it } from 'vitest';
import { compileRegexp, Regexp, RegexpError } from '../../go/regexp.js';
import { stringMatches } from '../../sim/mesh/index.js';

const re2FullMatch = (regex: string, value: string) => stringMatches({ regex }, value);

// Istio's StringMatch regex is RE2 (https://github.com/google/re2/wiki/Syntax), matched by Envoy
// against the whole value (safe_regex: "the input string must match the regular expression").
// Each row is what RE2 does; the JavaScript reading that differs is noted where it matters.

describe('RE2 patterns canarysim matches as RE2 does', () => {
  it.each([
    // Envoy's match is a full match, not a search.
    ['v1', 'v1', true],
    ['v1', 'v10', false],
    ['v1', 'av1', false],
    ['a|b', 'b', true],
    ['a|bc', 'ab', false],
    // \s is [\t\n\f\r ] in RE2; JavaScript's \s also takes \v and Unicode spaces.
    ['a\\sb', 'a b', true],
    ['a\\sb', 'a\tb', true],
    ['a\\sb', 'a\u000bb', false],
    ['a\\sb', 'a\u00a0b', false],
    ['a\\Sb', 'a\u00a0b', true],
    // . is any character but \n (JavaScript's also refuses \r, U+2028, U+2029); (?s) takes \n too.
    ['a.b', 'a\rb', true],
    ['a.b', 'a\u2028b', true],
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    // Leading flags: (?i) case-insensitive.
    ['(?i)firefox', 'FireFox', true],
    ['firefox', 'FireFox', false],
    // (?m): ^ and $ at line breaks (\n only).
    ['(?m)a$\\nb', 'a\nb', true],
    // Perl, POSIX and Unicode classes.
    ['\\d+', '0123', true],
    ['\\w+', 'a_Z9', true],
    ['[[:alpha:]]+', 'abcXYZ', true],
    ['[[:alpha:]]+', 'abc1', false],
    ['[[:digit:][:upper:]]+', 'A1B2', true],
    ['\\pL+', 'été', true],
    ['\\p{Greek}+', 'αβγ', true],
    ['\\p{Greek}+', 'abc', false],
    ['\\PL', '1', true],
    // Escapes: \Q…\E quotes, octal, \x{…}, \a, escaped punctuation, \A and \z anchors.
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['\\Qab\\E*', 'abbb', true],
    ['\\141', 'a', true],
    ['\\x{263a}', '☺', true],
    ['\\x41', 'A', true],
    ['\\a', '\u0007', true],
    ['a\\-b\\:c', 'a-b:c', true],
    ['\\Aab\\z', 'ab', true],
    // Classes: a leading ] is a member; ranges; negation.
    ['[]a]+', ']a]', true],
    ['[^]a]', 'b', true],
    ['[^]a]', ']', false],
    ['[a-c-]+', 'a-c', true],
    // Repetition: counts, lazy forms; a { that starts no count is a literal.
    ['a{2,3}', 'aaa', true],
    ['a{2,3}', 'aaaa', false],
    ['a{2}', 'aa', true],
    ['a{,2}', 'a{,2}', true],
    ['a{x}', 'a{x}', true],
    ['a+?b', 'aab', true],
    // Named groups, both spellings.
    ['(?P<major>\\d+)\\.(?<minor>\\d+)', '1.4', true],
    // Prefix-style patterns users write for headers.
    ['.*Mobile.*', 'Mozilla/5.0 (iPhone) Mobile/15E148', true],
    ['^(GET|HEAD)$', 'GET', true],
    // Valid RE2 the old JavaScript translation refused: inline flag groups, (?U), negated POSIX
    // classes, \S in a class.
    ['a(?i:b)', 'aB', true],
    ['a(?i)bc', 'aBC', true],
    ['(?U)a+', 'aaa', true],
    ['[[:^alpha:]]', '1', true],
    ['[[:^alpha:]]', 'a', false],
    ['[\\S]+', 'ab', true],
    ['[\\S]', ' ', false],
  ])('%j on %j → %j', (pattern, value, want) => {
    const r = compileRegexp(pattern);
    expect(r instanceof Regexp, r instanceof RegexpError ? r.message : '').toBe(true);
    expect(re2FullMatch(pattern, value)).toBe(want);
  });

  it('matches in linear time: nested repetition over a long header completes', () => {
    const long = 'a'.repeat(100_000);
    expect(re2FullMatch('(a+)+b', long)).toBe(false);
    expect(re2FullMatch('(.*.*)*x', long)).toBe(false);
    expect(re2FullMatch('(.*.*)*x', `${long}x`)).toBe(true);
  });
});

describe('patterns RE2 rejects (Istio refuses the VirtualService)', () => {
  it.each([
    ['(?=a)a', 'lookahead'],
    ['(?!a)b', 'negative lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'negative lookbehind'],
    ['(a)\\1', 'backreference'],
    ['(?>a)', 'atomic group'],
    ['a*+', 'possessive quantifier'],
    ['a**', 'nested repetition'],
    ['a{1001}', 'repeat count above 1000'],
    ['a{2,1}', 'inverted repeat count'],
    ['*a', 'missing argument'],
    ['a\\Z', '\\Z'],
    ['a\\y', 'unknown escape'],
    ['[z-a]', 'bad range'],
    ['(a', 'missing )'],
    ['a)', 'unexpected )'],
    ['[a', 'missing ]'],
    ['a\\', 'trailing backslash'],
    ['\\p{Klingon}', 'unknown Unicode class'],
    ['a\\Cb', 'any byte (C++ RE2 has it; Go, which Istio validates with, does not)'],
  ])('%j (%s)', (pattern) => {
    const r = compileRegexp(pattern);
    expect(r).toBeInstanceOf(RegexpError);
    expect(r).toMatchObject({ kind: 'syntax' });
    expect(re2FullMatch(pattern, 'a')).toBe(false);
  });

  it('points at the offending construct', () => {
    const r = compileRegexp('ab(?=c)');
    expect(r).toMatchObject({ kind: 'syntax', offset: 2 });
  });
});
