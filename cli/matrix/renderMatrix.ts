import { formatGoDuration } from '../../go/duration.js';
import { cell, code, text } from '../report/markdown.js';
import { tabwriter } from '../views/tabwriter.js';
import type { MatrixResult, MatrixRow, NextStep } from './runMatrix.js';

/** Version of `matrix --json`'s shape; bumped on an incompatible change. */
export const MATRIX_SCHEMA_VERSION = 1;

const REACHED_NOTE: Record<string, string> = {
  'empty-vector': 'no empty vector',
  nan: 'no NaN',
  inf: 'no +Inf',
  'prometheus-unreachable': 'not refused',
  'prometheus-slow': 'no timeout',
};

const nextText = (n: NextStep): string =>
  n.action === 'none'
    ? `none by +${formatGoDuration(n.atMs)} (${n.phase})`
    : `${n.action} at +${formatGoDuration(n.atMs)}`;

const flagText = (r: MatrixRow): string =>
  r.flag === null ? '' : r.accepted ? `accepted: ${r.flag}` : `✖ ${r.flag}`;

/** Values shown in a cell: the first few distinct ones (`--json` has them all). */
const SHOWN_VALUES = 3;

const valuesText = (r: MatrixRow, values: readonly string[]): string =>
  `${values.slice(0, SHOWN_VALUES).join(' ')}${values.length > SHOWN_VALUES ? ` …(${values.length} distinct)` : ''}${r.reached ? '' : ` (${REACHED_NOTE[r.id] ?? 'not reached'})`}`;

/** One line per metric of each row (the row's own cells on its first line). */
function lines(r: MatrixRow): string[][] {
  if (r.metrics.length === 0) return [[r.id, r.title, '-', '-', '-', '-', nextText(r.next), flagText(r)]];
  return r.metrics.map((m, i) => [
    i === 0 ? r.id : '',
    i === 0 ? r.title : '',
    `${m.metric}: ${m.measurements}`,
    valuesText(r, m.values),
    m.phase,
    m.runPhase,
    i === 0 ? nextText(r.next) : '',
    i === 0 ? flagText(r) : '',
  ]);
}

const HEAD = ['ROW', 'SITUATION', 'MEASUREMENTS', 'VALUES', 'METRIC', 'RUN', 'NEXT', ''];

function verdict(res: MatrixResult): string {
  const flagged = res.rows.filter((r) => r.flag !== null);
  const open = flagged.filter((r) => !r.accepted);
  if (flagged.length === 0) return 'no row flagged';
  const accepted = flagged.length - open.length;
  return `${flagged.length} row${flagged.length === 1 ? '' : 's'} flagged${open.length > 0 ? ` (${open.map((r) => r.id).join(', ')})` : ''}${accepted > 0 ? `, ${accepted} accepted` : ''}`;
}

/** The terminal table, then why each flagged row is one (its run's message), then the verdict. */
export function renderMatrixText(res: MatrixResult): string {
  const rows = [HEAD, ...res.rows.flatMap(lines)].map((c) => `${c.join('\t')}\t\n`).join('');
  let out = `Rollout "${res.rollout}" (namespace ${res.namespace}): ${res.rows.length} situations, load ${res.rps} req/s, seed ${res.seed}; times from the image update\n\n`;
  out += `${tabwriter(rows).trimEnd()}\n`;
  const flagged = res.rows.filter((r) => r.flag !== null);
  if (flagged.length > 0) out += '\n';
  for (const r of flagged) {
    const m = r.metrics.find((x) => x.runMessage !== '') ?? r.metrics[0];
    out += `${r.id}: ${r.how}\n  ${r.next.message || r.next.phase}${m?.runMessage && !r.next.message.includes(m.runMessage) ? `\n  run: ${m.runMessage}` : ''}\n`;
  }
  const open = res.failed;
  out += `\n${verdict(res)}${open > 0 ? ': --accept ROW records a decided trade-off' : ''}\n`;
  return out;
}

/** The same as GitHub-flavoured Markdown (a CI job's summary). */
export function renderMatrixMarkdown(res: MatrixResult): string {
  let out = `### canarysim matrix: Rollout ${code(res.rollout)} (namespace ${text(res.namespace)})\n\n`;
  out += `${res.rows.length} situations, load ${res.rps} req/s, seed ${res.seed}; times from the image update. ${text(verdict(res))}.\n\n`;
  out += `| ${HEAD.slice(0, -1).join(' | ')} | FLAG |\n|${' --- |'.repeat(HEAD.length)}\n`;
  for (const r of res.rows)
    for (const l of lines(r))
      out += `| ${l.map((c, i) => cell(i === 2 || i === 3 ? (c ? code(c) : '') : text(c))).join(' | ')} |\n`;
  return out;
}

/** `--json`: the result as data, times in seconds from the image update. */
export function matrixJson(res: MatrixResult): unknown {
  return {
    schemaVersion: MATRIX_SCHEMA_VERSION,
    rollout: res.rollout,
    namespace: res.namespace,
    rps: res.rps,
    seed: res.seed,
    failed: res.failed,
    rows: res.rows.map((r) => ({
      id: r.id,
      situation: r.title,
      kind: r.kind,
      how: r.how,
      reached: r.reached,
      metrics: r.metrics,
      next: { action: r.next.action, at: r.next.atMs / 1000, phase: r.next.phase, message: r.next.message },
      flag: r.flag,
      accepted: r.accepted,
    })),
  };
}
