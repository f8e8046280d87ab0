import type { Rng } from '../clock/index.js';

/**
 * Deals `count` requests over categories with probabilities `probs` (summing to 1).
 *
 * Drawn (`exact` absent): one multinomial draw — each request independently — so shares land
 * within binomial bounds. A single category takes everything without a draw, so models that
 * never branch consume no randomness.
 *
 * Exact (`exact` given: per-category totals kept between calls, keyed by `keys`): each
 * category's expected count accumulates, and requests are dealt so that the dealt totals follow
 * the floors of the cumulative expectations — Bresenham's line over the categories. A share of
 * 2 % fails exactly the 50th, 100th… request, whatever the batch sizes, and shares that change
 * over time stay within a request of their expected totals.
 */
export function allocate(
  probs: readonly number[],
  count: number,
  rng: Rng,
  exact?: { carry: Map<string, number>; keys: readonly string[] },
): number[] {
  if (probs.length === 1) return [count];
  if (!exact) return rng.multinomial(count, probs);
  const { carry, keys } = exact;
  const expected = keys.map((k, i) => (carry.get(`${k}|E`) ?? 0) + count * probs[i]!);
  const dealt = keys.map((k) => carry.get(`${k}|D`) ?? 0);
  const out = new Array<number>(probs.length).fill(0);
  let cumulative = 0;
  let before = 0;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    cumulative += expected[i]!;
    // The epsilon absorbs float error in sums such as 50 × 0.02.
    const upTo = Math.floor(cumulative + 1e-9);
    out[i] = Math.max(0, upTo - before - dealt[i]!);
    before = upTo;
    sum += out[i]!;
  }
  // Categories that come and go (a rule whose `when` matches only some requests) can leave the
  // batch a request or two off: settle on the categories furthest behind (or ahead).
  const lag = (i: number) => expected[i]! - dealt[i]! - out[i]!;
  const order = [...out.keys()];
  while (sum < count) {
    const i = order.reduce((a, b) => (lag(b) > lag(a) ? b : a));
    out[i]!++;
    sum++;
  }
  while (sum > count) {
    const i = order.filter((k) => out[k]! > 0).reduce((a, b) => (lag(b) < lag(a) ? b : a));
    out[i]!--;
    sum--;
  }
  keys.forEach((k, i) => {
    carry.set(`${k}|E`, expected[i]!);
    carry.set(`${k}|D`, dealt[i]! + out[i]!);
  });
  return out;
}
