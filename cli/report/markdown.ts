import { formatGoDuration } from '../../go/duration.js';
import type { ScenarioOutcome } from '../suite/playScenario.js';
import { heldText, rolloutText, sawText, whereIn } from './expectationText.js';

/** The most a `--markdown` summary holds: GitHub's limit for one step's $GITHUB_STEP_SUMMARY. */
export const MAX_MARKDOWN_BYTES = 1024 * 1024;
/** Room kept for the closing line that says how many failures were left out. */
const RESERVE = 1024;
/** A table cell or list value is cut to this many characters. */
const MAX_CELL = 200;

const cut = (s: string) => {
  const one = s.replace(/\s*[\r\n]+\s*/g, ' ');
  const chars = Array.from(one);
  return chars.length <= MAX_CELL ? one : `${chars.slice(0, MAX_CELL).join('')}…`;
};

/**
 * Plain text with Markdown's special characters escaped (a scenario's name is the user's); `|`
 * is left to `cell`, which escapes it wherever it stands.
 */
export const text = (s: string) => cut(s).replace(/[\\`*_[\]<>#~&!]/g, '\\$&');

/** An inline code span that holds any text, backticks included. */
export function code(s: string): string {
  const one = cut(s);
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

/** A table cell: a `|` would end it, even inside a code span (GFM). */
export const cell = (s: string) => s.replace(/\|/g, '\\|');

/**
 * The suite as GitHub-flavoured Markdown for a CI job's page (`>> $GITHUB_STEP_SUMMARY`): a
 * verdict, a table with a row per scenario (pass/fail, expectations held, simulated time, how
 * each rollout ended), then every failed expectation with its condition, where it is written,
 * when it was checked and the values it saw. Only simulated facts: the same scenarios and seeds
 * give the same bytes. At most MAX_MARKDOWN_BYTES: failures past it are counted, not listed.
 */
export function renderMarkdown(outcomes: readonly ScenarioOutcome[]): string {
  const ran = outcomes.flatMap((o) => (o.kind === 'ran' ? [o.summary] : []));
  const failed = ran.filter((s) => !s.passed).length;
  const invalid = outcomes.length - ran.length;
  const n = outcomes.length;
  const verdict =
    failed + invalid === 0
      ? `all ${n} scenario${n === 1 ? '' : 's'} passed`
      : [failed > 0 ? `${failed} of ${n} scenarios failed` : '', invalid > 0 ? `${invalid} invalid` : '']
          .filter(Boolean)
          .join(', ');
  const lines = [
    `## canarysim test: ${verdict}`,
    '',
    '| | scenario | file | expectations held | simulated | rollouts |',
    '|:-:|---|---|--:|--:|---|',
  ];
  const rows = outcomes.map((o): string[] => {
    if (o.kind === 'invalid') return [`| ⚠️ | | ${cell(code(o.file))} | invalid input | | |`];
    const s = o.summary;
    return [
      `| ${s.passed ? '✅' : '❌'} | ${cell(text(s.name))} | ${cell(code(s.file))} | ${heldText(s)} | ${formatGoDuration(s.simulatedSeconds * 1000)} | ${cell(text(s.rollouts.map(rolloutText).join(', ')))} |`,
    ];
  });
  const details: string[][] = [];
  for (const o of outcomes) {
    if (o.kind === 'invalid') {
      details.push([`#### ⚠️ ${code(o.file)}`, '', code(o.error), '']);
      continue;
    }
    const s = o.summary;
    if (s.passed) continue;
    details.push([`#### ❌ ${text(s.name)} (${code(s.file)})`, '']);
    for (const e of s.expectations) {
      if (e.passed) continue;
      const { saw, error } = sawText(e);
      details.push([
        `- ${code(e.condition)} at ${code(whereIn(s.file, e.source))}, checked at ${e.t} s${saw ? `: saw ${code(saw)}` : ''}${error ? `${saw ? ';' : ':'} ${text(error)}` : ''}`,
      ]);
    }
    details.push(['']);
  }
  // Rows first, then failures, each whole or not at all, until the size a step summary holds.
  let bytes = Buffer.byteLength(lines.join('\n'));
  let left = 0;
  const add = (chunk: string[]) => {
    const size = Buffer.byteLength(chunk.join('\n')) + 1;
    if (left > 0 || bytes + size > MAX_MARKDOWN_BYTES - RESERVE) left++;
    else {
      lines.push(...chunk);
      bytes += size;
    }
  };
  rows.forEach(add);
  if (details.length > 0) add(['', '### Failures', '']);
  details.forEach(add);
  if (left > 0)
    lines.push(
      '',
      `… ${left} more rows and failures not listed here (a step summary holds 1 MiB): see the JUnit report.`,
    );
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
