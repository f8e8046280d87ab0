import cliProgress from 'cli-progress';
import { formatGoDuration } from '../../go/duration.js';
import { isStdout, outputFiles } from '../io/outputFiles.js';
import { writeAtomically } from '../io/writeAtomically.js';
import { heldText, rolloutText, sawText } from '../report/expectationText.js';
import { renderReportHtml } from '../html/renderReportHtml.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import type { Override } from '../scenario/overrides.js';
import { REPORT_SCHEMA_VERSION } from '../scenario/report.js';
import { findScenarios } from '../suite/findScenarios.js';
import type { ScenarioOutcome, ScenarioTask } from '../suite/playScenario.js';
import { runSuite } from '../suite/runSuite.js';

export interface TestFlags {
  jobs: number;
  junit?: string;
  markdown?: string;
  json?: string;
  html?: string;
  seed?: number;
  root?: string;
  set?: Override[];
  env?: Override[];
}

interface Stream {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** The human lines of one scenario that ran: its verdict, then each expectation that failed. */
function scenarioLines(o: ScenarioOutcome): string {
  if (o.kind === 'invalid') return `INVALID ${o.error}\n`;
  const s = o.summary;
  const rollouts = s.rollouts.map(rolloutText).join(', ');
  let out = `${s.passed ? 'PASS' : 'FAIL'} ${s.file}: ${heldText(s)} expectations held (seed ${s.seed}, ${formatGoDuration(s.simulatedSeconds * 1000)} simulated${rollouts ? `; ${rollouts}` : ''})\n`;
  for (const e of s.expectations) {
    if (e.passed) continue;
    const { saw, error } = sawText(e);
    out += `  ✖ ${e.source}: ${e.condition}${error ? ` — ${error}` : ''}\n${saw ? `      saw ${saw}\n` : ''}`;
  }
  return out;
}

/** The outputs asked for, checked before anything runs: writable, and no two the same file. */
function outputs(flags: TestFlags) {
  return outputFiles([
    ['--json', flags.json],
    ['--junit', flags.junit],
    ['--markdown', flags.markdown],
    ['--html', flags.html],
  ] as const);
}

/** `--json`: every report (docs/report.md) in the order given, and the scenarios refused while running. */
function suiteJson(outcomes: readonly ScenarioOutcome[]): string {
  const reports = outcomes.flatMap((o) => (o.kind === 'ran' && o.report ? [o.report] : []));
  const invalid = outcomes.flatMap((o) => (o.kind === 'invalid' ? [{ file: o.file, error: o.error }] : []));
  const passed = outcomes.every((o) => o.kind === 'ran' && o.summary.passed);
  const indent = (text: string) => text.replace(/\n/g, '\n    ');
  return [
    '{',
    `  "schemaVersion": ${REPORT_SCHEMA_VERSION},`,
    `  "passed": ${passed},`,
    `  "scenarios": [${reports.length ? `\n    ${reports.map(indent).join(',\n    ')}\n  ` : ''}],`,
    `  "invalid": ${JSON.stringify(invalid)}`,
    '}',
    '',
  ].join('\n');
}

/** `--html`: one page, a section per scenario that ran, in the order given. */
function suiteHtml(outcomes: readonly ScenarioOutcome[]): string {
  return renderReportHtml(outcomes.flatMap((o) => (o.kind === 'ran' && o.charts ? [o.charts] : [])));
}

/**
 * `canarysim test [PATH|GLOB…]`: finds the scenarios (findScenarios), checks them all — every
 * invalid one is a line on stderr and exit 2, before anything runs — then plays them on
 * `--jobs` worker threads and prints a line per scenario in the order given (a progress bar
 * while they run on a terminal). Writes `--json`, `--junit` and `--markdown` at the end. Exit 0
 * when every expectation holds, 1 when one does not, 2 when a scenario was refused while running.
 */
export async function testCommand(
  args: readonly string[],
  flags: TestFlags,
  io: { stdout: Stream; stderr: Stream },
): Promise<number> {
  const outs = outputs(flags);
  // A report written to standard output keeps it to itself: the human lines go to stderr.
  const human = outs.some((o) => isStdout(o.file)) ? io.stderr : io.stdout;
  const found = findScenarios(args);
  const overrides = [...(flags.set ?? []), ...(flags.env ?? [])];
  const tasks: ScenarioTask[] = found.files.map((file) => ({
    file,
    root: flags.root,
    overrides,
    seed: flags.seed,
    withReport: flags.json !== undefined,
    withHtml: flags.html !== undefined,
  }));
  const bar =
    human.isTTY === true && tasks.length > 1
      ? new cliProgress.SingleBar(
          {
            format: '{bar} {value}/{total} scenarios | {failed} failed | {last}',
            stream: human as unknown as NodeJS.WriteStream,
            clearOnComplete: true,
            hideCursor: false,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(tasks.length, 0, { failed: 0, last: '' });
  // Without a terminal (CI), each scenario's lines as soon as it and all before it have ended.
  const done: (ScenarioOutcome | undefined)[] = [];
  let printed = 0;
  let failed = 0;
  let result;
  try {
    result = await runSuite(
      tasks,
      flags.jobs,
      (i, o) => {
        done[i] = o;
        if (o.kind === 'invalid' || !o.summary.passed) failed++;
        if (bar) {
          bar.increment({ failed, last: o.kind === 'ran' ? o.summary.file : o.file });
          return;
        }
        for (; done[printed]; printed++) human.write(scenarioLines(done[printed]!));
      },
      found.errors.length === 0,
    );
  } finally {
    bar?.stop();
  }
  if ('invalid' in result) {
    const invalid = [...found.errors.map((e) => e.format()), ...result.invalid];
    for (const line of invalid) io.stderr.write(`canarysim: ${line}\n`);
    return 2;
  }
  const outcomes = result.outcomes;
  if (bar) for (const o of outcomes) human.write(scenarioLines(o));
  const ran = outcomes.flatMap((o) => (o.kind === 'ran' ? [o.summary] : []));
  const refused = outcomes.flatMap((o) => (o.kind === 'invalid' ? [o.error] : []));
  const expectations = ran.flatMap((s) => s.expectations);
  const passed = ran.filter((s) => s.passed).length;
  human.write(
    `\n${outcomes.length} scenario${outcomes.length === 1 ? '' : 's'}: ${passed} passed, ${ran.length - passed} failed${refused.length ? `, ${refused.length} invalid` : ''} (${expectations.filter((e) => e.passed).length}/${expectations.length} expectations held)\n`,
  );
  for (const line of refused) io.stderr.write(`canarysim: ${line}\n`);
  const render = {
    '--json': suiteJson,
    '--junit': renderJunit,
    '--markdown': renderMarkdown,
    '--html': suiteHtml,
  };
  for (const o of outs) writeAtomically(o.file, render[o.flag](outcomes), o.flag);
  return refused.length > 0 ? 2 : passed === outcomes.length ? 0 : 1;
}
