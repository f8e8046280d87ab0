// `canarysim sweep`: the statistics against closed-form binomial results, determinism across
// workers and shards (3 shards merged = the whole sweep, byte for byte), KEYs into the scenario
// and its manifests, the mutants, and bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  numberComparisons,
  proportionThreshold,
  replaceThreshold,
} from '../../cli/lint/conditionThreshold.js';
import { parseShard, runSeed } from '../../cli/sweep/planSweep.js';
import type { SweepResult } from '../../cli/sweep/sweepResult.js';
import { parseVaryFlag, splitValues } from '../../cli/sweep/varyFlag.js';
import { cliInRepo } from '../helpers/cliInRepo.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BINOMIAL = 'test/fixtures/sweep/binomial.yaml';

const cli = cliInRepo;

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as SweepResult;

/** P(X >= m) for X ~ Binomial(n, p). */
function binomialTail(n: number, p: number, m: number): number {
  let below = 0;
  let term = (1 - p) ** n; // P(X = 0)
  for (let k = 0; k < m; k++) {
    below += term;
    term *= ((n - k) / (k + 1)) * (p / (1 - p));
  }
  return 1 - below;
}

describe('canarysim sweep: statistics', () => {
  it('P(abort) matches the binomial tail: 100 requests, abort at 3 errors or more', async () => {
    // binomial.yaml: exactly 100 requests reach the canary; the analysis fails at >= 3 5xx.
    // Fixed seeds, so this is deterministic; the bound is 3.29 standard errors (99.9 %).
    const out = path.join(tmp, 'binomial.json');
    const seeds = 150;
    const r = await cli([
      'sweep',
      BINOMIAL,
      '--vary',
      'apps[0].errors=1%,3%,6%',
      '--seeds',
      String(seeds),
      '--jobs',
      '1',
      '--json',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const res = json(out);
    for (const [i, p] of [0.01, 0.03, 0.06].entries()) {
      const cell = res.cells[i]!;
      const exact = binomialTail(100, p, 3);
      const se = Math.sqrt((exact * (1 - exact)) / seeds);
      expect(cell.runs).toBe(seeds);
      expect(Math.abs(cell.abort.p - exact)).toBeLessThanOrEqual(3.29 * se);
      // Every run ends: promoted or aborted; the canary takes all the traffic, so the share is 1.
      expect(cell.abort.k + cell.promote.k).toBe(seeds);
      if (cell.shareBeforeAbort) expect(cell.shareBeforeAbort.median).toBe(1);
      // Errors before the abort: at least the 3 that failed the analysis.
      if (cell.errorsBeforeAbort) expect(cell.errorsBeforeAbort.median).toBeGreaterThanOrEqual(3);
    }
    expect(binomialTail(100, 0.03, 3)).toBeCloseTo(0.5802, 4);
    // Every run of a cell is in the runs list, with its derived seed.
    expect(res.runs).toHaveLength(3 * seeds);
    expect(res.runs[5]!.seed).toBe(runSeed(1, 0, 5));
  }, 240_000);

  it('a threshold of a manifest condition is varied in place, and a healthy cell prints its false-abort rate', async () => {
    const out = path.join(tmp, 'threshold.json');
    const r = await cli([
      'sweep',
      BINOMIAL,
      '--vary',
      'apps[0].errors=0%,50%',
      '--vary',
      'AnalysisTemplate/errors:spec.metrics[0].successCondition=1,1000',
      '--healthy',
      'apps[0].errors=0%',
      '--seeds',
      '5',
      '--jobs',
      '1',
      '--json',
      out,
    ]);
    expect(r.err).toBe('');
    const res = json(out);
    const cell = (e: string, t: string) =>
      res.cells.find(
        (c) =>
          c.values['apps[0].errors'] === e &&
          c.values['AnalysisTemplate/errors:spec.metrics[0].successCondition'] === t,
      )!;
    // result[0] < 1: one error aborts; < 1000: nothing does.
    expect(cell('50%', '1').abort.p).toBe(1);
    expect(cell('50%', '1000').abort.p).toBe(0);
    expect(cell('0%', '1').falseAbortRate).toBe(0);
    expect(cell('50%', '1').falseAbortRate).toBeNull();
    expect(r.out).toMatch(/false aborts/);
  }, 120_000);
});

describe("canarysim sweep: the blog's template", () => {
  it('an abort at the first measurement: after the 5-minute pause at 20 %, a fifth of the users hit the canary', async () => {
    const out = path.join(tmp, 'blog.json');
    const r = await cli([
      'sweep',
      'scenarios/blog/sweep.yaml',
      '--vary',
      'apps[0].errors=50%',
      '--seeds',
      '3',
      '--jobs',
      '1',
      '--json',
      out,
    ]);
    expect(r.err).toBe('');
    const cell = json(out).cells[0]!;
    expect(cell.abort.k).toBe(3);
    // The background analysis starts with step 3 (setWeight 40), after setWeight 20 and a 300 s pause.
    expect(cell.timeToAbort!.median).toBeGreaterThanOrEqual(300);
    expect(cell.timeToAbort!.p95).toBeLessThan(330);
    // The share of all users' requests since the update that reached the canary: its 20 % weight.
    expect(cell.shareBeforeAbort!.median).toBeGreaterThan(0.17);
    expect(cell.shareBeforeAbort!.p95).toBeLessThan(0.23);
    // Half its answers were 5xx: 5 requests/s × 20 % × ~300 s ≈ 300 requests, ~150 errors.
    expect(cell.errorsBeforeAbort!.median).toBeGreaterThan(100);
    expect(cell.errorsBeforeAbort!.median).toBeLessThan(200);
  }, 120_000);
});

describe('canarysim sweep: the same bytes whatever the workers and shards', () => {
  it('3 shards merged are byte-identical to the unsharded sweep, and --jobs 2 to --jobs 1', async () => {
    const args = ['sweep', BINOMIAL, '--vary', 'apps[0].errors=2%,4%', '--seeds', '4'];
    const whole = path.join(tmp, 'whole.json');
    expect((await cli([...args, '--jobs', '1', '--json', whole])).code).toBe(0);
    const shards = [1, 2, 3].map((i) => path.join(tmp, `shard-${i}.json`));
    for (const [i, f] of shards.entries())
      expect((await cli([...args, '--jobs', '1', '--shard', `${i + 1}/3`, '--json', f])).code).toBe(0);
    // Each shard holds a slice of the runs…
    expect(shards.map((f) => json(f).runs.length)).toEqual([3, 3, 2]);
    const merged = path.join(tmp, 'merged.json');
    const csv = [path.join(tmp, 'whole.csv'), path.join(tmp, 'merged.csv')];
    const m = await cli(['sweep', 'merge', ...shards.reverse(), '--json', merged, '--csv', csv[1]!]);
    expect(m.code).toBe(0);
    expect(readFileSync(merged, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    // The worker threads (compiled code) give the same bytes as the in-process path.
    const p = spawnSync(
      process.execPath,
      ['dist/cli/main.js', ...args, '--jobs', '2', '--json', path.join(tmp, 'j2.json'), '--csv', csv[0]!],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(p.stderr).toBe('');
    expect(readFileSync(path.join(tmp, 'j2.json'), 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(readFileSync(csv[0]!, 'utf8')).toBe(readFileSync(csv[1]!, 'utf8'));
    // JOB_COMPLETION_INDEX (0-based) picks the shard of a Kubernetes Indexed Job.
    expect(parseShard('3', { JOB_COMPLETION_INDEX: '1' })).toEqual({ index: 2, count: 3 });
  }, 240_000);

  it('merge refuses a missing shard, a repeated one and a file of another sweep', async () => {
    const shards = [1, 2, 3].map((i) => path.join(tmp, `shard-${i}.json`));
    expect((await cli(['sweep', 'merge', shards[0]!, shards[1]!])).err).toMatch(/shard 3\/3 missing/);
    expect((await cli(['sweep', 'merge', shards[0]!, shards[0]!, shards[1]!])).err).toMatch(
      /shard 1\/3 again/,
    );
    const other = path.join(tmp, 'other.json');
    await cli([
      'sweep',
      BINOMIAL,
      '--vary',
      'apps[0].errors=2%',
      '--seeds',
      '3',
      '--jobs',
      '1',
      '--shard',
      '3/3',
      '--json',
      other,
    ]);
    const r = await cli(['sweep', 'merge', shards[0]!, shards[1]!, other]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/a shard of another sweep/);
    // A file edited by hand (a run of a cell the sweep does not have) is refused, not merged.
    const edited = json(shards[0]!);
    edited.runs[0]!.cell = 99;
    const bad = path.join(tmp, 'edited.json');
    writeFileSync(bad, JSON.stringify(edited));
    const e = await cli(['sweep', 'merge', bad, shards[1]!, shards[2]!]);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/runs\[0\] is not a run of this sweep/);
  }, 120_000);
});

describe('canarysim sweep --mutants', () => {
  it('runs the standard bad versions and a healthy one, and says which were caught', async () => {
    const out = path.join(tmp, 'mutants.json');
    const r = await cli([
      'sweep',
      BINOMIAL,
      '--set',
      'apps[0].errors=0%',
      '--mutants',
      '--mutant-errors',
      '1%,50%',
      '--seeds',
      '3',
      '--jobs',
      '1',
      '--json',
      out,
    ]);
    expect(r.err).toBe('');
    const res = json(out);
    expect(res.cells.map((c) => c.mutant)).toEqual([
      'healthy',
      '5xx +1%',
      '5xx +50%',
      'p99 ×2',
      'p99 ×5',
      'crash loop',
      'one path',
      'under load',
    ]);
    const verdict = Object.fromEntries(res.cells.map((c) => [c.mutant, c.verdict]));
    // The template counts 5xx only: half the requests failing is caught, a slower p99 is not.
    expect(verdict).toMatchObject({
      healthy: 'healthy',
      '5xx +50%': 'caught',
      'one path': 'caught',
      'p99 ×2': 'survived',
      'p99 ×5': 'survived',
    });
    expect(r.out).toMatch(/mutation score: \d\/7 bad versions caught/);
    expect(r.out).toMatch(/survived: p99 ×5/);
  }, 240_000);
});

describe('canarysim sweep: bad input', () => {
  it.each([
    [
      ['--vary', 'apps[2].errors=1%'],
      'canarysim: --vary apps[2].errors=1%: apps has 1 entries (apps[0] to apps[0]; apps[1] adds one)',
    ],
    [
      ['--vary', 'Rollout/nope:spec.replicas=1'],
      'canarysim: --vary Rollout/nope:spec.replicas=1: no Rollout/nope among the manifests the scenario applies; expected one of "AnalysisTemplate/errors", "Gateway/app", "Rollout/app", "Service/app-canary", "Service/app-stable", "VirtualService/app"',
    ],
    [
      ['--vary', 'Rollout/app:spec.strategy.canary.stepz[0].setWeight=10'],
      'canarysim: --vary Rollout/app:spec.strategy.canary.stepz[0].setWeight=10: Rollout/app has no spec.strategy.canary.stepz[0].setWeight (test/fixtures/sweep/manifests.yaml: spec.strategy.canary.stepz does not exist)',
    ],
    [
      ['--vary', 'apps[0].errors=1%,7x'],
      'canarysim: --vary apps[0].errors=7x: scenario: apps[0].errors: invalid share "7x": expected a percentage such as 2% or 12.5%',
    ],
    [
      ['--vary', 'apps[0].errors=1%', '--seeds', '10001'],
      'canarysim: invalid --seeds "10001": expected an integer from 1 to 10000',
    ],
    [
      [
        '--vary',
        `apps[0].errors=${Array.from({ length: 100 }, (_, i) => `${i}%`).join(',')}`,
        '--vary',
        'timeline[4].traffic.rate=1/s,2/s,3/s,4/s,5/s,6/s,7/s,8/s,9/s,10/s,11/s',
      ],
      'canarysim: 1,100 cells: a sweep has at most 1,000',
    ],
    [
      [
        '--vary',
        `apps[0].errors=${Array.from({ length: 100 }, (_, i) => `${i}%`).join(',')}`,
        '--seeds',
        '1001',
      ],
      'canarysim: 100 cells × 1001 seeds = 100,100 rollouts: a sweep runs at most 100,000',
    ],
    [['--shard', '0/3'], 'canarysim: invalid --shard "0/3": expected i/n'],
  ])('%j', async (flags, message) => {
    const r = await cli(['sweep', BINOMIAL, '--jobs', '1', ...flags]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toContain(message);
  });

  it('a scenario that never updates its Rollout is refused, named', async () => {
    const r = await cli([
      'sweep',
      BINOMIAL,
      '--set',
      'timeline[2]={wait: 1s}',
      '--seeds',
      '1',
      '--jobs',
      '1',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/never updates Rollout app/);
  });
});

describe('canarysim sweep: KEYs and values', () => {
  it('splits values at top-level commas only', () => {
    expect(splitValues('1%,2%')).toEqual(['1%', '2%']);
    expect(splitValues('{p50: 20ms, p99: 1s},"a,b"')).toEqual(['{p50: 20ms, p99: 1s}', '"a,b"']);
    expect(splitValues('[a')).toBe('unbalanced brackets or braces');
  });

  it('a manifest KEY names a kind, a name and a path', () => {
    const v = parseVaryFlag('Rollout/silly-demo:spec.strategy.canary.steps[0].setWeight=10,20');
    expect(v.target).toEqual({
      kind: 'manifest',
      objectKind: 'Rollout',
      name: 'silly-demo',
      path: ['spec', 'strategy', 'canary', 'steps', 0, 'setWeight'],
    });
    expect(v.values).toEqual([10, 20]);
    expect(parseVaryFlag('apps[0].latency={p50: 20ms, p99: 200ms}').values).toEqual([
      { p50: '20ms', p99: '200ms' },
    ]);
  });

  it('replaces the number a condition compares against, and only an unambiguous one', () => {
    expect(replaceThreshold('result[0] >= 0.95', 0.99, 'f')).toBe('result[0] >= 0.99');
    expect(replaceThreshold('0.5 < result[0]', 0.7, 'f')).toBe('0.7 < result[0]');
    expect(() => replaceThreshold('result[0] > 1 && result[0] < 3', 5, '--vary k=5')).toThrow(
      /compares with 2 numbers/,
    );
    expect(() => replaceThreshold('isNaN(result[0])', 5, '--vary k=5')).toThrow(/compares with no number/);
    // A guard compares len(result) with 0: the threshold is the number result is compared with.
    expect(replaceThreshold('len(result) == 0 || result[0] >= 0.95', 0.99, 'f')).toBe(
      'len(result) == 0 || result[0] >= 0.99',
    );
    expect(replaceThreshold('result[0] <= 500', 1e3, 'f')).toBe('result[0] <= 1000');
  });

  it("the number a sweep replaces is the one lint's advisor reads the error rate from", () => {
    for (const [cond, which, e0] of [
      ['result[0] >= 0.95', 'successCondition', 0.05],
      ['len(result) == 0 || result[0] >= 0.95', 'successCondition', 0.05],
      ['0.98 <= result[0]', 'successCondition', 0.02],
      ['result[0] > 0.05', 'failureCondition', 0.05],
    ] as const) {
      const swept = replaceThreshold(cond, 0.99, 'f');
      const t = proportionThreshold(swept, which)!;
      expect(t.errorThreshold).toBeCloseTo(which === 'successCondition' ? 0.01 : 0.99, 12);
      expect(proportionThreshold(cond, which)!.errorThreshold).toBeCloseTo(e0, 12);
    }
    expect(
      numberComparisons('len(result) == 0 || result[0] >= 0.95').map((c) => [c.text, c.ofResult]),
    ).toEqual([
      ['== 0', false],
      ['result[0] >= 0.95', true],
    ]);
  });
});
