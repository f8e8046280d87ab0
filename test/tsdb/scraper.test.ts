import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../sim/clock/index.js';
import { MetricSet } from '../../sim/metrics/index.js';
import { Engine } from '../../sim/promql/index.js';
import { Scraper, Storage, type ScrapeSource } from '../../sim/tsdb/index.js';

function target(pod: string) {
  const metrics = new MetricSet();
  const family = metrics.counter({ name: 'req_total', help: 'h', labelNames: ['code'] });
  const counter = { inc: (labels: { code: string }, n = 1) => family.inc(labels.code, labels, n) };
  const src: ScrapeSource = { metrics, target: { job: 'envoy-stats', instance: `${pod}:15090`, pod } };
  return { src, counter };
}

const count = (r: ReturnType<Engine['instantQuery']>) => (r.resultType === 'vector' ? r.result.length : -1);

describe('Scraper', () => {
  it('stamps samples with the scrape time, adds target labels and up, copies live values', async () => {
    const clock = new VirtualClock(0);
    const storage = new Storage();
    const a = target('a');
    a.counter.inc({ code: '200' }, 5);
    const scraper = new Scraper(clock, storage, () => [a.src], 30_000);
    scraper.start(10_000);
    await clock.advance(10_000);
    a.counter.inc({ code: '200' }, 7); // after the scrape: must not change the stored sample
    await clock.advance(30_000);
    const engine = new Engine();
    const at10 = engine.instantQuery(storage, 'req_total', 10_000);
    expect(at10.resultType === 'vector' && at10.result).toEqual([
      {
        metric: { __name__: 'req_total', code: '200', job: 'envoy-stats', instance: 'a:15090', pod: 'a' },
        value: 5,
      },
    ]);
    const at40 = engine.instantQuery(storage, 'req_total', 40_000);
    expect(at40.resultType === 'vector' && at40.result[0]!.value).toBe(12);
    expect(count(engine.instantQuery(storage, 'up == 1', 40_000))).toBe(1);
    expect(scraper.scrapes).toBe(2);
  });

  it('writes stale markers when a target disappears, so its series vanish at once instead of after 5 minutes', async () => {
    const clock = new VirtualClock(0);
    const storage = new Storage();
    const a = target('a');
    const b = target('b');
    a.counter.inc({ code: '200' });
    b.counter.inc({ code: '200' });
    let targets = [a.src, b.src];
    const scraper = new Scraper(clock, storage, () => targets, 30_000);
    scraper.start(0);
    await clock.advance(30_000);
    targets = [a.src]; // pod b deleted
    await clock.advance(30_000);
    const engine = new Engine();
    expect(count(engine.instantQuery(storage, 'req_total', 30_000))).toBe(2);
    expect(count(engine.instantQuery(storage, 'req_total', 60_000))).toBe(1);
    expect(count(engine.instantQuery(storage, 'up', 60_001))).toBe(1);
  });

  it('writes a stale marker for a series a restarted process no longer exports, and sees its counter reset', async () => {
    const clock = new VirtualClock(0);
    const storage = new Storage();
    let a = target('a');
    a.counter.inc({ code: '200' }, 4);
    a.counter.inc({ code: '500' });
    const scraper = new Scraper(clock, storage, () => [a.src], 30_000);
    scraper.start(0);
    await clock.advance(30_000);
    a = target('a'); // the container restarted: a new process with its counters from zero
    a.counter.inc({ code: '200' }, 1);
    await clock.advance(30_000);
    const engine = new Engine();
    const r = engine.instantQuery(storage, 'req_total', 60_000);
    expect(r.resultType === 'vector' && r.result.map((s) => [s.metric['code'], s.value])).toEqual([
      ['200', 1],
    ]);
    // The same series went from 4 down to 1: one counter reset, as Prometheus's resets() counts it.
    const resets = engine.instantQuery(storage, 'resets(req_total{code="200"}[2m])', 60_000);
    expect(resets.resultType === 'vector' && resets.result.map((s) => s.value)).toEqual([1]);
  });

  it('appends a histogram as Prometheus stores one: cumulative buckets by le, +Inf, _sum, _count', async () => {
    const clock = new VirtualClock(0);
    const storage = new Storage();
    const metrics = new MetricSet();
    const h = metrics.histogram({
      name: 'lat_ms',
      help: 'h',
      labelNames: ['code'],
      buckets: [0.5, 10, 3_600_000],
    });
    h.observeBuckets('200', { code: '200' }, [1, 2, 3, 4], 100);
    const scraper = new Scraper(
      clock,
      storage,
      () => [{ metrics, target: { job: 'j', instance: 'i:1' } }],
      15_000,
    );
    scraper.start(0);
    await clock.advance(0);
    const r = new Engine().instantQuery(storage, '{__name__=~"lat_ms.*"}', 0);
    expect(
      r.resultType === 'vector' && r.result.map((s) => [s.metric['__name__'], s.metric['le'], s.value]),
    ).toEqual([
      ['lat_ms_bucket', '+Inf', 10],
      ['lat_ms_bucket', '0.5', 1],
      ['lat_ms_bucket', '10', 3],
      ['lat_ms_bucket', '3600000', 6],
      ['lat_ms_count', undefined, 10],
      ['lat_ms_sum', undefined, 100],
    ]);
  });
});
