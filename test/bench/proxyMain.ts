// `node dist/test/bench/proxyMain.js`: live mode's ingress proxy against one replica directly
// (`canarysim serve` in its own process), beside a bare node:http proxy measured the same way in
// the same run, and beside the same bare proxy with its replica on a worker thread (what a core of
// its own gives a proxy); min / median / max over BENCH_RUNS (≥ 5) runs, the three alternating.
import { packageRoot } from '../../cli/runCli.js';
import { startServeProcess } from '../interop/liveServe.js';
import { latencyTool, proxyBenchRun, serveTarget, startBare, type ProxyBenchRun } from './proxyBench.js';

const RUNS = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
const SECONDS = 4;
const root = packageRoot();

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
}
const fmt = (xs: number[], digits = 0) => {
  const s = stats(xs);
  return `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;
};

const tool = latencyTool(root);
const serve = await startServeProcess(root, 'istio', 1);
const bare = await startBare(root);
const split = await startBare(root, 'worker');
const ours: ProxyBenchRun[] = [];
const base: ProxyBenchRun[] = [];
const apart: ProxyBenchRun[] = [];
try {
  console.log(
    `ingress proxy vs one replica directly: canarysim serve (istio overlay, 5 replicas) beside a bare ` +
      `node:http proxy + node:http replica in one process (the replica on the proxy's thread, and on a worker thread); capacity by autocannon (32 connections × ${SECONDS} s), ` +
      `latency by ${tool.name} (10 workers) at half the proxy's capacity\n`,
  );
  const target = await serveTarget(serve);
  for (let i = 0; i < RUNS; i++) {
    for (const [name, t, into] of [
      ['canarysim', target, ours],
      ['bare proxy', bare.target, base],
      ['bare+worker', split.target, apart],
    ] as const) {
      const r = await proxyBenchRun(t, tool, SECONDS);
      into.push(r);
      console.log(
        `  run ${i + 1} ${name.padEnd(11)} direct ${r.directRps.toFixed(0)} req/s, proxy ${r.proxyRps.toFixed(0)} req/s; ` +
          `at ${r.rate} req/s p50 ${r.directP50.toFixed(1)} → ${r.proxyP50.toFixed(1)} ms, p99 ${r.directP99.toFixed(1)} → ${r.proxyP99.toFixed(1)} ms`,
      );
    }
  }
} finally {
  bare.child.kill();
  split.child.kill();
  await serve.stop();
}
const row = (label: string, f: (r: ProxyBenchRun) => number, digits: number, unit: string, target = '') =>
  console.log(
    `  ${label.padEnd(26)} ${[ours, base, apart].map((rs) => fmt(rs.map(f), digits).padEnd(24)).join(' ')} ${unit}${target}`,
  );
console.log(
  `\n  ${''.padEnd(26)} ${'canarysim serve'.padEnd(24)} ${'bare node:http proxy'.padEnd(24)} ${'bare, replica on a worker'.padEnd(24)}`,
);
row('direct to the replica', (r) => r.directRps, 0, 'req/s');
row('through the proxy', (r) => r.proxyRps, 0, 'req/s');
row('ratio proxy/direct', (r) => r.proxyRps / r.directRps, 2, '×', '   (target ≥ 0.6)');
row('added p50 at half load', (r) => r.proxyP50 - r.directP50, 1, 'ms');
row('added p99 at half load', (r) => r.proxyP99 - r.directP99, 1, 'ms', '   (target ≤ 2 ms)');
