/**
 * A request line's target as an HTTP/1.1 server reads it (RFC 9112 §3.2) and Envoy's codec
 * accepts it: origin-form `/path?query`, absolute-form `http://host/path` (whose authority
 * replaces the Host header, RFC 9112 §3.2.2), authority-form `host:port` (CONNECT only) and
 * asterisk-form `*` (OPTIONS only). Anything else is `invalid`: Envoy answers it 400 before
 * routing (`http1.invalid_url`).
 */
export type RequestTarget =
  | {
      form: 'origin' | 'absolute';
      /** The authority of an absolute-form target (host[:port], default port left out). */
      authority?: string;
      /** The path as routing sees it: dot segments resolved, percent-encoding kept, never empty. */
      path: string;
      /** The path and query to forward in origin-form. */
      pathAndQuery: string;
      /** First value of each query parameter, decoded (bad percent-encoding is kept as written). */
      query: Record<string, string>;
    }
  | { form: 'authority'; authority: string }
  | { form: 'asterisk' }
  | { form: 'invalid' };

/**
 * Reads `target` (Node's `req.url`) for `method`. Never throws: WHATWG URL parsing is confined
 * here, and a path is always parsed against a fixed authority, so `//host/x` stays a path (as
 * Envoy keeps it) instead of becoming a host.
 */
export function parseRequestTarget(method: string, target: string): RequestTarget {
  if (method === 'CONNECT') {
    // Envoy's Url::initializeForConnect: exactly host:port, nothing else.
    const m = /^([^\s/?#@]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(target);
    return m && Number(m[2]) <= 65535 ? { form: 'authority', authority: target } : { form: 'invalid' };
  }
  if (target === '*') return method === 'OPTIONS' ? { form: 'asterisk' } : { form: 'invalid' };
  // Most paths need no parsing: no dot segments, percent-encoding, query or fragment to read, and
  // nothing WHATWG URL would encode or rewrite.
  if (PLAIN_PATH.test(target)) return { form: 'origin', path: target, pathAndQuery: target, query: {} };
  if (target.startsWith('/')) {
    const u = parse(`http://origin${target}`);
    return u ? fromUrl('origin', u) : { form: 'invalid' };
  }
  // Envoy's Url::initialize: an http(s) URL with a host and a valid port.
  const u = parse(target);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '')
    return { form: 'invalid' };
  return fromUrl('absolute', u, u.host);
}

/** An origin-form path that WHATWG URL parsing returns unchanged (and with no query). */
const PLAIN_PATH = /^\/[A-Za-z0-9_~/-]*$/;

function parse(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

function fromUrl(form: 'origin' | 'absolute', u: URL, authority?: string): RequestTarget {
  const query: Record<string, string> = {};
  for (const [k, v] of u.searchParams) if (!(k in query)) query[k] = v;
  const path = u.pathname || '/';
  return {
    form,
    ...(authority !== undefined ? { authority } : {}),
    path,
    pathAndQuery: `${path}${u.search}`,
    query,
  };
}

/**
 * A Host header (or an absolute-form authority) Envoy accepts: RFC 3986 authority characters
 * only (nghttp2's check_authority, which Envoy applies to `:authority`); a space, a control
 * character or a non-ASCII byte gets 400.
 */
export function isValidAuthority(host: string): boolean {
  return /^[A-Za-z0-9\-._~!$&'()*+,;=:@[\]%]*$/.test(host);
}
