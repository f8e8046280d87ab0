import { describe, expect, it } from 'vitest';
import { parseHeyArgs } from '../../loadgen/heyFlags.js';
import { VirtualHey } from '../../loadgen/virtualHey.js';
import { Rng, VirtualClock } from '../../sim/clock/index.js';
import { harness, recordingTarget, spec, START, total } from './trafficHarness.js';

const HOUR = 3_600_000;
const steady = () => Infinity;

/** Timers every `everyMs` (a scrape, say) that note how many requests the load had sent by then. */
function events(clock: VirtualClock, everyMs: number, sent: () => number): Array<[number, number]> {
  const seen: Array<[number, number]> = [];
  const next = () =>
    clock.setTimeout(() => {
      seen.push([clock.now() - START, sent()]);
      next();
    }, everyMs);
  next();
  return seen;
}

describe('Pacer: load between events in one batch', () => {
  it('a stationary world: every event sees exactly the requests before it, in a few batches instead of a tick each', async () => {
    const h = harness(spec({ arrivals: 'uniform' }), { steadyUntil: steady });
    const seen = events(h.clock, 30_000, () => h.traffic.sent);
    await h.run(HOUR);
    // Uniform arrivals at 20/s: ⌊20·t⌋ by time t, whenever the batches are cut.
    expect(seen).toHaveLength(120);
    for (const [t, n] of seen) expect(n).toBe((20 * t) / 1000);
    // One batch at each event and one on the tick after it (the world as the event left it).
    expect(h.batches.length).toBeLessThanOrEqual(2 * seen.length + 1);
    h.traffic.stop();
    expect(total(h.batches)).toBe(72_000);
  });

  it('draws keep their distribution: a Poisson total and an 80/20 mix split within their bounds', async () => {
    const h = harness(
      spec({
        mix: [
          { name: 'a', share: 80, weight: 8000 },
          { name: 'b', share: 20, weight: 2000 },
        ],
      }),
      { steadyUntil: steady, seed: 7 },
    );
    events(h.clock, 30_000, () => h.traffic.sent);
    await h.run(HOUR);
    const r = h.traffic.stop();
    const n = total(h.batches);
    expect(Math.abs(n - 72_000)).toBeLessThan(5 * Math.sqrt(72_000));
    const b = r.mix['b']!.requests;
    expect(Math.abs(b - 0.2 * n)).toBeLessThan(5 * Math.sqrt(n * 0.2 * 0.8));
  });

  it('a world that is not stationary (steadyUntil = now) ticks as before, batch for batch', async () => {
    const ticking = harness(spec(), { seed: 3 });
    const unsteady = harness(spec(), { seed: 3, steadyUntil: (now) => now });
    await ticking.run(600_000);
    await unsteady.run(600_000);
    expect(unsteady.batches).toHaveLength(600);
    expect(unsteady.batches).toEqual(ticking.batches);
  });

  it('no batch spans a timed change: the last tick before it sends, the tick after it sees the new world', async () => {
    const change = START + 100_500;
    const h = harness(spec({ arrivals: 'uniform' }), {
      steadyUntil: (now) => (now < change ? change : Infinity),
    });
    await h.run(HOUR);
    expect(h.batches.map((b) => b.at)).toEqual([1000, 100_000, 101_000]);
    expect(h.batches.map((b) => b.count)).toEqual([20, 1980, 20]);
    h.traffic.stop();
    expect(total(h.batches)).toBe(72_000);
  });

  it('hey -n sends exactly n and ends on the same tick as the ticking model; -z sends the same total', async () => {
    const run = async (args: string[], steadyUntil?: () => number) => {
      const clock = new VirtualClock(START);
      const target = recordingTarget(clock, undefined, steadyUntil);
      const hey = new VirtualHey(target, parseHeyArgs(args), new Rng(1), 1000);
      let doneAt: number | undefined;
      hey.onDone = () => (doneAt = clock.now() - START);
      hey.start();
      events(clock, 30_000, () => hey.sent);
      await clock.advance(HOUR);
      return { sent: hey.sent, doneAt, batches: target.batches.length };
    };
    const n = ['-n', '20000', '-c', '10', 'http://a.example/'];
    const tickedN = await run(n);
    const pacedN = await run(n, steady);
    expect(tickedN.sent).toBe(20_000);
    expect(pacedN).toMatchObject({ sent: 20_000, doneAt: tickedN.doneAt });
    expect(pacedN.batches).toBeLessThan(tickedN.batches);
    const z = ['-z', '10m', '-c', '50', 'http://a.example/'];
    const tickedZ = await run(z);
    const pacedZ = await run(z, steady);
    expect(pacedZ).toMatchObject({ sent: tickedZ.sent, doneAt: 600_000 });
    expect(tickedZ.batches).toBe(600);
    expect(pacedZ.batches).toBeLessThanOrEqual(2 * 20 + 2);
  });
});
