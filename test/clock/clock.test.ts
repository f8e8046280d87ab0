import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { RealClock, Rng, VirtualClock, type Clock } from '../../sim/clock/index.js';

/** One contract, both clocks: timers fire in due order, chained timers count from their own firing, cancel works. */
function contract(name: string, make: () => { clock: Clock; advance: (ms: number) => Promise<void> }) {
  describe(`${name} (Clock contract)`, () => {
    it('fires timers in due order and not before they are due', async () => {
      const { clock, advance } = make();
      const seen: string[] = [];
      clock.setTimeout(() => seen.push('b'), 120);
      clock.setTimeout(() => seen.push('a'), 20);
      clock.setTimeout(() => seen.push('c'), 160);
      await advance(60);
      expect(seen).toEqual(['a']);
      await advance(140);
      expect(seen).toEqual(['a', 'b', 'c']);
    });

    it('cancels', async () => {
      const { clock, advance } = make();
      const seen: number[] = [];
      const id = clock.setTimeout(() => seen.push(1), 5);
      clock.setTimeout(() => seen.push(2), 5);
      clock.clearTimeout(id);
      await advance(10);
      expect(seen).toEqual([2]);
    });

    it('counts a timer armed inside another from the moment it was armed', async () => {
      const { clock, advance } = make();
      const at: number[] = [];
      const t0 = clock.now();
      clock.setTimeout(() => {
        at.push(clock.now() - t0);
        clock.setTimeout(() => at.push(clock.now() - t0), 10);
      }, 10);
      await advance(100);
      expect(at.length).toBe(2);
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(10);
    });
  });
}

contract('VirtualClock', () => {
  const clock = new VirtualClock(1_000_000);
  return { clock, advance: (ms) => clock.advance(ms) };
});

// Slowed down (a simulated ms lasts 4 real ms) so that a busy machine's timer jitter stays far
// below the gaps these tests look at.
contract('RealClock ×0.25', () => {
  const clock = new RealClock(0.25);
  return { clock, advance: (ms) => new Promise((r) => setTimeout(r, ms * 4 + 5)) };
});

describe('VirtualClock', () => {
  it('jumps an hour instantly and runs chained delays exactly (unlike SimulatedClock.increment)', async () => {
    const clock = new VirtualClock(0);
    let ticks = 0;
    const tick = () => {
      ticks++;
      clock.setTimeout(tick, 1000);
    };
    clock.setTimeout(tick, 1000);
    await clock.advance(3_600_000);
    expect(ticks).toBe(3600);
    expect(clock.now()).toBe(3_600_000);
  });

  it('awaits async timers before the next one', async () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    clock.setTimeout(async () => {
      await Promise.resolve();
      seen.push('async');
    }, 1);
    clock.setTimeout(() => seen.push('sync'), 1);
    await clock.advance(1);
    expect(seen).toEqual(['async', 'sync']);
  });

  it("drives an xstate machine's after-delays", async () => {
    const clock = new VirtualClock(0);
    const m = setup({}).createMachine({
      initial: 'a',
      states: { a: { after: { 300000: 'b' } }, b: { after: { 300000: 'c' } }, c: {} },
    });
    const actor = createActor(m, { clock });
    actor.start();
    await clock.advance(299_999);
    expect(actor.getSnapshot().value).toBe('a');
    await clock.advance(1);
    expect(actor.getSnapshot().value).toBe('b');
    await clock.advance(300_000);
    expect(actor.getSnapshot().value).toBe('c');
  });
});

describe('Rng', () => {
  it('replays the same stream for the same seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('binomial draws have the right mean and spread, exactly at the edges', () => {
    const r = new Rng(1);
    for (const [n, p] of [
      [20, 0.2],
      [1000, 0.2],
      [100000, 0.37],
    ] as const) {
      const k = 400;
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < k; i++) {
        const x = r.binomial(n, p);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(n);
        sum += x;
        sq += x * x;
      }
      const mean = sum / k;
      const variance = sq / k - mean * mean;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(mean - n * p)).toBeLessThan((5 * sd) / Math.sqrt(k));
      expect(variance / (sd * sd)).toBeGreaterThan(0.7);
      expect(variance / (sd * sd)).toBeLessThan(1.3);
    }
    expect(r.binomial(10, 0)).toBe(0);
    expect(r.binomial(10, 1)).toBe(10);
  });

  it('multinomial counts always sum to n', () => {
    const r = new Rng(3);
    for (const n of [0, 1, 7, 5000, 1_000_000]) {
      const out = r.multinomial(n, [1, 0, 3, 2.5, 0.01]);
      expect(out.reduce((a, b) => a + b, 0)).toBe(n);
      expect(out[1]).toBe(0);
    }
  });

  it("pod-name suffixes use Kubernetes' alphabet", () => {
    expect(new Rng(9).k8sSuffix(5)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('RealClock', () => {
  it('after close(), pending timers and timers set later never fire', async () => {
    const clock = new RealClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('pending'), 5_000);
    clock.close();
    clock.setTimeout(() => fired.push('later'), 0);
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toEqual([]);
  });

  it('runs simulated time `speed` times faster than the wall clock', async () => {
    const clock = new RealClock(100, 0);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 1_000); // 10 ms of wall time
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(1_000);
  });
});

describe('RealClock long delays', () => {
  it('a delay beyond setTimeout’s 2^31 - 1 ms limit neither fires early nor spins', async () => {
    const clock = new RealClock(1);
    let fired = false;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    clock.setTimeout(() => (fired = true), 600 * 3600 * 1000);
    await new Promise((r) => setTimeout(r, 50));
    process.off('warning', onWarning);
    clock.close();
    expect(fired).toBe(false);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});

describe('RealClock trainer controls', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('pause stops simulated time and timers; resume continues from where it stopped', async () => {
    const clock = new RealClock(100, 0);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 3_000); // 30 ms of wall time at 100×
    clock.pause();
    const at = clock.now();
    await sleep(80);
    expect(clock.now()).toBe(at);
    expect(fired).toEqual([]);
    expect(clock.isPaused).toBe(true);
    const wall = Date.now();
    clock.resume();
    // From where it stopped: no more than the wall time since resume, sped up.
    expect(clock.now()).toBeGreaterThanOrEqual(at);
    expect(clock.now() - at).toBeLessThanOrEqual((Date.now() - wall + 1) * 100);
    await sleep(120);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(3_000);
    clock.close();
  });

  it('a new speed applies from now on: time never jumps, pending timers keep their simulated due time', async () => {
    const clock = new RealClock(1, 0);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 5_000); // 5 s at 1×: would not fire in this test
    await sleep(20);
    const wall = Date.now();
    const before = clock.now();
    clock.setSpeed(1_000); // the rest of the 5 s takes ~5 ms now
    // No jump: what passed since `before` is the wall time since, at most at the new speed.
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now() - before).toBeLessThanOrEqual((Date.now() - wall + 1) * 1_000);
    expect(clock.speed).toBe(1_000);
    await sleep(100);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(5_000);
    clock.close();
  });

  it('refuses a speed that is not a positive number', () => {
    const clock = new RealClock(1);
    expect(() => clock.setSpeed(0)).toThrow(/positive/);
    expect(() => clock.setSpeed(Number.NaN)).toThrow(/positive/);
    expect(clock.speed).toBe(1);
  });
});
