/** The eight block heights of a one-line chart, lowest first. */
const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * A one-line chart of the last `width` values, scaled so that `max` is a full block and 0 the
 * lowest one; a missing value (null: no sample at that step) is a space, so "no traffic yet"
 * and "zero traffic" look different. Fewer values than `width` are right-aligned, so the newest
 * point is always in the last column.
 *
 * Worked example: sparkline([0, 5, 10, null], 10, 6) → "  ▁▅█ " (0 → ▁, 5 → round(3.5) = ▅,
 * 10 → █, null → space, padded on the left to 6 columns).
 */
export function sparkline(values: readonly (number | null)[], max: number, width: number): string {
  if (width <= 0) return '';
  const shown = values.slice(Math.max(0, values.length - width));
  const top = BLOCKS.length - 1;
  const chars = shown.map((v) => {
    if (v === null || !Number.isFinite(v)) return ' ';
    if (!(max > 0)) return BLOCKS.charAt(0);
    const level = Math.round((Math.min(Math.max(v, 0), max) / max) * top);
    return BLOCKS.charAt(level);
  });
  return ' '.repeat(width - shown.length) + chars.join('');
}
