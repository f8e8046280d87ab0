import { InputError } from '../../sim/errors.js';
import { parseReports, readReports, type ExplainableReport } from '../scenario/readReport.js';
import type { Report } from '../scenario/report.js';
import { renderExplain } from '../views/renderExplain.js';

export interface Out {
  write(s: string): unknown;
}

/**
 * `canarysim explain REPORT.json [--rollout NAME]`: why each analysis decision went the way it
 * did (renderExplain), for a `run --json` report or each scenario of a `test --json` file. A file
 * that is not a canarysim report, or a rollout none of its reports holds, is bad input (exit 2).
 */
export function explainCommand(file: string, opts: { rollout?: string }, out: Out): number {
  const reports = readReports(file);
  checkRollout(reports, opts.rollout, file);
  if (reports.length === 1) out.write(renderExplain(reports[0]!, opts));
  else
    out.write(
      reports
        .filter((r) => opts.rollout === undefined || r.rollouts[opts.rollout])
        .map((r) => `== ${r.scenario.file}\n\n${renderExplain(r, opts)}`)
        .join('\n'),
    );
  return 0;
}

/**
 * `run --explain`: the same text for the report the run just built, read back as a report file
 * is (JSON, so NaN reads as `explain` would read it from the file).
 */
export function explainRun(report: Report): string {
  return renderExplain(parseReports(JSON.stringify(report), '(the run)')[0]!);
}

function checkRollout(
  reports: readonly ExplainableReport[],
  rollout: string | undefined,
  file: string,
): void {
  if (rollout === undefined || reports.some((r) => r.rollouts[rollout])) return;
  const names = [...new Set(reports.flatMap((r) => Object.keys(r.rollouts)))].sort();
  throw new InputError(
    `invalid --rollout ${JSON.stringify(rollout)}: ${file} has no such rollout; expected ${names.length ? `one of ${names.join(', ')}` : 'none (it holds no rollouts)'}`,
  );
}
