import { formatGoFloat } from './printHeySummary.js';

/**
 * One answered request as hey's `-o csv` lists it: what live mode keeps per response (errors are
 * not listed, as in hey). Durations and the offset are milliseconds, like HeyResult.
 */
export interface CsvRecord {
  /** Whole request, from its start to the end of the body. */
  durationMs: number;
  /** DNS lookup + dial; 0 on a reused connection. */
  connMs: number;
  dnsMs: number;
  reqWriteMs: number;
  /** From the request written to the first response byte. */
  respWaitMs: number;
  respReadMs: number;
  statusCode: number;
  /** When the request started, since the start of the run. */
  offsetMs: number;
}

export const HEY_CSV_HEADER =
  'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset';

/**
 * hey 0.1.4's `-o csv` (requester/print.go `csvTmpl`), byte for byte: the header, then one row per
 * response in the order they arrived, seconds as `%4.4f`, and a single newline at the end (the
 * template has none; hey adds one after it).
 */
export function printHeyCsv(records: readonly CsvRecord[]): string {
  const s = (ms: number): string => seconds4(ms / 1000);
  let out = HEY_CSV_HEADER;
  for (const r of records) {
    out += `\n${s(r.durationMs)},${s(r.connMs)},${s(r.dnsMs)},${s(r.reqWriteMs)},${s(r.respWaitMs)},${s(r.respReadMs)},${r.statusCode},${s(r.offsetMs)}`;
  }
  return `${out}\n`;
}

/**
 * `%4.4f` of a duration, fast: a million rows are seven million numbers. toFixed rounds the exact
 * binary value correctly except on a tie, which it breaks upwards where Go breaks it to even; a
 * double lies exactly halfway between two 4-decimal numbers only when it is an odd multiple of
 * 1/32 (x = (2k+1)/20000 must be a dyadic rational), so those, and anything not a plain positive
 * number, take the exact formatter.
 */
function seconds4(x: number): string {
  if (x === 0 && !Object.is(x, -0)) return '0.0000';
  return x > 0 && Number.isFinite(x) && !Number.isInteger(x * 32) ? x.toFixed(4) : formatGoFloat(x, 4, 4);
}
