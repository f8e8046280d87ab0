import { formatFloatF } from '../../go/float.js';
import { parseGoDuration } from '../../go/duration.js';
import {
  Engine,
  MAX_RANGE_POINTS,
  parseExpr,
  PromQLEvalError,
  PromQLParseError,
  type Queryable,
  type QueryResult,
  type Steps,
} from '../../sim/promql/index.js';
import type { LabelSet, Storage } from '../../sim/tsdb/index.js';
import { QueryTimeoutError, runCooperatively, snapshotQueryable } from './cooperativeQuery.js';

/** What the API reads: the embedded TSDB, the engine, the simulated now, and the targets' exposition. */
export interface PrometheusApiDeps {
  storage: Storage;
  engine: Engine;
  /** Simulated ms: the default evaluation time. */
  now: () => number;
  /** The text exposition served at /metrics. */
  exposition: () => Promise<string>;
  /**
   * Queries run stepwise, sharing the process, when this is given: `--query.timeout` (the most a
   * `timeout` parameter may ask for), the wall clock, and a turn for other work between steps.
   * Without it a query runs to its end in one go (tests, one-shot tools).
   */
  cooperation?: {
    timeoutMs: number;
    wallClock: () => number;
    pause?: () => Promise<void>;
  };
}

/** A response: HTTP status, content type and body. */
export interface ApiResponse {
  status: number;
  contentType: string;
  body: string;
  /** Further response headers (the browser view's Content-Security-Policy). */
  headers?: Record<string, string>;
}

type Params = ReadonlyMap<string, string[]>;

class ApiError extends Error {
  constructor(
    readonly errorType: 'bad_data' | 'execution' | 'not_found' | 'timeout' | 'internal',
    message: string,
  ) {
    super(message);
  }
}

/** Prometheus's status code per error type (web/api/v1 `errorType` → HTTP). */
const STATUS: Record<ApiError['errorType'], number> = {
  bad_data: 400,
  execution: 422,
  not_found: 404,
  timeout: 503,
  internal: 500,
};

const JSON_TYPE = 'application/json';

/** Prometheus's JSON timestamp: seconds with the milliseconds as a fraction (`1435781451.781`). */
function ts(ms: number): string {
  const neg = ms < 0 ? '-' : '';
  const a = Math.abs(Math.round(ms));
  const frac = a % 1000;
  return `${neg}${Math.floor(a / 1000)}${frac !== 0 ? `.${String(frac).padStart(3, '0')}` : ''}`;
}

/** A sample value as Prometheus's JSON writes it: a string, Go's shortest 'f' form, `+Inf`, `NaN`. */
const val = (v: number) => JSON.stringify(formatFloatF(v));

function metricJson(m: LabelSet): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(m)
        .sort()
        .map((k) => [k, m[k]]),
    ),
  );
}

function resultJson(r: QueryResult, tMs: number): string {
  switch (r.resultType) {
    case 'vector':
      return `{"resultType":"vector","result":[${r.result.map((s) => `{"metric":${metricJson(s.metric)},"value":[${ts(tMs)},${val(s.value)}]}`).join(',')}]}`;
    case 'scalar':
      return `{"resultType":"scalar","result":[${ts(tMs)},${val(r.result)}]}`;
    case 'string':
      return `{"resultType":"string","result":[${ts(tMs)},${JSON.stringify(r.result)}]}`;
    case 'matrix':
      return `{"resultType":"matrix","result":[${r.result
        .map(
          (s) =>
            `{"metric":${metricJson(s.metric)},"values":[${s.values.map((p) => `[${ts(p.t)},${val(p.v)}]`).join(',')}]}`,
        )
        .join(',')}]}`;
  }
}

function success(data: string, r?: { warnings: string[]; infos: string[] }): ApiResponse {
  let extra = '';
  if (r && r.warnings.length > 0) extra += `,"warnings":${JSON.stringify(r.warnings)}`;
  if (r && r.infos.length > 0) extra += `,"infos":${JSON.stringify(r.infos)}`;
  return { status: 200, contentType: JSON_TYPE, body: `{"status":"success","data":${data}${extra}}` };
}

function failure(e: ApiError): ApiResponse {
  return {
    status: STATUS[e.errorType],
    contentType: JSON_TYPE,
    body: JSON.stringify({ status: 'error', errorType: e.errorType, error: e.message }),
  };
}

function param(p: Params, name: string): string | undefined {
  return p.get(name)?.[0];
}

/** Prometheus's `parseTime`: unix seconds (float) or RFC 3339. */
function parseTime(s: string, name: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (!Number.isNaN(t) && /^\d{4}-\d\d-\d\dT/.test(s)) return t;
  throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${s}" to a valid timestamp`);
}

/** Prometheus's `parseDuration`: float seconds or a duration such as `15s`. */
function parseDuration(s: string, name: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return Math.round(Number(s) * 1000);
  const ms = /^(\d+(ms|s|m|h|d|w|y))+$/.test(s) ? promDurationMs(s) : undefined;
  if (ms !== undefined) return ms;
  throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${s}" to a valid duration`);
}

function promDurationMs(s: string): number | undefined {
  const unit: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
    y: 31_536_000_000,
  };
  let total = 0;
  for (const m of s.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total > 0 ? total : (parseGoDuration(s) ?? undefined);
}

function parseQuery(q: string | undefined) {
  try {
    return parseExpr(q ?? '');
  } catch (e) {
    if (e instanceof PromQLParseError)
      throw new ApiError('bad_data', `invalid parameter "query": ${e.format()}`);
    throw e;
  }
}

/**
 * Runs a query: stepwise under the deadline (the `timeout` parameter, at most the configured
 * query timeout) when the deps ask for cooperation, else in one go.
 */
async function run(
  deps: PrometheusApiDeps,
  params: Params,
  query: (q: Queryable) => Steps<QueryResult>,
): Promise<QueryResult> {
  const co = deps.cooperation;
  let timeoutMs = co?.timeoutMs ?? Infinity;
  const asked = param(params, 'timeout');
  if (asked !== undefined) timeoutMs = Math.min(timeoutMs, parseDuration(asked, 'timeout'));
  try {
    // Without cooperation nothing else runs between steps: the storage's own views stay valid.
    if (!co) return await runCooperatively(query(deps.storage), NO_COOPERATION);
    return await runCooperatively(query(snapshotQueryable(deps.storage)), {
      deadlineMs: co.wallClock() + timeoutMs,
      wallClock: co.wallClock,
      pause: co.pause,
    });
  } catch (e) {
    if (e instanceof QueryTimeoutError) throw new ApiError('timeout', e.message);
    if (e instanceof PromQLEvalError) throw new ApiError('execution', e.message);
    if (e instanceof PromQLParseError) throw new ApiError('bad_data', e.format());
    throw e;
  }
}

const NO_COOPERATION = { deadlineMs: Infinity, wallClock: () => 0, pause: () => Promise.resolve() };

/** `match[]` selectors as storage matchers. */
function selectors(p: Params): { name: string; type: '=' | '!=' | '=~' | '!~'; value: string }[][] {
  const ms = p.get('match[]') ?? [];
  return ms.map((m) => {
    let e;
    try {
      e = parseExpr(m);
    } catch (err) {
      if (err instanceof PromQLParseError)
        throw new ApiError('bad_data', `invalid parameter "match[]": ${err.format()}`);
      throw err;
    }
    if (e.type !== 'VectorSelector')
      throw new ApiError(
        'bad_data',
        `invalid parameter "match[]": 1:1: parse error: unexpected expression, expected a vector selector`,
      );
    return e.matchers.map((x) => ({ name: x.name, type: x.type, value: x.value }));
  });
}

const MIN_TIME = -9_223_372_036_854;
const MAX_TIME = 9_223_372_036_854;

/** Label sets of the series matching any of `match[]` (all series when none) with samples in [start, end]. */
function matchingSeries(deps: PrometheusApiDeps, p: Params, required: boolean): LabelSet[] {
  const sets = selectors(p);
  if (required && sets.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
  const start = param(p, 'start') !== undefined ? parseTime(param(p, 'start')!, 'start') : MIN_TIME * 1000;
  const end = param(p, 'end') !== undefined ? parseTime(param(p, 'end')!, 'end') : MAX_TIME * 1000;
  const groups = sets.length > 0 ? sets : [[{ name: '__name__', type: '=~' as const, value: '.+' }]];
  const seen = new Map<string, LabelSet>();
  for (const matchers of groups) {
    for (const s of deps.storage.select(matchers, start, end)) {
      if (s.end <= s.start) continue;
      seen.set(metricJson(s.labels), s.labels);
    }
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, l]) => l);
}

/**
 * Prometheus's HTTP API over the embedded TSDB (the subset tools use): /api/v1/query,
 * /api/v1/query_range, /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values, /metrics,
 * /-/healthy and /-/ready, with Prometheus's JSON shapes and error format (bad_data → 400,
 * execution → 422). Pure: the caller owns the socket.
 */
export async function handlePrometheusApi(
  method: string,
  path: string,
  params: Params,
  deps: PrometheusApiDeps,
): Promise<ApiResponse> {
  try {
    if (method !== 'GET' && method !== 'POST')
      return { status: 405, contentType: 'text/plain', body: 'Method Not Allowed\n' };
    if (path === '/-/healthy' || path === '/-/ready')
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'Prometheus Server is Ready.\n' };
    if (path === '/metrics')
      return {
        status: 200,
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        body: await deps.exposition(),
      };
    if (path === '/api/v1/query') {
      const expr = parseQuery(param(params, 'query'));
      const t = param(params, 'time') !== undefined ? parseTime(param(params, 'time')!, 'time') : deps.now();
      const r = await run(deps, params, (q) => deps.engine.instantQueryStepwise(q, expr, t));
      return success(resultJson(r, t), r);
    }
    if (path === '/api/v1/query_range') {
      const start = parseTime(need(params, 'start'), 'start');
      const end = parseTime(need(params, 'end'), 'end');
      if (end < start) throw new ApiError('bad_data', 'end timestamp must not be before start time');
      const step = parseDuration(need(params, 'step'), 'step');
      if (step <= 0)
        throw new ApiError(
          'bad_data',
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
      if ((end - start) / step > MAX_RANGE_POINTS)
        throw new ApiError(
          'bad_data',
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        );
      const expr = parseQuery(param(params, 'query'));
      const r = await run(deps, params, (q) => deps.engine.rangeQueryStepwise(q, expr, start, end, step));
      return success(resultJson(r, end), r);
    }
    if (path === '/api/v1/series') {
      return success(`[${matchingSeries(deps, params, true).map(metricJson).join(',')}]`);
    }
    if (path === '/api/v1/labels') {
      const names = new Set<string>();
      for (const l of matchingSeries(deps, params, false)) for (const k of Object.keys(l)) names.add(k);
      return success(JSON.stringify([...names].sort()));
    }
    const lv = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
    if (lv) {
      // A percent-escape that is not UTF-8 (`%ff`) is no label name either.
      let name: string;
      try {
        name = decodeURIComponent(lv[1]!);
      } catch {
        name = lv[1]!;
      }
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))
        throw new ApiError('bad_data', `invalid label name: "${name}"`);
      const values = new Set<string>();
      for (const l of matchingSeries(deps, params, false)) if (l[name] !== undefined) values.add(l[name]!);
      return success(JSON.stringify([...values].sort()));
    }
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
  } catch (e) {
    if (e instanceof ApiError) return failure(e);
    // A bug: still Prometheus's JSON error shape (errorType internal, 500), never a bare 500.
    return failure(new ApiError('internal', e instanceof Error ? e.message : String(e)));
  }
}

function need(params: Params, name: string): string {
  const v = param(params, name);
  if (v === undefined)
    throw new ApiError(
      'bad_data',
      `invalid parameter "${name}": cannot parse "" to a valid ${name === 'step' ? 'duration' : 'timestamp'}`,
    );
  return v;
}
