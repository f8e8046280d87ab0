import { HEY_PHASES, latencyBinMidMs, type HeyPhase, type HeyResult } from './HeyResult.js';

/**
 * hey 0.1.4's summary, byte for byte: its text/template (requester/print.go) rendered and then
 * — hey's own quirk — used as a printf format with no arguments, followed by one more newline.
 * That is why `10%%` prints as `10%`, and why a `%` inside an error message comes out as Go's
 * `%!x(MISSING)`.
 *
 * Latencies come from the result's fine bins, not from the individual values hey sorts: the
 * fastest and slowest are exact, every other latency is its bin's middle (clamped between
 * them). Percentiles and histogram counts are then computed exactly as hey computes them from
 * a sorted slice, so they can differ from hey's only for latencies within half a bin (0.5 µs
 * below one second) of a rounding boundary or histogram mark.
 */
export function printHeySummary(result: HeyResult): string {
  const sampled = result.sampled;
  const totalSec = result.totalMs / 1000;
  const fastest = sampled > 0 ? result.latency.fastestMs / 1000 : 0;
  const slowest = sampled > 0 ? result.latency.slowestMs / 1000 : 0;
  const avg = (sumMs: number): number => sumMs / 1000 / sampled;
  const f4 = (v: number): string => formatGoFloat(v, 4, 4);

  let out = '\nSummary:\n';
  out += `  Total:\t${f4(totalSec)} secs\n`;
  out += `  Slowest:\t${f4(slowest)} secs\n`;
  out += `  Fastest:\t${f4(fastest)} secs\n`;
  out += `  Average:\t${f4(avg(result.latency.sumMs))} secs\n`;
  out += `  Requests/sec:\t${f4(result.results / totalSec)}\n`;
  out += '  ';
  if (result.totalBytes > 0) {
    out += '\n';
    out += `  Total data:\t${result.totalBytes} bytes\n`;
    out += `  Size/request:\t${Math.trunc(result.totalBytes / sampled)} bytes`;
  }
  const runs = sampled > 0 ? latencyRuns(result, fastest, slowest) : [];
  out += '\n\nResponse time histogram:\n';
  out += sampled > 0 ? histogram(runs, fastest, slowest) : '';
  out += '\n\nLatency distribution:';
  if (sampled > 0) {
    for (const [pct, latency] of percentiles(runs, sampled)) out += `\n  ${pct}%% in ${f4(latency)} secs`;
  }
  out += '\n\nDetails (average, fastest, slowest):';
  for (const phase of HEY_PHASES) {
    const p = result.phases[phase];
    // hey's template shows the overall fastest and slowest request on the DNS+dialup line.
    const [lo, hi] = phase === 'conn' ? [fastest, slowest] : [p.minMs / 1000, p.maxMs / 1000];
    const [min, max] = sampled > 0 ? [lo, hi] : [0, 0];
    out += `\n  ${PHASE_LABEL[phase]}:\t${f4(avg(p.sumMs))} secs, ${f4(min)} secs, ${f4(max)} secs`;
  }
  out += '\n\nStatus code distribution:';
  for (const [code, count] of result.statusCodes) out += `\n  [${code}]\t${count} responses`;
  out += '\n\n';
  if (result.errors.length > 0) {
    out += 'Error distribution:';
    for (const [message, count] of result.errors) out += `\n  [${count}]\t${message}`;
  }
  out += '\n';
  return goPrintfNoArgs(out) + '\n';
}

const PHASE_LABEL: Record<HeyPhase, string> = {
  conn: 'DNS+dialup',
  dns: 'DNS-lookup',
  reqWrite: 'req write',
  respWait: 'resp wait',
  respRead: 'resp read',
};

/** Sorted latencies as [seconds, how many]: hey's sorted slice, compressed. */
type Run = [number, number];

function latencyRuns(result: HeyResult, fastest: number, slowest: number): Run[] {
  const bins = result.latency.bins;
  const runs: Run[] = [];
  bins.forEach(([bin, count], i) => {
    let n = count;
    const mid = Math.min(slowest, Math.max(fastest, latencyBinMidMs(bin) / 1000));
    // The extremes are known exactly; they stand at the two ends of the sorted slice.
    if (i === 0 && n > 0) {
      runs.push([fastest, 1]);
      n--;
    }
    const lastOne = i === bins.length - 1 && n > 0 ? 1 : 0;
    if (n - lastOne > 0) runs.push([mid, n - lastOne]);
    if (lastOne) runs.push([slowest, 1]);
  });
  return runs;
}

/**
 * hey's 11 marks: fastest + k·(slowest − fastest)/10 for k < 10, then slowest; mark k counts the
 * latencies in (mark k−1, mark k]. Bars are count·40/max rounded half up.
 */
function histogram(runs: Run[], fastest: number, slowest: number): string {
  const step = (slowest - fastest) / 10;
  const marks = Array.from({ length: 11 }, (_, k) => (k < 10 ? fastest + step * k : slowest));
  const counts = marks.map(() => 0);
  let bucket = 0;
  for (const [value, n] of runs) {
    while (bucket < 10 && value > (marks[bucket] ?? Infinity)) bucket++;
    counts[bucket] = (counts[bucket] ?? 0) + n;
  }
  const max = Math.max(...counts);
  return marks
    .map((mark, k) => {
      const count = counts[k] ?? 0;
      const bar = max > 0 ? Math.floor((count * 40 + Math.floor(max / 2)) / max) : 0;
      return `  ${formatGoFloat(mark, 4, 3)} [${count}]\t|${'■'.repeat(bar)}\n`;
    })
    .join('');
}

const PERCENTILES = [10, 25, 50, 75, 90, 95, 99];

/**
 * hey walks the sorted slice once and gives each index to at most one percentile: index i
 * serves the next percentile p when ⌊100·i/n⌋ ≥ p. With few samples the last ones are never
 * reached, and a percentile whose latency is 0 is printed as "0% in 0.0000 secs".
 */
function percentiles(runs: Run[], n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let previous = -1;
  for (const p of PERCENTILES) {
    const index = Math.max(previous + 1, Math.ceil((p * n) / 100));
    const value = index < n ? valueAt(runs, index) : 0;
    previous = index;
    out.push(value > 0 ? [p, value] : [0, 0]);
  }
  return out;
}

function valueAt(runs: Run[], index: number): number {
  let seen = 0;
  for (const [value, n] of runs) {
    seen += n;
    if (index < seen) return value;
  }
  return 0;
}

/**
 * Go's `%<width>.<prec>f`: correctly rounded (ties to even on the exact binary value, unlike
 * `toFixed`, which rounds ties up), `NaN`/`+Inf`/`-Inf`, left-padded with spaces to `width`.
 */
export function formatGoFloat(value: number, width: number, prec: number): string {
  let s: string;
  if (Number.isNaN(value)) s = 'NaN';
  else if (!Number.isFinite(value)) s = value > 0 ? '+Inf' : '-Inf';
  else s = (value < 0 || Object.is(value, -0) ? '-' : '') + roundHalfEven(Math.abs(value), prec);
  return s.padStart(width, ' ');
}

function roundHalfEven(x: number, prec: number): string {
  // toFixed(100) is the exact decimal expansion for every double that can round to a tie here.
  const exact = x >= 1e21 ? `${BigInt(x)}.0` : x.toFixed(100);
  const [intPart = '0', frac = ''] = exact.split('.');
  const kept = intPart + frac.slice(0, prec).padEnd(prec, '0');
  const next = frac.charAt(prec);
  const rest = frac.slice(prec + 1);
  const lastEven = Number(kept.charAt(kept.length - 1)) % 2 === 0;
  const up = next > '5' || (next === '5' && (/[1-9]/.test(rest) || !lastEven));
  const digits = up ? (BigInt(kept) + 1n).toString().padStart(kept.length, '0') : kept;
  const whole = digits.slice(0, digits.length - prec) || '0';
  return prec > 0 ? `${whole}.${digits.slice(digits.length - prec)}` : whole;
}

/**
 * What Go's `fmt.Fprintf(w, s)` prints when `s` is not meant as a format: `%%` becomes `%`,
 * any other directive has no operand and prints as `%!<verb>(MISSING)` (or `%!(NOVERB)` at the
 * end, `%!<verb>(BADINDEX)` after an `[n]` index).
 */
export function goPrintfNoArgs(format: string): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    let badIndex = false;
    const skipIndex = (): void => {
      if (format[i] !== '[') return;
      badIndex = true; // with no operands every index is out of range
      const close = format.indexOf(']', i);
      i = close < 0 ? i + 1 : close + 1;
    };
    while (i < format.length && '#0+- '.includes(format.charAt(i))) i++;
    skipIndex();
    if (format[i] === '*') {
      out += '%!(BADWIDTH)';
      i++;
    } else while (i < format.length && /[0-9]/.test(format.charAt(i))) i++;
    if (i + 1 < format.length && format[i] === '.') {
      i++;
      skipIndex();
      if (format[i] === '*') {
        out += '%!(BADPREC)';
        i++;
      } else while (i < format.length && /[0-9]/.test(format.charAt(i))) i++;
    }
    skipIndex();
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') out += '%';
    else out += badIndex ? `%!${verb}(BADINDEX)` : `%!${verb}(MISSING)`;
  }
  return out;
}
