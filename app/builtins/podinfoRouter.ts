/** The handlers behind podinfo's routes (pkg/api/http/server.go's registerHandlers). */
export type PodinfoHandler =
  | 'metrics'
  | 'pprof'
  | 'index'
  | 'info'
  | 'version'
  | 'echo'
  | 'env'
  | 'headers'
  | 'delay'
  | 'healthz'
  | 'readyz'
  | 'readyEnable'
  | 'readyDisable'
  | 'faultEnable'
  | 'faultDisable'
  | 'faultStatus'
  | 'panic'
  | 'status'
  | 'storeWrite'
  | 'storeRead'
  | 'cacheWrite'
  | 'cacheDelete'
  | 'cacheRead'
  | 'configs'
  | 'token'
  | 'tokenValidate'
  | 'wsEcho'
  | 'chunked'
  | 'swagger'
  | 'swaggerJson';

/** One gorilla/mux route: a path template, matched whole or as a prefix, with optional method and header matchers. */
export interface PodinfoRoute {
  /** As registered, prefix included (`/delay/{wait:[0-9]+}`). */
  template: string;
  pathPrefix: boolean;
  /** Absent: any method. */
  methods?: readonly string[];
  /** `.HeadersRegexp("User-Agent", "^Mozilla.*")`. */
  browser?: boolean;
  /** `.Name(…)`: the metrics label when set. */
  name?: string;
  handler: PodinfoHandler;
  /** The `path` label of podinfo's own metrics. */
  label: string;
  regex: RegExp;
  vars: readonly string[];
}

/** What gorilla/mux makes of a request. */
export type PodinfoMatch =
  | { kind: 'route'; route: PodinfoRoute; vars: Readonly<Record<string, string>> }
  /** A route's path matched, none with the request's method: 405, empty, no middleware runs. */
  | { kind: 'methodNotAllowed' }
  /** No route's path matched: 404 "404 page not found", no middleware runs. */
  | { kind: 'notFound' };

/**
 * podinfo's `urlToLabel`: runs of characters other than ASCII letters and digits become `_`,
 * then `_` is trimmed from both ends and the result lower-cased; empty is `root`
 * (`/readyz/enable` → `readyz_enable`, `/chunked/{wait:[0-9]+}` → `chunked_wait_0_9`).
 */
export function urlToLabel(path: string): string {
  const s = path
    .replace(/[^a-zA-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return s === '' ? 'root' : s;
}

type RouteSpec = [
  template: string,
  handler: PodinfoHandler,
  opts?: Partial<Pick<PodinfoRoute, 'methods' | 'browser' | 'name' | 'pathPrefix'>>,
];

const GET = ['GET'];
const POST_PUT = ['POST', 'PUT'];

/**
 * podinfo's routes in registration order (gorilla/mux tries them in turn), every template under
 * `prefix` as `prefixedPath` puts it (`/` is the prefix itself; with a prefix, `<prefix>/` serves
 * the index and info handlers too). The label is the route's name when it has one, else its
 * template — so a prefix shows in the labels of unnamed routes.
 */
export function podinfoRoutes(prefix: string): PodinfoRoute[] {
  const p = (route: string) => (prefix === '/' ? route : route === '/' ? prefix : prefix + route);
  const root = p('/');
  const specs: RouteSpec[] = [
    [p('/metrics'), 'metrics'],
    [p('/debug/pprof/'), 'pprof', { pathPrefix: true }],
    [root, 'index', { browser: true, methods: GET }],
    [root, 'info', { methods: GET }],
    ...(root !== '/'
      ? ([
          [`${root}/`, 'index', { browser: true, methods: GET }],
          [`${root}/`, 'info', { methods: GET }],
        ] as RouteSpec[])
      : []),
    [p('/version'), 'version', { methods: GET }],
    [p('/echo'), 'echo'],
    [p('/echo/'), 'echo', { pathPrefix: true }],
    [p('/env'), 'env', { methods: ['GET', 'POST'] }],
    [p('/headers'), 'headers', { methods: ['GET', 'POST'] }],
    [p('/delay/{wait:[0-9]+}'), 'delay', { methods: GET, name: 'delay' }],
    [p('/healthz'), 'healthz', { methods: GET }],
    [p('/readyz'), 'readyz', { methods: GET }],
    [p('/readyz/enable'), 'readyEnable', { methods: ['POST'] }],
    [p('/readyz/disable'), 'readyDisable', { methods: ['POST'] }],
    [p('/fault_injection/enable'), 'faultEnable', { methods: ['POST'] }],
    [p('/fault_injection/disable'), 'faultDisable', { methods: ['POST'] }],
    [p('/fault_injection/status'), 'faultStatus', { methods: GET }],
    [p('/panic'), 'panic', { methods: GET }],
    [p('/status/{code:[0-9]+}'), 'status', { methods: ['GET', 'POST', 'PUT'], name: 'status' }],
    [p('/store'), 'storeWrite', { methods: POST_PUT }],
    [p('/store/{hash}'), 'storeRead', { methods: GET, name: 'store' }],
    [p('/cache/{key}'), 'cacheWrite', { methods: POST_PUT }],
    [p('/cache/{key}'), 'cacheDelete', { methods: ['DELETE'] }],
    [p('/cache/{key}'), 'cacheRead', { methods: GET, name: 'cache' }],
    [p('/configs'), 'configs', { methods: GET }],
    [p('/token'), 'token', { methods: ['POST'] }],
    [p('/token/validate'), 'tokenValidate', { methods: GET }],
    [p('/api/info'), 'info', { methods: GET }],
    [p('/api/echo'), 'echo'],
    [p('/api/echo/'), 'echo', { pathPrefix: true }],
    [p('/ws/echo'), 'wsEcho'],
    [p('/chunked'), 'chunked'],
    [p('/chunked/{wait:[0-9]+}'), 'chunked'],
    [p('/swagger/'), 'swagger', { pathPrefix: true }],
    [p('/swagger.json'), 'swaggerJson'],
  ];
  return specs.map(([template, handler, opts = {}]) => {
    const { regex, vars } = compileTemplate(template, opts.pathPrefix ?? false);
    return {
      template,
      pathPrefix: opts.pathPrefix ?? false,
      handler,
      label: urlToLabel(opts.name ?? template),
      regex,
      vars,
      ...(opts.methods ? { methods: opts.methods } : {}),
      ...(opts.browser ? { browser: true } : {}),
      ...(opts.name ? { name: opts.name } : {}),
    };
  });
}

/** A gorilla/mux template as a regexp: `{name}` matches `[^/]+`, `{name:re}` matches `re`. */
function compileTemplate(template: string, prefix: boolean): { regex: RegExp; vars: string[] } {
  const vars: string[] = [];
  let src = '';
  let last = 0;
  for (const m of template.matchAll(/\{([^}:]+)(?::([^}]+))?\}/g)) {
    src += escapeRegex(template.slice(last, m.index)) + `(${m[2] ?? '[^/]+'})`;
    vars.push(m[1]!);
    last = m.index + m[0].length;
  }
  src += escapeRegex(template.slice(last));
  return { regex: new RegExp(`^${src}${prefix ? '' : '$'}`), vars };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * gorilla/mux v1.8.1's Router.Match over `routes`: the first route whose every matcher passes
 * wins; a route whose path matched but not its method records a method mismatch, which a later
 * route's matching path clears again; a mismatch left at the end is 405.
 */
export function matchPodinfoRoute(
  routes: readonly PodinfoRoute[],
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
): PodinfoMatch {
  let methodMismatch = false;
  for (const r of routes) {
    const m = r.regex.exec(path);
    if (!m) continue;
    methodMismatch = false;
    if (r.browser && !/^Mozilla/.test(headers['user-agent'] ?? '')) continue;
    if (r.methods && !r.methods.includes(method)) {
      methodMismatch = true;
      continue;
    }
    const vars: Record<string, string> = {};
    r.vars.forEach((v, i) => (vars[v] = m[i + 1]!));
    return { kind: 'route', route: r, vars };
  }
  return methodMismatch ? { kind: 'methodNotAllowed' } : { kind: 'notFound' };
}
