import { formatGoDuration } from '../../go/duration.js';
import { tabwriter } from '../views/tabwriter.js';
import type { CellResult, Proportion, Spread, SweepResult } from './sweepResult.js';

// The sweep's printers: pure (result) → string, for the terminal, CSV and Markdown. `--json` is
// the result itself (sweepResult.ts).

const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
const prob = (x: Proportion) => `${pct(x.p)} [${pct(x.low)}–${pct(x.high)}]`;
const seconds = (s: number) => formatGoDuration(Math.round(s) * 1000);
const dur = (s: Spread | null) => (s ? `${seconds(s.median)} / ${seconds(s.p95)}` : '–');
const count = (s: Spread | null) => (s ? `${s.median} / ${s.p95}` : '–');
const share = (s: Spread | null) => (s ? `${pct(s.median)} / ${pct(s.p95)}` : '–');

interface Column {
  title: string;
  text: (c: CellResult) => string;
  /** CSV's: plain numbers, empty when there is none. */
  csv: { title: string; value: (c: CellResult) => string | number | null }[];
}

const num = (x: number | undefined | null) => (x === undefined || x === null ? null : x);

function columns(r: SweepResult): Column[] {
  const cols: Column[] = r.vary.map((v) => ({
    title: v.key,
    text: (c) => c.values[v.key]!,
    csv: [{ title: v.key, value: (c) => c.values[v.key]! }],
  }));
  if (r.mutants)
    cols.push({
      title: 'mutant',
      text: (c) => c.mutant!,
      csv: [{ title: 'mutant', value: (c) => c.mutant! }],
    });
  const p = (name: string, key: 'abort' | 'promote' | 'stuck', title: string): Column => ({
    title,
    text: (c) => prob(c[key]),
    csv: [
      { title: `p_${name}`, value: (c) => c[key].p },
      { title: `p_${name}_low`, value: (c) => c[key].low },
      { title: `p_${name}_high`, value: (c) => c[key].high },
    ],
  });
  const s = (name: string, key: 'timeToAbort' | 'errorsBeforeAbort' | 'shareBeforeAbort') => [
    { title: `${name}_median`, value: (c: CellResult) => num(c[key]?.median) },
    { title: `${name}_p95`, value: (c: CellResult) => num(c[key]?.p95) },
  ];
  cols.push(
    { title: 'runs', text: (c) => String(c.runs), csv: [{ title: 'runs', value: (c) => c.runs }] },
    p('abort', 'abort', 'P(abort) [95% CI]'),
    p('promote', 'promote', 'P(promote)'),
    p('stuck', 'stuck', 'P(stuck)'),
    {
      title: 'abort after (median / p95)',
      text: (c) => dur(c.timeToAbort),
      csv: s('time_to_abort_s', 'timeToAbort'),
    },
    {
      title: '5xx before abort',
      text: (c) => count(c.errorsBeforeAbort),
      csv: s('errors_before_abort', 'errorsBeforeAbort'),
    },
    {
      title: 'share of users',
      text: (c) => share(c.shareBeforeAbort),
      csv: s('share_before_abort', 'shareBeforeAbort'),
    },
  );
  if (r.mutants)
    cols.push({
      title: 'verdict',
      text: (c) => c.verdict!,
      csv: [{ title: 'verdict', value: (c) => c.verdict! }],
    });
  else
    cols.push({
      title: 'false aborts',
      text: (c) => (c.falseAbortRate === null ? '' : pct(c.falseAbortRate)),
      csv: [{ title: 'false_abort_rate', value: (c) => c.falseAbortRate }],
    });
  return cols;
}

/** What the runs were, in one line. */
function headline(r: SweepResult): string {
  const runs = r.cells.reduce((a, c) => a + c.runs, 0);
  return `${r.scenario}: ${r.cells.length} cell${r.cells.length === 1 ? '' : 's'} × ${r.seedsPerCell} seed${r.seedsPerCell === 1 ? '' : 's'} = ${runs} rollouts${r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : ''}, seed ${r.seed}`;
}

/** Lines after a table: the mutation score, and the advisor's lines (lint's sample-size advisor). */
function footer(r: SweepResult): string[] {
  const out: string[] = [];
  if (r.mutants) {
    const bad = r.cells.filter((c) => !c.healthy);
    const caught = bad.filter((c) => c.verdict === 'caught').length;
    out.push(
      `mutation score: ${caught}/${bad.length} bad versions caught within the rollout${bad.length ? ` (${pct(caught / bad.length)})` : ''}`,
    );
    for (const c of bad.filter((x) => x.verdict === 'survived'))
      out.push(`  survived: ${c.mutant} — ${r.mutants.find((m) => m.name === c.mutant)?.description ?? ''}`);
    for (const c of r.cells.filter((x) => x.healthy))
      out.push(`false-abort rate (${c.mutant}): ${pct(c.falseAbortRate ?? 0)} of ${c.runs} runs`);
  }
  if (r.advisor.length > 0) {
    out.push(
      "sample size (lint's low-sample-size at each cell's traffic; lint --rps explains the statistics):",
    );
    for (const line of r.advisor) out.push(`  ${line}`);
  }
  return out;
}

/** The terminal's table. */
export function renderSweepTable(r: SweepResult): string {
  const cols = columns(r);
  const rows = [cols.map((c) => c.title), ...r.cells.map((cell) => cols.map((c) => c.text(cell)))];
  const table = tabwriter(rows.map((row) => `${row.join('\t')}\t`).join('\n'));
  return `${headline(r)}\n${table}\n${footer(r)
    .map((l) => `${l}\n`)
    .join('')}`;
}

const csvField = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** `--csv`: a row per cell, plain numbers (probabilities as fractions, times in seconds). */
export function renderSweepCsv(r: SweepResult): string {
  const fields = columns(r).flatMap((c) => c.csv);
  const rows = [
    fields.map((f) => csvField(f.title)).join(','),
    ...r.cells.map((cell) => fields.map((f) => csvField(f.value(cell))).join(',')),
  ];
  return `${rows.join('\n')}\n`;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

/** `--markdown`: the table as GitHub Markdown (fits `$GITHUB_STEP_SUMMARY`). */
export function renderSweepMarkdown(r: SweepResult): string {
  const cols = columns(r);
  const lines = [
    `### canarysim sweep — ${mdCell(headline(r))}`,
    '',
    `| ${cols.map((c) => mdCell(c.title)).join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...r.cells.map((cell) => `| ${cols.map((c) => mdCell(c.text(cell))).join(' | ')} |`),
  ];
  const foot = footer(r);
  // Indented lines (a survived mutant, an advisor's warning) are a list: one item each, not one paragraph.
  if (foot.length)
    lines.push('', ...foot.map((l) => (l.startsWith('  ') ? `- ${mdCell(l.trim())}` : mdCell(l.trim()))));
  return `${lines.join('\n')}\n`;
}
