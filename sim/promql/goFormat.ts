import { formatFloatV } from '../../go/float.js';
import { goQuote } from '../../go/quote.js';

export { goQuote };

/*
 * Go's number and string conventions, which Prometheus's messages and parser follow: strconv's
 * base-0 integers and floats, `%g`/`%v` float text, `%q` quoting, `model.Duration` text.
 */

/**
 * `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b` prefixes, a bare leading `0` means
 * octal, `_` allowed between digits. Returns undefined when Go would return an error (including
 * int64 overflow), so callers can fall back to `parseGoFloat` as Prometheus does.
 */
function parseGoInt0(s: string): number | undefined {
  const m = /^([+-]?)(0[xX]|0[oO]|0[bB]|0(?=[0-9_]))?([0-9a-fA-F_]+)$/.exec(s);
  if (!m) return undefined;
  const prefix = (m[2] ?? '').toLowerCase();
  let digits = m[3]!;
  const base = prefix === '0x' ? 16 : prefix === '0o' || prefix === '0' ? 8 : prefix === '0b' ? 2 : 10;
  // Underscores only between digits, or right after a base prefix.
  if (digits.includes('_')) {
    if (/__/.test(digits) || digits.endsWith('_')) return undefined;
    if (digits.startsWith('_') && prefix === '') return undefined;
    digits = digits.replace(/_/g, '');
    if (digits === '') return undefined;
  }
  if (prefix === '0' && m[3]!.startsWith('_')) digits = digits.replace(/^_/, '');
  const valid =
    base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const big = BigInt((base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '') + digits);
  const signed = m[1] === '-' ? -big : big;
  if (signed > 9223372036854775807n || signed < -9223372036854775808n) return undefined;
  return Number(signed);
}

/** Why `parseGoFloat` failed, worded like strconv ("invalid syntax" / "value out of range"). */
export type GoFloatError = 'invalid syntax' | 'value out of range';

/**
 * `strconv.ParseFloat(s, 64)`: decimal or hex (`0x1p-2`) floats, `inf`/`infinity`/`nan` in any
 * case (a sign only before inf). Underscores are allowed only after a base prefix.
 */
export function parseGoFloat(s: string): number | GoFloatError {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const hex = /^([+-]?)0[xX]_?([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(s);
  if (hex) {
    const intPart = hex[2]!.replace(/_/g, '');
    const frac = (hex[3] ?? '').replace(/_/g, '');
    if (intPart === '' && frac === '') return 'invalid syntax';
    let mant = 0;
    for (const c of intPart + frac) mant = mant * 16 + parseInt(c, 16);
    const v = mant * Math.pow(2, Number(hex[4]!.replace(/_/g, '')) - 4 * frac.length);
    if (!Number.isFinite(v)) return 'value out of range';
    return hex[1] === '-' ? -v : v;
  }
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return 'invalid syntax';
  const v = Number(s);
  if (!Number.isFinite(v)) return 'value out of range';
  return v;
}

/** Go `strconv.ParseInt(s, 0, 64)` then `ParseFloat` — Prometheus's `number()`. */
export function parseGoNumber(s: string): number | GoFloatError {
  const i = parseGoInt0(s);
  if (i !== undefined) return i;
  return parseGoFloat(s);
}

/** Go `%v` / `%g` text of a float64 (shared with the condition language). */
export const formatGoFloat = formatFloatV;

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1] as const;

/**
 * prometheus/common `model.ParseDuration`: integer amounts with units `y w d h m s ms`, largest
 * first, each at most once; `0` alone is allowed. Returns milliseconds, or an error text.
 */
export function parsePromDuration(s: string): number | { error: string } {
  if (s === '') return { error: 'empty duration string' };
  if (s === '0') return 0;
  const m = DURATION_RE.exec(s);
  if (!m) return { error: `not a valid duration string: ${goQuote(s)}` };
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * UNIT_MS[i]!;
  }
  if (!Number.isSafeInteger(ms)) return { error: 'duration out of range' };
  return ms;
}

/** `model.Duration.String()`: `1h30m`, `90d` (years and weeks only when exact), `0s`. */
export function formatPromDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const unit = (name: string, mult: number, exact: boolean): void => {
    if (exact && rest % mult !== 0) return;
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${name}`;
      rest -= v * mult;
    }
  };
  unit('y', UNIT_MS[0], true);
  unit('w', UNIT_MS[1], true);
  unit('d', UNIT_MS[2], false);
  unit('h', UNIT_MS[3], false);
  unit('m', UNIT_MS[4], false);
  unit('s', UNIT_MS[5], false);
  unit('ms', 1, false);
  return out;
}

/** Go `%q` of a rune: `'a'`, `'\''`, `'\n'`, `'\x00'`. */
export function goQuoteRune(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return `'"'`;
  const q = goQuote(ch);
  return `'${q.slice(1, -1)}'`;
}

/** Go `%#U` of a rune: `U+0071 'q'`. */
export function goUnicode(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return cp >= 0x20 && cp !== 0x7f ? `U+${hex} '${ch}'` : `U+${hex}`;
}
