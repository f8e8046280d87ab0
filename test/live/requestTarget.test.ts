import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidAuthority, parseRequestTarget } from '../../cli/live/requestTarget.js';

describe('parseRequestTarget: the request line as Envoy reads it', () => {
  it.each([
    ['GET', '/', { form: 'origin', path: '/', pathAndQuery: '/', query: {} }],
    ['GET', '//[', { form: 'origin', path: '//[', pathAndQuery: '//[', query: {} }],
    [
      'GET',
      '//foo/bar?x=1&x=2',
      { form: 'origin', path: '//foo/bar', pathAndQuery: '//foo/bar?x=1&x=2', query: { x: '1' } },
    ],
    [
      'GET',
      '/a/../b/%zz?q=%zz',
      { form: 'origin', path: '/b/%zz', pathAndQuery: '/b/%zz?q=%zz', query: { q: '%zz' } },
    ],
    [
      'GET',
      'http://a.b:8080/x?y=1',
      { form: 'absolute', authority: 'a.b:8080', path: '/x', pathAndQuery: '/x?y=1', query: { y: '1' } },
    ],
    ['GET', 'http://a.b:80', { form: 'absolute', authority: 'a.b', path: '/', pathAndQuery: '/', query: {} }],
    ['GET', 'http://[', { form: 'invalid' }],
    ['GET', 'ftp://a.b/', { form: 'invalid' }],
    ['GET', 'http://a.b:99999/', { form: 'invalid' }],
    ['GET', 'foo', { form: 'invalid' }],
    ['GET', '*', { form: 'invalid' }],
    ['OPTIONS', '*', { form: 'asterisk' }],
    ['CONNECT', 'a.b:443', { form: 'authority', authority: 'a.b:443' }],
    ['CONNECT', '[::1]:80', { form: 'authority', authority: '[::1]:80' }],
    ['CONNECT', '/x', { form: 'invalid' }],
    ['CONNECT', 'a.b', { form: 'invalid' }],
  ])('%s %s', (method, target, want) => {
    expect(parseRequestTarget(method, target)).toEqual(want);
  });

  it('never throws, whatever the target', () => {
    fc.assert(
      fc.property(fc.constantFrom('GET', 'CONNECT', 'OPTIONS'), fc.string({ unit: 'binary' }), (m, t) => {
        parseRequestTarget(m, t);
        parseRequestTarget(m, `/${t}`);
        parseRequestTarget(m, `http://${t}`);
      }),
    );
  });

  it('a plain path (no query, dot segment or escape) reads as WHATWG URL parses it', () => {
    const plain = fc.stringMatching(/^\/[A-Za-z0-9_~/-]{0,40}$/);
    fc.assert(
      fc.property(plain, (p) => {
        const u = new URL(`http://origin${p}`);
        expect(parseRequestTarget('GET', p)).toEqual({
          form: 'origin',
          path: u.pathname,
          pathAndQuery: `${u.pathname}${u.search}`,
          query: {},
        });
      }),
    );
  });

  it('isValidAuthority: RFC 3986 authority characters only', () => {
    expect(['silly-demo.a-team', '127.0.0.1:8080', '[::1]:80', ''].map(isValidAuthority)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['a b', 'a\tb', '文', 'a/b', 'a"b'].map(isValidAuthority)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
