import { fixedLatency, sumOf, uniformLatency, type LatencyModel } from '../latency.js';
import { PODINFO_METRICS } from '../metricsSpecs.js';
import type { AppRequest, ContainerConfig } from '../types.js';
import {
  NO_RESPONSE_STATUS,
  type BuiltinAnswer,
  type BuiltinImage,
  type ClockedProcessView,
} from './builtinTypes.js';
import {
  bareRedirect,
  forMethod,
  goCleanPath,
  goNotFound,
  httpError,
  reduceWeights,
  withQuery,
} from './goHttp.js';
import { goSleepSecondsMs } from './goTime.js';
import { podinfoStart, podinfoUnsupported, type PodinfoConfig } from './podinfoFlags.js';
import { PODINFO_HANDLERS, PODINFO_STATE, websocketRefusal } from './podinfoHandlers.js';
import { PODINFO_LATEST, PODINFO_RELEASES } from './podinfoReleases.js';
import { matchPodinfoRoute, podinfoRoutes, type PodinfoRoute } from './podinfoRouter.js';

/** podinfo's repositories: GitHub's registry and Docker Hub carry the same tags. */
export const PODINFO_REPOSITORIES: readonly string[] = [
  'ghcr.io/stefanprodan/podinfo',
  'stefanprodan/podinfo',
];

/** Random delays with at most this many whole values become one fixed-latency answer each; more, uniform pieces. */
const MAX_DELAY_ANSWERS = 20;

/** A request the kubelet sends for an httpGet probe. */
const PROBE_HEADERS: Readonly<Record<string, string>> = { 'user-agent': 'kube-probe/1.31', accept: '*/*' };

/** The path faultInjectionMiddleware checks: the prefix stripped. */
function unprefixed(path: string, prefix: string): string {
  if (prefix === '/' || !path.startsWith(prefix)) return path;
  const t = path.slice(prefix.length);
  return t === '' ? '/' : t;
}

/** Paths fault injection leaves alone, so probes, metrics and the switch itself keep working. */
function faultExcluded(p: string): boolean {
  return (
    p.startsWith('/fault_injection') ||
    p === '/healthz' ||
    p === '/readyz' ||
    p === '/metrics' ||
    p.startsWith('/debug/')
  );
}

/** A latency plus `ms` more (a fixed delay) or a uniform delay. */
function plus(l: LatencyModel | undefined, extra: LatencyModel | undefined): LatencyModel | undefined {
  if (!extra) return l;
  return l ? sumOf([l, extra]) : extra;
}

/** The fixed part of a latency, ms: what a WriteTimeout is compared with (the random delays are fixed or split at it). */
const fixedPart = (l: LatencyModel | undefined) => l?.shiftMs ?? 0;

/**
 * randomErrorMiddleware: one request in three fails with 500, 400 or 409 (one in nine each),
 * written with no body and no content type; the others reach the handler.
 */
function withRandomError(answers: BuiltinAnswer[]): BuiltinAnswer[] {
  const total = answers.reduce((s, a) => s + a.weight, 0);
  return [
    ...answers.map((a) => ({ ...a, weight: a.weight * 6 })),
    ...[500, 400, 409].map((status) => ({ weight: total, status, body: '' })),
  ];
}

/**
 * RandomDelayMiddleware: `rand.Intn(max−min) + min` whole units before the rest — each value one
 * answer with a fixed latency while there are at most {@link MAX_DELAY_ANSWERS}; beyond that a
 * uniform latency per run of values (an approximation of the discrete uniform with the same
 * range and mean), split where the total reaches the WriteTimeout so that the answers past it
 * are exactly the ones that lose their response. Negative values do not sleep.
 */
function withRandomDelay(answers: BuiltinAnswer[], cfg: PodinfoConfig): BuiltinAnswer[] {
  const { randomDelayMin: min, randomDelayMax: max } = cfg;
  const ms = (d: number) => (cfg.randomDelayUnit === 's' ? goSleepSecondsMs(BigInt(d)) : Math.max(0, d));
  const out: BuiltinAnswer[] = [];
  for (const a of answers) {
    if (max - min <= MAX_DELAY_ANSWERS) {
      for (let d = min; d < max; d++) {
        const extra = ms(d) > 0 ? fixedLatency(ms(d)) : undefined;
        out.push({ ...a, latency: plus(a.latency, extra) });
      }
      continue;
    }
    // Runs of values with one behaviour: no sleep; sleeping and answered; sleeping past the timeout.
    const timeout = cfg.httpServerTimeoutMs;
    const kind = (d: number) =>
      ms(d) === 0 ? 0 : timeout > 0 && fixedPart(a.latency) + ms(d) >= timeout ? 2 : 1;
    let lo = min;
    while (lo < max) {
      const k = kind(lo);
      let hi = lo;
      // Each kind is one contiguous run: find its end by bisection.
      let top = max - 1;
      while (hi < top) {
        const mid = Math.ceil((hi + top) / 2);
        if (kind(mid) === k) hi = mid;
        else top = mid - 1;
      }
      const extra = k === 0 ? undefined : lo === hi ? fixedLatency(ms(lo)) : uniformLatency(ms(lo), ms(hi));
      out.push({ ...a, weight: a.weight * (hi - lo + 1), latency: plus(a.latency, extra) });
      lo = hi + 1;
    }
  }
  return out;
}

/** The view `probe()` and `respond()` read: the clock too when the lead provides it. */
type View = ClockedProcessView;

/**
 * podinfo (stefanprodan/podinfo v6.14.1; every 6.x release from 6.0.0 is modelled with 6.14.1's
 * behaviour, reporting its own version and revision). gorilla/mux routes and urlToLabel labels;
 * the middlewares in podinfo's order run on matched routes only — Prometheus (podinfo's own
 * metrics: each answer's `route`), fault injection (500 for everything but probes, metrics and
 * its own switch), `--random-delay`, `--random-error` — then the handler. Unmatched paths are
 * 404 and a wrong method 405, neither counted. Readiness is `/readyz` (false with `--unready`
 * until POST /readyz/enable), liveness `/healthz` (false for good with `--unhealthy`). After
 * SIGTERM it keeps serving 3 s (none at `--level=debug`). Undefined for a tag never released.
 */
export function podinfo(tag: string, c: ContainerConfig): BuiltinImage | undefined {
  const version = tag === 'latest' ? PODINFO_LATEST : tag;
  const revision = PODINFO_RELEASES.get(version);
  if (revision === undefined) return undefined;
  const start = podinfoStart(version, revision, c);
  const base = { kind: 'podinfo' as const, image: c.image, startupMs: 100, metrics: PODINFO_METRICS };
  if (start.kind !== 'run') {
    // The process never serves: respond() is not reached, probes fail.
    const notRunning: BuiltinImage = {
      ...base,
      description: `podinfo ${version}`,
      port: 9898,
      ...(start.kind === 'exit'
        ? { exitAtStart: { code: start.code, reason: start.reason } }
        : { unsupported: `podinfo: the container runs ${start.program}, not podinfo` }),
      probe: () => false,
      respond: () => [{ weight: 1, status: NO_RESPONSE_STATUS, body: '', noResponse: true }],
    };
    return notRunning;
  }
  const cfg = start.config;
  const routes = podinfoRoutes(cfg.prefix);
  const listening = cfg.port !== 0;

  /** The middlewares and the handler of a matched route; `random: false` leaves out the random error and delay. */
  const serve = (
    route: PodinfoRoute,
    vars: Readonly<Record<string, string>>,
    req: AppRequest,
    proc: View,
    random: boolean,
  ) => {
    const counted = (a: BuiltinAnswer): BuiltinAnswer => ({ ...a, route: route.label });
    if (proc.state[PODINFO_STATE.faultInjection] === true && !faultExcluded(unprefixed(req.path, cfg.prefix)))
      return [counted(httpError(500, '{"status":"fault injection enabled"}'))];
    // rand.Intn(0) panics in every request when max == min: net/http drops the connection, nothing is counted.
    if (cfg.randomDelay && cfg.randomDelayMax === cfg.randomDelayMin)
      return [{ weight: 1, status: NO_RESPONSE_STATUS, body: '', noResponse: true as const }];
    let answers = PODINFO_HANDLERS[route.handler]({ cfg, req, proc, vars });
    if (random && cfg.randomError) answers = withRandomError(answers);
    if (random && cfg.randomDelay) answers = withRandomDelay(answers, cfg);
    const timeout = cfg.httpServerTimeoutMs;
    return answers.map((a) => {
      // A handler panic (no response) is never observed; anything else is, even when its write fails.
      if (a.noResponse) return a;
      const late = timeout > 0 && fixedPart(a.latency) >= timeout;
      return counted(late ? { ...a, noResponse: true } : a);
    });
  };

  const answer = (req: AppRequest, proc: View, random: boolean): BuiltinAnswer[] => {
    if (!listening) return [{ weight: 1, status: NO_RESPONSE_STATUS, body: '', noResponse: true }];
    // gorilla/mux redirects a path that is not clean, before any route or middleware.
    const clean = goCleanPath(req.path);
    if (clean !== req.path) return [bareRedirect(withQuery(clean, req.query))];
    const m = matchPodinfoRoute(routes, req.method, req.path, req.headers);
    if (m.kind === 'notFound') return forMethod(req.method, [goNotFound()]);
    if (m.kind === 'methodNotAllowed') return [{ weight: 1, status: 405, body: '' }];
    return forMethod(req.method, reduceWeights(serve(m.route, m.vars, req, proc, random)));
  };

  const unsupported = podinfoUnsupported(cfg);
  const app: BuiltinImage = {
    ...base,
    description: describe(cfg),
    port: cfg.port,
    terminationDelayMs: cfg.level === 'debug' ? 0 : 3000,
    ...(unsupported ? { unsupported } : {}),
    // Probes see no random error or delay: the kubelet model wants a probe's outcome to be a
    // function of the state, and one draw per probe period would make it a coin toss.
    probe: (_kind, path, proc: View) => {
      const answers = answer({ method: 'GET', path, query: {}, headers: PROBE_HEADERS }, proc, false);
      return answers.length > 0 && answers.every((a) => !a.noResponse && a.status >= 200 && a.status < 400);
    },
    respond: (req: AppRequest, proc: View) => answer(req, proc, true),
    unsimulated(req: AppRequest, proc?: View): string | undefined {
      if (!listening) return undefined;
      const m = matchPodinfoRoute(routes, req.method, goCleanPath(req.path), req.headers);
      if (m.kind !== 'route') return undefined;
      if (m.route.handler === 'wsEcho' && websocketRefusal(req) === undefined)
        return 'a websocket session on /ws/echo: canarysim models requests and responses only';
      if ((m.route.handler === 'token' || m.route.handler === 'tokenValidate') && proc?.nowMs === undefined)
        return `${req.method} ${req.path} reads the clock; without one the token is dated from the Unix epoch`;
      return undefined;
    },
  };
  return app;
}

/** For notices: the version and the settings that change behaviour, e.g. `podinfo 6.14.1 (--random-error)`. */
function describe(cfg: PodinfoConfig): string {
  const notes: string[] = [];
  if (cfg.port === 0) notes.push('--port=0: no HTTP server');
  if (cfg.randomError) notes.push('--random-error: 1 in 3 requests fail with 500, 400 or 409');
  if (cfg.randomDelay)
    notes.push(
      cfg.randomDelayMax === cfg.randomDelayMin
        ? `--random-delay with min = max = ${cfg.randomDelayMin}: every request panics`
        : `--random-delay: ${cfg.randomDelayMin}–${cfg.randomDelayMax - 1} ${cfg.randomDelayUnit}`,
    );
  if (cfg.unready) notes.push('--unready');
  if (cfg.unhealthy) notes.push('--unhealthy');
  if (cfg.prefix !== '/') notes.push(`--prefix=${cfg.prefix}`);
  if (cfg.portMetrics > 0) notes.push(`metrics also on port ${cfg.portMetrics}`);
  if (cfg.grpcPort > 0) notes.push(`gRPC on port ${cfg.grpcPort} not simulated`);
  if (cfg.h2c) notes.push('--h2c (HTTP/1.1 clients see no difference)');
  return `podinfo ${cfg.version}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}
