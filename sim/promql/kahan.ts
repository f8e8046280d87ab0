/**
 * One step of Kahan–Neumaier compensated summation (Prometheus's `kahansum.Inc`): adds `inc` to
 * `sum` with compensation `c`; the true total is `sum + c`. Once the sum overflows the
 * compensation is reset, so ±Inf stays ±Inf instead of turning into NaN.
 *
 * Example: summing 1e100, 1, -1e100 naively gives 0; with compensation sum = 0, c = 1 → 1.
 */
export function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}
