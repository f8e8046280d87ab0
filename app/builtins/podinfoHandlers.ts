import { createHash } from 'node:crypto';
import { parseInt64 } from '../../go/strconv.js';
import { fixedLatency } from '../latency.js';
import { podinfoPage } from '../pages/podinfoPage.js';
import type { AppRequest } from '../types.js';
import { NO_RESPONSE_STATUS, type BuiltinAnswer, type ClockedProcessView } from './builtinTypes.js';
import { byteLength, canonicalHeaderKey, GO_HTML, GO_TEXT, httpError, NOSNIFF, pathClean } from './goHttp.js';
import { goJsonIndent, goMap, goStruct, type GoJsonValue } from './goJsonEncode.js';
import { goSleepSecondsMs } from './goTime.js';
import type { PodinfoConfig } from './podinfoFlags.js';
import { pprofAnswer } from './podinfoPprof.js';
import type { PodinfoHandler } from './podinfoRouter.js';
import { podinfoSwaggerDoc, swaggerAnswer } from './podinfoSwagger.js';
import { checkPodinfoToken, goTimeJson, signPodinfoToken } from './podinfoToken.js';

/** Process state podinfo's handlers keep (AppProcessView.state keys). */
export const PODINFO_STATE = {
  /** `ready` (readyz): set by POST /readyz/enable|disable; absent: `!--unready`. */
  ready: 'podinfo.ready',
  /** Fault injection on (POST /fault_injection/enable). */
  faultInjection: 'podinfo.faultInjection',
  /** A file `/store` wrote: this prefix and its SHA-1. */
  storePrefix: 'podinfo.store/',
} as const;

/** Whether podinfo answers /readyz with 200 now. */
export function podinfoReady(cfg: PodinfoConfig, proc: ClockedProcessView): boolean {
  const v = proc.state[PODINFO_STATE.ready];
  return v === undefined ? !cfg.unready : v === true;
}

/** What a handler sees: the settings, the request, the process, the route's variables. */
export interface HandlerContext {
  cfg: PodinfoConfig;
  req: AppRequest;
  proc: ClockedProcessView;
  vars: Readonly<Record<string, string>>;
}

type Handler = (ctx: HandlerContext) => BuiltinAnswer[];

const JSON_TYPE = 'application/json; charset=utf-8';
/** http.MaxBytesReader's limit on the bodies podinfo reads. */
const MAX_BODY = 10 << 20;

/** JSONResponse / JSONResponseCode: indented JSON, nosniff. */
function json(value: GoJsonValue, status = 200): BuiltinAnswer {
  return { weight: 1, status, body: goJsonIndent(value), contentType: JSON_TYPE, headers: NOSNIFF };
}

/** ErrorResponse: the error's code in the JSON body, and HTTP 200 (podinfo's quirk). */
function errorResponse(message: string, code: number): BuiltinAnswer {
  return json(
    goStruct([
      ['code', code],
      ['message', message],
    ]),
  );
}

function empty(status: number): BuiltinAnswer {
  return { weight: 1, status, body: '' };
}

/** setRawResponseHeaders: bytes that browsers must never interpret. */
function raw(status: number, body: string, extra: Record<string, string> = {}): BuiltinAnswer {
  return {
    weight: 1,
    status,
    body,
    contentType: 'application/octet-stream',
    headers: { ...NOSNIFF, 'content-security-policy': "default-src 'none'", ...extra },
  };
}

/** strconv.Atoi's error, as podinfo returns it in an ErrorResponse. */
function atoi(s: string): bigint | string {
  const n = parseInt64(s);
  return typeof n === 'string' ? n.replace('strconv.ParseInt', 'strconv.Atoi') : n;
}

/** readLimitedBody: the body, or the 413 ErrorResponse for one over 10 MiB. */
function limitedBody(req: AppRequest): string | BuiltinAnswer {
  return byteLength(req.body) > MAX_BODY ? errorResponse('request body too large', 413) : (req.body ?? '');
}

/** The RuntimeResponse of `/` and `/api/info`, every value a string. */
function info(ctx: HandlerContext): ReadonlyMap<string, GoJsonValue> {
  const { cfg, proc } = ctx;
  return goStruct([
    ['hostname', proc.hostname],
    ['version', cfg.version],
    ['revision', cfg.revision],
    ['color', cfg.uiColor],
    ['logo', cfg.uiLogo],
    ['message', cfg.uiMessage],
    ['goos', 'linux'],
    ['goarch', 'amd64'],
    // The toolchain of the 6.14.1 image; goroutines and CPUs vary in a real pod: plausible fixed values.
    ['runtime', 'go1.26.0'],
    ['num_goroutine', String(8 + (cfg.portMetrics > 0 ? 1 : 0) + (cfg.grpcPort > 0 ? 2 : 0))],
    ['num_cpu', '4'],
  ]);
}

/** os.Environ() of the container: the image's PATH, the runtime's HOSTNAME, the pod's env, then HOME. */
function environ(ctx: HandlerContext): string[] {
  const env = new Map<string, string>([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', ctx.proc.hostname],
  ]);
  for (const [k, v] of Object.entries(ctx.proc.env)) env.set(k, v);
  if (!env.has('HOME')) env.set('HOME', '/home/app');
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** r.Header after versionMiddleware: canonical names, Host and Transfer-Encoding removed, X-Api-Version/Revision set. */
function headers(ctx: HandlerContext): ReadonlyMap<string, GoJsonValue> {
  const out: Record<string, GoJsonValue> = {};
  for (const [k, v] of Object.entries(ctx.req.headers)) {
    if (k === 'host' || k === 'transfer-encoding') continue;
    out[canonicalHeaderKey(k)] = [v];
  }
  out['X-Api-Version'] = [ctx.cfg.version];
  out['X-Api-Revision'] = [ctx.cfg.revision];
  return goMap(out);
}

function echo(ctx: HandlerContext): BuiltinAnswer[] {
  const body = limitedBody(ctx.req);
  if (typeof body !== 'string') return [body];
  return [raw(202, body, { 'x-color': ctx.cfg.uiColor })];
}

/** `/status/{code}`: that status with `{"status": code}` — within Go's rules for WriteHeader. */
function status(ctx: HandlerContext): BuiltinAnswer[] {
  const n = atoi(ctx.vars['code']!);
  if (typeof n === 'string') return [errorResponse(n, 400)];
  const code = Number(n);
  // WriteHeader panics on a code outside 100–999: net/http drops the connection, the metric is never observed.
  if (code < 100 || code > 999)
    return [{ weight: 1, status: NO_RESPONSE_STATUS, body: '', noResponse: true }];
  const answer = json(goMap({ status: n }), code);
  // 1xx (but 101) is sent as an informational response; the body then goes out under an implicit 200.
  if (code < 200 && code !== 101) return [{ ...answer, status: 200, metricsStatus: code }];
  // No body is allowed with 101, 204 and 304.
  if (code === 101 || code === 204 || code === 304) return [{ ...answer, body: '' }];
  return [answer];
}

function storeWrite(ctx: HandlerContext): BuiltinAnswer[] {
  const body = limitedBody(ctx.req);
  if (typeof body !== 'string') return [body];
  const hash = createHash('sha1').update(body, 'utf8').digest('hex');
  return [
    {
      ...json(goMap({ hash }), 202),
      effect: { kind: 'set', key: PODINFO_STATE.storePrefix + hash, value: body },
    },
  ];
}

function storeRead(ctx: HandlerContext): BuiltinAnswer[] {
  const hash = ctx.vars['hash']!;
  if (!/^[a-f0-9]{40}$/.test(hash)) return [errorResponse('invalid hash', 400)];
  const content = ctx.proc.state[PODINFO_STATE.storePrefix + hash];
  if (typeof content !== 'string') return [errorResponse('reading file failed', 500)];
  return [raw(202, content)];
}

/** `/chunked[/{wait}]`: headers flushed at once (so no content type), the JSON after the wait. */
function chunked(ctx: HandlerContext): BuiltinAnswer[] {
  const wait = ctx.vars['wait'];
  const n = wait === undefined ? 'absent' : atoi(wait);
  const answer = (seconds: bigint, weight: number, requested: boolean): BuiltinAnswer => {
    const ms = goSleepSecondsMs(seconds);
    return {
      weight,
      status: 200,
      body: goJsonIndent(goMap({ delay: seconds })),
      headers: NOSNIFF,
      ...(ms > 0 ? { latency: fixedLatency(ms) } : {}),
      ...(requested && ms > 0 ? { requestedLatency: true as const } : {}),
    };
  };
  if (typeof n === 'bigint') return [answer(n, 1, true)];
  // randomDelaySeconds: uniform over the whole seconds [10, max(12, timeout)).
  const max = Math.max(12, Math.floor(ctx.cfg.httpServerTimeoutMs / 1000));
  const out: BuiltinAnswer[] = [];
  for (let s = 10; s < max; s++) out.push(answer(BigInt(s), 1, false));
  return out;
}

const tokenList = (v: string | undefined) => (v ?? '').split(',').map((t) => t.trim().toLowerCase());

/** Why gorilla/websocket's Upgrade refuses a request (status and reason), or undefined: it upgrades. */
export function websocketRefusal(req: AppRequest): number | undefined {
  const h = req.headers;
  if (!tokenList(h['connection']).includes('upgrade')) return 400;
  if (!tokenList(h['upgrade']).includes('websocket')) return 400;
  if (req.method !== 'GET') return 405;
  if (!tokenList(h['sec-websocket-version']).includes('13')) return 400;
  const origin = h['origin'];
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host.toLowerCase() !== (h['host'] ?? '').toLowerCase()) return 403;
  }
  const key = h['sec-websocket-key'] ?? '';
  if (!/^[A-Za-z0-9+/]{22}==$/.test(key)) return 400;
  return undefined;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  405: 'Method Not Allowed',
};

function wsEcho(ctx: HandlerContext): BuiltinAnswer[] {
  const refused = websocketRefusal(ctx.req);
  if (refused !== undefined) {
    const e = httpError(refused, STATUS_TEXT[refused]!);
    return [{ ...e, headers: { ...e.headers, 'sec-websocket-version': '13' } }];
  }
  // The connection is hijacked; the metric records 200 (the interceptor's default) when the session ends.
  return [{ weight: 1, status: 101, body: '', metricsStatus: 200 }];
}

function index(ctx: HandlerContext): BuiltinAnswer[] {
  const { cfg, proc } = ctx;
  // The image holds ui/vue.html under /home/app; any other --ui-path has no template.
  const file = pathClean(`${cfg.uiPath}/vue.html`);
  if (file !== 'ui/vue.html' && file !== '/home/app/ui/vue.html')
    return [
      {
        weight: 1,
        status: 500,
        body: `${file}open ${file}: no such file or directory`,
        contentType: GO_TEXT,
      },
    ];
  const body = podinfoPage({
    hostname: proc.hostname,
    version: cfg.version,
    revision: cfg.revision,
    color: cfg.uiColor,
    logo: cfg.uiLogo,
    message: cfg.uiMessage,
    prefix: cfg.prefix === '/' ? '' : cfg.prefix,
  });
  return [{ weight: 1, status: 200, body, contentType: GO_HTML }];
}

function token(ctx: HandlerContext): BuiltinAnswer[] {
  const body = limitedBody(ctx.req);
  if (typeof body !== 'string') return [body];
  const { token: t, expiresAt } = signPodinfoToken(
    body === '' ? 'anonymous' : body,
    ctx.cfg.jwtSecret,
    ctx.proc.nowMs ?? 0,
  );
  return [
    json(
      goStruct([
        ['token', t],
        ['expires_at', goTimeJson(expiresAt)],
      ]),
    ),
  ];
}

function tokenValidate(ctx: HandlerContext): BuiltinAnswer[] {
  const r = checkPodinfoToken(ctx.req.headers['authorization'], ctx.cfg.jwtSecret, ctx.proc.nowMs ?? 0);
  if (r.kind === 'invalid') return [errorResponse(r.message, 401)];
  if (r.kind === 'panic') return [{ weight: 1, status: NO_RESPONSE_STATUS, body: '', noResponse: true }];
  return [
    json(
      goStruct([
        ['token_name', r.name],
        ['expires_at', goTimeJson(r.expiresAt)],
      ]),
    ),
  ];
}

/** The metrics exposition's content type client_golang negotiates for a scrape. */
const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';

/** Each route's handler (pkg/api/http/*.go). */
export const PODINFO_HANDLERS: Readonly<Record<PodinfoHandler, Handler>> = {
  // The exposition itself comes from canarysim's registry of podinfo's metrics (live mode); a
  // virtual run answers with the status and type only.
  metrics: () => [
    {
      weight: 1,
      status: 200,
      body: "# podinfo metrics are exposed by canarysim's registry\n",
      contentType: PROMETHEUS_TEXT,
    },
  ],
  pprof: (ctx) => [pprofAnswer(ctx.req.path, ctx.req.query, ctx.cfg.argv, ctx.cfg.httpServerTimeoutMs)],
  index,
  info: (ctx) => [json(info(ctx))],
  version: (ctx) => [json(goMap({ version: ctx.cfg.version, commit: ctx.cfg.revision }))],
  echo,
  env: (ctx) => [json(environ(ctx))],
  headers: (ctx) => [json(headers(ctx))],
  delay: (ctx) => {
    const n = atoi(ctx.vars['wait']!);
    if (typeof n === 'string') return [errorResponse(n, 400)];
    const ms = goSleepSecondsMs(n);
    const a = json(goMap({ delay: n }));
    return [ms > 0 ? { ...a, latency: fixedLatency(ms), requestedLatency: true } : a];
  },
  healthz: (ctx) => [ctx.cfg.unhealthy ? empty(503) : json(goMap({ status: 'OK' }))],
  readyz: (ctx) => [podinfoReady(ctx.cfg, ctx.proc) ? json(goMap({ status: 'OK' })) : empty(503)],
  readyEnable: () => [{ ...empty(202), effect: { kind: 'set', key: PODINFO_STATE.ready, value: true } }],
  readyDisable: () => [{ ...empty(202), effect: { kind: 'set', key: PODINFO_STATE.ready, value: false } }],
  faultEnable: () => [
    {
      ...json(goMap({ fault_injection: 'enabled' }), 202),
      effect: { kind: 'set', key: PODINFO_STATE.faultInjection, value: true },
    },
  ],
  faultDisable: () => [
    {
      ...json(goMap({ fault_injection: 'disabled' }), 202),
      effect: { kind: 'set', key: PODINFO_STATE.faultInjection, value: false },
    },
  ],
  faultStatus: (ctx) => [
    json(
      goMap({
        fault_injection: ctx.proc.state[PODINFO_STATE.faultInjection] === true ? 'enabled' : 'disabled',
      }),
    ),
  ],
  // os.Exit(255) before answering: no response, and the request is never counted.
  panic: () => [
    {
      weight: 1,
      status: NO_RESPONSE_STATUS,
      body: '',
      noResponse: true,
      effect: { kind: 'exit', code: 255, reason: 'GET /panic: os.Exit(255)' },
    },
  ],
  status,
  storeWrite,
  storeRead,
  // Without --cache-server (with it, the image is refused) the Redis pool is nil.
  cacheWrite: () => [errorResponse('cache server is offline', 400)],
  cacheDelete: () => [errorResponse('cache server is offline', 400)],
  cacheRead: () => [errorResponse('cache server is offline', 400)],
  // No --config-path (with one, the image is refused): no watcher, an empty map.
  configs: () => [json(goMap({}))],
  token,
  tokenValidate,
  wsEcho,
  chunked,
  swagger: (ctx) => {
    const base = `${ctx.cfg.prefix === '/' ? '' : ctx.cfg.prefix}/swagger/`;
    return [swaggerAnswer(ctx.req.method, ctx.req.path.slice(base.length), ctx.cfg.prefix)];
  },
  // swag's document written without a content type: net/http sniffs JSON as plain text.
  swaggerJson: (ctx) => [
    { weight: 1, status: 200, body: podinfoSwaggerDoc(ctx.cfg.prefix), contentType: GO_TEXT },
  ],
};
