import { parseGoNumber } from './goFormat.js';
import { unquoteString } from './unquoteString.js';

/*
 * The series notation of Prometheus test scripts (`metric{l="v"} 0+10x10 _ stale 5`), as the
 * `load` blocks and expected results use it. Hex is not accepted in values (`0x10` means "0
 * repeated, 11 positions"); `a+bxN` is computed by repeated addition, like Prometheus.
 */

/** A position in a series: a value, "stale" (the stale marker), or null (no sample). */
export type SeqValue = number | 'stale' | null;

/** A parsed series line. `histogram` is true when it uses native-histogram notation (`{{…}}`). */
export interface SeriesDescription {
  labels: Record<string, string>;
  values: SeqValue[];
  histogram: boolean;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const NUM = String.raw`(?:(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9][0-9_]*)?|[iI][nN][fF]|[nN][aA][nN])`;
const ITEM = new RegExp(`^([+-]?${NUM})(?:([+-])(${NUM}))?(?:x([0-9]+))?$`);

/**
 * How many more points a test script may describe: MAX_SCRIPT_POINTS in all (`0+1x1000000000`
 * is 21 bytes of text and a billion samples).
 */
export interface PointBudget {
  left: number;
}

/** A test script's points, together: 10,000,000 (Prometheus's own scripts hold a few thousand). */
export const MAX_SCRIPT_POINTS = 10_000_000;

export function newPointBudget(): PointBudget {
  return { left: MAX_SCRIPT_POINTS };
}

/** Parses `metric{labels} values…`; throws an Error naming the problem. */
export function parseSeriesDescription(
  line: string,
  budget: PointBudget = newPointBudget(),
): SeriesDescription {
  let pos = 0;
  const labels: Record<string, string> = {};
  const name = METRIC_NAME.exec(line);
  if (name) {
    labels.__name__ = name[0];
    pos = name[0].length;
  }
  if (line[pos] === '{') {
    pos = parseLabelSet(line, pos + 1, labels);
  } else if (!name) {
    throw new Error(`invalid series description ${JSON.stringify(line)}: expected a metric name or "{"`);
  }
  const rest = line.slice(pos);
  if (rest !== '' && !/^\s/.test(rest))
    throw new Error(`unexpected ${JSON.stringify(rest.trim().split(/\s+/)[0])} after the metric`);
  if (rest.includes('{{')) return { labels, values: [], histogram: true };
  const values: SeqValue[] = [];
  for (const item of rest.trim().split(/\s+/)) {
    if (item === '') continue;
    budget.left -= pointsOf(item);
    if (budget.left < 0)
      throw new Error(
        `${JSON.stringify(item)} takes the script past ${MAX_SCRIPT_POINTS.toLocaleString('en-US')} points, canarysim's limit for a test script`,
      );
    for (const v of expandItem(item)) values.push(v);
  }
  return { labels, values, histogram: false };
}

function parseLabelSet(line: string, pos: number, labels: Record<string, string>): number {
  const skip = (): void => {
    while (pos < line.length && /\s/.test(line[pos]!)) pos++;
  };
  for (;;) {
    skip();
    if (line[pos] === '}') return pos + 1;
    let name: string;
    if (line[pos] === '"' || line[pos] === "'" || line[pos] === '`') {
      const s = readQuoted(line, pos);
      pos = s.end;
      name = s.value;
      skip();
      if (line[pos] === ',' || line[pos] === '}') {
        labels.__name__ = name;
        if (line[pos] === ',') pos++;
        continue;
      }
    } else {
      const m = LABEL_NAME.exec(line.slice(pos));
      if (!m) throw new Error(`invalid label name at ${JSON.stringify(line.slice(pos))}`);
      name = m[0];
      pos += name.length;
      skip();
    }
    if (line[pos] !== '=') throw new Error(`expected "=" after label ${name}`);
    pos++;
    skip();
    const v = readQuoted(line, pos);
    labels[name] = v.value;
    pos = v.end;
    skip();
    if (line[pos] === ',') pos++;
    else if (line[pos] !== '}')
      throw new Error(`expected "," or "}" in label set of ${JSON.stringify(line)}`);
  }
}

function readQuoted(line: string, pos: number): { value: string; end: number } {
  const q = line[pos];
  if (q !== '"' && q !== "'" && q !== '`')
    throw new Error(`expected a quoted string at ${JSON.stringify(line.slice(pos))}`);
  let i = pos + 1;
  while (i < line.length && line[i] !== q) i += q !== '`' && line[i] === '\\' ? 2 : 1;
  if (i >= line.length) throw new Error(`unterminated string in ${JSON.stringify(line)}`);
  return { value: unquoteString(line.slice(pos, i + 1)), end: i + 1 };
}

function number(text: string): number {
  const v = parseGoNumber(text);
  if (typeof v === 'string') throw new Error(`invalid number ${JSON.stringify(text)}: ${v}`);
  return v;
}

/** How many points an item stands for, before expanding it (`0+1x3` is 4, `_x3` is 3). */
function pointsOf(item: string): number {
  const m = /x([0-9]+)$/.exec(item);
  if (!m) return 1;
  return Number(m[1]) + (item.startsWith('_x') ? 0 : 1);
}

function expandItem(item: string): SeqValue[] {
  if (item === '_') return [null];
  if (item.startsWith('_x')) {
    const n = Number(item.slice(2));
    if (!/^[0-9]+$/.test(item.slice(2))) throw new Error(`invalid repetition ${JSON.stringify(item)}`);
    return new Array<SeqValue>(n).fill(null);
  }
  if (item === 'stale') return ['stale'];
  const m = ITEM.exec(item);
  if (!m) throw new Error(`invalid series value ${JSON.stringify(item)}`);
  const start = number(m[1]!);
  if (m[4] === undefined) {
    if (m[2] !== undefined) throw new Error(`missing "x<count>" in ${JSON.stringify(item)}`);
    return [start];
  }
  const times = Number(m[4]);
  const stepText = m[3] === undefined ? undefined : `${m[2]}${m[3]}`;
  const step = stepText === undefined ? 0 : number(stepText);
  const out: SeqValue[] = [];
  let v = start;
  for (let i = 0; i <= times; i++) {
    out.push(v);
    v += step;
  }
  return out;
}
