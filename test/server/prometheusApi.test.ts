import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../cli/server/httpServer.js';
import { handlePrometheusApi, type PrometheusApiDeps } from '../../cli/server/prometheusApi.js';
import { RemotePrometheusProvider } from '../../cli/providers/RemotePrometheusProvider.js';
import { EmbeddedPrometheusProvider } from '../../sim/analysis/index.js';
import { VirtualClock } from '../../sim/clock/index.js';
import { Engine } from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';

// Prometheus's HTTP API shapes (api/v1 docs): status, data.resultType, string sample values,
// seconds-with-millis timestamps, bad_data 400 / execution 422 errors.
const storage = new Storage();
const T0 = 1_700_000_000_000;
for (const [code, step] of [
  ['200', 10],
  ['500', 1],
] as const) {
  const ref = storage.seriesRef({ __name__: 'req_total', code, job: 'api' });
  for (let i = 0; i <= 20; i++) storage.append(ref, T0 + i * 15_000, i * step);
}
const deps: PrometheusApiDeps = {
  storage,
  engine: new Engine(),
  now: () => T0 + 300_000,
  exposition: async () => '# TYPE x counter\nx 1\n',
};
const call = async (path: string, params: Record<string, string | string[]> = {}, method = 'GET') => {
  const m = new Map(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  const r = await handlePrometheusApi(method, path, m, deps);
  return {
    status: r.status,
    json: r.contentType.startsWith('application/json')
      ? (JSON.parse(r.body) as Record<string, unknown>)
      : r.body,
  };
};

describe('Prometheus HTTP API', () => {
  it('instant query: vector with [seconds, "value"] pairs, sorted label keys', async () => {
    const r = await call('/api/v1/query', {
      query: 'sum by (code) (rate(req_total[1m]))',
      time: String((T0 + 150_500) / 1000),
    });
    expect(r.status).toBe(200);
    const data = (
      r.json as {
        data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
      }
    ).data;
    expect(data.resultType).toBe('vector');
    const byCode = Object.fromEntries(data.result.map((s) => [s.metric['code'], s.value]));
    for (const [code, rate] of [
      ['200', 10 / 15],
      ['500', 1 / 15],
    ] as const) {
      const [t, v] = byCode[code]!;
      expect(t).toBe(1700000150.5);
      expect(typeof v).toBe('string');
      expect(Number(v)).toBeCloseTo(rate, 12);
    }
  });

  it('scalar, string and NaN/Inf values as Prometheus writes them', async () => {
    const t = String(T0 / 1000);
    expect((await call('/api/v1/query', { query: '1/0', time: t })).json).toEqual({
      status: 'success',
      data: { resultType: 'scalar', result: [1700000000, '+Inf'] },
    });
    expect((await call('/api/v1/query', { query: '0/0', time: t })).json).toMatchObject({
      data: { result: [1700000000, 'NaN'] },
    });
    expect((await call('/api/v1/query', { query: '"hi"', time: t })).json).toMatchObject({
      data: { resultType: 'string', result: [1700000000, 'hi'] },
    });
  });

  it('defaults the evaluation time to the simulated now; accepts RFC 3339 times', async () => {
    const r = await call('/api/v1/query', { query: 'time()' });
    expect(r.json).toMatchObject({ data: { result: [1700000300, '1700000300'] } });
    const r2 = await call('/api/v1/query', { query: 'time()', time: '2023-11-14T22:13:20.250Z' });
    expect(r2.json).toMatchObject({ data: { result: [1700000000.25, '1700000000.25'] } });
  });

  it('range query: matrix, steps inclusive, Prometheus validation messages', async () => {
    const r = await call('/api/v1/query_range', {
      query: 'req_total{code="500"}',
      start: String(T0 / 1000),
      end: String((T0 + 60_000) / 1000),
      step: '30s',
    });
    const data = (r.json as { data: { resultType: string; result: { values: [number, string][] }[] } }).data;
    expect(data.resultType).toBe('matrix');
    expect(data.result[0]!.values).toEqual([
      [1700000000, '0'],
      [1700000030, '2'],
      [1700000060, '4'],
    ]);
    expect(
      (await call('/api/v1/query_range', { query: '1', start: '10', end: '5', step: '1' })).json,
    ).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: 'end timestamp must not be before start time',
    });
    const zero = await call('/api/v1/query_range', { query: '1', start: '1', end: '5', step: '0' });
    expect(zero.status).toBe(400);
    expect((zero.json as { error: string }).error).toBe(
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
    const many = await call('/api/v1/query_range', { query: '1', start: '0', end: '100000', step: '1' });
    expect((many.json as { error: string }).error).toMatch(
      /^exceeded maximum resolution of 11,000 points per timeseries/,
    );
  });

  it('parse errors are bad_data with line:col; evaluation errors are execution (422)', async () => {
    const bad = await call('/api/v1/query', { query: 'sum(x' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:6: parse error: unclosed left parenthesis',
    });
    const badTime = await call('/api/v1/query', { query: '1', time: 'yesterday' });
    expect((badTime.json as { error: string }).error).toBe(
      'invalid parameter "time": cannot parse "yesterday" to a valid timestamp',
    );
    const exec = await call('/api/v1/query', {
      query: 'req_total + on(job) req_total',
      time: String((T0 + 60_000) / 1000),
    });
    expect(exec.status).toBe(422);
    expect(exec.json).toMatchObject({ status: 'error', errorType: 'execution' });
  });

  it('series, labels and label values', async () => {
    const s = await call('/api/v1/series', { 'match[]': 'req_total{code="500"}' });
    expect(s.json).toEqual({ status: 'success', data: [{ __name__: 'req_total', code: '500', job: 'api' }] });
    expect((await call('/api/v1/series')).json).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: 'no match[] parameter provided',
    });
    expect((await call('/api/v1/labels')).json).toEqual({
      status: 'success',
      data: ['__name__', 'code', 'job'],
    });
    expect((await call('/api/v1/label/code/values')).json).toEqual({
      status: 'success',
      data: ['200', '500'],
    });
    expect((await call('/api/v1/label/code/values', { 'match[]': 'req_total{code!="200"}' })).json).toEqual({
      status: 'success',
      data: ['500'],
    });
  });

  it('serves /metrics and readiness; unknown paths are 404', async () => {
    expect(await call('/metrics')).toEqual({ status: 200, json: '# TYPE x counter\nx 1\n' });
    expect((await call('/-/ready')).status).toBe(200);
    expect((await call('/api/v1/nope')).status).toBe(404);
  });
});

describe('over HTTP, and the remote provider against it', () => {
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  beforeAll(async () => {
    server = await startHttpServer((m, p, q) => handlePrometheusApi(m, p, q, deps), {
      host: '127.0.0.1',
      port: 0,
    });
  });
  afterAll(async () => new Promise<void>((r) => server.server.close(() => r())));

  it('binds loopback and answers POSTed forms (client_golang) like GETs', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'query=count(req_total)&time=1700000100',
    });
    expect(await res.json()).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1700000100, '2'] }] },
    });
  });

  it('one contract: the remote provider answers as the embedded one, series labels and ±Inf/NaN included', async () => {
    const remote = new RemotePrometheusProvider(5000);
    const embedded = new EmbeddedPrometheusProvider(deps.engine, storage, new VirtualClock(T0), [server.url]);
    for (const q of [
      'sum by (code) (rate(req_total[1m]))',
      'req_total',
      'req_total{code="404"}',
      '1/0',
      '-1/0',
      '0/0',
      'scalar(count(req_total))',
    ]) {
      const want = embedded.measure(server.url, q, T0 + 150_000);
      expect(await remote.measure(server.url, q, T0 + 150_000), q).toEqual(want);
    }
    // The labels come back as Prometheus sent them, the name included.
    expect(embedded.measure(server.url, 'req_total{code="500"}', T0 + 150_000)).toMatchObject({
      answer: {
        resultType: 'vector',
        series: [{ labels: { __name__: 'req_total', code: '500', job: 'api' }, value: 10 }],
      },
      valueString: '[10]',
    });
    expect(await remote.measure(server.url, '1/0', T0)).toMatchObject({
      value: Infinity,
      valueString: '+Inf',
    });
  });

  it('RemotePrometheusProvider measures over HTTP at the simulated time, as Argo hands results to conditions', async () => {
    const p = new RemotePrometheusProvider(5000);
    const v = await p.measure(
      server.url,
      'sum(rate(req_total{code="500"}[1m])) / sum(rate(req_total[1m]))',
      T0 + 150_000,
    );
    expect('value' in v && (v.value as number[]).length === 1).toBe(true);
    const x = (v as { value: number[]; valueString: string }).value[0]!;
    expect(x).toBeCloseTo(1 / 11, 12);
    expect((v as { valueString: string }).valueString).toBe(`[${x}]`);
    expect(await p.measure(server.url, 'scalar(count(req_total))', T0 + 150_000)).toEqual({
      value: 2,
      valueString: '2',
      answer: { resultType: 'scalar', value: 2 },
    });
    expect(await p.measure(server.url, 'sum(', T0)).toEqual({
      error: 'bad_data: invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    });
    // A port that was free a moment ago: nothing listens there now.
    const closed = await startHttpServer(async () => ({ status: 200, contentType: 'text/plain', body: '' }), {
      host: '127.0.0.1',
      port: 0,
    });
    await new Promise<void>((r) => closed.server.close(() => r()));
    const refused = await p.measure(closed.url, 'up', T0);
    expect(refused).toMatchObject({
      error: expect.stringMatching(
        /^Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query": dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/,
      ),
    });
  });
});
