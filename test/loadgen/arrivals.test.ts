import { describe, expect, it } from 'vitest';
import { Arrivals, UniformSplit } from '../../loadgen/arrivals.js';
import { rateCurve } from '../../loadgen/rateCurve.js';
import { Rng } from '../../sim/clock/index.js';

describe('UniformSplit', () => {
  it('sends 80 %/20 % one request a tick as A A A A B', () => {
    const s = new UniformSplit([800_000, 200_000]);
    expect(Array.from({ length: 10 }, () => s.take(1).join('+'))).toEqual(
      '1+0 1+0 1+0 1+0 0+1 1+0 1+0 1+0 1+0 0+1'.split(' '),
    );
  });

  it('keeps every kind within one request of its share, whatever the tick counts (stress)', () => {
    const rng = new Rng('split-stress');
    let worst = 0;
    let negative = 0;
    let wrongSum = 0;
    for (let trial = 0; trial < 1500; trial++) {
      const k = 1 + rng.int(12);
      const w: number[] = Array.from({ length: k }, () =>
        rng.int(4) === 0 ? 0 : 1 + rng.int(rng.int(2) ? 10 : 1_000_000),
      );
      if (!w.some((x) => x > 0)) w[0] = 1;
      const W = w.reduce((a, b) => a + b, 0);
      const split = new UniformSplit(w);
      const sent = w.map(() => 0);
      let n = 0;
      for (let t = 0; t < 200; t++) {
        const m = rng.int(3) === 0 ? rng.int(3) : rng.int(rng.int(2) ? 20 : 5000);
        const got = split.take(m);
        if (got.reduce((a, b) => a + b, 0) !== m) wrongSum++;
        n += m;
        got.forEach((x, i) => {
          if (x < 0) negative++;
          sent[i]! += x;
          worst = Math.max(worst, Math.abs(sent[i]! - (n * w[i]!) / W));
        });
      }
    }
    expect({ negative, wrongSum }).toEqual({ negative: 0, wrongSum: 0 });
    expect(worst).toBeLessThan(1);
    expect(worst).toBeGreaterThan(0.99); // the bound is tight: the stress reaches it
  });

  it('stays exact for huge ticks (products kept below 2^53)', () => {
    const s = new UniformSplit([333_333, 333_333, 333_334]);
    const got = s.take(3_600_000_000_000);
    expect(got.reduce((a, b) => a + b, 0)).toBe(3_600_000_000_000);
    expect(got[2]! - 3_600_000_000_000 * 0.333334).toBeLessThan(1);
  });
});

describe('Arrivals', () => {
  const curve = rateCurve({ kind: 'constant', perSecond: 0.3 }, 0);

  it('uniform: the floor of the integral so far, never a draw', () => {
    const rng = new Rng(1);
    const a = new Arrivals(curve, 'uniform', [1], rng);
    const counts = Array.from({ length: 10 }, (_, i) => a.take(i * 1000, (i + 1) * 1000)[0]);
    expect(counts).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    expect(rng.next()).toBe(new Rng(1).next());
  });

  it('poisson: one draw per tick, split by a multinomial draw', () => {
    const a = new Arrivals(
      rateCurve({ kind: 'constant', perSecond: 1000 }, 0),
      'poisson',
      [3, 1],
      new Rng(2),
    );
    const [x, y] = a.take(0, 1000) as [number, number];
    expect(Math.abs(x + y - 1000)).toBeLessThan(5 * Math.sqrt(1000));
    expect(Math.abs(x - 0.75 * (x + y))).toBeLessThan(5 * Math.sqrt((x + y) * 0.75 * 0.25));
  });
});
