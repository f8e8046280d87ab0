import type { BuiltinAnswer } from './builtinTypes.js';

// What Go's net/http server does around any handler, shared by the Go apps (rollouts-demo's
// ServeMux and FileServer, podinfo's gorilla/mux router).

/** The content type net/http's sniffing gives plain text, and that http.Error sets. */
export const GO_TEXT = 'text/plain; charset=utf-8';

/** The content type html/template output and http.Redirect's body get. */
export const GO_HTML = 'text/html; charset=utf-8';

/** The header http.Error (and many handlers) add so browsers never sniff the body. */
export const NOSNIFF: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff' };

/** `http.Error(w, msg, status)`: the message and a newline as plain text, never sniffed. */
export function httpError(status: number, msg: string): BuiltinAnswer {
  return { weight: 1, status, body: `${msg}\n`, contentType: GO_TEXT, headers: NOSNIFF };
}

/** `http.NotFound`: ServeMux's, FileServer's and gorilla/mux's answer to a path nothing serves. */
export function goNotFound(): BuiltinAnswer {
  return httpError(404, '404 page not found');
}

/**
 * `path.Clean`: the shortest equivalent path (`/a/./b/../c` → `/a/c`, `` → `.`); `..` above
 * the root of a rooted path is dropped.
 */
export function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

/**
 * The path ServeMux and gorilla/mux serve: rooted and cleaned, keeping a trailing slash
 * (`//color` → `/color`, `/a/b/../` → `/a/`). A request whose path differs is redirected here.
 */
export function goCleanPath(p: string): string {
  if (p === '') return '/';
  const rooted = p.startsWith('/') ? p : `/${p}`;
  const np = pathClean(rooted);
  return rooted.endsWith('/') && np !== '/' ? `${np}/` : np;
}

/** The request's URL with another path, for a Location header (the query as canarysim received it). */
export function withQuery(path: string, query: Readonly<Record<string, string>>): string {
  const q = new URLSearchParams(Object.entries(query)).toString();
  return q ? `${path}?${q}` : path;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

/** Go's `html.EscapeString` (and template's text escaping): the five characters HTML needs escaped. */
export function goHtmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * `http.Redirect` to an absolute path: for GET and HEAD a short HTML body naming the target;
 * for other methods neither body nor content type.
 */
export function goRedirect(method: string, location: string, status = 301): BuiltinAnswer {
  const headers = { location };
  if (method !== 'GET' && method !== 'HEAD') return { weight: 1, status, body: '', headers };
  const text = status === 301 ? 'Moved Permanently' : status === 302 ? 'Found' : 'Redirect';
  return {
    weight: 1,
    status,
    body: `<a href="${goHtmlEscape(location)}">${text}</a>.\n\n`,
    contentType: GO_HTML,
    headers,
  };
}

/** A 301 with only a Location header, as FileServer's `localRedirect` and gorilla/mux's path cleaning write it. */
export function bareRedirect(location: string): BuiltinAnswer {
  return { weight: 1, status: 301, body: '', headers: { location } };
}

/** net/http writes no body for HEAD, whatever the handler wrote; headers stay. */
export function forMethod(method: string, answers: BuiltinAnswer[]): BuiltinAnswer[] {
  return method === 'HEAD' ? answers.map((a) => (a.body === '' ? a : { ...a, body: '' })) : answers;
}

const TOKEN_BYTE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * `textproto.CanonicalMIMEHeaderKey`: `x-forwarded-for` → `X-Forwarded-For`; a name with a byte
 * that is not a token character is returned unchanged.
 */
export function canonicalHeaderKey(name: string): string {
  if (!TOKEN_BYTE.test(name)) return name;
  let upper = true;
  let out = '';
  for (const c of name) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}

/** The size of a body in bytes, as Go reads it. */
export function byteLength(s: string | undefined): number {
  return s === undefined ? 0 : Buffer.byteLength(s, 'utf8');
}

/** Greatest common divisor of non-negative integers (0 for none). */
function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The same answers with integer weights divided by their common divisor and zero weights
 * dropped (85/15 rather than 8500/1500): easier to read in reports, identical odds.
 */
export function reduceWeights<A extends { weight: number }>(answers: A[]): A[] {
  const kept = answers.filter((a) => a.weight > 0);
  if (!kept.every((a) => Number.isInteger(a.weight))) return kept;
  const g = kept.reduce((acc, a) => gcd(acc, a.weight), 0);
  return g > 1 ? kept.map((a) => ({ ...a, weight: a.weight / g })) : kept;
}
