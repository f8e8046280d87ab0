import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseSubsetAllowList,
  parseTestScript,
  runTestScript,
  type EvalOutcome,
} from '../../sim/promql/index.js';

/*
 * Runs every `core` eval of Prometheus's own PromQL test scripts (../shared/promql-testdata, as
 * classified by subset.tsv) with the upstream runner's extra checks, and compares the misses with
 * known-misses.tsv in both directions.
 */

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dataDir = path.resolve(repoRoot, '../shared/promql-testdata');
const allow = parseSubsetAllowList(readFileSync(path.join(dataDir, 'subset.tsv'), 'utf8'));

function readKnownMisses(): Map<string, string> {
  const text = readFileSync(path.join(import.meta.dirname, 'known-misses.tsv'), 'utf8');
  const misses = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#') || line.startsWith('file\t')) continue;
    const [file, lineNo, ...reason] = line.split('\t');
    misses.set(`${file}:${lineNo}`, reason.join('\t'));
  }
  return misses;
}

function runClass(cls: 'core' | 'opt'): { file: string; outcome: EvalOutcome }[] {
  const out: { file: string; outcome: EvalOutcome }[] = [];
  const files = [...new Set(allow.rows.filter((r) => r.class === cls).map((r) => r.file))].sort();
  for (const file of files) {
    const lines = allow.lines(file, [cls]);
    const script = parseTestScript(readFileSync(path.join(dataDir, file), 'utf8'), file);
    for (const outcome of runTestScript(script, { filter: (l) => lines.has(l) }).results) {
      if (!outcome.skipped) out.push({ file, outcome });
    }
  }
  return out;
}

describe('Prometheus PromQL test scripts', () => {
  it('passes the core evals, except the known misses (and no known miss passes)', () => {
    const total = allow.rows.filter((r) => r.class === 'core').length;
    const results = runClass('core');
    expect(results.length).toBe(total);
    const known = readKnownMisses();
    const passed = results.filter((r) => r.outcome.passed).length;
    console.log(
      `PromQL core conformance: ${passed} of ${total} evals pass (${((100 * passed) / total).toFixed(1)}%)`,
    );
    const unexpected = results
      .filter((r) => !r.outcome.passed && !known.has(`${r.file}:${r.outcome.line}`))
      .map((r) => `${r.file}:${r.outcome.line}: ${r.outcome.message}`);
    const nowPassing = results
      .filter((r) => r.outcome.passed && known.has(`${r.file}:${r.outcome.line}`))
      .map((r) => `${r.file}:${r.outcome.line} passes now; remove it from known-misses.tsv`);
    expect(unexpected).toEqual([]);
    expect(nowPassing).toEqual([]);
    expect(passed / total).toBeGreaterThanOrEqual(0.99);
  });

  it('passes the optional evals (@ modifier, label_replace)', () => {
    const results = runClass('opt');
    const failed = results
      .filter((r) => !r.outcome.passed)
      .map((r) => `${r.file}:${r.outcome.line}: ${r.outcome.message}`);
    console.log(`PromQL opt conformance: ${results.length - failed.length} of ${results.length} evals pass`);
    expect(failed).toEqual([]);
  });
});
