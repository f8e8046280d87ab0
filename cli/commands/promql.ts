import path from 'node:path';
import { InputError } from '../../sim/errors.js';
import {
  exprType,
  formatExpr,
  parseExpr,
  parseSubsetAllowList,
  parseTestScript,
  PromQLParseError,
  runTestScript,
  type SubsetClass,
} from '../../sim/promql/index.js';
import { readRequired } from '../../sim/manifests/FileSystem.js';
import { NodeFileSystem, ReadBudget } from '../io/NodeFileSystem.js';

export interface Out {
  write(s: string): unknown;
}

const TYPE_NAMES: Record<string, string> = {
  vector: 'instant vector',
  matrix: 'range vector',
  scalar: 'scalar',
  string: 'string',
};

/**
 * `canarysim promql check '<expr>'`: the expression as Prometheus would print it back, and its
 * type; a parse error is bad input (`1:14: parse error: …`, exit 2).
 */
export function promqlCheck(expr: string, out: Out): number {
  let e;
  try {
    e = parseExpr(expr);
  } catch (err) {
    if (err instanceof PromQLParseError) throw new InputError(err.format());
    throw err;
  }
  out.write(`${formatExpr(e)}\n`);
  const t = exprType(e);
  out.write(`type: ${TYPE_NAMES[t] ?? t}\n`);
  return 0;
}

/** A file named on the command line: a regular file of bounded size (its folder is its sandbox). */
function readText(file: string, budget: ReadBudget): string {
  const abs = path.resolve(file);
  return readRequired(new NodeFileSystem(path.dirname(abs), { budget }), path.basename(abs));
}

/**
 * `canarysim promql test [--subset FILE.tsv] [--class core|opt|all] FILE...`: runs Prometheus
 * test scripts; prints each failure with file:line, then `N passed, M failed` and the skipped
 * evals by reason. Exit 1 when anything failed.
 */
export function promqlTest(
  files: readonly string[],
  opts: { subset?: string; class?: string },
  out: Out,
): number {
  const cls = opts.class ?? 'core';
  if (!['core', 'opt', 'all'].includes(cls))
    throw new InputError(`invalid --class ${JSON.stringify(cls)}: expected core, opt or all`);
  if (opts.class !== undefined && opts.subset === undefined)
    throw new InputError('--class needs --subset FILE.tsv');
  const budget = new ReadBudget();
  const allow =
    opts.subset !== undefined ? parseSubsetAllowList(readText(opts.subset, budget), opts.subset) : undefined;
  const classes: SubsetClass[] = cls === 'all' ? ['core', 'opt'] : [cls as SubsetClass];
  let passed = 0;
  let failed = 0;
  const skipped = new Map<string, number>();
  const skip = (reason: string, n = 1) => skipped.set(reason, (skipped.get(reason) ?? 0) + n);
  for (const file of files) {
    const base = path.basename(file);
    const script = parseTestScript(readText(file, budget), file);
    const wanted = allow?.lines(base, classes);
    const result = runTestScript(script, { filter: wanted ? (line) => wanted.has(line) : undefined });
    for (const r of result.results) {
      if (r.skipped) {
        // Filtered by the allow-list: count it under its class; otherwise the runner says why.
        skip(
          allow && r.reason === 'filtered out'
            ? `${allow.classOf(base, r.line) ?? 'unlisted'}`
            : (r.reason ?? 'skipped'),
        );
      } else if (r.passed) {
        passed++;
      } else {
        failed++;
        out.write(`${file}:${r.line}: ${r.message ?? 'failed'}\n`);
      }
    }
  }
  const skippedText = [...skipped]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  out.write(`${passed} passed, ${failed} failed${skipped.size > 0 ? ` (skipped: ${skippedText})` : ''}\n`);
  return failed > 0 ? 1 : 0;
}
