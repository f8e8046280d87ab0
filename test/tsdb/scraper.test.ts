import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../sim/clock/index.js';
import { Engine } from '../../sim/promql/index.js';
import { Scraper, Storage, type ScrapeSource } from '../../sim/tsdb/index.js';

function target(pod: string): { src: ScrapeSource; counter: Counter<'code'> } {
  const registry = new Registry();
  const counter = new Counter({ name: 'req_total', help: 'h', labelNames: ['code'], registers: [registry] });
  return { src: { registry, target: { job: 'envoy-stats', instance: `${pod}:15090`, pod } }, counter };
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

  it('writes a stale marker for a series a target no longer exports', async () => {
    const clock = new VirtualClock(0);
    const storage = new Storage();
    const a = target('a');
    a.counter.inc({ code: '200' });
    a.counter.inc({ code: '500' });
    const scraper = new Scraper(clock, storage, () => [a.src], 30_000);
    scraper.start(0);
    await clock.advance(30_000);
    a.counter.remove({ code: '500' });
    await clock.advance(30_000);
    const r = new Engine().instantQuery(storage, 'req_total', 60_000);
    expect(r.resultType === 'vector' && r.result.map((s) => s.metric['code'])).toEqual(['200']);
  });
});
