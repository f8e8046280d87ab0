/**
 * Simulated time since the scenario started as `HH:MM:SS` (rounded to the second), the way run
 * output and `explain` print it.
 *
 *   0 → "00:00:00"   824.925 → "00:13:45"   2039.336 → "00:33:59"   90061 → "25:01:01"
 */
export function clockTime(seconds: number): string {
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
