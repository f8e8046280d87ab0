import type { ScenarioOutcome, ScenarioTask } from './playScenario.js';
import type { SuiteJob } from './testWorker.js';
import { openPool } from './workerPool.js';

export type SuiteResult =
  /** Some scenarios are invalid: their lines, in the order given; nothing ran. */
  | { invalid: string[] }
  /** Every scenario ran: their outcomes in the order given. */
  | { outcomes: ScenarioOutcome[] };

/**
 * Checks every scenario, then — when all are valid — plays them, `jobs` at a time on worker
 * threads (tinypool), or one after the other in this thread when `jobs` is 1 or there is one
 * scenario. Each plays in a world of its own from its own seed, so the outcomes do not depend on
 * `jobs` or on which thread ran what. `onPlayed` hears of each as it ends (any order).
 */
export async function runSuite(
  tasks: readonly ScenarioTask[],
  jobs: number,
  onPlayed?: (index: number, outcome: ScenarioOutcome) => void,
  /** false: check only (other input is already known to be bad), and say which are invalid. */
  mayPlay = true,
): Promise<SuiteResult> {
  const pool = openPool(Math.min(jobs, tasks.length));
  const exec = (job: SuiteJob): Promise<unknown> => pool.run(job);
  try {
    const invalid: string[] = [];
    if (pool.threads > 1) {
      const lines = await Promise.all(tasks.map((task) => exec({ kind: 'check', task })));
      for (const l of lines) if (typeof l === 'string') invalid.push(l);
    } else
      for (const task of tasks) {
        const l = await exec({ kind: 'check', task });
        if (typeof l === 'string') invalid.push(l);
      }
    if (invalid.length > 0 || !mayPlay) return { invalid };
    const outcomes: ScenarioOutcome[] = [];
    const play = async (task: ScenarioTask, i: number) => {
      const o = (await exec({ kind: 'play', task })) as ScenarioOutcome;
      outcomes[i] = o;
      onPlayed?.(i, o);
    };
    if (pool.threads > 1) await Promise.all(tasks.map(play));
    else for (const [i, task] of tasks.entries()) await play(task, i);
    return { outcomes };
  } finally {
    await pool.destroy();
  }
}
