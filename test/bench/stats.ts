/** min / median / max of a benchmark's runs. */
export function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
}

/** `min / median / max unit`, as every benchmark line prints it. */
export const fmt = (x: { min: number; median: number; max: number }, unit: string, digits = 0) =>
  `${x.min.toFixed(digits)} / ${x.median.toFixed(digits)} / ${x.max.toFixed(digits)} ${unit}`;
