// The URL hey is given, as Go's net/url reads it: the target's scheme, host header, escaped
// request URI and the form Go's url.Error prints (a password masked).
import { InputError } from '../sim/errors.js';
import { goQuote } from '../go/quote.js';

export interface Target {
  scheme: 'http' | 'https';
  /** WHATWG form, for connecting and for resolving redirect locations. */
  url: URL;
  /** `host[:port]` as written (Go keeps its case and an explicit default port). */
  hostHeader: string;
  hostname: string;
  /** Go's RequestURI: the escaped path (or `/`) and the raw query. */
  requestUri: string;
  /** The URL as Go's url.Error prints it: as written, with a password masked as `***`. */
  display: string;
  /** `Basic …` from user:password in the URL, which Go's client sends as Authorization. */
  authorization?: string;
}

/** Go's url.unescape of userinfo: the bytes, or Go's error for a `%` not followed by two hex digits. */
function goUnescape(s: string, raw: string): Buffer {
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(s);
  if (bad)
    throw new InputError(
      `invalid URL ${goQuote(raw)}: invalid URL escape ${goQuote(s.slice(bad.index, bad.index + 3))}`,
    );
  const bytes: number[] = [];
  for (const part of s.split(/(%[0-9A-Fa-f]{2})/))
    if (part.startsWith('%')) bytes.push(parseInt(part.slice(1), 16));
    else bytes.push(...Buffer.from(part));
  return Buffer.from(bytes);
}

export function parseTarget(raw: string): Target {
  const hash = raw.indexOf('#');
  const [beforeFragment, fragment] = hash < 0 ? [raw, undefined] : [raw.slice(0, hash), raw.slice(hash + 1)];
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(beforeFragment);
  const scheme = (schemeMatch?.[1] ?? '').toLowerCase();
  // hey fails each request with these (`Get "ftp://x": unsupported protocol scheme "ftp"`), as
  // many as it can send; the virtual mode refuses them too, so here they are bad input.
  if (scheme !== 'http' && scheme !== 'https')
    throw new InputError(
      `unsupported protocol scheme ${goQuote(scheme)} in ${goQuote(raw)}: expected http or https`,
    );
  let rest = beforeFragment.slice(scheme.length + 1);
  let rawQuery: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('//')) throw new InputError(`no host in request URL ${goQuote(raw)}`);
  const slash = rest.indexOf('/', 2);
  const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : authority.slice(0, at);
  const host = authority.slice(at + 1);
  if (host === '' || host.startsWith(':')) throw new InputError(`no host in request URL ${goQuote(raw)}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch (e) {
    throw new InputError(`invalid URL ${goQuote(raw)}: ${(e as Error).message}`, undefined, { cause: e });
  }
  const query = rawQuery !== undefined ? `?${rawQuery}` : '';
  const escapedPath = goEscapedPath(path);
  let display = `${scheme}://`;
  let authorization: string | undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    const password = colon < 0 ? '' : userinfo.slice(colon + 1);
    display += colon < 0 ? `${user}@` : `${user}:***@`;
    const credentials = Buffer.concat([goUnescape(user, raw), Buffer.from(':'), goUnescape(password, raw)]);
    authorization = `Basic ${credentials.toString('base64')}`;
  }
  display += `${host}${escapedPath}${query}${fragment !== undefined && fragment !== '' ? `#${fragment}` : ''}`;
  return {
    scheme,
    url,
    // http.NewRequest drops an empty port ("host:" → "host").
    hostHeader: host.endsWith(':') ? host.slice(0, -1) : host,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    requestUri: (escapedPath === '' ? '/' : escapedPath) + query,
    display,
    authorization,
  };
}

/** Bytes Go leaves unescaped in a path it escapes itself (url.shouldEscape, encodePath). */
const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/;
/** What Go accepts as already escaped in a path as written (url.validEncoded). */
const PATH_VALID_AS_WRITTEN = /^[A-Za-z0-9\-_.~$&+,/:;=@!'()*[\]%]*$/;

/**
 * url.URL.EscapedPath: the path as written when it is validly escaped (so `/a%2Fb` keeps its
 * `%2F`), otherwise the decoded path escaped Go's way (`/c d` → `/c%20d`, UTF-8 as `%XX`).
 */
function goEscapedPath(path: string): string {
  if (PATH_VALID_AS_WRITTEN.test(path)) return path;
  const bytes: number[] = [];
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(path.slice(i + 1, i + 3))) {
      bytes.push(parseInt(path.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const cp = path.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length - 1;
    }
  }
  return bytes
    .map((b) => {
      const ch = String.fromCharCode(b);
      return b < 0x80 && PATH_SAFE.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}
