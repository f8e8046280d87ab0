import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../cli/server/httpServer.js';
import { handlePrometheusApi, type PrometheusApiDeps } from '../../cli/server/prometheusApi.js';
import { Engine } from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';
import { liveServe } from '../live/liveLoad.js';

// Limits of the Prometheus API: a bad query is always Prometheus's JSON error (never a text 500),
// a query past its deadline stops with Prometheus's timeout error, and a slow query leaves the
// server answering everything else meanwhile.

const T0 = 1_700_000_000_000;

/** `n` counters `req_total{pod}` scraped every 15s for 45 minutes before T0. */
function fill(storage: Storage, n: number, t0 = T0): void {
  for (let s = 0; s < n; s++) {
    const ref = storage.seriesRef({ __name__: 'req_total', pod: `p${s}` });
    for (let i = 0; i <= 180; i++) storage.append(ref, t0 - 2_700_000 + i * 15_000, i * (s + 1));
  }
}

const storage = new Storage();
fill(storage, 20);

/** A range query of 11,000 points over 20 series: dozens of checkpoints of work. */
const SLOW = {
  query: 'sum by (pod) (rate(req_total[1m]))',
  start: String((T0 - 2_700_000) / 1000),
  end: String((T0 - 2_700_000 + 10_999 * 200) / 1000),
  step: '0.2',
};

function deps(cooperation?: PrometheusApiDeps['cooperation']): PrometheusApiDeps {
  return { storage, engine: new Engine(), now: () => T0, exposition: async () => '', cooperation };
}

async function call(d: PrometheusApiDeps, path: string, params: Record<string, string>) {
  const m = new Map(Object.entries(params).map(([k, v]) => [k, [v]]));
  const r = await handlePrometheusApi('GET', path, m, d);
  return { status: r.status, type: r.contentType, json: JSON.parse(r.body) as Record<string, unknown> };
}

/** A wall clock that moves `stepMs` each time it is read, and counts the reads. */
function fakeClock(stepMs: number): { now: () => number; reads: () => number } {
  let reads = 0;
  return { now: () => reads++ * stepMs, reads: () => reads };
}

describe('bad queries: Prometheus JSON errors', () => {
  it.each([
    ['3,000 parentheses', '('.repeat(3000) + '1' + ')'.repeat(3000), '1:201'],
    ['a 3,000-term sum', Array.from({ length: 3000 }, () => '1').join('+'), '1:400'],
  ])('%s: 400 bad_data naming the level, not a text 500', async (_, query, at) => {
    for (const path of ['/api/v1/query', '/api/v1/query_range']) {
      const r = await call(deps(), path, { query, start: '0', end: '60', step: '15' });
      expect(r).toEqual({
        status: 400,
        type: 'application/json',
        json: {
          status: 'error',
          errorType: 'bad_data',
          error: `invalid parameter "query": ${at}: parse error: expression nested too deeply (more than 200 levels)`,
        },
      });
    }
  });

  it('a query over 64 KiB POSTed as a form is a 400 with Prometheus JSON', async () => {
    const server = await startHttpServer((m, p, q) => handlePrometheusApi(m, p, q, deps()), {
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const res = await fetch(`${server.url}/api/v1/query`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: `req_total{pod="${'x'.repeat(70_000)}"}` }).toString(),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        status: 'error',
        errorType: 'bad_data',
        error:
          'invalid parameter "query": 1:65537: parse error: query is 70017 bytes long, more than the limit of 65536 bytes (64 KiB)',
      });
    } finally {
      await new Promise<void>((r) => server.server.close(() => r()));
    }
  });

  it('more than 11,000 points per series is refused before evaluating, as Prometheus does', async () => {
    const r = await call(deps(), '/api/v1/query_range', { ...SLOW, step: '0.1' });
    expect(r.status).toBe(400);
    expect(r.json['error']).toBe(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  });
});

describe('query timeout', () => {
  const TIMEOUT = {
    status: 503,
    type: 'application/json',
    json: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' },
  };
  const immediately = () => Promise.resolve();

  it('a query still running past --query.timeout (2m) is abandoned with errorType timeout, 503', async () => {
    // The clock moves 61s at each read: the start, then one read per checkpoint.
    const clock = fakeClock(61_000);
    const d = deps({ timeoutMs: 120_000, wallClock: clock.now, pause: immediately });
    expect(await call(d, '/api/v1/query_range', SLOW)).toEqual(TIMEOUT);
    expect(clock.reads()).toBe(3); // 0 (deadline 120s), 61s, 122s > 120s
  });

  it('the timeout parameter shortens it (never lengthens it)', async () => {
    const short = fakeClock(61_000);
    const d = deps({ timeoutMs: 120_000, wallClock: short.now, pause: immediately });
    expect(await call(d, '/api/v1/query_range', { ...SLOW, timeout: '1m' })).toEqual(TIMEOUT);
    expect(short.reads()).toBe(2); // 0 (deadline 60s), 61s > 60s
    const long = fakeClock(61_000);
    const d2 = deps({ timeoutMs: 120_000, wallClock: long.now, pause: immediately });
    expect(await call(d2, '/api/v1/query_range', { ...SLOW, timeout: '1h' })).toEqual(TIMEOUT);
    expect(long.reads()).toBe(3);
  });

  it('a bad timeout parameter is bad_data', async () => {
    const r = await call(deps(), '/api/v1/query', { query: '1', timeout: 'soon' });
    expect(r.status).toBe(400);
    expect(r.json['error']).toBe('invalid parameter "timeout": cannot parse "soon" to a valid duration');
  });

  it('a query within its deadline answers exactly what it answers in one go', async () => {
    const clock = fakeClock(0);
    const d = deps({ timeoutMs: 120_000, wallClock: clock.now, pause: immediately });
    const params = new Map(Object.entries(SLOW).map(([k, v]) => [k, [v]]));
    const stepwise = await handlePrometheusApi('GET', '/api/v1/query_range', params, d);
    expect(stepwise.status).toBe(200);
    const oneGo = await handlePrometheusApi('GET', '/api/v1/query_range', params, deps());
    expect(stepwise.body).toBe(oneGo.body);
    expect(clock.reads()).toBeGreaterThan(3);
  });
});

describe('a slow query shares the server', () => {
  it('between steps of a query, the same server answers another request', async () => {
    let url = '';
    let pauses = 0;
    let answeredMidQuery: string | undefined;
    const d = deps({
      timeoutMs: 120_000,
      wallClock: () => 0,
      pause: async () => {
        // At the first pause, ask the server for something else, and wait for its answer.
        if (pauses++ === 0) answeredMidQuery = await (await fetch(`${url}/-/healthy`)).text();
      },
    });
    const server = await startHttpServer((m, p, q) => handlePrometheusApi(m, p, q, d), {
      host: '127.0.0.1',
      port: 0,
    });
    url = server.url;
    try {
      const res = await fetch(`${url}/api/v1/query_range?${new URLSearchParams(SLOW).toString()}`);
      expect(res.status).toBe(200);
      expect(answeredMidQuery).toBe('Prometheus Server is Ready.\n');
      expect(pauses).toBeGreaterThan(1);
    } finally {
      await new Promise<void>((r) => server.server.close(() => r()));
    }
  });

  describe('canarysim serve', () => {
    const live = liveServe(1);

    it('/canarysim/v1/status answers while a slow query runs through the Prometheus API', async () => {
      const serve = live.serve;
      const now = serve.world.now();
      fill(serve.world.storage, 40, now);
      // Once the query has selected its series (it is evaluating from then on), ask for status.
      const select = serve.world.storage.select.bind(serve.world.storage);
      let selected!: () => void;
      const querying = new Promise<void>((r) => (selected = r));
      serve.world.storage.select = (...args) => {
        selected();
        return select(...args);
      };
      const order: string[] = [];
      const slow = { ...SLOW, start: String((now - 2_700_000) / 1000) };
      slow.end = String((now - 2_700_000 + 10_999 * 200) / 1000);
      const query = fetch(`${serve.api}/api/v1/query_range?${new URLSearchParams(slow).toString()}`).then(
        async (r) => {
          order.push(`query ${r.status}`);
          return r.json();
        },
      );
      await querying;
      const status = await fetch(`${serve.api}/canarysim/v1/status`).then(async (r) => {
        order.push(`status ${r.status}`);
        return r.json() as Promise<{ api: string }>;
      });
      const result = (await query) as { data: { result: unknown[] } };
      expect(order).toEqual(['status 200', 'query 200']);
      expect(status.api).toBe(serve.api);
      expect(result.data.result).toHaveLength(40);
    });
  });
});
