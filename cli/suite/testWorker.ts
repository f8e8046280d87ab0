// The worker thread of `canarysim test` (tinypool runs its default export): each job checks or
// plays one scenario with the same functions the in-process path (`--jobs 1`) calls.
import { checkTask, playTask, type ScenarioOutcome, type ScenarioTask } from './playScenario.js';

export type SuiteJob = { kind: 'check'; task: ScenarioTask } | { kind: 'play'; task: ScenarioTask };

export default function work(job: SuiteJob): Promise<string | undefined | ScenarioOutcome> {
  return job.kind === 'check' ? Promise.resolve(checkTask(job.task)) : playTask(job.task);
}
