import { Tinypool } from 'tinypool';
import work, { type SuiteJob } from './testWorker.js';

/** Where jobs run: `threads` worker threads (tinypool), or this thread when there is one. */
export interface WorkerPool {
  /** How many jobs run at once. */
  readonly threads: number;
  run(job: SuiteJob): Promise<unknown>;
  destroy(): Promise<void>;
}

/**
 * The pool `canarysim test` and `sweep` play on: `threads` tinypool workers running
 * testWorker.js's jobs, or — for one thread — the same jobs in this thread, so `--jobs 1` plays
 * exactly what the workers would.
 */
export function openPool(threads: number): WorkerPool {
  if (threads <= 1) return { threads: 1, run: work, destroy: () => Promise.resolve() };
  // Compiled JS only: the worker loads dist/cli/suite/testWorker.js beside this module.
  const pool = new Tinypool({
    filename: new URL('./testWorker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    isolateWorkers: false,
  });
  return { threads, run: (job) => pool.run(job), destroy: () => pool.destroy() };
}
