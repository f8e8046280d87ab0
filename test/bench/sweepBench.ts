// `canarysim sweep` of the blog's istio-prometheus canary (test/bench/scenarios/istio-prometheus.yaml:
// hey's 50 workers for the whole update, 20 % → 80 % with 300 s pauses, then promotion) against
// the physical limit measured in the same run: 2 workers × one rollout's in-process time.
//
//   rollouts/s           = N rollouts ÷ the sweep's wall time (sweepCommand and its worker threads)
//   parallel efficiency  = rollouts/s ÷ (2 ÷ one rollout's warm in-process wall time)   (target ≥ 0.8)
//
// The default is the issue's own sweep, 2,000 rollouts: a smaller one measures mostly the worker
// threads' cold start (their first rollouts run unoptimised code — 60 rollouts gave 0.36).
//
//   node dist/test/bench/sweepBench.js      (BENCH_RUNS=N for more rounds, default 3; SWEEP_SEEDS=N rollouts, default 2000)
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sweepCommand } from '../../cli/commands/sweep.js';
import { packageRoot } from '../../cli/runCli.js';
import { playSweepRun, type SweepRunTask } from '../../cli/sweep/playSweepRun.js';
import { fmt, stats } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const N = Number(process.env['SWEEP_SEEDS'] ?? 2000);
const WORKERS = 2;
const root = packageRoot();
const file = path.join(root, 'test/bench/scenarios/istio-prometheus.yaml');

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

/**
 * One rollout's warm wall and CPU time in this thread (medians of 10 after 30 of warm-up, as warm
 * as a worker is after its first few dozen of a 2,000-rollout sweep), ms.
 */
async function inProcess(): Promise<{ wall: number; cpu: number }> {
  const task = (i: number): SweepRunTask => ({
    file,
    root,
    base: [],
    cell: 0,
    changes: { overrides: [], edits: [] },
    seedIndex: i,
    seed: 1000 + i,
  });
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const o = await playSweepRun(task(i));
    if (o.kind !== 'ran') throw new Error(o.error);
    if (i < 30) continue;
    wall.push(performance.now() - t0);
    cpu.push(cpuMs(process.cpuUsage(c0)));
  }
  return { wall: stats(wall).median, cpu: stats(cpu).median };
}

/** The sweep as `canarysim sweep` runs it (its pool of worker threads), in this process: wall and CPU of all threads. */
async function sweep(): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const quiet = { write: () => true };
  const code = await sweepCommand(file, { root, seeds: N, jobs: WORKERS }, { stdout: quiet, stderr: quiet });
  if (code !== 0) throw new Error(`canarysim sweep exited ${code}`);
  return { wall: performance.now() - t0, cpu: cpuMs(process.cpuUsage(c0)) };
}

const one: number[] = [];
const oneCpu: number[] = [];
const rate: number[] = [];
const efficiency: number[] = [];
const cpuRatio: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t1 = await inProcess();
  const w = await sweep();
  one.push(t1.wall);
  oneCpu.push(t1.cpu);
  rate.push(N / (w.wall / 1000));
  efficiency.push(N / (w.wall / 1000) / (WORKERS / (t1.wall / 1000)));
  cpuRatio.push((N * t1.cpu) / w.cpu);
}
const r = stats(rate);
console.log(
  `canarysim sweep of the istio-prometheus canary: ${N} rollouts on ${WORKERS} worker threads, ${RUNS} rounds`,
);
console.log(
  `  one rollout in-process (warm, median of 10): ${fmt(stats(one), 'ms')} wall, ${fmt(stats(oneCpu), 'ms')} CPU`,
);
console.log(
  `  sweep:                  ${fmt(r, 'rollouts/s', 1)}   (target: 2,000 rollouts < 60 s = 33 rollouts/s)`,
);
console.log(`  ${N.toLocaleString('en-US')} rollouts took: ${fmt(stats(rate.map((x) => N / x)), 's', 1)}`);
console.log(
  `  parallel efficiency (rollouts/s ÷ ${WORKERS} workers × 1/one rollout): ${fmt(stats(efficiency), '', 2)}  (target ≥ 0.8)`,
);
console.log(
  `  CPU efficiency (N × one rollout's CPU ÷ the sweep's CPU, all threads): ${fmt(stats(cpuRatio), '', 2)}  (what a loaded machine distorts least)`,
);
