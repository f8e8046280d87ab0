import { createHmac, timingSafeEqual } from 'node:crypto';
import { formatGoDuration } from '../../go/duration.js';
import { goJsonSyntaxError, parseGoJson, type GoJsonNode } from './goJsonDecode.js';
import { goJsonString } from './goJsonEncode.js';

// podinfo's /token and /token/validate (pkg/api/http/token.go with golang-jwt/jwt v4): an HS256
// token for the body's user name, valid one minute, and its validation with jwt's own messages.

const HASHES: Readonly<Record<string, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
/** The algorithms jwt v4 registers; those that are not HMAC fail podinfo's key function. */
const KNOWN_ALGS = new Set([
  ...Object.keys(HASHES),
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'none',
]);

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Go's `time.Time` JSON (RFC 3339 with nanoseconds, trailing zeros dropped) for whole seconds in UTC. */
export function goTimeJson(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** The token `POST /token` signs for `user` at `nowMs`, and its expiry (epoch seconds, truncated as jwt's NumericDate is). */
export function signPodinfoToken(
  user: string,
  secret: string,
  nowMs: number,
): { token: string; expiresAt: number } {
  const expiresAt = Math.floor((nowMs + 60_000) / 1000);
  // json.Marshal of jwt's header map (keys sorted) and of the claims struct (name, then iss, exp).
  const header = b64url('{"alg":"HS256","typ":"JWT"}');
  const claims = b64url(`{"name":${goJsonString(user)},"iss":"podinfo","exp":${expiresAt}}`);
  const sig = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  return { token: `${header}.${claims}.${sig}`, expiresAt };
}

/** What `GET /token/validate` concludes. */
export type TokenCheck =
  | { kind: 'valid'; name: string; expiresAt: number }
  /** An ErrorResponse with code 401 and jwt's (or podinfo's) message. */
  | { kind: 'invalid'; message: string }
  /** A valid token without `exp`: the handler dereferences a nil ExpiresAt and panics. */
  | { kind: 'panic' };

/** RawURLEncoding.DecodeString: bytes, or Go's CorruptInputError text. */
function decodeSegment(s: string): Buffer | string {
  const bad = /[^A-Za-z0-9_-]/.exec(s);
  if (bad) return `illegal base64 data at input byte ${bad.index}`;
  if (s.length % 4 === 1) return `illegal base64 data at input byte ${s.length - 1}`;
  return Buffer.from(s, 'base64url');
}

interface Claims {
  name: string;
  iss: string;
  exp?: number;
  nbf?: number;
  iat?: number;
}

const STRING_CLAIMS = new Set(['name', 'iss', 'sub', 'jti']);
const DATE_CLAIMS = new Set(['exp', 'nbf', 'iat']);

/** json.Decoder.Decode into jwtCustomClaims: the claims podinfo reads, or the first error. */
function decodeClaims(text: string): Claims | string {
  const parsed = parseGoJson(text);
  if ('error' in parsed) return parsed.error;
  const root = parsed.value;
  const claims: Claims = { name: '', iss: '' };
  if (root.kind === 'null') return claims;
  if (root.kind !== 'object')
    return `json: cannot unmarshal ${root.kind} into Go value of type http.jwtCustomClaims`;
  for (const [rawKey, v] of root.entries) {
    const key = rawKey.toLowerCase();
    if (v.kind === 'null') {
      if (DATE_CLAIMS.has(key)) delete claims[key as 'exp'];
      continue;
    }
    if (STRING_CLAIMS.has(key)) {
      if (v.kind !== 'string')
        return `json: cannot unmarshal ${v.kind} into Go struct field jwtCustomClaims.${key} of type string`;
      if (key === 'name' || key === 'iss') claims[key] = v.value;
    } else if (DATE_CLAIMS.has(key)) {
      const seconds = numericDate(v);
      if (typeof seconds === 'string') return seconds;
      claims[key as 'exp'] = seconds;
    }
  }
  return claims;
}

/** jwt's NumericDate.UnmarshalJSON: a JSON number, or a string holding one. */
function numericDate(v: GoJsonNode): number | string {
  const text = v.kind === 'number' ? v.text : v.kind === 'string' ? v.value : undefined;
  if (text === undefined)
    return `could not parse NumericData: json: cannot unmarshal ${v.kind} into Go value of type json.Number`;
  if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text))
    return `could not parse NumericData: json: invalid number literal, trying to unmarshal ${goJsonString(JSON.stringify(text))} into Number`;
  return Math.trunc(Number(text));
}

/**
 * jwt v4's ParseWithClaims with podinfo's key function (HMAC only, the configured secret), then
 * podinfo's issuer check. As in jwt, the expiry is checked before the signature and a bad
 * signature's message wins.
 */
export function checkPodinfoToken(
  authorization: string | undefined,
  secret: string,
  nowMs: number,
): TokenCheck {
  const required = { kind: 'invalid', message: 'authorization bearer header required' } as const;
  if (!authorization) return required;
  const words = authorization.split(' ');
  if (words.length !== 2 || words[0]!.toLowerCase() !== 'bearer') return required;
  const invalid = (message: string): TokenCheck => ({ kind: 'invalid', message });
  const parts = words[1]!.split('.');
  if (parts.length !== 3) return invalid('token contains an invalid number of segments');
  const [h, c, s] = parts as [string, string, string];
  const headerBytes = decodeSegment(h);
  if (typeof headerBytes === 'string') return invalid(headerBytes);
  const headerSyntax = goJsonSyntaxError(headerBytes);
  if (headerSyntax) return invalid(headerSyntax);
  const header = parseGoJson(headerBytes.toString('utf8'));
  if ('error' in header) return invalid(header.error);
  if (header.value.kind !== 'object' && header.value.kind !== 'null')
    return invalid(
      `json: cannot unmarshal ${header.value.kind} into Go value of type map[string]interface {}`,
    );
  const claimBytes = decodeSegment(c);
  if (typeof claimBytes === 'string') return invalid(claimBytes);
  const claims = decodeClaims(claimBytes.toString('utf8'));
  if (typeof claims === 'string') return invalid(claims);
  const entries = header.value.kind === 'object' ? header.value.entries : [];
  let alg: GoJsonNode | undefined;
  for (const [k, v] of entries) if (k === 'alg') alg = v;
  if (alg?.kind !== 'string') return invalid('signing method (alg) is unspecified.');
  if (!KNOWN_ALGS.has(alg.value)) return invalid('signing method (alg) is unavailable.');
  const hash = HASHES[alg.value];
  if (!hash) return invalid('invalid signing method');

  let message: string | undefined;
  const now = nowMs / 1000;
  if (claims.exp !== undefined && !(now < claims.exp))
    message = `token is expired by ${formatGoDuration(nowMs - claims.exp * 1000)}`;
  if (claims.iat !== undefined && now < claims.iat) message = 'token used before issued';
  if (claims.nbf !== undefined && now < claims.nbf) message = 'token is not valid yet';
  const sig = decodeSegment(s);
  if (typeof sig === 'string') message = sig;
  else {
    const want = createHmac(hash, secret).update(`${h}.${c}`).digest();
    if (sig.length !== want.length || !timingSafeEqual(sig, want)) message = 'signature is invalid';
  }
  if (message !== undefined) return invalid(message);
  if (claims.iss !== 'podinfo') return invalid('invalid issuer');
  if (claims.exp === undefined) return { kind: 'panic' };
  return { kind: 'valid', name: claims.name, expiresAt: claims.exp };
}
