// `canarysim sweep`'s sample-size advisor: lint's low-sample-size warning per cell, with the cell's
// swept threshold and traffic rate applied, deduplicated, the same numbers as `lint`, carried
// whole through shards and `sweep merge`.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CellPlan } from '../../cli/sweep/planSweep.js';
import { describeCells } from '../../cli/sweep/sweepAdvisor.js';
import type { SweepResult } from '../../cli/sweep/sweepResult.js';
import { cliInRepo as cli } from '../helpers/cliInRepo.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-advisor-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SWEEP = 'scenarios/blog/sweep.yaml';
const THRESHOLD = 'ClusterAnalysisTemplate/success-rate:spec.metrics[0].successCondition';
const RATE = 'timeline[3].traffic.rate';
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as SweepResult;

/** lint's low-sample-size messages (without file:line:col) on the blog's manifests and `extra` inputs. */
async function lintAdvice(dir: string, extra: string[]): Promise<string[]> {
  const r = await cli([
    'lint',
    '--json',
    path.join(dir, 'cluster-analysis-template.yaml'),
    '-k',
    path.join(dir, 'kustomize/overlays/istio-prometheus'),
    '--root',
    dir,
    ...extra,
  ]);
  const report = JSON.parse(r.out) as { findings: { rule: string; message: string }[] };
  return report.findings.filter((f) => f.rule === 'low-sample-size').map((f) => f.message);
}

describe("canarysim sweep: the sample-size advisor on the blog's template", () => {
  it('warns for the cells whose window cannot resolve the threshold (0.99 at 5 req/s), not where the rate resolves it', async () => {
    const out = path.join(tmp, 'grid.json');
    const md = path.join(tmp, 'grid.md');
    const csv = path.join(tmp, 'grid.csv');
    const html = path.join(tmp, 'grid.html');
    const r = await cli([
      'sweep',
      SWEEP,
      '--vary',
      `${RATE}=5/s,100/s`,
      '--vary',
      `${THRESHOLD}=0.9,0.99`,
      '--seeds',
      '1',
      '--jobs',
      '1',
      '--json',
      out,
      '--markdown',
      md,
      '--csv',
      csv,
      '--html',
      html,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const advisor = json(out).advisor;
    // 5 req/s × 20 % × 30 s = 30 requests: too few for 0.9 (needs 35) and for 0.99 (needs 381);
    // 100 req/s puts 600 in the window: enough for both, so no line names it.
    expect(advisor).toHaveLength(2);
    expect(advisor[0]).toMatch(
      new RegExp(`^${RATE.replace(/[[\].]/g, '\\$&')}=5/s, ${THRESHOLD.replace(/[[\].]/g, '\\$&')}=0\\.9: `),
    );
    expect(advisor[1]).toContain(`${THRESHOLD}=0.99: ClusterAnalysisTemplate "success-rate"`);
    expect(advisor[1]).toContain(
      "puts 30 requests in the query's window (irate: the last two scrapes, 30s): at 95% confidence they resolve error rates only to ±3.56%, no finer than the 1% of errors result[0] >= 0.99 allows",
    );
    // n* = ⌈1.96²·0.99/0.01⌉ = 381 requests; at 20 % of a 30 s window that is 63.5 req/s.
    expect(advisor[1]).toContain('381 requests would resolve it: 63.5 req/s, or a window of 6m21s');
    expect(advisor.join('\n')).not.toContain('100/s');
    // The terminal prints them under the table, Markdown as a list, CSV not at all.
    expect(r.out).toContain(`\n  ${advisor[1]}\n`);
    expect(readFileSync(md, 'utf8')).toContain(`\n- ${advisor[1]!.replace(/\|/g, '\\|')}`);
    expect(readFileSync(csv, 'utf8')).not.toContain('req/s');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Sample size</h2>');
    expect(page.match(/<li>/g)).toHaveLength(2);
    expect(page).toContain('381 requests would resolve it: 63.5 req/s');
  }, 240_000);

  it("prints identical advice once for the cells it holds for, with lint's numbers on the same inputs", async () => {
    const out = path.join(tmp, 'dedup.json');
    const r = await cli([
      'sweep',
      SWEEP,
      '--vary',
      'apps[0].errors=0%,50%',
      '--vary',
      `${THRESHOLD}=0.95,0.99`,
      '--seeds',
      '1',
      '--jobs',
      '1',
      '--json',
      out,
    ]);
    expect(r.code).toBe(0);
    const advisor = json(out).advisor;
    // The error share does not change the window: one line per threshold, naming it alone.
    expect(advisor.map((l) => l.slice(0, l.indexOf(': ClusterAnalysisTemplate')))).toEqual([
      `${THRESHOLD}=0.95`,
      `${THRESHOLD}=0.99`,
    ]);
    const body = (l: string) => l.slice(l.indexOf(': ') + 2);
    // lint on the scenario's own manifests (0.95) at the scenario's rate: the same message.
    expect(await lintAdvice(path.join(REPO_ROOT, 'scenarios/blog'), [SWEEP])).toEqual([body(advisor[0]!)]);
    // lint --rps 5 on a copy whose template says 0.99: the same numbers (only the rate's source differs).
    const copy = path.join(tmp, 'blog');
    cpSync(path.join(REPO_ROOT, 'scenarios/blog'), copy, { recursive: true });
    const tpl = path.join(copy, 'cluster-analysis-template.yaml');
    writeFileSync(tpl, readFileSync(tpl, 'utf8').replace('result[0] >= 0.95', 'result[0] >= 0.99'));
    const lint99 = await lintAdvice(copy, ['--rps', '5']);
    expect(lint99).toHaveLength(1);
    expect(lint99[0]!.replace('(--rps)', '(RATE)')).toBe(
      body(advisor[1]!).replace(`(the traffic "users" of ${SWEEP})`, '(RATE)'),
    );
  }, 240_000);

  it('says nothing when every cell resolves its threshold', async () => {
    const out = path.join(tmp, 'fine.json');
    const r = await cli([
      'sweep',
      SWEEP,
      '--vary',
      `${RATE}=100/s`,
      '--seeds',
      '1',
      '--jobs',
      '1',
      '--json',
      out,
      '--html',
      path.join(tmp, 'fine.html'),
    ]);
    expect(r.code).toBe(0);
    expect(json(out).advisor).toEqual([]);
    expect(r.out).not.toContain('sample size');
    expect(readFileSync(path.join(tmp, 'fine.html'), 'utf8')).not.toContain('Sample size');
  }, 240_000);

  it('sweep merge gives the advisor lines of the unsharded sweep: every shard carries them whole', async () => {
    const args = ['sweep', SWEEP, '--vary', `${THRESHOLD}=0.9,0.99`, '--seeds', '2', '--jobs', '1'];
    const whole = path.join(tmp, 'whole.json');
    expect((await cli([...args, '--json', whole])).code).toBe(0);
    const shards = [1, 2].map((i) => path.join(tmp, `shard-${i}.json`));
    for (const [i, f] of shards.entries())
      expect((await cli([...args, '--shard', `${i + 1}/2`, '--json', f])).code).toBe(0);
    for (const f of shards) expect(json(f).advisor).toEqual(json(whole).advisor);
    const merged = path.join(tmp, 'merged.json');
    const m = await cli(['sweep', 'merge', ...shards, '--json', merged]);
    expect(m.code).toBe(0);
    expect(json(merged).advisor).toHaveLength(2);
    expect(readFileSync(merged, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(m.out).toContain(json(whole).advisor[1]);
  }, 240_000);
});

describe('the cells an advisor line names', () => {
  const a = { key: 'a', values: ['1', '2'], of: (c: CellPlan) => c.values.a! };
  const b = { key: 'b', values: ['x', 'y', 'z'], of: (c: CellPlan) => c.values.b! };
  const all: CellPlan[] = a.values.flatMap((va, i) =>
    b.values.map((vb, j) => ({
      index: i * 3 + j,
      values: { a: va, b: vb },
      healthy: false,
      changes: { overrides: [], edits: [] },
    })),
  );
  const pick = (...ix: number[]) => ix.map((i) => all[i]!);
  it('names only the keys a product of values does not span whole', () => {
    expect(describeCells(pick(0, 1, 2, 3, 4, 5), all, [a, b])).toBe('every cell');
    expect(describeCells(pick(2, 5), all, [a, b])).toBe('b=z');
    expect(describeCells(pick(0, 2, 3, 5), all, [a, b])).toBe('b=x,z');
    expect(describeCells(pick(4), all, [a, b])).toBe('a=2, b=y');
  });
  it('lists each cell when the group is no product', () => {
    expect(describeCells(pick(0, 4), all, [a, b])).toBe('a=1, b=x; a=2, b=y');
  });
});
