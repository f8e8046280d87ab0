import { describe, expect, it } from 'vitest';
import { matchRequest, routeMatches, stringMatches, type HttpMatchRequest } from '../../sim/mesh/index.js';
import { request } from './blogWorld.js';

// Istio's HTTPMatchRequest (istio.io/latest/docs/reference/config/networking/virtual-service/
// #HTTPMatchRequest) as Envoy evaluates it.

const req = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  request(headers, { method, url: `http://silly-demo.127.0.0.1.nip.io${path}` });

describe('StringMatch', () => {
  it.each([
    [{ exact: 'always' }, 'always', true],
    [{ exact: 'always' }, 'Always', false],
    [{ prefix: 'Fire' }, 'Firefox/132.0', true],
    [{ prefix: 'Fire' }, 'firefox', false],
    [{ regex: 'v1' }, 'v10', false],
    [{ regex: 'v1.*' }, 'v10', true],
    [{}, '', true],
  ])('%j on %j → %j', (m, value, want) => {
    expect(stringMatches(m, value)).toBe(want);
  });

  it('never matches a value that is absent, not even {} (presence)', () => {
    expect(stringMatches({}, undefined)).toBe(false);
    expect(stringMatches({ prefix: '' }, undefined)).toBe(false);
  });
});

describe('HTTPMatchRequest', () => {
  it('headers: names match case-insensitively (Envoy lower-cases them), values case-sensitively', () => {
    const m: HttpMatchRequest = { headers: { 'X-Canary': { exact: 'always' } } };
    expect(matchRequest(m, req('/', { 'x-canary': 'always' }))).toBe(true);
    expect(matchRequest(m, req('/', { 'x-canary': 'ALWAYS' }))).toBe(false);
    expect(matchRequest(m, req('/'))).toBe(false);
  });

  it('headers: {} checks presence only', () => {
    const m: HttpMatchRequest = { headers: { 'x-debug': {} } };
    expect(matchRequest(m, req('/', { 'x-debug': '' }))).toBe(true);
    expect(matchRequest(m, req('/'))).toBe(false);
  });

  it('withoutHeaders: "if a header is matched … the traffic becomes not matched"', () => {
    const m: HttpMatchRequest = { withoutHeaders: { 'x-canary': { exact: 'never' } } };
    expect(matchRequest(m, req('/'))).toBe(true);
    expect(matchRequest(m, req('/', { 'x-canary': 'yes' }))).toBe(true);
    expect(matchRequest(m, req('/', { 'x-canary': 'never' }))).toBe(false);
  });

  it('uri: the path without the query string; case-sensitive unless ignoreUriCase (exact and prefix only)', () => {
    expect(matchRequest({ uri: { exact: '/' } }, req('/?fail=true'))).toBe(true);
    expect(matchRequest({ uri: { prefix: '/api' } }, req('/api/v1'))).toBe(true);
    expect(matchRequest({ uri: { prefix: '/api' } }, req('/API/v1'))).toBe(false);
    expect(matchRequest({ uri: { prefix: '/api' }, ignoreUriCase: true }, req('/API/v1'))).toBe(true);
    expect(matchRequest({ uri: { regex: '/api/.*' }, ignoreUriCase: true }, req('/API/v1'))).toBe(false);
  });

  it('queryParams: exact, regex, and exact "" for ?key', () => {
    expect(matchRequest({ queryParams: { fail: { exact: 'true' } } }, req('/?fail=true'))).toBe(true);
    expect(matchRequest({ queryParams: { fail: { exact: 'true' } } }, req('/?fail=1'))).toBe(false);
    expect(matchRequest({ queryParams: { fail: { regex: '[01]' } } }, req('/?fail=1'))).toBe(true);
    expect(matchRequest({ queryParams: { fail: { exact: '' } } }, req('/?fail'))).toBe(true);
    expect(matchRequest({ queryParams: { fail: { exact: '' } } }, req('/'))).toBe(false);
  });

  it('method, scheme, authority and port', () => {
    expect(matchRequest({ method: { exact: 'POST' } }, req('/', {}, 'POST'))).toBe(true);
    expect(matchRequest({ method: { exact: 'POST' } }, req('/'))).toBe(false);
    expect(matchRequest({ scheme: { exact: 'http' } }, req('/'))).toBe(true);
    expect(matchRequest({ authority: { prefix: 'silly-demo.' } }, req('/'))).toBe(true);
    expect(matchRequest({ authority: { exact: 'other' } }, req('/', { host: 'other' }))).toBe(true);
    expect(matchRequest({ port: 80 }, req('/'))).toBe(true);
    expect(matchRequest({ port: 443 }, req('/'))).toBe(false);
  });

  it('conditions inside one match are ANDed; the match list is ORed; no match list matches everything', () => {
    const both: HttpMatchRequest = { uri: { prefix: '/api' }, headers: { 'x-canary': { exact: 'always' } } };
    expect(matchRequest(both, req('/api', { 'x-canary': 'always' }))).toBe(true);
    expect(matchRequest(both, req('/api'))).toBe(false);
    const route = { match: [{ uri: { prefix: '/api' } }, { headers: { 'x-canary': {} } }], route: [] };
    expect(routeMatches(route, req('/api'))).toBe(true);
    expect(routeMatches(route, req('/', { 'x-canary': '1' }))).toBe(true);
    expect(routeMatches(route, req('/'))).toBe(false);
    expect(routeMatches({ route: [] }, req('/anything'))).toBe(true);
  });
});
