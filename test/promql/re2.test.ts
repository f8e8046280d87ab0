import { describe, expect, it } from 'vitest';
import { MAX_REGEX_LENGTH, RegexpError } from '../../go/regexp.js';
import { newLabelMatcher } from '../../sim/promql/labelMatcher.js';
import { Engine, parseExpr, PromQLParseError, type QueryResult } from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';

// Label-matcher regexes as Prometheus compiles them: RE2, `^(?s:re)$` (go/regexp with dotNL).
const matcher = (re: string) => newLabelMatcher('=~', 'a', re);

describe('RE2 label-matcher regexes', () => {
  it.each([
    // Fully anchored, and `.` matches newlines (Prometheus compiles ^(?s:re)$).
    ['foo', ['foo'], ['foobar', 'xfoo']],
    ['pro.*', ['production', 'pro'], ['preprod']],
    ['a.b', ['a\nb', 'axb'], ['ab']],
    ['a|b', ['a', 'b'], ['ab']],
    ['a|ab', ['a', 'ab'], ['b']],
    // Inline flags.
    ['(?i:PRO).*', ['production', 'PROD', 'pRoduction'], ['canary']],
    ['((?i)PRO).*', ['production'], ['canary']],
    ['.*(?i:TION)', ['production', 'PRODUCTION'], ['product']],
    ['(?i)a[b-d]', ['AB', 'ac', 'aD'], ['ae']],
    ['(?i)x(?-i)y', ['Xy'], ['XY']],
    ['(?s-s:a.b)', ['axb'], ['a\nb']],
    ['(?U)a+', ['aaa'], []],
    ['(?m)^b$', ['b'], []],
    // RE2-only syntax.
    ['\\Qa.b\\E', ['a.b'], ['axb']],
    ['[[:alpha:]]+', ['abcXYZ'], ['ab1']],
    ['[[:^digit:]]+', ['ab'], ['a1']],
    ['\\d+', ['123'], ['12a']],
    ['\\s', [' ', '\t'], ['\u00a0']],
    ['\\pL+', ['héllo'], ['a1']],
    ['\\p{Greek}', ['α'], ['a']],
    ['\\x41\\x{263a}', ['A☺'], []],
    ['\\101', ['A'], []],
    ['a\\z', ['a'], []],
    ['\\Aa', ['a'], []],
    ['x{2,3}', ['xx', 'xxx'], ['x', 'xxxx']],
    ['x{', ['x{'], []],
    ['[]a]', [']', 'a'], ['b']],
    ['[a-]', ['a', '-'], ['b']],
    ['\\.\\*\\$', ['.*$'], []],
    ['(?P<name>a)b', ['ab'], []],
    ['', [''], ['a']],
    // A rune, not two UTF-16 halves.
    ['.', ['😀'], ['😀😀']],
  ])('%j', (re, yes, no) => {
    const m = matcher(re);
    for (const s of yes) expect(m.matches(s), `${re} should match ${JSON.stringify(s)}`).toBe(true);
    for (const s of no) expect(m.matches(s), `${re} should not match ${JSON.stringify(s)}`).toBe(false);
    expect(newLabelMatcher('!~', 'a', re).matches(yes[0] ?? '\u0000')).toBe(yes.length === 0);
  });

  it.each([
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    // Go 1.22 reads `(?<` as a named capture (Prometheus 3 is built with a later Go).
    ['(?<!a)b', 'error parsing regexp: invalid named capture: `(?<!a)b`'],
    ['(a', 'error parsing regexp: missing closing ): `(a`'],
    ['a)', 'error parsing regexp: unexpected ): `a)`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['*', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['x{2,1}', 'error parsing regexp: invalid repeat count: `{2,1}`'],
    ['x{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['\\C', 'error parsing regexp: invalid escape sequence: `\\C`'],
    ['a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
  ])('rejects %j like RE2', (re, msg) => {
    expect(() => matcher(re)).toThrow(RegexpError);
    expect(() => matcher(re)).toThrow(msg);
  });

  it('matches in linear time: nested repetition on a long value completes', () => {
    const long = 'a'.repeat(100_000);
    expect(matcher('(a+)+b').matches(long)).toBe(false);
    expect(matcher('(a+)+b').matches(`${long}b`)).toBe(true);
    expect(matcher('(.*.*)*x').matches(long)).toBe(false);
    expect(matcher('(a|aa)*c').matches(long)).toBe(false);
  });
});

describe('regexes in queries', () => {
  const st = new Storage();
  const value = `reviews-v2-${'a'.repeat(40)}.default.svc.cluster.local`;
  for (let i = 0; i < 50; i++)
    st.append(st.seriesRef({ __name__: 'istio_requests_total', destination_service: `${value}${i}` }), 0, 1);
  const count = (q: string): QueryResult => new Engine().instantQuery(st, q, 0);

  it('(.*.*)*x against every series: an answer, not a frozen process', () => {
    expect(count('count(istio_requests_total{destination_service=~"(.*.*)*x"})').result).toEqual([]);
    const r = count('count(istio_requests_total{destination_service=~"(.*.*)*1"})');
    expect(r.resultType === 'vector' && r.result[0]?.value).toBe(5);
  });

  it('label_replace with a catastrophic pattern: anchored, with its groups', () => {
    const r = count(
      'count by (v) (label_replace(istio_requests_total, "v", "$2", "destination_service", "(.*.*)*-(v[0-9])-.*"))',
    );
    expect(r.resultType === 'vector' && r.result).toEqual([{ metric: { v: 'v2' }, value: 50 }]);
  });

  it(`a regex over ${MAX_REGEX_LENGTH} characters is a parse error at the matcher, not a crash`, () => {
    const q = `{a=~"${'a'.repeat(32_768)}"}`;
    // Positioned at the matcher: test/cli/promql.test.ts checks the printed `1:2: parse error: …`.
    expect(() => parseExpr(q)).toThrow(PromQLParseError);
    expect(() => parseExpr(q)).toThrow(`regex too long (32768 characters; at most ${MAX_REGEX_LENGTH})`);
  });
});
