import { describe, expect, it } from 'vitest';
import { promRegistry } from '../../cli/live/promRegistry.js';
import { renderExposition } from '../../cli/server/exposition.js';
import { PODINFO_METRICS } from '../../app/index.js';
import { VirtualClock } from '../../sim/clock/index.js';
import { AppMetrics } from '../../sim/apps/index.js';
import { Engine } from '../../sim/promql/index.js';
import { Scraper, Storage, type ScrapeSource } from '../../sim/tsdb/index.js';
import { blogWorldAtCanary, NS, request } from '../mesh/blogWorld.js';

/** A text exposition's samples: `name{labels}` (labels sorted, empty ones dropped) → value. */
function parseText(text: string, extra: Record<string, string> = {}): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = { ...extra };
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.set(key(m[1]!, labels), Number(m[3]));
  }
  return out;
}

function key(name: string, labels: Record<string, string>): string {
  const names = Object.keys(labels)
    .filter((n) => labels[n] !== '' && n !== '__name__')
    .sort();
  return `${name}{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(',')}}`;
}

/** What the TSDB holds at `t` (instant query of every series but `up`). */
function tsdbAt(storage: Storage, t: number): Map<string, number> {
  const r = new Engine().instantQuery(storage, '{__name__=~".+",__name__!="up"}', t);
  if (r.resultType !== 'vector') throw new Error(r.resultType);
  return new Map(r.result.map((s) => [key(s.metric['__name__']!, s.metric), s.value]));
}

// One source of truth: what a user scrapes over HTTP in live mode (the federating /metrics of the
// Prometheus API, an app's /metrics through prom-client) is what the embedded Prometheus stored
// from the same counters at the same instant.
describe('live /metrics and the TSDB', () => {
  it("every proxy's Istio metrics: the Prometheus API's /metrics text equals the scrape", async () => {
    const world = await blogWorldAtCanary(3);
    world.dispatch(request(), 5000, NS);
    world.dispatch(request({}, { method: 'POST' }), 700, NS);
    world.dispatch(request({}, { url: 'http://nowhere.example/' }), 40, NS);
    world.scraper.scrapeAll();
    const stored = tsdbAt(world.storage, world.now());
    const text = parseText(await renderExposition(world.scrapeTargets()));
    expect(text.size).toBeGreaterThan(100);
    expect(
      [...text].filter(([k]) => k.includes('le="+Inf"') && k.includes('response_code="404"')),
    ).not.toEqual([]);
    expect(stored).toEqual(text);
  });

  it("an app's own metrics: the live app server's prom-client /metrics equals the scrape", async () => {
    const app = new AppMetrics(PODINFO_METRICS);
    const target = { job: 'kubernetes-pods', instance: '10.244.1.7:9898', namespace: 'a', pod: 'podinfo-1' };
    const clock = new VirtualClock(1_000_000);
    const storage = new Storage();
    const sources: ScrapeSource[] = [{ metrics: app.metrics, target }];
    const scraper = new Scraper(clock, storage, () => sources, 15_000);
    for (const [ms, status, path] of [
      [3, 200, '/'],
      [0.2, 200, '/'],
      [120, 500, '/status/500'],
      [7_000, 200, '/delay/7'],
    ] as const)
      app.observeOne({ status, method: 'GET', route: path }, ms);
    scraper.scrapeAll();
    const text = await (await promRegistry(app.metrics)).metrics();
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.005",method="GET",path="/",status="200"} 2',
    );
    expect(tsdbAt(storage, clock.now())).toEqual(parseText(text, target));
  });
});
