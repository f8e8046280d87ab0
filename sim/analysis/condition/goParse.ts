import { goQuote } from '../../goQuote.js';

// strconv's parsers as Argo's asInt/asFloat and expr-lang's int()/float() use them. A string
// result is strconv's error text (`strconv.ParseInt: parsing "1.1": invalid syntax`).

/** strconv.ParseInt(s, 10, 64). */
export function parseInt64(s: string): bigint | string {
  if (!/^[+-]?[0-9]+$/.test(s)) return `strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`;
  const v = BigInt(s);
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) {
    return `strconv.ParseInt: parsing ${goQuote(s)}: value out of range`;
  }
  return v;
}

/** strconv.ParseFloat(s, 64) for decimal input, `inf`/`infinity`/`nan` in any case. */
export function parseFloat64(s: string): number | string {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if ((special[2] ?? '').toLowerCase() === 'nan') return special[1] === '' ? NaN : syntax(s);
    return special[1] === '-' ? -Infinity : Infinity;
  }
  // Go allows `_` separators only after a base prefix, so decimal input never has them.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return syntax(s);
  const v = Number(s);
  if (!Number.isFinite(v)) return `strconv.ParseFloat: parsing ${goQuote(s)}: value out of range`;
  return v;
}

function syntax(s: string): string {
  return `strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`;
}
