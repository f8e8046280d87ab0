import { formatFloatF } from '../../go/float.js';

/**
 * The measurement `value` string of Argo's Prometheus provider (spec §6.2): a scalar as Go's
 * `strconv.FormatFloat(v, 'f', -1, 64)`, a vector or matrix as `[v1,v2,...]`.
 *
 *   10 → "10"   0.95 → "0.95"   1e-7 → "0.0000001"   NaN → "NaN"   Infinity → "+Inf"
 *   [10, 11] → "[10,11]"   [] → "[]"
 */
export function formatValue(value: number | readonly number[]): string {
  if (typeof value === 'number') return formatFloatF(value);
  return `[${value.map(formatFloatF).join(',')}]`;
}
