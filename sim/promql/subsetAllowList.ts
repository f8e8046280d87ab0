import { InputError } from '../errors.js';
/*
 * Reader for `subset.tsv`, which classifies every eval block of Prometheus's PromQL test scripts
 * as `core` (the canary-analysis subset), `opt` (needs `@` or `label_replace`) or `out`.
 */

/** Class of an eval block. */
export type SubsetClass = 'core' | 'opt' | 'out';

/** One row: the eval block at `file:line`. */
export interface SubsetRow {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly class: SubsetClass;
  readonly reasons: string;
  readonly expr: string;
}

/** The parsed table with lookups by file and line. */
export interface SubsetAllowList {
  readonly rows: readonly SubsetRow[];
  /** Class of the eval at `file:line`, undefined when the table does not list it. */
  classOf(file: string, line: number): SubsetClass | undefined;
  /** Eval lines of `file` whose class is in `classes`. */
  lines(file: string, classes?: readonly SubsetClass[]): Set<number>;
}

/** Parses `subset.tsv` text (header `file line kind class reasons expr`, tab-separated). */
export function parseSubsetAllowList(text: string, file = 'subset.tsv'): SubsetAllowList {
  const rows: SubsetRow[] = [];
  const byKey = new Map<string, SubsetRow>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line === '' || i === 0) return;
    const cols = line.split('\t');
    if (cols.length < 4)
      throw new InputError(`expected at least 4 tab-separated columns, got ${cols.length}`, {
        file,
        line: i + 1,
        col: 1,
      });
    const cls = cols[3];
    if (cls !== 'core' && cls !== 'opt' && cls !== 'out')
      throw new InputError(`unknown class ${JSON.stringify(cls)}: expected core, opt or out`, {
        file,
        line: i + 1,
        col: 1,
      });
    const lineNo = Number(cols[1]);
    if (!Number.isInteger(lineNo))
      throw new InputError(`bad line number ${JSON.stringify(cols[1])}: expected an integer`, {
        file,
        line: i + 1,
        col: 1,
      });
    const row: SubsetRow = {
      file: cols[0]!,
      line: lineNo,
      kind: cols[2]!,
      class: cls,
      reasons: cols[4] ?? '',
      expr: cols.slice(5).join('\t'),
    };
    rows.push(row);
    byKey.set(`${row.file}:${row.line}`, row);
  });
  return {
    rows,
    classOf: (file, line) => byKey.get(`${file}:${line}`)?.class,
    lines: (file, classes = ['core']) =>
      new Set(rows.filter((r) => r.file === file && classes.includes(r.class)).map((r) => r.line)),
  };
}
