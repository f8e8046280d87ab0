// Go's time arithmetic where the demo apps sleep: `time.Duration(x) * time.Second` converts to
// int64 nanoseconds and wraps on overflow, and time.Sleep of a duration ≤ 0 returns at once.

const NS_PER_SECOND = 1_000_000_000n;

/** How long `time.Sleep(time.Duration(n) * time.Second)` sleeps for an integer `n`, in ms (0: not at all). */
export function goSleepSecondsMs(n: bigint): number {
  const ns = BigInt.asIntN(64, n * NS_PER_SECOND);
  return ns > 0n ? Number(ns) / 1e6 : 0;
}

/**
 * How long `time.Sleep(time.Duration(f) * time.Second)` sleeps for a float `f`, in ms: the
 * seconds truncated toward zero (2.7 → 2 s, 0.9 → 0); absurd values wrap and do not sleep.
 */
export function goSleepMs(seconds: number): number {
  if (!(seconds > 0)) return 0;
  // Go's float64 → int64 conversion of a value beyond the int64 range gives the minimum int64 on amd64.
  return goSleepSecondsMs(seconds >= 2 ** 63 ? -(2n ** 63n) : BigInt(Math.trunc(seconds)));
}
