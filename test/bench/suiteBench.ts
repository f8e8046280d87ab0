// `canarysim test` on 8 copies of the blog scenario against its baseline, 8 `canarysim run`
// processes one after the other, measured alternately in the same run: wall time of each and the
// ratio per pair (min / median / max). Target: test ≥ 1.6× faster on 2 cores.
//
//   node dist/test/bench/suiteBench.js      (BENCH_RUNS=N for more pairs; default 5)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../../cli/runCli.js';
import { fmt, stats } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const COPIES = 8;
const root = packageRoot();
const main = path.join(root, 'dist/cli/main.js');

/** Wall time of one canarysim process; it must end with the exit code expected. */
function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [main, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`canarysim ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-suite-bench-'));
try {
  const copies = Array.from({ length: COPIES }, (_, i) => {
    const d = path.join(dir, `blog-${i + 1}`);
    cpSync(path.join(root, 'scenarios/blog'), d, { recursive: true });
    return path.join(d, 'scenario.yaml');
  });
  const sequential: number[] = [];
  const suite: number[] = [];
  const ratio: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = copies.reduce((sum, file) => sum + wall(['run', file, '--quiet']), 0);
    const t = wall(['test', dir]);
    sequential.push(s);
    suite.push(t);
    ratio.push(s / t);
  }
  console.log(
    `canarysim test on ${COPIES} copies of the blog scenario (--jobs default: ${availableParallelism()} cores available)`,
  );
  console.log(`  canarysim test:                ${fmt(stats(suite), 'ms')}`);
  console.log(`  baseline, ${COPIES} sequential runs: ${fmt(stats(sequential), 'ms')}`);
  console.log(`  ratio baseline/test (pairwise): ${fmt(stats(ratio), '×', 2)}   (target ≥ 1.6× on 2 cores)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
