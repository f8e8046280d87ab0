import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { podinfo } from '../../app/builtins/index.js';
import { checkPodinfoToken, signPodinfoToken } from '../../app/builtins/podinfoToken.js';
import type { ContainerConfig } from '../../app/types.js';
import { container, only, proc, req } from './appHelpers.js';

const IMAGE = 'ghcr.io/stefanprodan/podinfo:6.14.1';
const SECRET = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';

function app(flags: string[] = [], over: Partial<ContainerConfig> = {}) {
  return podinfo('6.14.1', container(IMAGE, { command: ['./podinfo', ...flags], ...over }))!;
}

/** A token signed with podinfo's default secret over the given header and claims. */
function forge(header: object, claims: object, secret = SECRET, alg = 'sha256'): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const h = enc(header);
  const c = enc(claims);
  return `${h}.${c}.${createHmac(alg, secret).update(`${h}.${c}`).digest('base64url')}`;
}

describe('podinfo /token', () => {
  it('signs a one-minute HS256 token and validates it', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0, 500);
    const a = app();
    const t = only(a.respond(req('/token', { method: 'POST', body: 'alice' }), proc({ nowMs: now })));
    const { token, expires_at } = JSON.parse(t.body);
    expect(expires_at).toBe('2025-01-01T12:01:00Z');
    expect(token).toBe(signPodinfoToken('alice', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', now).token);
    const [h, c] = token.split('.');
    expect(Buffer.from(h, 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}');
    expect(Buffer.from(c, 'base64url').toString()).toBe('{"name":"alice","iss":"podinfo","exp":1735732860}');
    const validate = (auth: string | undefined, at = now + 1000) =>
      JSON.parse(
        only(
          a.respond(
            req('/token/validate', { headers: auth ? { authorization: auth } : {} }),
            proc({ nowMs: at }),
          ),
        ).body,
      );
    expect(validate(`Bearer ${token}`)).toEqual({ token_name: 'alice', expires_at: '2025-01-01T12:01:00Z' });
    expect(validate(`bearer ${token}`).token_name).toBe('alice');
    expect(validate(`Bearer ${token}`, now + 90_000)).toEqual({
      code: 401,
      message: 'token is expired by 30.5s',
    });
    expect(validate(`Bearer ${token.slice(0, -2)}xx`)).toEqual({
      code: 401,
      message: 'signature is invalid',
    });
    expect(validate(undefined)).toEqual({ code: 401, message: 'authorization bearer header required' });
    expect(validate(`Token ${token}`)).toEqual({
      code: 401,
      message: 'authorization bearer header required',
    });
    expect(validate('Bearer a.b')).toEqual({
      code: 401,
      message: 'token contains an invalid number of segments',
    });
    expect(validate('Bearer a!.b.c')).toEqual({ code: 401, message: 'illegal base64 data at input byte 1' });
    const other = signPodinfoToken('bob', 'another secret', now).token;
    expect(validate(`Bearer ${other}`)).toEqual({ code: 401, message: 'signature is invalid' });
    expect(only(a.respond(req('/token', { method: 'POST' }), proc({ nowMs: now }))).body).toContain(
      '"token"',
    );
    const anon = JSON.parse(
      only(a.respond(req('/token', { method: 'POST' }), proc({ nowMs: now }))).body,
    ).token;
    expect(Buffer.from(anon.split('.')[1], 'base64url').toString()).toContain('"name":"anonymous"');
    // The secret can come from the environment.
    const b = app([], { env: { PODINFO_JWT_SECRET: 's3cret' } });
    const bt = JSON.parse(
      only(b.respond(req('/token', { method: 'POST', body: 'x' }), proc({ nowMs: now }))).body,
    ).token;
    expect(bt).toBe(signPodinfoToken('x', 's3cret', now).token);
  });

  it.each([
    [{ alg: 'HS256' }, { iss: 'podinfo', exp: 100 }, 50_000, { kind: 'valid', name: '', expiresAt: 100 }],
    [{ alg: 'HS256' }, { iss: 'other', exp: 100 }, 50_000, { kind: 'invalid', message: 'invalid issuer' }],
    [{ alg: 'HS256' }, { iss: 'podinfo' }, 50_000, { kind: 'panic' }],
    [
      { alg: 'HS256' },
      { iss: 'podinfo', exp: 100, nbf: 60 },
      50_000,
      { kind: 'invalid', message: 'token is not valid yet' },
    ],
    [
      { alg: 'HS256' },
      { iss: 'podinfo', exp: 100, iat: 60 },
      50_000,
      { kind: 'invalid', message: 'token used before issued' },
    ],
    [
      { alg: 'HS256' },
      { iss: 'podinfo', exp: 40 },
      100_000,
      { kind: 'invalid', message: 'token is expired by 1m0s' },
    ],
    [
      { alg: 'none' },
      { iss: 'podinfo', exp: 100 },
      0,
      { kind: 'invalid', message: 'invalid signing method' },
    ],
    [
      { alg: 'RS256' },
      { iss: 'podinfo', exp: 100 },
      0,
      { kind: 'invalid', message: 'invalid signing method' },
    ],
    [
      { alg: 'XX1' },
      { iss: 'podinfo', exp: 100 },
      0,
      { kind: 'invalid', message: 'signing method (alg) is unavailable.' },
    ],
    [
      { typ: 'JWT' },
      { iss: 'podinfo', exp: 100 },
      0,
      { kind: 'invalid', message: 'signing method (alg) is unspecified.' },
    ],
    [
      { alg: 'HS256' },
      { name: 7 },
      0,
      {
        kind: 'invalid',
        message: 'json: cannot unmarshal number into Go struct field jwtCustomClaims.name of type string',
      },
    ],
    [
      { alg: 'HS256' },
      { exp: true },
      0,
      {
        kind: 'invalid',
        message: 'could not parse NumericData: json: cannot unmarshal bool into Go value of type json.Number',
      },
    ],
  ])('header %j claims %j at %d ms: %j', (header, claims, now, result) => {
    expect(checkPodinfoToken(`Bearer ${forge(header, claims)}`, SECRET, now)).toEqual(result);
  });

  it('validates HS384 and HS512 tokens with the same secret', () => {
    for (const [alg, hash] of [
      ['HS384', 'sha384'],
      ['HS512', 'sha512'],
    ])
      expect(
        checkPodinfoToken(`Bearer ${forge({ alg }, { iss: 'podinfo', exp: 9 }, SECRET, hash)}`, SECRET, 0)
          .kind,
      ).toBe('valid');
  });

  it('drops the connection when a valid token has no expiry (nil pointer in the handler)', () => {
    const token = forge({ alg: 'HS256' }, { iss: 'podinfo', name: 'x' });
    const a = only(
      app().respond(
        req('/token/validate', { headers: { authorization: `Bearer ${token}` } }),
        proc({ nowMs: 0 }),
      ),
    );
    expect([a.status, a.noResponse, a.route]).toEqual([502, true, undefined]);
  });
});
