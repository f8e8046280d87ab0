import { describe, expect, it } from 'vitest';
import { fixedLatency, fromPercentiles, genericApp, sillyDemo } from '../../app/index.js';
import {
  AppModels,
  AppProcess,
  parseImagePattern,
  type AppModel,
  type Behaviour,
} from '../../sim/apps/index.js';
import { Rng } from '../../sim/clock/index.js';
import { parseRequestUrl, type MeshRequest } from '../../sim/mesh/index.js';

const IMAGE = 'ghcr.io/acme/checkout:2.0.0';
const POS = { file: 't.yaml', line: 1, col: 1 };

function model(behaviour: Behaviour, extra: Partial<AppModel> = {}): AppModel {
  return {
    match: parseImagePattern('ghcr.io/acme/checkout:2.*'),
    behaviour,
    changes: [],
    neverReady: false,
    pullFails: false,
    exact: false,
    pos: POS,
    ...extra,
  };
}

function request(url = 'http://checkout/api/cart', extra: Partial<MeshRequest> = {}): MeshRequest {
  const u = parseRequestUrl(url);
  if (typeof u === 'string') throw new Error(u);
  return { url: u, method: 'GET', headers: {}, ...extra };
}

function proc(
  m: AppModel | undefined,
  models = new AppModels(m ? [m] : []),
  exits: string[] = [],
): AppProcess {
  const c = { image: IMAGE, env: {}, command: [], args: [], ports: [8080] };
  return new AppProcess(
    { name: 'checkout-abc-xyz12', namespace: 'shop' },
    genericApp(c),
    m,
    models,
    IMAGE,
    {},
    0,
    (code, reason) => exits.push(`${code} ${reason}`),
  );
}

/** Serves `total` requests in batches of `batch`; returns counts by status. */
function serveMany(p: AppProcess, total: number, batch: number, rng = new Rng(1), req = request()) {
  const byStatus = new Map<number, number>();
  let refused = 0;
  for (let done = 0, t = 0; done < total; done += batch, t += 1000) {
    const s = p.serve(req, Math.min(batch, total - done), t, rng);
    refused += s.refused;
    for (const g of s.groups) byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + g.count);
  }
  return { byStatus, refused };
}

const within = (k: number, n: number, p: number) =>
  expect(Math.abs(k - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)) + 1);

describe('app models: errors', () => {
  it('a 2 % share lands on 2 % within binomial bounds (drawn)', () => {
    const r = serveMany(
      proc(model({ errors: [{ share: 0.02, statuses: [{ status: 500, weight: 1 }] }] })),
      1_000_000,
      500,
    );
    within(r.byStatus.get(500) ?? 0, 1_000_000, 0.02);
    expect((r.byStatus.get(500) ?? 0) + (r.byStatus.get(200) ?? 0)).toBe(1_000_000);
  });

  it('exact: every 50th request fails', () => {
    const p = proc(
      model({ errors: [{ share: 0.02, statuses: [{ status: 503, weight: 1 }] }] }, { exact: true }),
    );
    const r = serveMany(p, 100_000, 37);
    expect(r.byStatus.get(503)).toBe(2000);
  });

  it('a weighted status mix splits the errors by weight', () => {
    const r = serveMany(
      proc(
        model({
          errors: [
            {
              share: 0.1,
              statuses: [
                { status: 500, weight: 3 },
                { status: 503, weight: 1 },
              ],
            },
          ],
        }),
      ),
      400_000,
      1000,
    );
    within(r.byStatus.get(500) ?? 0, 400_000, 0.075);
    within(r.byStatus.get(503) ?? 0, 400_000, 0.025);
  });

  it('rules apply in order, each to what the previous left; `when` limits a rule to matching requests', () => {
    const m = model({
      errors: [
        { share: 0.5, statuses: [{ status: 500, weight: 1 }], when: [{ uri: { prefix: '/api' } }] },
        {
          share: 0.1,
          statuses: [{ status: 502, weight: 1 }],
          when: [{ headers: { 'x-user': { exact: 'beta' } } }],
        },
      ],
    });
    const api = serveMany(proc(m), 100_000, 1000, new Rng(2), request('http://checkout/api/x'));
    within(api.byStatus.get(500) ?? 0, 100_000, 0.5);
    expect(api.byStatus.get(502)).toBeUndefined();
    const home = serveMany(proc(m), 100_000, 1000, new Rng(2), request('http://checkout/'));
    expect(home.byStatus.get(500)).toBeUndefined();
    const beta = serveMany(
      proc(m),
      100_000,
      1000,
      new Rng(3),
      request('http://checkout/api/x', { headers: { 'x-user': 'beta' } }),
    );
    within(beta.byStatus.get(500) ?? 0, 100_000, 0.5);
    within(beta.byStatus.get(502) ?? 0, 100_000, 0.05);
  });

  it("errors overlay a built-in app's own answers (silly-demo 1.4.129 with ?fail=true stays 500)", () => {
    const c = { image: 'ghcr.io/vfarcic/silly-demo:1.4.127', env: {}, command: [], args: [], ports: [] };
    const m = {
      ...model({ errors: [{ share: 0.2, statuses: [{ status: 503, weight: 1 }] }] }),
      match: parseImagePattern('ghcr.io/vfarcic/silly-demo'),
    };
    const p = new AppProcess(
      { name: 'p', namespace: 'n' },
      sillyDemo('1.4.127', c)!,
      m,
      new AppModels([m]),
      c.image,
      {},
      0,
      () => {},
    );
    const s = p.serve(request('http://silly-demo/'), 1000, 0, new Rng(1));
    const bodies = new Set(s.groups.map((g) => `${g.status} ${g.body.trim()}`));
    expect(bodies).toEqual(new Set(['503 Service Unavailable', '200 This is a silly demo version 1.4.127']));
  });
});

describe('app models: latency', () => {
  it("the model's latency replaces the app's own; every group carries it", () => {
    const lat = fromPercentiles(20, 200);
    const s = proc(model({ latency: lat })).serve(request(), 100, 0, new Rng(1));
    expect(s.groups.every((g) => g.latency === lat)).toBe(true);
  });

  it('cold start: the first N requests of a process get the extra latency, then no more', () => {
    const p = proc(
      model({ latency: fixedLatency(10), coldStart: { requests: 150, extra: fixedLatency(500) } }),
    );
    const first = p.serve(request(), 100, 0, new Rng(1));
    expect(first.groups.map((g) => [g.count, g.latency?.shiftMs])).toEqual([[100, 510]]);
    const second = p.serve(request(), 100, 1000, new Rng(1));
    expect(second.groups.map((g) => [g.count, g.latency?.shiftMs])).toEqual([
      [50, 510],
      [50, 10],
    ]);
  });

  it('saturation: above the rate, errors grow with the excess and latency by its factor per doubling', () => {
    const m = model({
      latency: fixedLatency(10),
      saturation: { rate: 100, errorShare: 1, status: 503, latencyFactor: 2 },
    });
    const calm = proc(m).serve(request(), 80, 0, new Rng(1));
    expect(calm.groups.map((g) => g.status)).toEqual([200]);
    const busy = serveMany(proc(m), 400 * 50, 400);
    // 400/s against 100/s: 75 % of the requests are above capacity and fail.
    within(busy.byStatus.get(503) ?? 0, 20_000, 0.75);
    const g = proc(m)
      .serve(request(), 400, 0, new Rng(1))
      .groups.find((x) => x.status === 200)!;
    expect(g.latency?.shiftMs).toBeCloseTo(40, 9); // two doublings: 10 ms × 2 × 2
  });
});

describe('app models: behaviour over time', () => {
  it('a change after start applies to each process from its own start; a ramp moves the share linearly', () => {
    const m = model(
      { errors: [] },
      {
        changes: [
          {
            afterStartMs: 300_000,
            rampMs: 100_000,
            set: { errors: [{ share: 0.4, statuses: [{ status: 500, weight: 1 }] }] },
            pos: POS,
          },
        ],
      },
    );
    const p = proc(m);
    const share = (t: number) => p.behaviour(t).errors.reduce((a, r) => a + r.share, 0);
    expect(share(299_999)).toBe(0);
    expect(share(300_000)).toBe(0);
    expect(share(350_000)).toBeCloseTo(0.2, 12);
    expect(share(400_000)).toBeCloseTo(0.4, 12);
    expect(share(900_000)).toBeCloseTo(0.4, 12);
  });

  it('a change at a scenario time holds for every process, whenever it started', () => {
    const models = new AppModels([], 1_000_000);
    const m = model(
      {},
      { changes: [{ atMs: 60_000, rampMs: 0, set: { latency: fixedLatency(900) }, pos: POS }] },
    );
    const p = proc(m, models);
    expect(p.behaviour(1_059_999).latency).toBeUndefined();
    expect(p.behaviour(1_060_000).latency?.shiftMs).toBe(900);
  });
});

describe('app models: crashes and faults', () => {
  it('crash after N requests: the batch that crosses it is cut short, the rest refused, the kubelet told once', () => {
    const exits: string[] = [];
    const m = model({}, { crash: { afterRequests: 250, exitCode: 3 } });
    const p = proc(m, new AppModels([m]), exits);
    expect(p.serve(request(), 200, 0, new Rng(1)).refused).toBe(0);
    const s = p.serve(request(), 200, 1000, new Rng(1));
    expect(s.groups.reduce((a, g) => a + g.count, 0)).toBe(50);
    expect(s.refused).toBe(150);
    expect(exits).toEqual(['3 Error']);
    expect(p.serve(request(), 10, 2000, new Rng(1))).toEqual({ groups: [], refused: 10 });
  });

  it('a fault overrides the model for the pods it targets until cleared', () => {
    const m = model({ errors: [] });
    const models = new AppModels([m]);
    const p = proc(m, models);
    models.setFault({
      image: parseImagePattern('ghcr.io/acme/checkout:2.0.0'),
      set: { errors: [{ share: 1, statuses: [{ status: 503, weight: 1 }] }] },
    });
    expect(p.serve(request(), 10, 0, new Rng(1)).groups.map((g) => g.status)).toEqual([503]);
    models.setFault({ pod: 'someone-else', set: { latency: fixedLatency(1) } });
    expect(models.clearFaults({ image: parseImagePattern('ghcr.io/acme/checkout:2.0.0') })).toBe(1);
    expect(p.serve(request(), 10, 0, new Rng(1)).groups.map((g) => g.status)).toEqual([200]);
  });
});

describe('app models: when a batch may span time (steadyUntil)', () => {
  it('a stateless model is steady until its next timed change; a ramp, a cold start, saturation or a crash after N requests are not', () => {
    const change = {
      afterStartMs: 300_000,
      rampMs: 100_000,
      set: { latency: fixedLatency(40) },
      pos: POS,
    };
    expect(proc(model({ latency: fixedLatency(10) })).steadyUntil(0)).toBe(Infinity);
    const changing = proc(model({}, { changes: [change] }));
    expect(changing.steadyUntil(1000)).toBe(300_000);
    // Ramping: its answers change with every instant.
    expect(changing.steadyUntil(350_000)).toBe(350_000);
    expect(changing.steadyUntil(400_000)).toBe(Infinity);
    const cold = proc(model({ coldStart: { requests: 150, extra: fixedLatency(500) } }));
    expect(cold.steadyUntil(0)).toBe(0);
    cold.serve(request(), 200, 0, new Rng(1));
    expect(cold.steadyUntil(1000)).toBe(Infinity);
    const sat = model({ saturation: { rate: 100, errorShare: 1, status: 503, latencyFactor: 2 } });
    expect(proc(sat).steadyUntil(5)).toBe(5);
    const crash = model({}, { crash: { afterRequests: 250, exitCode: 3 } });
    expect(proc(crash, new AppModels([crash])).steadyUntil(7)).toBe(7);
  });
});
