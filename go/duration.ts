import { goQuote } from './quote.js';

/** Nanoseconds per unit of `time.ParseDuration`; both micro signs are accepted, as in Go. */
const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_U63 = 1n << 63n;

/**
 * Go's `time.ParseDuration`, exactly (int64 nanoseconds, as a BigInt): a possibly signed sequence
 * of decimal numbers, each with a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), e.g. `300ms`,
 * `-1.5h`, `2h45m`, `.5s`, `1.s`; `0` alone is allowed. Undefined when `s` is not a duration (a
 * missing or unknown unit, anything else in the string — a trailing newline included) or
 * overflows int64. Fractions are scaled through a float64 and truncated, as Go does.
 */
function parseDurationBig(s: string): bigint | undefined {
  let rest = s;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  const re = /([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0n;
  let pos = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const m = re.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = UNIT_NS[m[3]!]!;
    let v = BigInt(m[1] || '0');
    if (v > MAX_U63 / unit) return undefined;
    v *= unit;
    // leadingFraction: digits past what fits in int64 are read but ignored.
    let f = 0n;
    let scale = 1;
    for (const d of m[2] ?? '') {
      if (f > (MAX_U63 - 1n) / 10n) break;
      f = f * 10n + BigInt(d.charCodeAt(0) - 48);
      scale *= 10;
    }
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > MAX_U63) return undefined;
    }
    total += v;
    if (total > MAX_U63) return undefined;
    pos = re.lastIndex;
  }
  if (negative) return -total;
  if (total > MAX_U63 - 1n) return undefined;
  return total;
}

/** {@link parseDurationBig} as a number of nanoseconds (rounded above 2^53 ns, about 104 days). */
export function parseGoDurationNs(s: string): number | undefined {
  const ns = parseDurationBig(s);
  return ns === undefined ? undefined : Number(ns);
}

/** `time.ParseDuration` in milliseconds (fractional below a millisecond, exact at whole ones), or undefined. */
export function parseGoDuration(s: string): number | undefined {
  const ns = parseDurationBig(s);
  return ns === undefined ? undefined : Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
}

/** What a duration field accepts, for error messages. */
export const GO_DURATION_EXPECTED = 'a Go duration such as 30s, 5m or 1h30m';

/**
 * Argo's pause duration (`RolloutPause.DurationSeconds`): an integer is seconds; a string is first
 * read as an integer number of seconds, then as a Go duration truncated to whole seconds
 * (`"500ms"` → 0). Returns undefined when it is neither (Argo then reports the step invalid).
 */
export function parsePauseDurationSeconds(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (/^[-+]?\d+$/.test(v)) return Number(v);
  const ms = parseGoDuration(v);
  if (ms === undefined) return undefined;
  return Math.trunc(ms / 1000);
}

/** Formats milliseconds the way Go's `Duration.String()` does (`1h30m0s`, `10s`, `500ms`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${trimFloat(rest)}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  let out = '';
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  out += `${trimFloat(s)}s`;
  return (neg ? '-' : '') + out;
}

function trimFloat(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}

/** Go's `time.ParseDuration` error for a string it rejects. */
export function goDurationError(s: string): string {
  const orig = goQuote(s);
  let rest = s.replace(/^[-+]/, '');
  if (rest === '') return `time: invalid duration ${orig}`;
  while (rest !== '') {
    const num = /^(\d*)(\.\d*)?/.exec(rest)!;
    if (num[0] === '' || num[0] === '.') return `time: invalid duration ${orig}`;
    rest = rest.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === '') return `time: missing unit in duration ${orig}`;
    if (!['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'].includes(unit))
      return `time: unknown unit ${goQuote(unit)} in duration ${orig}`;
    rest = rest.slice(unit.length);
  }
  return `time: invalid duration ${orig}`;
}
