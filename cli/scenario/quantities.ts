import { GO_DURATION_EXPECTED, parseGoDuration } from '../../go/duration.js';
import type { ManifestNode } from '../../sim/manifests/ManifestNode.js';

/** The longest duration a scenario may state (30 days): bounded runs, bounded models. */
export const MAX_SCENARIO_DURATION_MS = 30 * 24 * 3600 * 1000;

/** The highest request rate a scenario may state, per second. */
export const MAX_RATE_PER_SECOND = 1_000_000;

/** A share's resolution: percentages with at most 4 decimals, so 100 % is 1,000,000 units. */
export const SHARE_UNITS = 1_000_000;

const RATE_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };
export const RATE_EXPECTED = 'a number per second or N/s, N/m or N/h such as 20/s or 1200/m';

/**
 * A share written as an exact percentage ("2%", "0.125%", "100%"), in units of 1e-4 % (so sums
 * of shares are exact integers). Bare numbers are refused: `0.02` and `2` would both be guesses.
 */
export function parseShareUnits(n: ManifestNode): number {
  const v = n.value;
  if (typeof v !== 'string')
    throw n.error(`expected a percentage such as "2%" or "12.5%", got ${JSON.stringify(v)}`);
  const m = /^(\d{1,3})(?:\.(\d+))?%$/.exec(v);
  if (!m) throw n.error(`invalid share ${JSON.stringify(v)}: expected a percentage such as 2% or 12.5%`);
  const decimals = m[2] ?? '';
  if (decimals.length > 4)
    throw n.errorAt(m[1]!.length + 1 + 4, `invalid share ${JSON.stringify(v)}: expected at most 4 decimals`);
  const units = Number(m[1]) * 10_000 + Number(decimals.padEnd(4, '0'));
  if (units > SHARE_UNITS) throw n.error(`invalid share ${JSON.stringify(v)}: expected at most 100%`);
  return units;
}

/** A share as a fraction in [0, 1] (see parseShareUnits). */
export function parseShare(n: ManifestNode): number {
  return parseShareUnits(n) / SHARE_UNITS;
}

/** A share's units as the percentage it was written as ("12.5%"). */
export function formatShare(units: number): string {
  const whole = Math.floor(units / 10_000);
  const frac = String(units % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}%` : `${whole}%`;
}

/**
 * A rate in requests per second: a number (per second) or `N/s`, `N/m`, `N/h` (`1200/m` is
 * 20/s); at most 1,000,000/s.
 */
export function parseRate(n: ManifestNode): number {
  let perSecond: number;
  if (typeof n.value === 'number') {
    perSecond = n.value;
    if (!Number.isFinite(perSecond) || perSecond < 0)
      throw n.error(`invalid rate ${String(n.value)}: expected ${RATE_EXPECTED}`);
  } else {
    if (typeof n.value !== 'string') throw n.error(`expected a rate (${RATE_EXPECTED})`);
    const s = n.value;
    const m = /^(\d+(?:\.\d+)?|\.\d+)(?:\/(.*))?$/.exec(s);
    if (!m) throw n.error(`invalid rate ${JSON.stringify(s)}: expected ${RATE_EXPECTED}`);
    const unit = m[2];
    if (unit !== undefined && !Object.hasOwn(RATE_UNITS, unit))
      throw n.errorAt(
        m[1]!.length + 1,
        `invalid rate ${JSON.stringify(s)}: unknown unit ${JSON.stringify(unit)}, expected /s, /m or /h`,
      );
    perSecond = Number(m[1]) / (unit === undefined ? 1 : RATE_UNITS[unit]!);
  }
  if (perSecond > MAX_RATE_PER_SECOND)
    throw n.error(`rate ${n.value as string} is above the limit of 1,000,000/s`);
  return perSecond;
}

/**
 * A duration: a Go duration ("30s", "1h30m", "250ms") or a number of seconds; `unit: true`
 * insists on a unit (latencies: is `2` seconds or milliseconds?). At most 30 days.
 */
export function parseDuration(n: ManifestNode, opts: { positive?: boolean; unit?: boolean } = {}): number {
  const v = n.value;
  let ms: number | undefined;
  if (typeof v === 'number') {
    if (opts.unit)
      throw n.error(
        `invalid duration ${n.written}: expected a unit, such as ${n.written}ms or ${n.written}s`,
      );
    // YAML's .inf and .nan are numbers too: name them as written, not as JSON's null.
    if (!Number.isFinite(v) || v < 0)
      throw n.error(`invalid duration ${n.written}: expected ${GO_DURATION_EXPECTED}`);
    ms = v * 1000;
  } else if (typeof v === 'string') ms = parseGoDuration(v);
  else throw n.error(`expected a duration (${GO_DURATION_EXPECTED}), got ${JSON.stringify(v)}`);
  if (ms === undefined || ms < 0 || Number.isNaN(ms))
    throw n.error(`invalid duration ${JSON.stringify(v)}: expected ${GO_DURATION_EXPECTED}`);
  if (opts.positive && ms === 0)
    throw n.error(`invalid duration ${JSON.stringify(v)}: expected more than 0s`);
  if (ms > MAX_SCENARIO_DURATION_MS)
    throw n.error(`duration ${JSON.stringify(v)} is longer than 720h (30 days)`);
  return ms;
}
