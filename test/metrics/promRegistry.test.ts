import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { promRegistry } from '../../cli/live/promRegistry.js';
import { MetricSet } from '../../sim/metrics/index.js';
import { ENVOY_DEFAULT_BUCKETS } from '../../sim/mesh/index.js';

// A MetricSet keeps counters in plain numbers and adds whole bucket counts at once; what live
// mode serves of it through prom-client must be what prom-client's own Counter and Histogram give
// for the same observations made one by one.
describe('MetricSet through prom-client', () => {
  const cfg = { labelNames: ['code', 'pod'] as const, buckets: [...ENVOY_DEFAULT_BUCKETS] };
  function pair() {
    const set = new MetricSet();
    const reg = new Registry();
    return {
      set,
      reg,
      counter: set.counter({
        name: 'istio_requests_total',
        help: 'Total requests.',
        labelNames: cfg.labelNames,
      }),
      bulk: set.histogram({ name: 'istio_request_duration_milliseconds', help: 'h', ...cfg }),
      plainCounter: new Counter({
        name: 'istio_requests_total',
        help: 'Total requests.',
        labelNames: cfg.labelNames,
        registers: [reg],
      }),
      plain: new Histogram({
        name: 'istio_request_duration_milliseconds',
        help: 'h',
        ...cfg,
        registers: [reg],
      }),
    };
  }
  const bucketsOf = (lat: readonly number[]) => {
    const counts = new Array<number>(ENVOY_DEFAULT_BUCKETS.length + 1).fill(0);
    for (const v of lat) {
      let i = 0;
      while (i < ENVOY_DEFAULT_BUCKETS.length && v > ENVOY_DEFAULT_BUCKETS[i]!) i++;
      counts[i]!++;
    }
    return counts;
  };

  it('matches one-by-one observations in the text exposition', async () => {
    const p = pair();
    const lat = [0.3, 0.5, 0.7, 3, 5, 9, 30, 250, 7000, 4_000_000, 2, 2];
    for (const [pod, code] of [
      ['p1', '200'],
      ['p2', '500'],
    ] as const) {
      const labels = { code, pod };
      for (const v of lat) {
        p.plain.observe(labels, v);
        p.plainCounter.inc(labels);
      }
      p.counter.inc(`${pod}|${code}`, labels, lat.length);
      p.bulk.observeBuckets(
        `${pod}|${code}`,
        labels,
        bucketsOf(lat),
        lat.reduce((x, y) => x + y, 0),
      );
    }
    const text = await (await promRegistry(p.set)).metrics();
    expect(text).toContain('istio_request_duration_milliseconds_bucket{le="3600000",code="500",pod="p2"} 11');
    expect(text).toBe(await p.reg.metrics());
  });

  it('two caller keys with the same label values share one series (two pods behind one gateway series)', async () => {
    const p = pair();
    const labels1 = { code: '200', pod: 'p' };
    const labels2 = { code: '200', pod: 'p' };
    const counts = bucketsOf([3, 3, 3]);
    p.bulk.observeBuckets('first-pod', labels1, counts, 9);
    p.bulk.observeBuckets('second-pod', labels2, counts, 9);
    p.bulk.observeBuckets('first-pod', labels1, counts, 9);
    p.counter.inc('first-pod', labels1, 3);
    p.counter.inc('second-pod', labels2, 6);
    for (let i = 0; i < 9; i++) {
      p.plain.observe(labels1, 3);
      p.plainCounter.inc(labels1);
    }
    expect(await (await promRegistry(p.set)).metrics()).toBe(await p.reg.metrics());
  });

  it('accumulates across reads, and reads after collect', async () => {
    const p = pair();
    let pending = 0;
    const set = new MetricSet(() => {
      if (pending > 0) counter.inc('k', { code: '200', pod: 'p' }, pending);
      pending = 0;
    });
    const counter = set.counter({
      name: 'istio_requests_total',
      help: 'Total requests.',
      labelNames: cfg.labelNames,
    });
    set.histogram({ name: 'istio_request_duration_milliseconds', help: 'h', ...cfg });
    const live = await promRegistry(set);
    for (let k = 0; k < 3; k++) {
      pending += 2;
      p.plainCounter.inc({ code: '200', pod: 'p' }, 2);
      expect(await live.metrics()).toBe(await p.reg.metrics());
    }
  });

  it('exposes unlabelled families from the start, as prom-client does', async () => {
    const set = new MetricSet();
    set.counter({ name: 'http_requests_total', help: 'Requests served.', labelNames: [] });
    set.histogram({
      name: 'http_request_duration_seconds',
      help: 'Time.',
      labelNames: [],
      buckets: [0.1, 1],
    });
    const reg = new Registry();
    new Counter({ name: 'http_requests_total', help: 'Requests served.', registers: [reg] });
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time.',
      buckets: [0.1, 1],
      registers: [reg],
    });
    expect(await (await promRegistry(set)).metrics()).toBe(await reg.metrics());
  });

  it('refuses what prom-client refuses: le on a histogram, a counter going down, a name twice', () => {
    const set = new MetricSet();
    expect(() => set.histogram({ name: 'h', help: 'h', labelNames: ['le'], buckets: [1] })).toThrow(/le/);
    const c = set.counter({ name: 'c', help: 'h', labelNames: [] });
    expect(() => c.inc(undefined, {}, -1)).toThrow(/only go up/);
    expect(() => set.counter({ name: 'c', help: 'h', labelNames: [] })).toThrow(/already been registered/);
  });
});
