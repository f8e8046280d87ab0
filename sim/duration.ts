/**
 * Go's `time.ParseDuration`: a possibly signed sequence of decimal numbers, each with a unit
 * (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), e.g. `300ms`, `-1.5h`, `2h45m`; `0` alone is allowed.
 * Returns milliseconds (fractional for sub-millisecond values) or undefined when `s` is not a duration.
 */
export function parseGoDuration(s: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(s)!;
  const sign = m[1] === '-' ? -1 : 1;
  const rest = m[2]!;
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  const unitMs: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    μs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const part = re.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * unitMs[part[2]!]!;
    pos = re.lastIndex;
  }
  return sign * total;
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
