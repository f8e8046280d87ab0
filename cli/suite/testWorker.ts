// The worker thread of `canarysim test` and `sweep` (tinypool runs its default export): each job
// checks or plays one scenario, or plays one rollout of a sweep, with the same functions the
// in-process path (`--jobs 1`) calls.
import { checkTask, playTask, type ScenarioOutcome, type ScenarioTask } from './playScenario.js';
import type { SweepRunOutcome, SweepRunTask } from '../sweep/playSweepRun.js';

export type SuiteJob =
  | { kind: 'check'; task: ScenarioTask }
  | { kind: 'play'; task: ScenarioTask }
  | { kind: 'sweep'; task: SweepRunTask };

export default async function work(
  job: SuiteJob,
): Promise<string | undefined | ScenarioOutcome | SweepRunOutcome> {
  if (job.kind === 'check') return checkTask(job.task);
  if (job.kind === 'play') return playTask(job.task);
  // Loaded on first use: a `test` worker never reads the sweep's modules.
  const { playSweepRun } = await import('../sweep/playSweepRun.js');
  return playSweepRun(job.task);
}
