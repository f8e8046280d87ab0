// `npm run bench`: every figure as min / median / max over several runs, each beside a baseline
// measured in the same run. Nothing here asserts; it prints.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot } from '../../cli/runCli.js';
import { fmt, stats } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const root = packageRoot();
const node = process.execPath;

function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(node, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

/** A bench worker in its own node process; `nodeArgs` go before the script (`--expose-gc`). */
function worker(what: string, nodeArgs: string[] = []): Record<string, number> {
  const r = spawnSync(node, [...nodeArgs, path.join(root, 'dist/test/bench/worker.js'), what], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bench worker ${what} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

console.log(
  `canarysim benchmarks — ${RUNS} runs each, min / median / max (node ${process.version}, ${process.platform}/${process.arch})\n`,
);

// 1. `canarysim demo`, whole process, against a bare `node -e 0` started the same way.
const demo: number[] = [];
const bare: number[] = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(wall(['-e', '0']));
  demo.push(wall([path.join(root, 'dist/cli/main.js'), 'demo']));
}
const d = stats(demo);
const b = stats(bare);
console.log('canarysim demo (whole process, the blog story, 35 simulated minutes)');
console.log(`  wall:                ${fmt(d, 'ms')}   (target < 2000 ms)`);
console.log(`  baseline node -e 0:  ${fmt(b, 'ms')}`);
console.log(`  ratio demo/baseline: ${(d.median / b.median).toFixed(1)}× (median)\n`);

// 2. istio-prometheus under hey's default 50 workers for its whole length: the simulation part
//    cold (a fresh process: parse, validate, run, JIT and all) and warm (a process that has run it
//    before, as a sweep's or a suite's worker does), and the whole `canarysim run` process.
const runs = Array.from({ length: RUNS }, () => worker('scenario'));
const warm = (worker('scenario-warm') as unknown as { runs: Record<string, number>[] }).runs;
const benchFile = path.join(root, 'test/bench/scenarios/istio-prometheus.yaml');
const wholeRun = Array.from({ length: RUNS }, () =>
  wall([path.join(root, 'dist/bundle/main.js'), 'run', '--root', root, benchFile]),
);
const base = Array.from({ length: RUNS }, () => worker('per-request'));
const reqPerWall = stats(runs.map((r) => r.requests! / (r.wallMs! / 1000)));
const naive = stats(base.map((r) => r.requests! / (r.wallMs! / 1000)));
const rss = stats(runs.map((r) => r.maxRssMB!));
const r0 = runs[0]!;
const x = (rs: Record<string, number>[], key: string) =>
  fmt(stats(rs.map((r) => r.simulatedSeconds! / (r[key]! / 1000))), '×');
console.log('istio-prometheus canary under `hey -z 60m` (50 workers), start to promotion');
console.log(
  `  simulated:           ${r0.simulatedSeconds!.toFixed(0)} s, ${r0.requests!.toLocaleString('en-US')} requests at ${r0.offeredRps!.toFixed(0)} req/s offered`,
);
console.log(
  `  cold, wall:          ${fmt(stats(runs.map((r) => r.wallMs!)), 'ms')} = ${x(runs, 'wallMs')} real time`,
);
console.log(
  `  cold, CPU:           main thread ${x(runs, 'mainCpuMs')}, all threads ${x(runs, 'cpuMs')} real time`,
);
console.log(
  `  warm, wall:          ${fmt(stats(warm.map((r) => r.wallMs!)), 'ms')} = ${x(warm, 'wallMs')} real time`,
);
console.log(
  `  warm, CPU:           main thread ${x(warm, 'mainCpuMs')}   (target ≥ 20,000× for the simulation part), all threads ${x(warm, 'cpuMs')}`,
);
console.log(
  `  whole \`canarysim run\` process, wall: ${fmt(stats(wholeRun), 'ms')} = ${fmt(stats(wholeRun.map((ms) => r0.simulatedSeconds! / (ms / 1000))), '×')} real time   (target ≥ 5,000×)`,
);
console.log(`  simulated req/wall s, cold: ${fmt(reqPerWall, 'req/s')}   (target ≥ 5,000,000)`);
console.log(`  peak RSS:            ${fmt(rss, 'MB', 1)}`);
console.log(`  baseline, one prom-client inc+observe per request: ${fmt(naive, 'req/s')}`);
console.log(`  ratio simulated/baseline: ${(reqPerWall.median / naive.median).toFixed(0)}× (median)`);

// 2a. A day: the same canary with 6 h pauses under the same load, start to promotion — in a bench
//     worker (parse, validate, run) and as a whole `canarysim run` process.
{
  const day = Array.from({ length: RUNS }, () => worker('scenario-24h'));
  const file = path.join(root, 'test/bench/scenarios/istio-prometheus-24h.yaml');
  const whole = Array.from({ length: RUNS }, () =>
    wall([path.join(root, 'dist/bundle/main.js'), 'run', '--root', root, file]),
  );
  const d0 = day[0]!;
  console.log(
    '\n24 h istio-prometheus canary (6 h pauses) under `hey -z 25h` (50 workers), start to promotion',
  );
  console.log(
    `  simulated:           ${d0.simulatedSeconds!.toFixed(0)} s, ${d0.requests!.toLocaleString('en-US')} requests at ${d0.offeredRps!.toFixed(0)} req/s offered`,
  );
  console.log(`  simulation, wall:    ${fmt(stats(day.map((r) => r.wallMs!)), 'ms')}   (target < 2000 ms)`);
  console.log(
    `  simulation, CPU:     main thread ${fmt(stats(day.map((r) => r.mainCpuMs!)), 'ms')}, all threads ${fmt(stats(day.map((r) => r.cpuMs!)), 'ms')}`,
  );
  console.log(`  whole process, wall: ${fmt(stats(whole), 'ms')}`);
}

// 2b. App models must not slow the core: the same open-model run (6,000 req/s) with a declared
//     model (2 % 503s + log-normal latency) on every pod, against silly-demo as it is and against
//     silly-demo with 2 % of the requests sent with ?fail=true (the same number of series: errors
//     are more series to scrape and store, whatever makes them) — in one process, alternated
//     after a warm-up of each.
{
  const r = worker('app-models') as unknown as {
    wall: Record<string, number[]>;
    requests: Record<string, number>;
  };
  const rps = (n: string) => stats(r.wall[n]!.map((ms) => r.requests[n]! / (ms / 1000)));
  const pairwise = (n: string) =>
    stats(
      r.wall[n]!.map(
        (ms, i) => r.requests['open-model']! / r.wall['open-model']![i]! / (r.requests[n]! / ms),
      ),
    );
  const ratio = (s: ReturnType<typeof stats>) =>
    `${s.min.toFixed(2)} / ${s.median.toFixed(2)} / ${s.max.toFixed(2)}`;
  console.log(
    '\napp models: istio-prometheus under open traffic at 6,000 req/s, start to promotion, one process',
  );
  console.log(
    `  silly-demo as it is:                         ${fmt(rps('open-silly-demo'), 'simulated req/s')}`,
  );
  console.log(
    `  silly-demo, 2 % ?fail=true:                  ${fmt(rps('open-silly-demo-fail'), 'simulated req/s')}`,
  );
  console.log(`  a model (2 % 503, p50 20 ms / p99 200 ms):   ${fmt(rps('open-model'), 'simulated req/s')}`);
  console.log(
    `  ratio model / silly-demo 2 % ?fail=true (pairwise): ${ratio(pairwise('open-silly-demo-fail'))}   (target ≥ 0.8)`,
  );
  console.log(
    `  ratio model / silly-demo as it is (pairwise):       ${ratio(pairwise('open-silly-demo'))}   (twice the series)\n`,
  );
}

// 2c. The analysis trace (every measurement kept, with its query, series and conditions) must
//     not slow `run` by more than 1.2×: the blog's story and the istio-prometheus canary with the
//     trace and without it, in one process, alternated after a warm-up of each.
{
  type Times = Record<string, number[]>;
  const r = worker('trace', ['--expose-gc']) as unknown as { wall: Times; cpu: Times };
  const ratio = (t: Times, n: string) =>
    stats(t[`${n}, traced`]!.map((ms, i) => ms / t[`${n}, untraced`]![i]!));
  const show = (s: ReturnType<typeof stats>) =>
    `${s.min.toFixed(2)} / ${s.median.toFixed(2)} / ${s.max.toFixed(2)}`;
  console.log('\nthe analysis trace: run with it and without it, one process, pairs in alternating order');
  for (const n of ['blog', 'istio-prometheus']) {
    console.log(
      `  ${n}, traced:   ${fmt(stats(r.wall[`${n}, traced`]!), 'ms')} wall, ${fmt(stats(r.cpu[`${n}, traced`]!), 'ms')} CPU`,
    );
    console.log(
      `  ${n}, untraced: ${fmt(stats(r.wall[`${n}, untraced`]!), 'ms')} wall, ${fmt(stats(r.cpu[`${n}, untraced`]!), 'ms')} CPU`,
    );
    console.log(
      `  ratio traced / untraced (pairwise): wall ${show(ratio(r.wall, n))}, CPU ${show(ratio(r.cpu, n))}   (target ≤ 1.2)`,
    );
  }
}

// 3. The embedded Prometheus: the success-rate query over 1,000 series × 24 h at 15 s, beside a
//    hand loop and, when Debian's prometheus is installed, the same query in Prometheus 2.42.
const pq = Array.from({ length: Math.min(RUNS, 3) }, () => worker('promql'));
const inst = stats(pq.map((r) => r.instantMs!));
const range = stats(pq.map((r) => r.rangeMs!));
const hand = stats(pq.map((r) => r.handMs!));
console.log('\nsuccess-rate PromQL over 1,000 series × 24 h at 15 s (median of 21 queries per run)');
console.log(`  instant query:       ${fmt(inst, 'ms', 2)}   (target ≤ 20 ms)`);
console.log(`  1 h range, 15 s step: ${fmt(range, 'ms', 1)}   (target ≤ 200 ms)`);
console.log(`  parse:               ${fmt(stats(pq.map((r) => r.parsePerSec!)), 'queries/s')}`);
console.log(`  storage:             ${pq[0]!.bytesPerSample} bytes/sample`);
console.log(`  baseline, the ratio by a hand loop over the selected series: ${fmt(hand, 'ms', 2)}`);
const hasPrometheus = spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasPrometheus) {
  const real = Array.from({ length: Math.min(RUNS, 3) }, () => worker('prometheus'));
  const ri = stats(real.map((r) => r.instantMs!));
  const rr = stats(real.map((r) => r.rangeMs!));
  console.log(
    `  Prometheus 2.42 (inner eval time, same data): instant ${fmt(ri, 'ms', 2)}, range ${fmt(rr, 'ms', 1)}`,
  );
  console.log(
    `  ratio canarysim/Prometheus: instant ${(inst.median / ri.median).toFixed(2)}×, range ${(range.median / rr.median).toFixed(2)}× (median; target ≤ 1.0×)`,
  );
} else {
  console.log('  (Prometheus not installed: apt-get install prometheus for the side-by-side ratio)');
}

// 4. Live mode: our hey beside Debian's hey and wrk; the ingress proxy beside one replica.
//    The browser view under 2,000 requests/s beside the same load with no view open.
// 5. `canarysim test` on 8 copies of the blog scenario beside 8 sequential `run` processes.
// 6. `canarysim sweep` of the istio-prometheus canary on 2 workers beside one rollout in-process.
// 7. Start-up (--version, npm start, run) beside node -e 0; the controller's syncs and their cost.
// 8. The blog run's HTML report: its size, and its load and draw in headless chromium beside a blank page.
for (const script of [
  'heyBench.js',
  'proxyMain.js',
  'liveViewBench.js',
  'suiteBench.js',
  'sweepBench.js',
  'startBench.js',
  'syncBench.js',
  'htmlBench.js',
]) {
  console.log('');
  const r = spawnSync(node, [path.join(root, 'dist/test/bench', script)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${script} exited ${r.status}`);
}
