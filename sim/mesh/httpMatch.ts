import { compileRegexp, Regexp } from '../../go/regexp.js';
import type { MeshRequest } from './Mesh.js';
import type { HttpMatchRequest, HttpRoute, StringMatch } from './objects.js';

/**
 * Istio's StringMatch on one value (Envoy's StringMatcher / HeaderMatcher): `exact` compares,
 * `prefix` tests the start, `regex` must match the whole value (RE2 FullMatch), and an empty
 * match only asks for the value to be there. `ignoreCase` applies to exact and prefix.
 */
export function stringMatches(m: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  if (m.exact !== undefined)
    return ignoreCase ? value.toLowerCase() === m.exact.toLowerCase() : value === m.exact;
  if (m.prefix !== undefined)
    return ignoreCase ? value.toLowerCase().startsWith(m.prefix.toLowerCase()) : value.startsWith(m.prefix);
  if (m.regex !== undefined) {
    // Compiled once per pattern (go/regexp caches); a pattern RE2 refuses matches nothing.
    const re = compileRegexp(m.regex);
    return re instanceof Regexp && re.fullMatch(value);
  }
  return true;
}

/** `:authority` as Envoy sees it: the Host header, else the URL's host (with a non-default port). */
export function authorityOf(req: MeshRequest): string {
  const h = req.headers?.['host'];
  if (h !== undefined) return h;
  const u = req.url;
  const dflt = u.scheme === 'https' ? 443 : 80;
  return u.port === dflt ? u.host : `${u.host}:${u.port}`;
}

/** A request header by (case-insensitive) name, pseudo-headers included; undefined when absent. */
export function headerOf(req: MeshRequest, name: string): string | undefined {
  const n = name.toLowerCase();
  switch (n) {
    case ':method':
      return req.method;
    case ':authority':
    case 'host':
      return authorityOf(req);
    case ':scheme':
      return req.url.scheme;
    case ':path': {
      const q = new URLSearchParams(req.url.query).toString();
      return q ? `${req.url.path}?${q}` : req.url.path;
    }
  }
  return req.headers?.[n];
}

/** One HTTPMatchRequest: every condition it states holds. */
export function matchRequest(m: HttpMatchRequest, req: MeshRequest): boolean {
  if (m.uri && !stringMatches(m.uri, req.url.path, m.ignoreUriCase === true && m.uri.regex === undefined))
    return false;
  if (m.method && !stringMatches(m.method, req.method)) return false;
  if (m.scheme && !stringMatches(m.scheme, req.url.scheme)) return false;
  if (m.authority && !stringMatches(m.authority, authorityOf(req))) return false;
  if (m.port !== undefined && m.port !== req.url.port) return false;
  for (const [name, sm] of Object.entries(m.headers ?? {}))
    if (!stringMatches(sm, headerOf(req, name))) return false;
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {}))
    if (stringMatches(sm, headerOf(req, name))) return false;
  for (const [name, sm] of Object.entries(m.queryParams ?? {}))
    if (!stringMatches(sm, Object.hasOwn(req.url.query, name) ? req.url.query[name] : undefined))
      return false;
  return true;
}

/** Whether a route takes the request: any of its matches holds, or it has none (a catch-all). */
export function routeMatches(route: HttpRoute, req: MeshRequest): boolean {
  return !route.match || route.match.length === 0 || route.match.some((m) => matchRequest(m, req));
}
