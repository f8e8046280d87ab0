import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/runCli.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const TESTDATA = path.resolve(REPO_ROOT, '../shared/promql-testdata');

describe('canarysim promql check', () => {
  it('prints the expression back as Prometheus would, and its type', async () => {
    const r = await run(['promql', 'check', 'SUM(rate(x{a="b"}[300])) BY (job)']);
    expect(r).toEqual({
      code: 0,
      stdout: 'sum by (job) (rate(x{a="b"}[5m]))\ntype: instant vector\n',
      stderr: '',
    });
    expect((await run(['promql', 'check', 'x[5m]'])).stdout).toBe('x[5m]\ntype: range vector\n');
  });

  it('a parse error is one line with line:col and exit 2', async () => {
    const r = await run(['promql', 'check', 'sum(rate(x[5m])']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('canarysim: 1:16: parse error: unclosed left parenthesis\n');
  });

  it('a regex too long for canarysim is one line and exit 2, not a crash', async () => {
    const r = await run(['promql', 'check', `{a=~"${'a'.repeat(32_768)}"}`]);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'canarysim: 1:2: parse error: regex too long (32768 characters; at most 16384)\n',
    });
  });
});

describe('canarysim promql test', () => {
  it('runs a script: failures with file:line, then "N passed, M failed"; exit 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-promqltest-'));
    const file = path.join(dir, 'mine.test');
    writeFileSync(
      file,
      'load 1m\n  x{job="a"} 0+10x10\n\neval instant at 5m rate(x[5m])\n  {job="a"} 0.16666666666666666\n\neval instant at 5m x\n  x{job="a"} 7\n',
    );
    const r = await run(['promql', 'test', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7: `, 'm'));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed');
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs Prometheus's own scripts through subset.tsv, counting the skipped by class", async () => {
    const r = await run([
      'promql',
      'test',
      '--subset',
      path.join(TESTDATA, 'subset.tsv'),
      '--class',
      'core',
      path.join(TESTDATA, 'literals.test'),
      path.join(TESTDATA, 'staleness.test'),
      path.join(TESTDATA, 'at_modifier.test'),
    ]);
    expect(r.stdout).toBe('42 passed, 0 failed (skipped: 29 opt, 49 out)\n');
    expect(r.code).toBe(0);
  });

  it('bad arguments are input errors', async () => {
    expect((await run(['promql', 'test', '--class', 'core', 'x.test'])).code).toBe(2);
    expect((await run(['promql', 'test', path.join(tmpdir(), 'nope.test')])).stderr).toMatch(/no such file/);
  });
});
