import { availableParallelism } from 'node:os';

/** `--jobs` at most (README, Limits): more threads than this only add memory. */
export const MAX_JOBS = 256;

/** `--jobs` by default: one worker thread per core the process may use. */
export const defaultJobs = (): number => availableParallelism();
