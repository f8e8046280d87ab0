import { describe, expect, it } from 'vitest';
import { compileAnchoredRe2, Re2SyntaxError } from '../../sim/promql/re2.js';

describe('RE2 label-matcher regexes in JavaScript', () => {
  it.each([
    // Fully anchored, and `.` matches newlines (Prometheus compiles ^(?s:re)$).
    ['foo', ['foo'], ['foobar', 'xfoo']],
    ['pro.*', ['production', 'pro'], ['preprod']],
    ['a.b', ['a\nb', 'axb'], ['ab']],
    ['a|b', ['a', 'b'], ['ab']],
    // Inline flags, which older V8 lacks.
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
  ])('%j', (re, yes, no) => {
    const compiled = compileAnchoredRe2(re);
    for (const s of yes) expect(compiled.test(s), `${re} should match ${JSON.stringify(s)}`).toBe(true);
    for (const s of no) expect(compiled.test(s), `${re} should not match ${JSON.stringify(s)}`).toBe(false);
  });

  it.each([
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?<!a)b', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`'],
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
  ])('rejects %j like RE2', (re, msg) => {
    expect(() => compileAnchoredRe2(re)).toThrow(Re2SyntaxError);
    expect(() => compileAnchoredRe2(re)).toThrow(msg);
  });
});
