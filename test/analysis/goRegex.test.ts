import { describe, expect, it } from 'vitest';
import { compileGoRegex } from '../../sim/analysis/condition/goRegex.js';
import { matchDryRunRules, matchRetentionRules } from '../../sim/analysis/index.js';

// Go's regexp (RE2 syntax, https://pkg.go.dev/regexp/syntax), as dryRun / measurementRetention
// rules (spec §5.8, regexp.MatchString: unanchored) and the condition language's `matches` use it.

function matches(pattern: string, subject: string): boolean {
  const re = compileGoRegex(pattern);
  if (typeof re === 'string') throw new Error(re);
  return re.test(subject);
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
  ])('%j on %j → %s', (pattern, subject, expected) => {
    expect(matches(pattern, subject)).toBe(expected);
  });

  it.each<[string, string]>([
    ['*', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?!a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<=`'],
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
  ])('%j is not a Go regexp: %s', (pattern, error) => {
    expect(compileGoRegex(pattern)).toBe(error);
  });

  it.each(['a(?i)b', '(?i:a)b', '(?U)a*', '\\C'])(
    '%j cannot be expressed in JavaScript: rejected, not approximated',
    (p) => {
      expect(compileGoRegex(p)).toMatch(/^not supported by canarysim: /);
    },
  );
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
