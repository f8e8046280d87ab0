import { describe, expect, it } from 'vitest';
import { allocate } from '../../sim/apps/index.js';
import { Rng } from '../../sim/clock/index.js';

describe('allocate', () => {
  it('one category takes everything without a draw', () => {
    const rng = new Rng(1);
    const before = new Rng(1).next();
    expect(allocate([1], 1234, rng)).toEqual([1234]);
    expect(rng.next()).toBe(before);
  });

  it('drawn: counts sum to the batch and shares fall within binomial bounds', () => {
    const rng = new Rng(7);
    let fails = 0;
    const n = 1_000_000;
    for (let done = 0; done < n; done += 1000) {
      const [f, ok] = allocate([0.02, 0.98], 1000, rng);
      expect(f! + ok!).toBe(1000);
      fails += f!;
    }
    expect(Math.abs(fails - 0.02 * n)).toBeLessThan(5 * Math.sqrt(n * 0.02 * 0.98));
  });

  it('exact: 2 % fails exactly every 50th request, whatever the batch sizes', () => {
    const carry = new Map<string, number>();
    const rng = new Rng(1);
    const keys = ['fail', 'ok'];
    const sizes = [1, 7, 13, 49, 50, 51, 3, 1000, 1, 1];
    let served = 0;
    let failed = 0;
    for (let round = 0; round < 40; round++)
      for (const size of sizes) {
        const [f] = allocate([0.02, 0.98], size, rng, { carry, keys });
        served += size;
        failed += f!;
        // After every batch the failures are exactly floor(served / 50) (give or take the epsilon).
        expect(failed).toBe(Math.floor((served + 1e-6) / 50));
      }
  });

  it('exact: a request at a time fails on the 50th, the 100th…', () => {
    const carry = new Map<string, number>();
    const rng = new Rng(1);
    const failedAt: number[] = [];
    for (let i = 1; i <= 200; i++)
      if (allocate([0.02, 0.98], 1, rng, { carry, keys: ['f', 'o'] })[0] === 1) failedAt.push(i);
    expect(failedAt).toEqual([50, 100, 150, 200]);
  });

  it('exact: several categories stay within one request of their shares', () => {
    const carry = new Map<string, number>();
    const rng = new Rng(1);
    const probs = [0.1 / 3, 0.1 / 3, 0.1 / 3, 0.9];
    const tot = [0, 0, 0, 0];
    let n = 0;
    for (let i = 0; i < 5000; i++) {
      const size = 1 + (i % 17);
      const got = allocate(probs, size, rng, { carry, keys: ['a', 'b', 'c', 'd'] });
      expect(got.reduce((x, y) => x + y, 0)).toBe(size);
      got.forEach((g, k) => (tot[k]! += g));
      n += size;
      tot.forEach((t, k) => expect(Math.abs(t - n * probs[k]!)).toBeLessThan(1.000001));
    }
  });
});
