import { goQuote } from './quote.js';

// Go's strconv, the one implementation of its parsers: base-10 ParseInt and ParseFloat as
// Argo's asInt/asFloat and expr-lang's int()/float() use them (a string result is strconv's
// error text, `strconv.ParseInt: parsing "1.1": invalid syntax`), and below, ParseInt with base
// prefixes and ParseBool as Go's flag packages call them.

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

// The parsers as Go's flag packages call them: a failure carries strconv's error text and its
// kind, which the std flag package reports as "parse error" or "value out of range".

/** A strconv failure: the error text and whether the syntax or the range was wrong. */
export interface StrconvError {
  error: string;
  kind: 'syntax' | 'range';
}

const INT64_MAX = 0x7fffffffffffffffn;

/**
 * `strconv.ParseInt(s, 0, 64)`, the call behind `flag.Int` and pflag's `Int`: a sign, then
 * `0x`/`0o`/`0b` prefixes or a leading `0` for octal, `_` between digits allowed
 * (`0x1F` → 31, `010` → 8, `1_000` → 1000, `08` → invalid syntax).
 */
export function parseIntBase0(s: string): bigint | StrconvError {
  const syntax: StrconvError = {
    error: `strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`,
    kind: 'syntax',
  };
  let rest = s;
  let negative = false;
  if (rest.startsWith('+') || rest.startsWith('-')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '') return syntax;
  let base = 10n;
  if (rest[0] === '0') {
    const p = rest[1]?.toLowerCase();
    if (rest.length >= 3 && (p === 'b' || p === 'o' || p === 'x')) {
      base = p === 'b' ? 2n : p === 'o' ? 8n : 16n;
      rest = rest.slice(2);
    } else {
      base = 8n;
      rest = rest.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const ch of rest) {
    if (ch === '_') {
      underscores = true;
      continue;
    }
    const d = digitValue(ch);
    if (d === undefined || BigInt(d) >= base) return syntax;
    n = n * base + BigInt(d);
  }
  if (underscores && !underscoreOK(s)) return syntax;
  if (n > (negative ? INT64_MAX + 1n : INT64_MAX))
    return { error: `strconv.ParseInt: parsing ${goQuote(s)}: value out of range`, kind: 'range' };
  return negative ? -n : n;
}

function digitValue(ch: string): number | undefined {
  const c = ch.toLowerCase();
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 87;
  return undefined;
}

// Go's rule: an underscore must sit between digits, or between the base prefix and a digit.
function underscoreOK(s: string): boolean {
  let saw = '^';
  let t = s.replace(/^[+-]/, '');
  let hex = false;
  if (t.length >= 2 && t[0] === '0' && 'box'.includes(t[1]!.toLowerCase())) {
    hex = t[1]!.toLowerCase() === 'x';
    t = t.slice(2);
    saw = '0';
  }
  for (const ch of t) {
    if ((ch >= '0' && ch <= '9') || (hex && /[a-f]/i.test(ch))) saw = '0';
    else if (ch === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** `strconv.ParseBool`: 1, t, T, TRUE, true, True and their false counterparts; nothing else. */
export function parseBool(s: string): boolean | StrconvError {
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return { error: `strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`, kind: 'syntax' };
}

/** Whether a parse result is a failure. */
export function isStrconvError(v: unknown): v is StrconvError {
  return typeof v === 'object' && v !== null && 'error' in v;
}
