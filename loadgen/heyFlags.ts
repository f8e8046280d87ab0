import { parseGoDurationNs } from '../go/duration.js';
import { flagReason, scanGoFlags } from '../go/flag.js';
import { isStrconvError, parseBool, parseIntBase0 } from '../go/strconv.js';
import { goQuote } from '../go/quote.js';

/**
 * hey 0.1.4's command line (rakyll/hey `hey.go`, Go's `flag` package): flags, defaults, and the
 * messages hey prints when they are wrong. Pure: the CPU count hey shows in its usage and uses
 * as the `-cpus` default is passed in.
 */

/** What `hey [options...] <url>` asked for. Durations keep Go's meaning; units are in the names. */
export interface HeyOptions {
  /** `-n` total requests (default 200). With `-z`, hey replaces it by 2147483647 and stops on time. */
  n: number;
  /** `-c` workers (default 50); each sends `perWorkerRequests` requests. */
  c: number;
  /** `-q` rate limit in requests per second *per worker*; 0 = unlimited. */
  q: number;
  /** `-z` run duration in ms (Go syntax: `10s`, `60m`, `1h30m`); 0 = none, a count-bound run. */
  z: number;
  /** `-m` HTTP method, upper-cased (default GET). */
  method: string;
  /** `-H` headers in order, names canonicalised as Go's `Header.Set` does (`x-a` → `X-A`); a later one wins. */
  headers: Array<[string, string]>;
  /** `-t` per-request timeout in seconds (default 20); 0 = none. */
  timeoutSec: number;
  /** `-A` Accept header; "" = not set. */
  accept: string;
  /** `-d` request body. */
  body: string;
  /** `-D` file to read the body from; replaces `-d`. Read by the caller, not here. */
  bodyFile: string;
  /** `-T` Content-Type, sent on every request, GET included (default text/html). */
  contentType: string;
  /** `-U` User-Agent prefix: hey sends `<U> hey/0.0.1`, or `hey/0.0.1` when empty. */
  userAgent: string;
  /** `-a user:pass` basic auth; null when not given. */
  basicAuth: { username: string; password: string } | null;
  /** `-x` HTTP proxy `host:port`; "" = none. */
  proxy: string;
  /** `-h2` use HTTP/2. */
  h2: boolean;
  /** `-host` Host header override; "" = from the URL. */
  host: string;
  /** `-disable-compression`: no automatic `Accept-Encoding: gzip`. */
  disableCompression: boolean;
  /** `-disable-keepalive`: a new connection per request. */
  disableKeepAlive: boolean;
  /** `-disable-redirects`: report 3xx as they are. */
  disableRedirects: boolean;
  /** `-o`: "" prints the summary, "csv" one line per request. */
  output: '' | 'csv';
  /** `-cpus` GOMAXPROCS (default: the machine's CPU count). */
  cpus: number;
  /** The first argument after the flags. Not checked for a scheme: hey fails per request instead. */
  url: string;
  /** Arguments after the URL. hey ignores them silently, flags included (`hey URL -n 5` runs 200). */
  extraArgs: string[];
}

/** hey refused its command line; `stderr` is exactly what hey prints, `exitCode` what it exits with. */
export class HeyUsageError extends Error {
  override readonly name = 'HeyUsageError';
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** hey's `-z` replaces `-n` by Go's math.MaxInt32. */
const MAX_INT32 = 2147483647;

/** Requests each worker sends: hey divides n by c as integers, dropping the remainder (205/50 → 4). */
export function perWorkerRequests(opts: Pick<HeyOptions, 'n' | 'c'>): number {
  return Math.trunc(opts.n / opts.c);
}

/**
 * Parses hey's arguments (without the program name) as Go's flag package and hey's main do:
 * `-n 10`, `-n=10`, `--n 10`; booleans only as `-h2` or `-h2=false`; parsing stops at the first
 * non-flag argument or after `--`. Throws `HeyUsageError` with hey's own message otherwise.
 */
export function parseHeyArgs(argv: string[], env: { numCpu?: number } = {}): HeyOptions {
  const numCpu = env.numCpu ?? 1;
  const values = new Map<string, string | number | boolean>();
  const headerArgs: string[] = [];
  const args = [...argv];

  const scan = scanGoFlags(
    args,
    (name) => {
      const kind = FLAG_KINDS.get(name);
      return kind === undefined ? undefined : kind === 'bool' ? 'bool' : 'value';
    },
    (name, value) => {
      const kind = FLAG_KINDS.get(name)!;
      if (kind === 'bool') {
        const b = parseBool(value);
        if (isStrconvError(b)) return 'parse error';
        values.set(name, b);
        return undefined;
      }
      const parsed = parseFlagValue(kind, value);
      if (typeof parsed === 'object') return parsed.error;
      if (kind === 'list') headerArgs.push(value);
      else values.set(name, parsed);
      return undefined;
    },
  );
  if (scan.kind === 'help') throw new HeyUsageError(USAGE_TITLE, usage(numCpu), 0);
  if (scan.kind === 'error') throw flagError(scan.message, numCpu);
  args.splice(0, args.length, ...scan.rest);

  const str = (k: string, d: string): string => {
    const v = values.get(k);
    return typeof v === 'string' ? v : d;
  };
  const num = (k: string, d: number): number => {
    const v = values.get(k);
    return typeof v === 'number' ? v : d;
  };
  const bool = (k: string): boolean => values.get(k) === true;
  const fail = (msg: string): HeyUsageError => usageError(msg, numCpu);

  // Checks in hey's order, so that the first message is hey's first message.
  if (args.length < 1) throw new HeyUsageError(USAGE_TITLE, `${usage(numCpu)}\n`, 1);
  const [url = '', ...extraArgs] = args;
  const zNs = num('z', 0);
  let n = num('n', 200);
  const c = num('c', 50);
  if (zNs > 0) {
    n = MAX_INT32;
    if (c <= 0) throw fail('-c cannot be smaller than 1.');
  } else {
    if (n <= 0 || c <= 0) throw fail('-n and -c cannot be smaller than 1.');
    if (n < c) throw fail('-n cannot be less than -c.');
  }
  const method = str('m', 'GET').toUpperCase();
  if (str('h', '') !== '') throw fail("Flag '-h' is deprecated, please use '-H' instead.");

  const headers: Array<[string, string]> = headerArgs.map((h) => {
    const m = HEADER.exec(h);
    if (!m) throw fail(`could not parse the provided input; input = ${h}`);
    return [canonicalHeaderKey(m[1] ?? ''), m[2] ?? ''];
  });

  let basicAuth: HeyOptions['basicAuth'] = null;
  const auth = str('a', '');
  if (auth !== '') {
    const m = BASIC_AUTH.exec(auth);
    if (!m) throw fail(`could not parse the provided input; input = ${auth}`);
    basicAuth = { username: m[1] ?? '', password: m[2] ?? '' };
  }

  const proxy = str('x', '');
  if (proxy !== '') {
    const err = urlParseError(proxy);
    if (err) throw fail(err);
  }
  // http.NewRequest: an empty method means GET, then method and URL are checked.
  const requestMethod = method === '' ? 'GET' : method;
  if (!TOKEN.test(requestMethod)) throw fail(`net/http: invalid method ${goQuote(requestMethod)}`);
  const urlError = urlParseError(url);
  if (urlError) throw fail(urlError);

  const output = str('o', '');
  if (output !== '' && output !== 'csv') {
    // hey would run the value as a Go text/template; canarysim has no template engine.
    throw fail(`canarysim: -o ${goQuote(output)} is not supported; use -o csv or no -o`);
  }

  return {
    n,
    c,
    q: num('q', 0),
    z: zNs > 0 ? zNs / 1e6 : 0,
    method: requestMethod,
    headers,
    timeoutSec: num('t', 20),
    accept: str('A', ''),
    body: str('d', ''),
    bodyFile: str('D', ''),
    contentType: str('T', 'text/html'),
    userAgent: str('U', ''),
    basicAuth,
    proxy,
    h2: bool('h2'),
    host: str('host', ''),
    disableCompression: bool('disable-compression'),
    disableKeepAlive: bool('disable-keepalive'),
    disableRedirects: bool('disable-redirects'),
    output,
    cpus: num('cpus', numCpu),
    url,
    extraArgs,
  };
}

type FlagKind = 'string' | 'int' | 'float' | 'duration' | 'bool' | 'list';

const FLAG_KINDS = new Map<string, FlagKind>([
  ['m', 'string'],
  ['h', 'string'],
  ['d', 'string'],
  ['D', 'string'],
  ['A', 'string'],
  ['T', 'string'],
  ['a', 'string'],
  ['host', 'string'],
  ['U', 'string'],
  ['o', 'string'],
  ['x', 'string'],
  ['c', 'int'],
  ['n', 'int'],
  ['t', 'int'],
  ['cpus', 'int'],
  ['q', 'float'],
  ['z', 'duration'],
  ['h2', 'bool'],
  ['disable-compression', 'bool'],
  ['disable-keepalive', 'bool'],
  ['disable-redirects', 'bool'],
  ['H', 'list'],
]);

/** hey.go's headerRegexp and authRegexp, with Go's `\s` and `.` spelled out (RE2 ≠ JS). */
const HEADER = /^([0-9A-Za-z_-]+):[\t\n\f\r ]*([^\n]+)/;
const BASIC_AUTH = /^([^\n]+):([^\t\n\f\r ][^\n]+)/;
/** RFC 7230 token: what net/http accepts as a method. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const USAGE_TITLE = 'Usage: hey [options...] <url>';

/** hey's usage text, verbatim (hey.go), with the machine's CPU count filled in. */
function usage(numCpu: number): string {
  return `${USAGE_TITLE}

Options:
  -n  Number of requests to run. Default is 200.
  -c  Number of workers to run concurrently. Total number of requests cannot
      be smaller than the concurrency level. Default is 50.
  -q  Rate limit, in queries per second (QPS) per worker. Default is no rate limit.
  -z  Duration of application to send requests. When duration is reached,
      application stops and exits. If duration is specified, n is ignored.
      Examples: -z 10s -z 3m.
  -o  Output type. If none provided, a summary is printed.
      "csv" is the only supported alternative. Dumps the response
      metrics in comma-separated values format.

  -m  HTTP method, one of GET, POST, PUT, DELETE, HEAD, OPTIONS.
  -H  Custom HTTP header. You can specify as many as needed by repeating the flag.
      For example, -H "Accept: text/html" -H "Content-Type: application/xml" .
  -t  Timeout for each request in seconds. Default is 20, use 0 for infinite.
  -A  HTTP Accept header.
  -d  HTTP request body.
  -D  HTTP request body from file. For example, /home/user/file.txt or ./file.txt.
  -T  Content-type, defaults to "text/html".
  -U  User-Agent, defaults to version "hey/0.0.1".
  -a  Basic authentication, username:password.
  -x  HTTP Proxy address as host:port.
  -h2 Enable HTTP/2.

  -host\tHTTP Host header.

  -disable-compression  Disable compression.
  -disable-keepalive    Disable keep-alive, prevents re-use of TCP
                        connections between different HTTP requests.
  -disable-redirects    Disable following of HTTP redirects
  -cpus                 Number of used cpu cores.
                        (default for current machine is ${numCpu} cores)
`;
}

/** The flag package prints its error, a newline and the usage, then exits 2. */
function flagError(message: string, numCpu: number): HeyUsageError {
  return new HeyUsageError(message, `${message}\n${usage(numCpu)}`, 2);
}

/** hey's usageAndExit: message, a blank line, the usage, a newline; exit 1. */
function usageError(message: string, numCpu: number): HeyUsageError {
  return new HeyUsageError(message, `${message}\n\n${usage(numCpu)}\n`, 1);
}

function parseFlagValue(kind: FlagKind, value: string): string | number | { error: string } {
  switch (kind) {
    case 'int':
      return parseGoInt(value);
    case 'float':
      return parseGoFloat(value);
    case 'duration': {
      const ns = parseGoDurationNs(value);
      return ns === undefined ? { error: 'parse error' } : ns;
    }
    default:
      return value;
  }
}

/** strconv.ParseInt(s, 0, 64) as hey's int flags read it, with the flag package's reasons. */
function parseGoInt(s: string): number | { error: string } {
  const n = parseIntBase0(s);
  return isStrconvError(n) ? { error: flagReason(n) } : Number(n);
}

/** strconv.ParseFloat(s, 64) for decimal syntax, `_` separators, and inf / infinity / nan. */
function parseGoFloat(s: string): number | { error: string } {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const digits = '[0-9](_?[0-9])*';
  const decimal = new RegExp(`^[+-]?(${digits}(\\.(${digits})?)?|\\.${digits})([eE][+-]?${digits})?$`);
  if (!decimal.test(s)) return { error: 'parse error' };
  const v = Number(s.replaceAll('_', ''));
  return Number.isFinite(v) ? v : { error: 'value out of range' };
}

/** Go's http.CanonicalHeaderKey for names of letters, digits, `_` and `-`. */
function canonicalHeaderKey(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');
}

/**
 * The errors net/url.Parse gives for inputs a user can plausibly type, worded as Go does:
 * `parse "<url>": <reason>`. Anything it accepts here hey accepts too (a scheme-less URL fails
 * later, per request).
 */
function urlParseError(raw: string): string | undefined {
  const fail = (reason: string): string => `parse ${goQuote(raw)}: ${reason}`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what Go rejects
  if (/[\u0000-\u001f\u007f]/.test(raw)) return fail('net/url: invalid control character in URL');
  const [beforeFragment = '', fragment = ''] = splitOnce(raw, '#');
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*(?=:)/.exec(beforeFragment)?.[0] ?? '';
  if (beforeFragment.startsWith(':')) return fail('missing protocol scheme');
  let rest = scheme === '' ? beforeFragment : beforeFragment.slice(scheme.length + 1);
  rest = splitOnce(rest, '?')[0] ?? '';
  if (!rest.startsWith('/')) {
    if (scheme !== '') return undefined;
    const firstSegment = splitOnce(rest, '/')[0] ?? '';
    if (firstSegment.includes(':')) return fail('first path segment in URL cannot contain colon');
  }
  let path = rest;
  if (rest.startsWith('//')) {
    const authority = splitOnce(rest.slice(2), '/')[0] ?? '';
    path = rest.slice(2 + authority.length);
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    const port = /:([^\]]*)$/.exec(host)?.[0];
    if (port !== undefined && !/^:[0-9]*$/.test(port))
      return fail(`invalid port ${goQuote(port)} after host`);
  }
  for (const part of [path, fragment]) {
    const bad = /%(?![0-9A-Fa-f]{2})[^%]{0,2}/.exec(part)?.[0];
    if (bad !== undefined) return fail(`invalid URL escape ${goQuote(bad)}`);
  }
  return undefined;
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** hey's User-Agent (hey.go `heyUA`). */
const HEY_UA = 'hey/0.0.1';

/**
 * hey.go's header map (canonical names, as Go's Header.Set keeps them): Content-Type first (so
 * -H can replace it), then -H in order (a later one wins), then -A, then the User-Agent
 * (`<-H User-Agent> hey/0.0.1`, or `<-U> hey/0.0.1`). What Go's transport adds on top (Basic
 * credentials from the URL, Accept-Encoding) is each caller's.
 */
export function heyHeaderMap(opts: HeyOptions): Map<string, string> {
  const header = new Map<string, string>([['Content-Type', opts.contentType]]);
  for (const [name, value] of opts.headers) header.set(name, value);
  if (opts.accept !== '') header.set('Accept', opts.accept);
  const ua = header.get('User-Agent');
  header.set('User-Agent', ua === undefined || ua === '' ? HEY_UA : `${ua} ${HEY_UA}`);
  if (opts.userAgent !== '') header.set('User-Agent', `${opts.userAgent} ${HEY_UA}`);
  return header;
}
