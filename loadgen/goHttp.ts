// hey's requests on the wire as Go's net/http writes them, the transport errors worded as Go's
// net and net/http word them, and how Go's client reads a response (length, redirects).
import { readFileSync } from 'node:fs';
import { goQuote } from '../go/quote.js';
import { heyHeaderMap, type HeyOptions } from './heyFlags.js';
import type { Target } from './heyTarget.js';

export interface GoRequest {
  method: string;
  requestUri: string;
  host: string;
  /** Go's http.Header after hey's main(): canonical name → value (Set semantics: the last wins). */
  header: Map<string, string>;
  body: Buffer;
}

/**
 * hey.go's header: Content-Type first (so -H can replace it), then -H in order, then -A, then the
 * User-Agent (`<-H User-Agent> hey/0.0.1`, or `<-U> hey/0.0.1`). hey 0.1.4 never sends `-a`: it
 * calls SetBasicAuth on the request and then replaces the request's whole header map with this
 * one (hey.go, `req.Header = header`), which /usr/bin/hey confirms on the wire. Credentials in
 * the URL do reach the server: Go's client turns them into Authorization itself.
 */
export function heyHeader(opts: HeyOptions, target: Target): Map<string, string> {
  const header = heyHeaderMap(opts);
  if (target.authorization !== undefined && !header.has('Authorization'))
    header.set('Authorization', target.authorization);
  return header;
}

/** Headers Request.write takes from elsewhere than the header map (reqWriteExcludeHeader). */
const NOT_FROM_HEADER = new Set(['Host', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Trailer']);

/**
 * The header lines in Go's order: Host, User-Agent, Content-Length (when Go sends one: a body, or
 * an empty POST/PUT/PATCH), the header map sorted by name with values trimmed, then what the
 * transport adds — `Accept-Encoding: gzip` (unless compression is off, the header is set, a Range
 * is asked for, or the method is HEAD) and `Connection: close` without keep-alive.
 */
export function goHeaderLines(
  req: GoRequest,
  transport: { disableCompression: boolean; disableKeepAlive: boolean },
): Array<[string, string]> {
  const lines: Array<[string, string]> = [['Host', req.host]];
  const ua = req.header.get('User-Agent');
  if (ua !== undefined && ua !== '') lines.push(['User-Agent', ua]);
  if (req.body.length > 0) lines.push(['Content-Length', String(req.body.length)]);
  else if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH')
    lines.push(['Content-Length', '0']);
  for (const name of [...req.header.keys()].sort()) {
    if (NOT_FROM_HEADER.has(name)) continue;
    lines.push([name, (req.header.get(name) ?? '').replace(/[\r\n]/g, ' ').trim()]);
  }
  if (
    !transport.disableCompression &&
    !req.header.has('Accept-Encoding') &&
    !req.header.has('Range') &&
    req.method !== 'HEAD'
  )
    lines.push(['Accept-Encoding', 'gzip']);
  if (transport.disableKeepAlive && !/(^|,)\s*close\s*(,|$)/i.test(req.header.get('Connection') ?? ''))
    lines.push(['Connection', 'close']);
  return lines;
}

/** The request as Go writes it; strings go out as their UTF-8 bytes (Go's strings are the bytes of argv). */
export function goRequestBytes(req: GoRequest, transport: Parameters<typeof goHeaderLines>[1]): Buffer {
  const head = goHeaderLines(req, transport)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.concat([
    Buffer.from(`${req.method} ${req.requestUri} HTTP/1.1\r\n${head}\r\n`, 'utf8'),
    req.body,
  ]);
}

/** Go's url.Error operation: the method with only its first letter upper-case ("Get", "Post"). */
export function goUrlErrorOp(method: string): string {
  return method === '' ? 'Get' : method.charAt(0) + method.slice(1).toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Transport errors, worded as Go's net and net/http word them

const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EADDRINUSE: 'address already in use',
  ECONNABORTED: 'software caused connection abort',
  EPIPE: 'broken pipe',
  EACCES: 'permission denied',
  EMFILE: 'too many open files',
};

export interface SocketAddresses {
  local?: string;
  remote?: string;
}

export const hostPort = (address: string, port: number | string): string =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

let nameserver: string | undefined;
/** Go's pure resolver names the server it asked: the first nameserver of /etc/resolv.conf, port 53. */
function resolverAddress(): string {
  if (nameserver === undefined) {
    let ns = '127.0.0.1';
    try {
      ns = /^\s*nameserver\s+(\S+)/m.exec(readFileSync('/etc/resolv.conf', 'utf8'))?.[1] ?? ns;
    } catch {
      // Go falls back to 127.0.0.1:53 as well.
    }
    nameserver = hostPort(ns, 53);
  }
  return nameserver;
}

/**
 * The text after `Get "<url>": ` for a Node socket error: `dial tcp 127.0.0.1:1: connect:
 * connection refused`, `dial tcp: lookup x.invalid on 10.0.0.53:53: no such host`, `read tcp
 * 127.0.0.1:5000->127.0.0.1:8080: read: connection reset by peer`.
 */
export function goNetError(error: unknown, hostname: string, addrs: SocketAddresses): string {
  type NetError = NodeJS.ErrnoException & { address?: string; port?: number };
  // Node's happy-eyeballs connect reports every address it tried; Go reports the first.
  const e = (
    error instanceof AggregateError && error.errors[0] !== undefined ? error.errors[0] : error
  ) as NetError;
  const code = e.code ?? '';
  const text = ERRNO_TEXT[code] ?? e.message;
  if (e.syscall === 'connect' && e.address !== undefined && e.port !== undefined)
    return `dial tcp ${hostPort(e.address, e.port)}: connect: ${text}`;
  if (e.syscall === 'getaddrinfo' || e.syscall === 'getaddrinfo_async') {
    const why = code === 'ENOTFOUND' ? 'no such host' : 'server misbehaving';
    return `dial tcp: lookup ${hostname} on ${resolverAddress()}: ${why}`;
  }
  if (e.syscall === 'read' || e.syscall === 'write') {
    const pair =
      addrs.local !== undefined && addrs.remote !== undefined ? ` ${addrs.local}->${addrs.remote}` : '';
    return `${e.syscall} tcp${pair}: ${e.syscall}: ${text}`;
  }
  return e.message;
}

/** http-parser-js's complaint about a response → net/http's (transport.go readResponse). */
export function goMalformedResponse(error: Error, chunk: Buffer): string {
  if ((error as { code?: string }).code === 'HPE_INVALID_CONSTANT') {
    const line = chunk.toString('latin1').split(/\r?\n/, 1)[0] ?? '';
    return `net/http: HTTP/1.x transport connection broken: malformed HTTP response ${goQuote(line)}`;
  }
  return `net/http: HTTP/1.x transport connection broken: ${error.message}`;
}

// ---------------------------------------------------------------------------------------------
// Responses, as Go's net/http reads them

/**
 * resp.ContentLength (transfer.go fixLength/readTransfer, transport.go gzip handling): the header
 * for HEAD; 0 for 1xx/204/304; unknown (−1) when chunked, when there is no Content-Length, or
 * when Go asked for gzip and got it (it decompresses and drops the length). hey adds only
 * positive lengths to "Total data".
 */
export function goContentLength(
  method: string,
  status: number,
  contentLength: string | undefined,
  chunked: boolean,
  gzipped: boolean,
  askedGzip: boolean,
): number {
  const declared =
    contentLength !== undefined && /^\s*\d+\s*$/.test(contentLength) ? Number(contentLength) : -1;
  if (method === 'HEAD') return declared;
  if (status < 200 || status === 204 || status === 304) return 0;
  if (chunked || (askedGzip && gzipped)) return -1;
  return declared;
}

/** Go's redirectBehavior (client.go): whether a 3xx is followed, and with which method. */
export function redirectBehavior(method: string, status: number, hasBody: boolean): string | undefined {
  if (status === 301 || status === 302 || status === 303)
    return method === 'GET' || method === 'HEAD' ? method : 'GET';
  // hey's request has no GetBody, so Go cannot resend a body and returns the 307/308 as it is.
  if (status === 307 || status === 308) return hasBody ? undefined : method;
  return undefined;
}

/** Go's Request.isReplayable: what its transport may resend after a reused connection fails. */
export function replayable(req: GoRequest): boolean {
  if (req.body.length > 0) return false;
  return (
    ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(req.method) ||
    req.header.has('Idempotency-Key') ||
    req.header.has('X-Idempotency-Key')
  );
}
