import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/clock/index.js';

/** Mean and variance of `n` draws. */
function moments(draw: () => number, n: number): { mean: number; variance: number; values: number[] } {
  const values = Array.from({ length: n }, draw);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, variance, values };
}

// Fixed seeds: each bound is five standard errors wide, and the draws are the same on every run.
describe('Rng.poisson', () => {
  it.each([0.05, 0.2, 1, 3, 20, 49.9])(
    'has mean and variance λ for small λ = %s (exact inversion)',
    (lambda) => {
      const n = 100_000;
      const rng = new Rng(`poisson/${lambda}`);
      const m = moments(() => rng.poisson(lambda), n);
      expect(Math.abs(m.mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
      // Var of the sample variance of a Poisson is ≈ (λ + 2λ²)/n.
      expect(Math.abs(m.variance - lambda)).toBeLessThan(5 * Math.sqrt((lambda + 2 * lambda * lambda) / n));
    },
  );

  it('follows the Poisson pmf for λ = 3 (each frequency within five standard errors)', () => {
    const rng = new Rng(11);
    const n = 200_000;
    const freq = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = rng.poisson(3);
      freq.set(k, (freq.get(k) ?? 0) + 1);
    }
    let p = Math.exp(-3);
    for (let k = 0; k <= 10; k++) {
      if (k > 0) p *= 3 / k;
      const observed = (freq.get(k) ?? 0) / n;
      expect(Math.abs(observed - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-6);
    }
  });

  it.each([50, 72, 1000, 1e6, 3.6e9])(
    'has mean and variance λ for large λ = %s (normal approximation)',
    (lambda) => {
      const rng = new Rng(`poisson/${lambda}`);
      const n = 50_000;
      const m = moments(() => rng.poisson(lambda), n);
      expect(Math.abs(m.mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
      // The skew term adds 1/18 to the variance: invisible next to λ.
      expect(Math.abs(m.variance / lambda - 1)).toBeLessThan(5 * Math.sqrt(2 / n) + 1 / (18 * lambda));
      expect(m.values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    },
  );

  it('matches the lower tail at λ = 50 better than a plain normal would', () => {
    // Exact P(N ≤ 35) for λ = 50 is 0.01621; a plain continuity-corrected normal gives 0.0202.
    const rng = new Rng(5);
    const n = 400_000;
    let low = 0;
    for (let i = 0; i < n; i++) if (rng.poisson(50) <= 35) low++;
    const p = 0.016206;
    expect(Math.abs(low / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });

  it('draws nothing for λ ≤ 0 (and NaN), so a silent tick does not shift the stream', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    expect([a.poisson(0), a.poisson(-1), a.poisson(Number.NaN)]).toEqual([0, 0, 0]);
    expect(a.next()).toBe(b.next());
  });

  it('uses one uniform below λ = 50 and one normal (two uniforms) from 50 on', () => {
    const a = new Rng(21);
    const b = new Rng(21);
    a.poisson(10);
    b.next();
    expect(a.next()).toBe(b.next());
    a.poisson(500);
    b.normal();
    expect(a.next()).toBe(b.next());
  });

  it('is the same sequence for the same seed, another for another seed', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return [r.poisson(0.5), r.poisson(4), r.poisson(80), r.poisson(2e4), r.poisson(3), r.poisson(7)];
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it("leaves the existing methods' sequences as they were (byte-identical goldens depend on them)", () => {
    const r = new Rng(1);
    expect([
      r.next(),
      r.int(1000),
      r.binomial(100, 0.3),
      r.multinomial(50, [1, 2, 3]),
      r.normal(),
      r.k8sSuffix(),
    ]).toEqual([0.526047095656395, 122, 30, [9, 13, 28], 1.5166495890830571, 'krdjz']);
  });
});
