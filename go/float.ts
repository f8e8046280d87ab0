/**
 * Go's float64 printing, which users see in measurement values and messages.
 *
 *   formatFloatF: strconv.FormatFloat(v, 'f', -1, 64) — Prometheus `SampleValue.String()`:
 *     10 → "10", 0.95 → "0.95", 1e-7 → "0.0000001", 1e21 → "1000000000000000000000", NaN → "NaN", +Inf → "+Inf"
 *   formatFloatV: fmt's %v ('g', shortest, exponent when exp < -4 or exp >= 6):
 *     1e6 → "1e+06", 123456 → "123456", 0.00001 → "1e-05"
 */
export function formatFloatF(v: number): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  const { sign, digits, exp } = shortest(v);
  return sign + fixed(digits, exp);
}

/** See {@link formatFloatF}. */
export function formatFloatV(v: number): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  const { sign, digits, exp } = shortest(v);
  if (digits !== '0' && (exp < -4 || exp >= 6)) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return sign + fixed(digits, exp);
}

function nonFinite(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return undefined;
}

// JS `toExponential()` without an argument gives the shortest digits that round-trip, the same
// digits Go's shortest formatting picks; only the layout differs.
function shortest(v: number): { sign: string; digits: string; exp: number } {
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  if (v === 0) return { sign, digits: '0', exp: 0 };
  const [mantissa = '0', e = '0'] = Math.abs(v).toExponential().split('e');
  return { sign, digits: mantissa.replace('.', ''), exp: Number(e) };
}

function fixed(digits: string, exp: number): string {
  const point = exp + 1;
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
