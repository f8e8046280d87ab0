// Start-up: `canarysim --version`, `npm start` (`canarysim demo`) and `canarysim run` of the blog,
// each a whole process as the package's bin runs it (the bundle, dist/bundle/main.js), beside a
// bare `node -e 0` started the same way and beside tsc's unbundled dist/cli/main.js, in rounds (one
// of each per round, so a busy machine slows all of them alike): wall and CPU (user + system)
// time, min / median / max, and the ratios of the medians to node -e 0's in the same run.
//
//   node dist/test/bench/startBench.js      (BENCH_RUNS=N for more rounds; default 5)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../../cli/runCli.js';
import { fmt, stats } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const root = packageRoot();
const main = path.join(root, 'dist/bundle/main.js');
const unbundled = path.join(root, 'dist/cli/main.js');

// Every process, node -e 0 included, reports its own CPU time at exit on fd 3: the same hook in
// each, so its cost (one data: module) is in the baseline too.
const CPU_HOOK =
  "data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>{const u=process.cpuUsage();writeSync(3,String((u.user+u.system)/1000))})";

/** Wall and CPU time (ms) of one node process; it must exit 0. */
function one(args: readonly string[]): { wall: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', CPU_HOOK, ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return { wall, cpu: Number(String(r.output[3])) };
}

const rows = {
  'node -e 0': ['-e', '0'],
  'canarysim --version': [main, '--version'],
  'npm start (canarysim demo)': [main, 'demo'],
  'canarysim run scenarios/blog/scenario.yaml': [main, 'run', 'scenarios/blog/scenario.yaml'],
  'canarysim --version, unbundled': [unbundled, '--version'],
  'canarysim demo, unbundled': [unbundled, 'demo'],
} as const;
type Row = keyof typeof rows;
const targets: Partial<Record<Row, string>> = {
  'canarysim --version': 'target ≤ 2× node -e 0',
  'npm start (canarysim demo)': 'target < 1000 ms wall on an idle machine',
};

const wall: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (const args of Object.values(rows)) one(args); // a warm-up of each (the file cache)
for (let i = 0; i < RUNS; i++)
  for (const [name, args] of Object.entries(rows)) {
    const r = one(args);
    (wall[name] ??= []).push(r.wall);
    (cpu[name] ??= []).push(r.cpu);
  }

const bare = { wall: stats(wall['node -e 0']!).median, cpu: stats(cpu['node -e 0']!).median };
console.log('start-up: whole processes, one of each per round, against node -e 0 in the same rounds');
for (const name of Object.keys(rows) as Row[]) {
  const w = stats(wall[name]!);
  const c = stats(cpu[name]!);
  const ratio =
    name === 'node -e 0'
      ? ''
      : `   ratio to node -e 0: wall ${(w.median / bare.wall).toFixed(1)}×, CPU ${(c.median / bare.cpu).toFixed(1)}×`;
  console.log(`  ${name}`);
  console.log(
    `    wall ${fmt(w, 'ms')}, CPU ${fmt(c, 'ms')}${ratio}${targets[name] ? `   (${targets[name]})` : ''}`,
  );
}
