import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BulkHistogram, ENVOY_DEFAULT_BUCKETS } from '../../sim/mesh/index.js';

// BulkHistogram adds whole bucket counts to prom-client's own series; its exposition (text and
// JSON) must be what prom-client gives for the same observations made one by one.
describe('BulkHistogram', () => {
  function pair() {
    const a = new Registry();
    const b = new Registry();
    const cfg = {
      name: 'istio_request_duration_milliseconds',
      help: 'h',
      labelNames: ['code', 'pod'] as const,
      buckets: [...ENVOY_DEFAULT_BUCKETS],
    };
    return {
      a,
      b,
      bulk: new BulkHistogram({ ...cfg, registers: [a] }),
      plain: new Histogram({ ...cfg, registers: [b] }),
    };
  }

  it('two caller keys with the same label values share one series (two pods behind one gateway series)', async () => {
    const { a, b, bulk, plain } = pair();
    const labels1 = { code: '200', pod: 'p' };
    const labels2 = { code: '200', pod: 'p' };
    const counts = new Array<number>(ENVOY_DEFAULT_BUCKETS.length + 1).fill(0);
    counts[2] = 3;
    bulk.observeBuckets('first-pod', labels1, counts, 9);
    bulk.observeBuckets('second-pod', labels2, counts, 9);
    bulk.observeBuckets('first-pod', labels1, counts, 9);
    for (let i = 0; i < 9; i++) plain.observe(labels1, 3);
    expect(await a.metrics()).toBe(await b.metrics());
  });

  it('matches one-by-one observations in text and JSON exposition', async () => {
    const { a, b, bulk, plain } = pair();
    const lat = [0.3, 0.5, 0.7, 3, 5, 9, 30, 250, 7000, 4_000_000, 2, 2];
    for (const [pod, code] of [
      ['p1', '200'],
      ['p2', '500'],
    ] as const) {
      const labels = { code, pod };
      for (const v of lat) plain.observe(labels, v);
      const counts = new Array<number>(ENVOY_DEFAULT_BUCKETS.length + 1).fill(0);
      for (const v of lat) {
        let i = 0;
        while (i < ENVOY_DEFAULT_BUCKETS.length && v > ENVOY_DEFAULT_BUCKETS[i]!) i++;
        counts[i]!++;
      }
      bulk.observeBuckets(
        `${pod}|${code}`,
        labels,
        counts,
        lat.reduce((x, y) => x + y, 0),
      );
    }
    expect(await a.metrics()).toBe(await b.metrics());
    expect(JSON.parse(JSON.stringify(await a.getMetricsAsJSON()))).toEqual(
      JSON.parse(JSON.stringify(await b.getMetricsAsJSON())),
    );
  });

  it('accumulates across calls for the same series', async () => {
    const { a, b, bulk, plain } = pair();
    const labels = { code: '200', pod: 'p' };
    for (let k = 0; k < 3; k++) {
      plain.observe(labels, 4);
      const counts = new Array<number>(ENVOY_DEFAULT_BUCKETS.length + 1).fill(0);
      counts[2] = 1;
      bulk.observeBuckets('p|200', labels, counts, 4);
      expect(await a.metrics()).toBe(await b.metrics());
    }
  });
});
