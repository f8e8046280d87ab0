import { describe, expect, it } from 'vitest';
import { isStaleAt, isStaleMarker, STALE_NAN, Storage, type SelectMatcher } from '../../sim/tsdb/index.js';

const eq = (name: string, value: string): SelectMatcher => ({ name, type: '=', value });
const ne = (name: string, value: string): SelectMatcher => ({ name, type: '!=', value });
const re = (name: string, value: string): SelectMatcher => ({ name, type: '=~', value });
const nre = (name: string, value: string): SelectMatcher => ({ name, type: '!~', value });

/** Labels of the selected series, as `name{...}` text for compact assertions. */
function names(st: Storage, matchers: SelectMatcher[], mint = -Infinity, maxt = Infinity): string[] {
  return st.select(matchers, mint, maxt).map((s) => JSON.stringify(s.labels));
}

describe('Storage series', () => {
  it('gives one stable ref per label set, dropping empty values and sorting names', () => {
    const st = new Storage();
    const a = st.seriesRef({ job: 'api', __name__: 'up', env: '' });
    const b = st.seriesRef({ __name__: 'up', job: 'api' });
    expect(a).toBe(b);
    expect(st.seriesRef({ __name__: 'up', job: 'web' })).not.toBe(a);
    expect(st.labels(a)).toEqual({ __name__: 'up', job: 'api' });
    expect(Object.keys(st.labels(a))).toEqual(['__name__', 'job']);
    expect(Object.isFrozen(st.labels(a))).toBe(true);
    expect(() => st.labels(99)).toThrow(/unknown series ref 99/);
  });

  it('accepts samples only in increasing time order', () => {
    const st = new Storage();
    const r = st.seriesRef({ __name__: 'x' });
    expect(st.append(r, 1000, 1)).toBe(true);
    expect(st.append(r, 1000, 2)).toBe(false);
    expect(st.append(r, 500, 3)).toBe(false);
    expect(st.appendStale(r, 1000)).toBe(false);
    expect(st.append(r, 2000, 4)).toBe(true);
    const [s] = st.select([eq('__name__', 'x')], 0, 10_000);
    expect(Array.from(s!.vs.subarray(s!.start, s!.end))).toEqual([1, 4]);
  });
});

describe('typed-array sample storage', () => {
  it('grows by doubling and keeps every sample', () => {
    const st = new Storage();
    const r = st.seriesRef({ __name__: 'x' });
    for (let i = 0; i < 100; i++) st.append(r, i * 15_000, i);
    const stats = st.stats();
    expect(stats).toMatchObject({ series: 1, samples: 100, sampleBytes: 1600 });
    // 16 → 32 → 64 → 128 slots of 16 bytes.
    expect(stats.allocatedBytes).toBe(128 * 16);
    const [s] = st.select([eq('__name__', 'x')], 0, Infinity);
    expect(s!.ts).toBeInstanceOf(Float64Array);
    expect(s!.end - s!.start).toBe(100);
    expect(s!.vs[s!.start + 99]).toBe(99);
  });

  it('stores at most 16 bytes per sample', () => {
    const st = new Storage();
    for (let i = 0; i < 50; i++) {
      const r = st.seriesRef({ __name__: 'x', i: String(i) });
      for (let k = 0; k < 1000; k++) st.append(r, k * 1000, k);
    }
    const { samples, sampleBytes, allocatedBytes } = st.stats();
    expect(samples).toBe(50_000);
    expect(sampleBytes / samples).toBeLessThanOrEqual(16);
    // Doubling leaves at most half of each array unused.
    expect(allocatedBytes).toBeLessThanOrEqual(2 * sampleBytes);
  });

  it('drops old samples on truncateBefore and with a retention', () => {
    const st = new Storage();
    const r = st.seriesRef({ __name__: 'x' });
    for (let i = 0; i < 10; i++) st.append(r, i * 1000, i);
    st.truncateBefore(5000);
    const [s] = st.select([eq('__name__', 'x')], 0, Infinity);
    expect(Array.from(s!.ts.subarray(s!.start, s!.end))).toEqual([5000, 6000, 7000, 8000, 9000]);
    expect(st.stats().samples).toBe(5);

    const kept = new Storage({ retentionMs: 60_000 });
    const k = kept.seriesRef({ __name__: 'y' });
    for (let i = 0; i <= 600; i++) kept.append(k, i * 1000, i);
    const [y] = kept.select([eq('__name__', 'y')], 0, Infinity);
    expect(y!.ts[y!.start]).toBeGreaterThanOrEqual(600_000 - 60_000 - 15_000);
    expect(y!.ts[y!.end - 1]).toBe(600_000);
    expect(() => new Storage({ retentionMs: 0 })).toThrow(RangeError);
  });
});

describe('stale markers', () => {
  it('have the Prometheus bit pattern, distinct from an ordinary NaN', () => {
    expect(Number.isNaN(STALE_NAN)).toBe(true);
    expect(isStaleMarker(STALE_NAN)).toBe(true);
    expect(isStaleMarker(NaN)).toBe(false);
    expect(isStaleMarker(0 / 0)).toBe(false);
    expect(isStaleMarker(1)).toBe(false);
    const f = new Float64Array(1);
    f[0] = STALE_NAN;
    const bits = new Uint32Array(f.buffer);
    expect([bits[1]!.toString(16), bits[0]!.toString(16)]).toEqual(['7ff00000', '2']);
  });

  it('are stored in the value array and survive growth', () => {
    const st = new Storage();
    const r = st.seriesRef({ __name__: 'x' });
    st.append(r, 0, NaN);
    st.appendStale(r, 1000);
    for (let i = 2; i < 40; i++) st.append(r, i * 1000, i);
    const [s] = st.select([eq('__name__', 'x')], 0, Infinity);
    expect(s!.mayHaveStale).toBe(true);
    expect(isStaleAt(s!.vs, s!.start)).toBe(false);
    expect(isStaleAt(s!.vs, s!.start + 1)).toBe(true);
    expect(isStaleAt(s!.vs, s!.start + 2)).toBe(false);
  });
});

describe('select', () => {
  const st = new Storage();
  const all: Record<string, string>[] = [
    { __name__: 'http_requests_total', job: 'api', env: 'prod', code: '200' },
    { __name__: 'http_requests_total', job: 'api', env: 'prod', code: '500' },
    { __name__: 'http_requests_total', job: 'api', code: '200' },
    { __name__: 'http_requests_total', job: 'web', env: 'dev', code: '503' },
    { __name__: 'up', job: 'api' },
  ];
  for (const labels of all) {
    const r = st.seriesRef(labels);
    st.append(r, 1000, 1);
    st.append(r, 2000, 2);
  }

  it('matches =, !=, =~ and !~ and returns series in label order', () => {
    expect(names(st, [eq('__name__', 'http_requests_total'), eq('code', '200')])).toEqual([
      '{"__name__":"http_requests_total","code":"200","env":"prod","job":"api"}',
      '{"__name__":"http_requests_total","code":"200","job":"api"}',
    ]);
    expect(names(st, [eq('__name__', 'http_requests_total'), ne('job', 'api')])).toHaveLength(1);
    expect(names(st, [eq('__name__', 'http_requests_total'), re('code', '5..')])).toHaveLength(2);
    expect(names(st, [eq('__name__', 'http_requests_total'), nre('code', '5.*')])).toHaveLength(2);
    expect(names(st, [re('__name__', 'http_.*|up'), eq('job', 'api')])).toHaveLength(4);
  });

  it('treats a matcher that matches "" as also matching a missing label', () => {
    const name = eq('__name__', 'http_requests_total');
    expect(names(st, [name, eq('env', '')])).toEqual([
      '{"__name__":"http_requests_total","code":"200","job":"api"}',
    ]);
    expect(names(st, [name, ne('env', '')])).toHaveLength(3);
    expect(names(st, [name, re('env', '.*')])).toHaveLength(4);
    expect(names(st, [name, re('env', 'prod|')])).toHaveLength(3);
    expect(names(st, [name, nre('env', '.+')])).toHaveLength(1);
  });

  it('uses the matcher test the engine compiled when it has one', () => {
    const odd: SelectMatcher = {
      name: 'code',
      type: '=~',
      value: '(?i)IGNORED',
      matches: (v) => v.endsWith('3'),
    };
    expect(names(st, [eq('__name__', 'http_requests_total'), odd])).toHaveLength(1);
  });

  it('returns only series with samples in [mint, maxt], with index bounds of that range', () => {
    const late = st.seriesRef({ __name__: 'late' });
    st.append(late, 10_000, 1);
    st.append(late, 20_000, 2);
    st.append(late, 30_000, 3);
    expect(st.select([eq('__name__', 'late')], 0, 9_999)).toEqual([]);
    const [s] = st.select([eq('__name__', 'late')], 15_000, 30_000);
    expect(Array.from(s!.ts.subarray(s!.start, s!.end))).toEqual([20_000, 30_000]);
    expect(s!.mayHaveStale).toBe(false);
  });
});
