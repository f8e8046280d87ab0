import { InputError } from '../../sim/errors.js';
import { parseReport, readReport, type ExplainableReport } from '../scenario/readReport.js';
import type { Report } from '../scenario/report.js';
import { renderExplain } from '../views/renderExplain.js';

export interface Out {
  write(s: string): unknown;
}

/**
 * `canarysim explain REPORT.json [--rollout NAME]`: why each analysis decision went the way it
 * did (renderExplain). A file that is not a canarysim report, or a rollout it does not hold, is
 * bad input (exit 2).
 */
export function explainCommand(file: string, opts: { rollout?: string }, out: Out): number {
  const report = readReport(file);
  checkRollout(report, opts.rollout, file);
  out.write(renderExplain(report, opts));
  return 0;
}

/**
 * `run --explain`: the same text for the report the run just built, read back as a report file
 * is (JSON, so NaN reads as `explain` would read it from the file).
 */
export function explainRun(report: Report): string {
  return renderExplain(parseReport(JSON.stringify(report), '(the run)'));
}

function checkRollout(report: ExplainableReport, rollout: string | undefined, file: string): void {
  if (rollout === undefined || report.rollouts[rollout]) return;
  const names = Object.keys(report.rollouts).sort();
  throw new InputError(
    `invalid --rollout ${JSON.stringify(rollout)}: ${file} has no such rollout; expected ${names.length ? `one of ${names.join(', ')}` : 'none (it holds no rollouts)'}`,
  );
}
