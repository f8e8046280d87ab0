import { describe, expect, it } from 'vitest';
import { compileRegexp, MAX_REGEX_LENGTH, RegexpError } from '../../go/regexp.js';
import { evaluateCondition, parseCondition } from '../../sim/analysis/condition/index.js';
import { matchDryRunRules, matchRetentionRules } from '../../sim/analysis/index.js';

// Go's regexp (RE2 syntax, https://pkg.go.dev/regexp/syntax), as dryRun / measurementRetention
// rules (spec §5.8, regexp.MatchString: unanchored) and the condition language's `matches` use it.

function matches(pattern: string, subject: string): boolean {
  const re = compileRegexp(pattern);
  if (re instanceof RegexpError) throw re;
  return re.matchString(subject);
}

/** Go's error text for a pattern, or undefined when it compiles. */
function goError(pattern: string): string | undefined {
  const re = compileRegexp(pattern);
  return re instanceof RegexpError ? re.message : undefined;
}

describe('Go regexp semantics', () => {
  it.each<[string, string, boolean]>([
    ['total', 'total-5xx-errors', true], // §5.8: unanchored
    ['^total$', 'total-5xx-errors', false],
    ['.*', 'anything', true],
    ['error-rate|latency', 'p99-latency', true],
    ['\\Aab\\z', 'ab', true],
    ['\\Aab\\z', 'ab\n', false], // \z is the very end, unlike $ in (?m)
    ['\\Ab', 'ab', false],
    ['^a.b$', 'a\rb', true], // Go's . matches \r (JavaScript's does not)
    ['^a.b$', 'a\nb', false],
    ['(?s)^a.b$', 'a\nb', true],
    ['\\s', '\v', false], // Go's \s is [\t\n\f\r ]
    ['\\s', '\f', true],
    ['[^\\s]', '\v', true],
    ['[]a]', ']', true], // ] first in a class is a literal
    ['[]a]', 'b', false],
    ['^[[:alpha:]]+$', 'abc', true],
    ['^[[:alpha:]]+$', 'ab1', false],
    ['^[[:^digit:]]$', '7', false],
    ['^\\Q.*+\\E$', '.*+', true],
    ['^\\Q.*+\\E$', 'aaa', false],
    ['^a\\12b$', 'a\nb', true], // octal, not a back-reference
    ['\\x{263a}', '☺', true],
    ['\\x41', 'A', true],
    ['^\\pL+$', 'héllo', true],
    ['\\p{Greek}', 'α', true],
    ['\\PL', 'abc', false],
    ['(?i)^canary', 'CANARY-v2', true],
    ['(?P<v>v\\d+)', 'canary-v2', true],
    ['(?<v>v\\d+)', 'canary-v2', true],
    ['^😀+$', '😀😀', true], // a rune, not two UTF-16 halves
    ['x{', 'x{', true], // not a repetition: a literal brace
    ['a{,2}', 'a{,2}', true],
    ['^a{2,3}$', 'aaa', true],
    ['^a*?$', 'aa', true],
    ['\\bx\\b', 'a x b', true],
    ['\\.', 'a.b', true],
    ['\\-', '-', true],
    // Flags anywhere, as Go has them (the old JavaScript translation refused these).
    ['a(?i)b', 'xaBx', true],
    ['(?i:a)b', 'Ab', true],
    ['(?i:a)b', 'AB', false],
    ['^(?U)a*', 'aaa', true],
  ])('%j on %j → %s', (pattern, subject, expected) => {
    expect(matches(pattern, subject)).toBe(expected);
  });

  it.each<[string, string]>([
    ['*', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?!a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
    // Since Go 1.22 `(?<` starts a named capture: a look-behind is a bad name.
    ['(?<=a)b', 'error parsing regexp: invalid named capture: `(?<=a)b`'],
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['\\u0041', 'error parsing regexp: invalid escape sequence: `\\u`'],
    ['\\k<a>', 'error parsing regexp: invalid escape sequence: `\\k`'],
    ['[\\b]', 'error parsing regexp: invalid escape sequence: `\\b`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['(a', 'error parsing regexp: missing closing ): `(a`'],
    ['a)', 'error parsing regexp: unexpected ): `a)`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
    ['[[:word2:]]', 'error parsing regexp: invalid character class range: `[:word2:]`'],
    ['\\p{NotAScript}', 'error parsing regexp: invalid character class range: `\\p{NotAScript}`'],
    ['\\C', 'error parsing regexp: invalid escape sequence: `\\C`'],
  ])('%j is not a Go regexp: %s', (pattern, error) => {
    expect(goError(pattern)).toBe(error);
  });

  it('matches in linear time: `matches` with nested repetition on a long result completes', () => {
    const env = { result: 'a'.repeat(100_000) };
    expect(evaluateCondition(parseCondition('result matches "(a+)+b"'), env)).toBe(false);
    expect(evaluateCondition(parseCondition('result matches "(.*.*)*x"'), env)).toBe(false);
    expect(evaluateCondition(parseCondition('(result + "b") matches "^(a|aa)+b$"'), env)).toBe(true);
  });

  it(`a pattern over ${MAX_REGEX_LENGTH} characters is a clear error, not a crash`, () => {
    const long = 'a'.repeat(32_768);
    expect(() => evaluateCondition(parseCondition(`result matches "${long}"`), { result: 'a' })).toThrow(
      `regex too long (32768 characters; at most ${MAX_REGEX_LENGTH})`,
    );
    expect(() => evaluateCondition(parseCondition('result matches p'), { result: 'a', p: long })).toThrow(
      `regex too long (32768 characters; at most ${MAX_REGEX_LENGTH})`,
    );
    expect(matchDryRunRules([{ metricName: long }], ['a'])).toEqual({
      error: `dryRun[0]: not supported by canarysim: regex too long (32768 characters; at most ${MAX_REGEX_LENGTH})`,
    });
  });
});

describe('dryRun / measurementRetention rule matching (§5.8)', () => {
  const names = ['total-5xx-errors', 'success-rate', 'latency-p99'];

  it('every rule must match at least one metric; the matches are unanchored', () => {
    expect(matchDryRunRules([{ metricName: 'total' }, { metricName: 'rate$' }], names)).toEqual({
      dryRun: new Set(['total-5xx-errors', 'success-rate']),
    });
    expect(matchDryRunRules([{ metricName: 'total' }, { metricName: 'nope' }], names)).toEqual({
      error: "dryRun[1]: Rule didn't match any metric name(s)",
    });
    expect(matchDryRunRules([{ metricName: '*' }], names)).toEqual({
      error: "dryRun[0]: Rule didn't match any metric name(s)",
    });
    expect(matchDryRunRules([], names)).toEqual({ dryRun: new Set() });
  });

  it('retention: a later matching rule wins; a rule must match', () => {
    expect(
      matchRetentionRules(
        [
          { metricName: '.*', limit: 5 },
          { metricName: 'latency', limit: 50 },
        ],
        names,
      ),
    ).toEqual({
      limits: new Map([
        ['total-5xx-errors', 5],
        ['success-rate', 5],
        ['latency-p99', 50],
      ]),
    });
    expect(matchRetentionRules([{ metricName: 'zzz', limit: 1 }], names)).toEqual({
      error: "measurementRetention[0]: Rule didn't match any metric name(s)",
    });
  });
});
