import { describe, expect, it } from 'vitest';
import {
  Engine,
  parseExpr,
  PromQLEvalError,
  PromQLParseError,
  type QueryResult,
} from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';

const MIN = 60_000;

/** A storage with `values` for `labels`, one sample every `stepMs` from t = 0 (null = gap). */
function storageWith(
  series: { labels: Record<string, string>; values: (number | null | 'stale')[]; stepMs?: number }[],
): Storage {
  const st = new Storage();
  for (const s of series) {
    const ref = st.seriesRef(s.labels);
    s.values.forEach((v, i) => {
      const t = i * (s.stepMs ?? MIN);
      if (v === 'stale') st.appendStale(ref, t);
      else if (v !== null) st.append(ref, t, v);
    });
  }
  return st;
}

const counter = (start: number, inc: number, n: number): number[] =>
  Array.from({ length: n + 1 }, (_, i) => start + i * inc);

function vector(res: QueryResult): Record<string, number> {
  if (res.resultType !== 'vector') throw new Error(`expected a vector, got ${res.resultType}`);
  return Object.fromEntries(res.result.map((s) => [JSON.stringify(s.metric), s.value]));
}

function single(res: QueryResult): number {
  if (res.resultType === 'scalar') return res.result;
  if (res.resultType !== 'vector' || res.result.length !== 1)
    throw new Error(`expected one sample, got ${JSON.stringify(res)}`);
  return res.result[0]!.value;
}

const engine = new Engine();

describe('worked examples (promql-semantics.md)', () => {
  const st = storageWith([{ labels: { __name__: 'x_total' }, values: counter(100, 60, 10) }]);

  it('increase over 5m at 3m is 210 (extrapolated by half an interval at the start)', () => {
    expect(single(engine.instantQuery(st, 'increase(x_total[5m])', 3 * MIN))).toBeCloseTo(210, 9);
  });

  it('rate over 5m at 10m is 1 per second', () => {
    expect(single(engine.instantQuery(st, 'rate(x_total[5m])', 10 * MIN))).toBeCloseTo(1, 12);
  });

  it('histogram_quantile over classic buckets: 0.3 at φ=0.5, the 2nd-highest bound at φ=0.9', () => {
    const h = storageWith([
      { labels: { __name__: 'lat_bucket', le: '0.1' }, values: [10] },
      { labels: { __name__: 'lat_bucket', le: '0.5' }, values: [20] },
      { labels: { __name__: 'lat_bucket', le: '+Inf' }, values: [30] },
    ]);
    const r = engine.instantQuery(h, 'histogram_quantile(0.5, lat_bucket)', 0);
    expect(vector(r)).toEqual({ '{}': expect.closeTo(0.3, 12) });
    expect(single(engine.instantQuery(h, 'histogram_quantile(0.9, lat_bucket)', 0))).toBe(0.5);
    expect(single(engine.instantQuery(h, 'histogram_quantile(0.99, sum by (le) (lat_bucket))', 0))).toBe(0.5);
  });

  it('irate uses the last two samples and treats a drop as a counter reset', () => {
    const c = storageWith([{ labels: { __name__: 'c_total' }, values: [10, 20, 5], stepMs: 15_000 }]);
    expect(single(engine.instantQuery(c, 'irate(c_total[5m])', 30_000))).toBeCloseTo(5 / 15, 12);
    expect(single(engine.instantQuery(c, 'idelta(c_total[5m])', 30_000))).toBe(-15);
  });
});

describe('selection semantics', () => {
  it('looks back 5m with a window open on the left', () => {
    const st = storageWith([{ labels: { __name__: 'm' }, values: [1] }]);
    expect(vector(engine.instantQuery(st, 'm', 299_000))).toEqual({ '{"__name__":"m"}': 1 });
    expect(vector(engine.instantQuery(st, 'm', 300_000))).toEqual({});
    expect(vector(new Engine({ lookbackDeltaMs: 60_000 }).instantQuery(st, 'm', 60_000))).toEqual({});
  });

  it('hides a series from its stale marker on, and drops stale markers from ranges', () => {
    const st = storageWith([{ labels: { __name__: 'm' }, values: [1, 2, 'stale', null, 5], stepMs: 10_000 }]);
    expect(single(engine.instantQuery(st, 'm', 15_000))).toBe(2);
    expect(vector(engine.instantQuery(st, 'm', 25_000))).toEqual({});
    expect(single(engine.instantQuery(st, 'm', 40_000))).toBe(5);
    expect(single(engine.instantQuery(st, 'count_over_time(m[1m])', 40_000))).toBe(3);
    const raw = engine.instantQuery(st, 'm[1m]', 40_000);
    expect(raw.resultType === 'matrix' && raw.result[0]!.values.map((p) => p.t)).toEqual([0, 10_000, 40_000]);
  });

  it('excludes the sample exactly at the range start', () => {
    const st = storageWith([{ labels: { __name__: 'm' }, values: [1, 1, 1, 1, 1, 1, 1] }]);
    expect(single(engine.instantQuery(st, 'count_over_time(m[5m])', 6 * MIN))).toBe(5);
    expect(single(engine.instantQuery(st, 'count_over_time(m[5m] offset 1m)', 6 * MIN))).toBe(5);
    expect(single(engine.instantQuery(st, 'count_over_time(m[600])', 6 * MIN))).toBe(7);
  });

  it('pins selectors with @ and accepts negative offsets', () => {
    const st = storageWith([{ labels: { __name__: 'm' }, values: [0, 1, 2, 3, 4, 5] }]);
    expect(single(engine.instantQuery(st, 'm @ 120', 5 * MIN))).toBe(2);
    expect(single(engine.instantQuery(st, 'm offset -2m', MIN))).toBe(3);
    expect(single(engine.instantQuery(st, 'm @ end() offset 1m', 3 * MIN))).toBe(2);
  });
});

describe('labels and matching', () => {
  const st = storageWith([
    { labels: { __name__: 'req_total', job: 'api', code: '200' }, values: [100] },
    { labels: { __name__: 'req_total', job: 'api', code: '500' }, values: [10] },
    { labels: { __name__: 'req_total', job: 'web', code: '200' }, values: [50] },
    { labels: { __name__: 'limit', job: 'api' }, values: [60] },
  ]);

  it('drops __name__ for arithmetic and bool, keeps it for filters', () => {
    expect(vector(engine.instantQuery(st, 'req_total{code="500"} * 2', 0))).toEqual({
      '{"code":"500","job":"api"}': 20,
    });
    expect(vector(engine.instantQuery(st, 'req_total > 60', 0))).toEqual({
      '{"__name__":"req_total","code":"200","job":"api"}': 100,
    });
    expect(vector(engine.instantQuery(st, 'req_total{code="500"} > bool 60', 0))).toEqual({
      '{"code":"500","job":"api"}': 0,
    });
  });

  it('matches one-to-one with on(), many-to-one with group_left', () => {
    expect(vector(engine.instantQuery(st, 'sum by (job) (req_total) / on(job) limit', 0))).toEqual({
      '{"job":"api"}': 110 / 60,
    });
    expect(vector(engine.instantQuery(st, 'req_total / on(job) group_left limit', 0))).toEqual({
      '{"code":"200","job":"api"}': 100 / 60,
      '{"code":"500","job":"api"}': 10 / 60,
    });
  });

  it('raises Prometheus errors for ambiguous matches', () => {
    expect(() => engine.instantQuery(st, 'req_total / on(job) limit', 0)).toThrow(
      new PromQLEvalError(
        'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
      ),
    );
    expect(() => engine.instantQuery(st, 'limit / on(job) req_total', 0)).toThrow(
      'found duplicate series for the match group {job="api"} on the right hand-side of the operation: ' +
        '[{__name__="req_total", code="200", job="api"}, {__name__="req_total", code="500", job="api"}];' +
        'many-to-many matching not allowed: matching labels must be unique on one side',
    );
  });

  it('applies delayed name removal and rejects duplicate label sets at the end', () => {
    const two = storageWith([
      { labels: { __name__: 'a_total', env: '1' }, values: [0, 60, 120], stepMs: 5 * MIN },
      { labels: { __name__: 'b_total', env: '1' }, values: [0, 60, 120], stepMs: 5 * MIN },
    ]);
    expect(vector(engine.instantQuery(two, 'sum(rate({env="1"}[10m])) by (env)', 10 * MIN))).toEqual({
      '{"env":"1"}': 0.4,
    });
    expect(() => engine.instantQuery(two, 'rate({env="1"}[10m])', 10 * MIN)).toThrow(
      'vector cannot contain metrics with the same labelset',
    );
  });

  it('keeps a series that keeps its name apart from one that drops it, across the steps of a range', () => {
    // x == 0 keeps x's name, x * 0 + 2 drops it: Prometheus returns x{a} and {a} as two series.
    const st = storageWith([{ labels: { __name__: 'x', a: '1' }, values: [1, 0, 1] }]);
    const r = engine.rangeQuery(st, 'x == 0 or x * 0 + 2', 0, 2 * MIN, MIN);
    if (r.resultType !== 'matrix') throw new Error(r.resultType);
    expect(r.result.map((s) => [s.metric, s.values])).toEqual([
      [{ __name__: 'x', a: '1' }, [{ t: MIN, v: 0 }]],
      [
        { a: '1' },
        [
          { t: 0, v: 2 },
          { t: 2 * MIN, v: 2 },
        ],
      ],
    ]);
    // Two names dropped in the same way still become one series (Prometheus's own test).
    const ab = storageWith([
      { labels: { __name__: 'metric_a' }, values: [1, null], stepMs: 10 * MIN },
      { labels: { __name__: 'metric_b' }, values: [3, 4], stepMs: 10 * MIN },
    ]);
    const m = engine.rangeQuery(ab, '-metric_a or -metric_b', 0, 10 * MIN, 10 * MIN);
    if (m.resultType !== 'matrix') throw new Error(m.resultType);
    expect(m.result.map((s) => [s.metric, s.values])).toEqual([
      [
        {},
        [
          { t: 0, v: -1 },
          { t: 10 * MIN, v: -4 },
        ],
      ],
    ]);
  });

  it('aggregates with Kahan–Neumaier summation', () => {
    const big = storageWith([
      { labels: { __name__: 'v', i: '1' }, values: [1e100] },
      { labels: { __name__: 'v', i: '2' }, values: [1] },
      { labels: { __name__: 'v', i: '3' }, values: [-1e100] },
    ]);
    expect(single(engine.instantQuery(big, 'sum(v)', 0))).toBe(1);
    expect(single(engine.instantQuery(big, 'avg(v)', 0))).toBeCloseTo(1 / 3, 15);
  });

  it('orders topk descending and bottomk ascending, NaN last', () => {
    const r = engine.instantQuery(st, 'topk(2, req_total)', 0);
    expect(r.resultType === 'vector' && r.result.map((s) => s.value)).toEqual([100, 50]);
    const b = engine.instantQuery(st, 'bottomk(2, req_total)', 0);
    expect(b.resultType === 'vector' && b.result.map((s) => s.value)).toEqual([10, 50]);
    expect(() => engine.instantQuery(st, 'topk(NaN, req_total)', 0)).toThrow('Parameter value is NaN');
  });

  it('labels absent() from the equality matchers', () => {
    expect(vector(engine.instantQuery(st, 'absent(nope{job="x", code=~"5.."})', 0))).toEqual({
      '{"job":"x"}': 1,
    });
    expect(vector(engine.instantQuery(st, 'absent(req_total)', 0))).toEqual({});
    expect(vector(engine.instantQuery(st, 'sum(nope) or vector(0)', 0))).toEqual({ '{}': 0 });
  });

  it('rewrites labels with label_replace using Go template rules', () => {
    expect(
      vector(engine.instantQuery(st, 'label_replace(limit, "x", "${1}x$1x", "job", "(a)(p)i")', 0)),
    ).toEqual({
      '{"__name__":"limit","job":"api","x":"ax"}': 60,
    });
  });
});

describe('results', () => {
  it('evaluates range queries at inclusive steps, series sorted by labels', () => {
    const st = storageWith([
      { labels: { __name__: 'm', i: 'b' }, values: counter(0, 1, 10) },
      { labels: { __name__: 'm', i: 'a' }, values: counter(0, 2, 10) },
    ]);
    const r = engine.rangeQuery(st, 'm * 1', 0, 3 * MIN, MIN);
    expect(r.resultType).toBe('matrix');
    if (r.resultType !== 'matrix') return;
    expect(r.result.map((s) => s.metric)).toEqual([{ i: 'a' }, { i: 'b' }]);
    expect(r.result[0]!.values).toEqual([
      { t: 0, v: 0 },
      { t: 60_000, v: 2 },
      { t: 120_000, v: 4 },
      { t: 180_000, v: 6 },
    ]);
    const s = engine.rangeQuery(st, 'time()', 0, 2 * MIN, MIN);
    expect(s.resultType === 'matrix' && s.result).toEqual([
      {
        metric: {},
        values: [
          { t: 0, v: 0 },
          { t: 60_000, v: 60 },
          { t: 120_000, v: 120 },
        ],
      },
    ]);
  });

  it('returns scalars, strings and Go float semantics', () => {
    const st = new Storage();
    expect(engine.instantQuery(st, '"Foo"', 0)).toMatchObject({ resultType: 'string', result: 'Foo' });
    expect(engine.instantQuery(st, '1 / 0', 0)).toMatchObject({ resultType: 'scalar', result: Infinity });
    expect(single(engine.instantQuery(st, '0 / 0', 0))).toBeNaN();
    expect(single(engine.instantQuery(st, '1 ^ NaN', 0))).toBe(1);
    expect(single(engine.instantQuery(st, '-2 ^ 2', 0))).toBe(-4);
    expect(single(engine.instantQuery(st, '5m + 0', 0))).toBe(300);
    expect(single(engine.instantQuery(st, '0755', 0))).toBe(493);
  });

  it('rejects a range query over a range vector, and bad steps', () => {
    const st = new Storage();
    expect(() => engine.rangeQuery(st, 'm[5m]', 0, 1, 1)).toThrow(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
    expect(() => engine.rangeQuery(st, 'm', 0, 1, 0)).toThrow(PromQLEvalError);
    expect(() => engine.instantQuery(st, 'sum(', 0)).toThrow(PromQLParseError);
  });

  it('returns annotations with the position of the sub-expression', () => {
    const st = storageWith([{ labels: { __name__: 'data', i: '1' }, values: [1] }]);
    const r = engine.instantQuery(st, 'quantile(2, data)', 0);
    expect(r.warnings).toEqual(['PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)']);
    const multi = engine.instantQuery(st, 'sum(\n  rate(data[5m])\n)', 0);
    expect(multi.infos).toEqual([]);
    const gauge = storageWith([{ labels: { __name__: 'temp' }, values: [1, 2, 3] }]);
    const info = engine.instantQuery(gauge, 'sum(\n  rate(temp[5m])\n)', 2 * MIN);
    expect(info.infos).toEqual([
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temp" (2:8)',
    ]);
  });

  it('accepts a pre-parsed expression', () => {
    const st = storageWith([{ labels: { __name__: 'm' }, values: [7] }]);
    expect(single(engine.instantQuery(st, parseExpr('m + 1'), 0))).toBe(8);
  });
});
