import seedrandom from 'seedrandom';

/** Kubernetes' alphabet for generated name suffixes and safe-encoded hashes (no vowels, no 0/1/3). */
export const K8S_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The simulation's one source of randomness. Seeded, so a scenario with the same seed replays
 * byte for byte. Every draw goes through `next()`.
 */
export class Rng {
  private readonly prng: () => number;

  constructor(readonly seed: number | string) {
    this.prng = seedrandom.alea(String(seed));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** A derived, independent stream (e.g. one per pod), so adding draws in one place does not shift another. */
  fork(label: string): Rng {
    return new Rng(`${String(this.seed)}/${label}/${this.int(2 ** 32)}`);
  }

  /** `n` characters from Kubernetes' name alphabet, as `utilrand.String(n)` generates pod-name suffixes. */
  k8sSuffix(n = 5): string {
    let s = '';
    for (let i = 0; i < n; i++) s += K8S_ALPHANUMS[this.int(K8S_ALPHANUMS.length)];
    return s;
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.prng();
    const v = this.prng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Number of successes in `n` trials of probability `p`. Exact (inversion) while the mean is small;
   * a continuity-corrected normal approximation once n·p·(1−p) ≥ 30, which keeps per-tick traffic
   * splitting O(1) for millions of requests.
   */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    const variance = n * p * (1 - p);
    if (variance >= 30) {
      const x = Math.round(n * p + Math.sqrt(variance) * this.normal());
      return x < 0 ? 0 : x > n ? n : x;
    }
    if (n <= 16) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.prng() < p) k++;
      return k;
    }
    // Inversion: walk the pmf from k = 0 (mean < ~60 here, so this is short).
    const q = 1 - p;
    const s = p / q;
    let f = Math.pow(q, n);
    let u = this.prng();
    let k = 0;
    while (u > f) {
      u -= f;
      f *= (s * (n - k)) / (k + 1);
      k++;
      if (k > n) return n;
      if (f === 0) break;
    }
    return k;
  }

  /**
   * Number of events of a Poisson process with mean `lambda` (0 for λ ≤ 0, without a draw).
   * Exact below λ = 50: inversion, one uniform draw, walking the pmf from k = 0 (about λ steps).
   * From λ = 50 on, one normal deviate z: round(λ + √λ·z + (z² − 1)/6) — the normal approximation
   * with the continuity correction (rounding) and Cornish–Fisher's skew term, which keeps the mean
   * at λ, adds 1/18 to the variance and cuts the error of the tails' probabilities several-fold
   * at λ = 50; every λ costs the same, so a tick of a million expected arrivals is one draw.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda >= 50) {
      const z = this.normal();
      const x = Math.round(lambda + Math.sqrt(lambda) * z + (z * z - 1) / 6);
      return x > 0 ? x : 0;
    }
    const u = this.prng();
    let p = Math.exp(-lambda);
    let f = p;
    let k = 0;
    // f reaches 1 within rounding; u's last few ulps below 1 stop when the pmf underflows.
    while (u > f && p > 0) {
      k++;
      p *= lambda / k;
      f += p;
    }
    return k;
  }

  /**
   * Splits `n` over categories with the given weights (need not sum to 1): a multinomial draw by
   * conditional binomials. Returns one count per weight; the counts sum to `n` exactly.
   */
  multinomial(n: number, weights: readonly number[]): number[] {
    const out = new Array<number>(weights.length).fill(0);
    let total = 0;
    for (const w of weights) total += w > 0 ? w : 0;
    let left = n;
    let mass = total;
    for (let i = 0; i < weights.length && left > 0; i++) {
      const w = weights[i]! > 0 ? weights[i]! : 0;
      if (w === 0) continue;
      const k = mass <= w ? left : this.binomial(left, w / mass);
      out[i] = k;
      left -= k;
      mass -= w;
    }
    return out;
  }
}
