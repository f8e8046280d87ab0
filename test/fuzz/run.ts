// `npm run fuzz`: every fuzz target over a long seeded run (default 100,000 inputs each), one
// worker thread per target at a time. Reports, per target: inputs, crashes, hangs (an input still
// running after 10 s is abandoned and counted; one taking over 1 s is counted as slow — both are
// "hangs" in the total), errors without a position and broken properties. Exit 1 on any.
//
//   node dist/test/fuzz/run.js [--runs N] [--seed S] [--target NAME]
import { Worker } from 'node:worker_threads';
import { fuzzTargets } from './targets.js';
import type { Finding, WorkerInput, WorkerReport } from './worker.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const runs = Number(arg('--runs', '100000'));
const seed = Number(arg('--seed', '20261206'));
const only = arg('--target', '');
const HANG_MS = 10_000;

async function fuzz(target: string): Promise<WorkerReport & { hangs: Finding[]; wallMs: number }> {
  const total: WorkerReport & { hangs: Finding[]; wallMs: number } = {
    checked: 0,
    accepted: 0,
    refused: 0,
    maxMs: 0,
    findings: [],
    hangs: [],
    wallMs: 0,
  };
  const t0 = Date.now();
  let from = 0;
  while (from < runs) {
    const progress = new SharedArrayBuffer(4);
    const at = new Int32Array(progress);
    Atomics.store(at, 0, from);
    const data: WorkerInput = { target, seed, runs, from, progress };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: data });
    const outcome = await new Promise<WorkerReport | { hungAt: number }>((resolve, reject) => {
      let last = from;
      let since = Date.now();
      const watch = setInterval(() => {
        const now = Atomics.load(at, 0);
        if (now !== last) {
          last = now;
          since = Date.now();
        } else if (Date.now() - since > HANG_MS) {
          clearInterval(watch);
          void worker.terminate();
          resolve({ hungAt: now });
        }
      }, 250);
      worker.once('message', (r: WorkerReport) => {
        clearInterval(watch);
        resolve(r);
      });
      worker.once('error', (e) => {
        clearInterval(watch);
        reject(e);
      });
    });
    if ('hungAt' in outcome) {
      total.hangs.push({
        kind: 'slow',
        index: outcome.hungAt,
        input: '(see --seed/--runs and this index)',
        message: `still running after ${HANG_MS / 1000} s`,
      });
      total.checked += outcome.hungAt - from + 1;
      from = outcome.hungAt + 1;
      continue;
    }
    total.checked += outcome.checked;
    total.accepted += outcome.accepted;
    total.refused += outcome.refused;
    total.maxMs = Math.max(total.maxMs, outcome.maxMs);
    total.findings.push(...outcome.findings);
    from = runs;
  }
  total.wallMs = Date.now() - t0;
  return total;
}

let failed = false;
console.log(`canarysim fuzz — ${runs} inputs per target, seed ${seed}\n`);
console.log(
  'target           inputs   accepted  refused  crashes  hangs  no-position  property  max ms/input  wall s',
);
for (const t of fuzzTargets()) {
  if (only && t.name !== only) continue;
  const r = await fuzz(t.name);
  const count = (k: Finding['kind']) => r.findings.filter((f) => f.kind === k).length;
  const hangs = r.hangs.length + count('slow');
  const bad = count('crash') + hangs + count('no-position') + count('property');
  if (bad > 0) failed = true;
  console.log(
    `${t.name.padEnd(15)} ${String(r.checked).padStart(7)} ${String(r.accepted).padStart(10)} ${String(r.refused).padStart(8)} ${String(count('crash')).padStart(8)} ${String(hangs).padStart(6)} ${String(count('no-position')).padStart(12)} ${String(count('property')).padStart(9)} ${r.maxMs.toFixed(1).padStart(13)} ${(r.wallMs / 1000).toFixed(1).padStart(7)}`,
  );
  const shown = new Map<string, number>();
  for (const f of [...r.hangs, ...r.findings]) {
    const n = shown.get(f.kind) ?? 0;
    shown.set(f.kind, n + 1);
    if (n < 3) console.log(`    ${f.kind} #${f.index}: ${f.message}\n      input: ${f.input}`);
  }
}
process.exitCode = failed ? 1 : 0;
