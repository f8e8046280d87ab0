import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../sim/mesh/index.js';
import { allOk, FAST, harness, perTick, spec, START, total, type Batch } from './trafficHarness.js';

const HOUR = 3_600_000;

/** |n − λ| < 5√λ: five standard deviations of a Poisson count (fixed seeds: cannot flake). */
function withinPoisson(n: number, lambda: number): void {
  expect(Math.abs(n - lambda)).toBeLessThan(5 * Math.sqrt(lambda));
}

describe('OpenTraffic: arrivals', () => {
  it('sends rate × time over a long run, with Poisson spread per tick', async () => {
    const h = harness(spec());
    await h.run(HOUR);
    withinPoisson(total(h.batches), 72_000);
    const counts = [...perTick(h.batches).values()];
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (counts.length - 1);
    // Poisson: variance ≈ mean (index of dispersion 1 ± 5·√(2/3600)).
    expect(Math.abs(variance / mean - 1)).toBeLessThan(5 * Math.sqrt(2 / 3600));
    expect(h.traffic.sent).toBe(total(h.batches));
    expect(h.traffic.snapshot().expectedRequests).toBe(72_000);
  });

  it('gives exact counts per tick with uniform arrivals (no draws)', async () => {
    const h = harness(spec({ arrivals: 'uniform' }));
    await h.run(HOUR);
    expect(h.batches).toHaveLength(3600);
    expect(h.batches.every((b, i) => b.count === 20 && b.at === (i + 1) * 1000)).toBe(true);
  });

  it('sends a low uniform rate as one request every few ticks (0.2/s: every fifth second)', async () => {
    const h = harness(spec({ arrivals: 'uniform', rate: { kind: 'constant', perSecond: 0.2 } }));
    await h.run(60_000);
    expect(h.batches.map((b) => [b.at, b.count])).toEqual(
      Array.from({ length: 12 }, (_, i) => [(i + 1) * 5000, 1]),
    );
  });

  it('leaves the right share of ticks empty at a low Poisson rate (0.2/s: e^-0.2 of them)', async () => {
    const h = harness(spec({ rate: { kind: 'constant', perSecond: 0.2 } }), { seed: 4 });
    const ticks = 20_000;
    await h.run(ticks * 1000);
    const byTick = perTick(h.batches);
    const share = (k: number) =>
      (k === 0 ? ticks - byTick.size : [...byTick.values()].filter((n) => n === k).length) / ticks;
    const pmf = (k: number) => (Math.exp(-0.2) * 0.2 ** k) / [1, 1, 2, 6][k]!;
    for (const k of [0, 1, 2]) {
      const p = pmf(k);
      expect(Math.abs(share(k) - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / ticks));
    }
    withinPoisson(total(h.batches), 4000);
  });

  it('does not depend on latency: the open model sends the same batches to a slow service', async () => {
    const fast = harness(spec(), { seed: 3 });
    const slow = harness(spec(), {
      seed: 3,
      respond: allOk({ medianMs: 9000, sigma: 0.8 }),
    });
    await fast.run(600_000);
    await slow.run(600_000);
    expect(slow.batches.map((b) => b.count)).toEqual(fast.batches.map((b) => b.count));
  });

  it('follows a ramp: linear to the target, then holds it', async () => {
    const h = harness(
      spec({
        arrivals: 'uniform',
        rate: { kind: 'ramp', fromPerSecond: 0, toPerSecond: 10, overMs: 60_000 },
      }),
    );
    await h.run(60_000);
    expect(total(h.batches)).toBe(300); // ½ · 60 s · 10/s
    expect(h.traffic.snapshot().ratePerSecond).toBe(10);
    await h.run(10_000);
    expect(total(h.batches)).toBe(400);
    const p = harness(
      spec({ rate: { kind: 'ramp', fromPerSecond: 100, toPerSecond: 1000, overMs: 600_000 } }),
    );
    await p.run(600_000);
    withinPoisson(total(p.batches), 330_000);
  });

  it('follows a schedule: held steps and linear ramps between points', async () => {
    const h = harness(
      spec({
        arrivals: 'uniform',
        rate: {
          kind: 'schedule',
          points: [
            { atMs: 0, perSecond: 5, ramp: false },
            { atMs: 10_000, perSecond: 50, ramp: true },
            { atMs: 20_000, perSecond: 0, ramp: false },
            { atMs: 30_000, perSecond: 2, ramp: false },
          ],
        },
      }),
    );
    await h.run(10_000);
    expect(h.batches.map((b) => b.count)).toEqual(new Array(10).fill(5));
    await h.run(10_000);
    // 50/s down to 0 over 10 s: 47.5, 42.5, … per second, 250 in all.
    expect(total(h.batches)).toBe(50 + 250);
    expect(h.batches[10]!.count).toBe(47);
    await h.run(10_000);
    expect(total(h.batches)).toBe(300);
    await h.run(10_000);
    expect(total(h.batches)).toBe(320);
  });

  it('follows the daily curve on the UTC clock: peak at peakAt, trough twelve hours later, exact day total', async () => {
    const daily = { kind: 'daily' as const, minPerSecond: 2, maxPerSecond: 40, peakAtMs: 14 * HOUR };
    const h = harness(spec({ arrivals: 'uniform', rate: daily }), { tickMs: 60_000 });
    await h.run(2 * HOUR);
    expect(h.traffic.snapshot().ratePerSecond).toBeCloseTo(
      2 + (38 * (1 + Math.cos((2 * Math.PI * -12) / 24))) / 2,
      9,
    );
    await h.run(12 * HOUR);
    expect(h.traffic.snapshot().ratePerSecond).toBe(40);
    await h.run(10 * HOUR);
    expect(total(h.batches)).toBe(21 * 86_400); // the mean of 2/s and 40/s, all day
    // One hour around the peak against a numeric integral of the rate.
    const rate = (ms: number) => 2 + 19 * (1 + Math.cos((2 * Math.PI * (ms - 14 * HOUR)) / (24 * HOUR)));
    let numeric = 0;
    for (let s = 13.5 * 3600; s < 14.5 * 3600; s++) numeric += rate(s * 1000 + 500);
    const inHour = h.batches.filter((b) => b.at > 13.5 * HOUR && b.at <= 14.5 * HOUR);
    expect(Math.abs(total(inHour) - numeric)).toBeLessThanOrEqual(1);
  });

  it('starts the daily curve wherever the scenario clock stands', async () => {
    const daily = { kind: 'daily' as const, minPerSecond: 0, maxPerSecond: 10, peakAtMs: 0 };
    const h = harness(spec({ rate: daily }), { startMs: START + 12 * HOUR });
    expect(h.traffic.snapshot().ratePerSecond).toBe(0);
    await h.run(60_000);
    expect(total(h.batches)).toBeLessThan(5); // the trough: a handful of requests in the first minute
  });
});

describe('OpenTraffic: the mix', () => {
  const mix = [
    { name: 'cart', share: 80, weight: 800_000, path: '/api/cart' },
    {
      name: 'checkout',
      share: 20,
      weight: 200_000,
      path: '/api/checkout',
      method: 'POST',
      headers: { 'x-user': 'beta' },
      query: { debug: '1' },
      body: '{"a":1}',
    },
  ];
  const byPath = (batches: readonly Batch[], path: string) =>
    total(batches.filter((b) => b.req.url.path === path));

  it('splits Poisson arrivals within binomial bounds', async () => {
    const h = harness(spec({ rate: { kind: 'constant', perSecond: 100 }, mix }));
    await h.run(HOUR);
    const n = total(h.batches);
    const cart = byPath(h.batches, '/api/cart');
    expect(Math.abs(cart - 0.8 * n)).toBeLessThan(5 * Math.sqrt(n * 0.8 * 0.2));
    expect(byPath(h.batches, '/api/checkout')).toBe(n - cart);
    const r = h.traffic.snapshot();
    expect(r.mix['cart']!.requests).toBe(cart);
    expect(r.mix['checkout']!.requests).toBe(n - cart);
    expect(r.mix['checkout']!.share).toBe(20);
  });

  it('splits uniform arrivals exactly, every tick', async () => {
    const h = harness(spec({ arrivals: 'uniform', rate: { kind: 'constant', perSecond: 10 }, mix }));
    await h.run(60_000);
    for (const [, n] of perTick(h.batches.filter((b) => b.req.url.path === '/api/cart'))) expect(n).toBe(8);
    for (const [, n] of perTick(h.batches.filter((b) => b.req.url.path === '/api/checkout')))
      expect(n).toBe(2);
  });

  it('keeps uneven uniform shares exact over time (12.5/37.5/50 at 1/s)', async () => {
    const three = [
      { name: 'a', share: 12.5, weight: 125_000, path: '/a' },
      { name: 'b', share: 37.5, weight: 375_000, path: '/b' },
      { name: 'c', share: 50, weight: 500_000, path: '/c' },
    ];
    const h = harness(spec({ arrivals: 'uniform', rate: { kind: 'constant', perSecond: 1 }, mix: three }));
    for (let i = 1; i <= 10; i++) {
      await h.run(8000);
      expect(['/a', '/b', '/c'].map((p) => byPath(h.batches, p))).toEqual([i, 3 * i, 4 * i]);
    }
    expect(h.batches.every((b) => b.count === 1)).toBe(true);
  });

  it("builds each kind's request: path, query, method, lower-case headers, body over the traffic's", async () => {
    const h = harness(
      spec({
        arrivals: 'uniform',
        url: 'http://checkout.127.0.0.1.nip.io/api/cart?lang=en',
        headers: { 'x-user': 'alpha', 'x-team': 'a' },
        body: 'base',
        mix,
      }),
    );
    await h.run(1000);
    const [cart, checkout] = [h.batches[0]!.req, h.batches[1]!.req];
    expect(cart).toEqual({
      url: expect.objectContaining({
        host: 'checkout.127.0.0.1.nip.io',
        path: '/api/cart',
        query: { lang: 'en' },
      }),
      method: 'GET',
      headers: { 'x-user': 'alpha', 'x-team': 'a' },
      body: 'base',
    });
    expect(checkout).toEqual({
      url: expect.objectContaining({ path: '/api/checkout', query: { lang: 'en', debug: '1' } }),
      method: 'POST',
      headers: { 'x-user': 'beta', 'x-team': 'a' },
      body: '{"a":1}',
    });
    expect(checkout.url.raw).toBe('http://checkout.127.0.0.1.nip.io/api/checkout?lang=en&debug=1');
  });

  it('routes by a host header, as curl -H does', async () => {
    const h = harness(
      spec({ url: 'http://127.0.0.1:80/', headers: { host: 'Silly-Demo.127.0.0.1.nip.io:80' } }),
    );
    await h.run(1000);
    expect(h.batches[0]!.req.url.host).toBe('silly-demo.127.0.0.1.nip.io');
  });

  it('carries the east-west source on every request', async () => {
    const from = { namespace: 'shop', workload: 'frontend', app: 'frontend', version: 'v1' };
    const h = harness(spec({ from, namespace: 'shop', mix }));
    await h.run(30_000);
    expect(h.batches.length).toBeGreaterThan(30);
    expect(h.batches.every((b) => b.req.source === from)).toBe(true);
    const plain = harness(spec());
    await plain.run(2000);
    expect(plain.batches.every((b) => !('source' in b.req))).toBe(true);
  });
});

describe('OpenTraffic: lifetime', () => {
  it('ends by itself after its duration, with a partial last tick', async () => {
    const h = harness(spec({ arrivals: 'uniform', durationMs: 2500 }));
    let done = 0;
    h.traffic.onDone = () => done++;
    await h.run(10_000);
    expect(h.batches.map((b) => [b.at, b.count])).toEqual([
      [1000, 20],
      [2000, 20],
      [2500, 10],
    ]);
    expect(done).toBe(1);
    const r = h.traffic.snapshot();
    expect(r).toMatchObject({
      running: false,
      seconds: 2.5,
      requests: 50,
      startedAt: '2024-11-11T00:00:00.000Z',
      stoppedAt: '2024-11-11T00:00:02.500Z',
      ratePerSecond: 0,
    });
    expect(h.traffic.running).toBe(false);
  });

  it('stops on stop(): the elapsed part of the tick is sent, nothing after', async () => {
    const h = harness(spec({ arrivals: 'uniform' }));
    await h.run(3400);
    const r = h.traffic.stop();
    expect(h.batches.map((b) => b.count)).toEqual([20, 20, 20, 8]);
    expect(r).toMatchObject({ running: false, requests: 68, seconds: 3.4 });
    await h.run(60_000);
    expect(h.batches).toHaveLength(4);
    expect(h.traffic.stop()).toBe(r);
    expect(h.traffic.snapshot()).toBe(r);
  });

  it('reports while running', async () => {
    const h = harness(spec({ arrivals: 'uniform' }));
    await h.run(1500);
    expect(h.traffic.snapshot()).toMatchObject({
      id: 'users',
      running: true,
      stoppedAt: null,
      seconds: 1.5,
      ratePerSecond: 20,
      expectedRequests: 30,
      requests: 20,
    });
  });
});

describe('OpenTraffic: determinism', () => {
  const counts = (b: readonly Batch[]) => b.map((x) => [x.at, x.req.url.path, x.count]);
  const mixed = spec({
    rate: { kind: 'ramp', fromPerSecond: 1, toPerSecond: 300, overMs: 120_000 },
    mix: [
      { name: 'a', share: 70, weight: 700_000, path: '/a' },
      { name: 'b', share: 30, weight: 300_000, path: '/b' },
    ],
  });

  it('sends identical batches for the same spec and seed, others for another seed', async () => {
    const a = harness(mixed, { seed: 7 });
    const b = harness(mixed, { seed: 7 });
    const c = harness(mixed, { seed: 8 });
    await a.run(180_000);
    await b.run(180_000);
    await c.run(180_000);
    expect(counts(b.batches)).toEqual(counts(a.batches));
    expect(counts(c.batches)).not.toEqual(counts(a.batches));
    expect(JSON.stringify(b.traffic.snapshot())).toBe(JSON.stringify(a.traffic.snapshot()));
  });
});

describe('OpenTraffic: counters and latency', () => {
  const SLOW = { medianMs: 0, sigma: 0, shiftMs: 1000 };
  /** Per batch: 90 % answer 200 in 12 ms, 10 % 500 in 1 s, and one request in each batch of 10+ fails to connect. */
  const mixedOutcomes = (_req: unknown, count: number): Outcome[] => {
    const err = count >= 10 ? 1 : 0;
    const bad = Math.round((count - err) * 0.1);
    const out: Outcome[] = [
      { count: count - err - bad, status: 200, body: '', bytes: 0, clientLatency: FAST },
    ];
    if (bad > 0) out.push({ count: bad, status: 500, body: '', bytes: 0, clientLatency: SLOW });
    if (err > 0)
      out.push({
        count: err,
        status: 0,
        body: '',
        bytes: 0,
        clientLatency: FAST,
        error: 'dial tcp: lookup x: no such host',
      });
    return out;
  };

  it('counts statuses, classes and transport errors, overall and per kind', async () => {
    const h = harness(
      spec({
        arrivals: 'uniform',
        rate: { kind: 'constant', perSecond: 101 },
        mix: [
          { name: 'a', share: 50, weight: 500_000, path: '/a' },
          { name: 'b', share: 50, weight: 500_000, path: '/b' },
        ],
      }),
      { respond: mixedOutcomes },
    );
    await h.run(10_000);
    const r = h.traffic.snapshot();
    expect(r.requests).toBe(1010);
    expect(r.errors).toBe(20);
    expect(r.responses).toBe(990);
    expect(r.statusCodes).toEqual({ '200': 890, '500': 100 });
    expect(r.statusClasses).toEqual({ '1xx': 0, '2xx': 890, '3xx': 0, '4xx': 0, '5xx': 100 });
    expect(r.errorMessages).toEqual({ 'dial tcp: lookup x: no such host': 20 });
    expect(r.mix['a']!.requests + r.mix['b']!.requests).toBe(1010);
    expect(r.mix['a']!.statusCodes['500']! + r.mix['b']!.statusCodes['500']!).toBe(100);
    expect(h.traffic.errorCount).toBe(20);
    expect([...h.traffic.statusCounts]).toEqual([
      [200, 890],
      [500, 100],
    ]);
    // Mean over responses, exact; percentiles of the mixture (89.9 % at 12 ms, 10.1 % at 1 s)
    // within a 2 % bin — exact at the slowest, which bounds the support.
    expect(r.latency.meanMs).toBeCloseTo((890 * 12 + 100 * 1000) / 990, 9);
    expect(Math.abs(r.latency.p50Ms! / 12 - 1)).toBeLessThan(0.02);
    expect(Math.abs(r.latency.p90Ms! / 1000 - 1)).toBeLessThan(0.02);
    expect(r.latency.p99Ms).toBe(1000);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // plain data
  });

  it('reads percentiles off the log-normal model within 2 %', async () => {
    const model = { medianMs: 10, sigma: 0.5 };
    const h = harness(spec(), { respond: allOk(model) });
    await h.run(60_000);
    const l = h.traffic.snapshot().latency;
    expect(l.meanMs).toBeCloseTo(10 * Math.exp(0.125), 9);
    expect(Math.abs(l.p50Ms! / 10 - 1)).toBeLessThan(0.02);
    expect(Math.abs(l.p99Ms! / (10 * Math.exp(0.5 * 2.3263478740408408)) - 1)).toBeLessThan(0.02);
  });

  it('has no latency before any response', () => {
    const h = harness(spec());
    expect(h.traffic.snapshot().latency).toEqual({
      meanMs: null,
      p50Ms: null,
      p90Ms: null,
      p95Ms: null,
      p99Ms: null,
    });
  });
});

describe('OpenTraffic: cost', () => {
  // Speed is measured by the bench, never asserted; what a test can pin is the batching that makes
  // it cheap: one dispatch per tick, however many requests.
  it('sends an hour at 1,000 requests/s as one batch per tick', async () => {
    const h = harness(spec({ rate: { kind: 'constant', perSecond: 1000 } }));
    await h.run(HOUR);
    h.traffic.snapshot();
    withinPoisson(total(h.batches), 3_600_000);
    expect(h.batches).toHaveLength(3600);
  });
});
