// One fuzz target in a worker thread: checks inputs [from, runs) of the target's seeded sequence,
// publishing the index being checked so the parent can tell a hang from slow progress.
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { FuzzFailure, fuzzTargets } from './targets.js';

export interface WorkerInput {
  target: string;
  seed: number;
  runs: number;
  from: number;
  progress: SharedArrayBuffer;
}

export interface Finding {
  kind: 'crash' | 'no-position' | 'property' | 'slow';
  index: number;
  input: string;
  message: string;
}

export interface WorkerReport {
  checked: number;
  accepted: number;
  refused: number;
  maxMs: number;
  findings: Finding[];
}

const { target: name, seed, runs, from, progress } = workerData as WorkerInput;
const target = fuzzTargets().find((t) => t.name === name)!;
const inputs = fc.sample(target.arbitrary, { seed, numRuns: runs });
const at = new Int32Array(progress);
const report: WorkerReport = { checked: 0, accepted: 0, refused: 0, maxMs: 0, findings: [] };
for (let i = from; i < runs; i++) {
  Atomics.store(at, 0, i);
  const input = inputs[i]!;
  const t0 = performance.now();
  try {
    const r = await target.check(input);
    if (r === 'accepted') report.accepted++;
    else report.refused++;
  } catch (e) {
    const f = e instanceof FuzzFailure ? e : new FuzzFailure('crash', String(e), input);
    report.findings.push({ kind: f.kind, index: i, input: target.show(input), message: f.message });
  }
  const ms = performance.now() - t0;
  if (ms > report.maxMs) report.maxMs = ms;
  if (ms > 1000)
    report.findings.push({
      kind: 'slow',
      index: i,
      input: target.show(input),
      message: `${ms.toFixed(0)} ms`,
    });
  report.checked++;
}
parentPort!.postMessage(report);
