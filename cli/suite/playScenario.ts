import { performance } from 'node:perf_hooks';
import { InputError } from '../../sim/errors.js';
import { buildRunCharts } from '../html/buildRunCharts.js';
import type { RunCharts } from '../html/RunCharts.js';
import { TimelineRecorder } from '../html/TimelineRecorder.js';
import { NodeFileSystem } from '../io/NodeFileSystem.js';
import { loadScenario } from '../scenario/loadScenario.js';
import type { Override } from '../scenario/overrides.js';
import { buildReport, type Report } from '../scenario/report.js';
import { runScenario, type ExpectationResult } from '../scenario/runScenario.js';

/** One scenario of a `canarysim test` run, as plain data (it crosses to a worker thread). */
export interface ScenarioTask {
  /** Absolute path of the scenario file. */
  file: string;
  root?: string;
  overrides: readonly Override[];
  /** `--seed`: instead of each scenario's own. */
  seed?: number;
  /** Keep the whole JSON report (`--json`); otherwise only the summary crosses back. */
  withReport: boolean;
  /** Record the run for the HTML report (`--html`): its charts' data crosses back. */
  withHtml?: boolean;
}

/** How a rollout ended, for the suite's tables. */
export interface RolloutOutcome {
  name: string;
  namespace: string;
  phase: string;
  step: string;
  aborted: boolean;
}

/** What the suite's outputs say about one scenario that ran: simulated facts only. */
export interface ScenarioSummary {
  /** As the scenario's messages name it (relative to the working directory). */
  file: string;
  name: string;
  seed: number;
  passed: boolean;
  simulatedSeconds: number;
  expectations: ExpectationResult[];
  rollouts: RolloutOutcome[];
}

export type ScenarioOutcome =
  | {
      kind: 'ran';
      summary: ScenarioSummary;
      /** The report (docs/report.md) as `run --json` writes it, when the task asked for it. */
      report?: string;
      /** What `--html` draws of it, when the task asked for it. */
      charts?: RunCharts;
      /** Wall-clock time of load and run (JUnit's `time`; nothing else shows it). */
      wallMs: number;
    }
  /** Refused while it ran (a bound crossed that only the run could see): one line, as `run` prints it. */
  | { kind: 'invalid'; /** As messages name it. */ file: string; error: string; wallMs: number };

/** A path as the working directory sees it, as scenario messages name files. */
export function displayPath(abs: string): string {
  return new NodeFileSystem(process.cwd()).display(abs);
}

/**
 * The one line an invalid scenario gets: the error's `file:line:col: …`; one that names no place
 * in a file (a `--set` that does not fit, a file that cannot be read) says which scenario first.
 */
export function invalidLine(file: string, e: InputError): string {
  return e.pos && !e.pos.flag ? e.format() : `${displayPath(file)}: ${e.format()}`;
}

export function summarize(report: Report): ScenarioSummary {
  return {
    file: report.scenario.file,
    name: report.scenario.name,
    seed: report.scenario.seed,
    passed: report.passed,
    simulatedSeconds: report.simulatedSeconds,
    expectations: report.expectations,
    rollouts: Object.values(report.rollouts).map((r) => ({
      name: r.name,
      namespace: r.namespace,
      phase: r.phase,
      step: r.step,
      aborted: r.aborted,
    })),
  };
}

/**
 * Scenarios this thread has checked and not yet played, by task: the thread that plays one it
 * checked plays what it read then, as `run` plays what it validated (same scenario, same files).
 */
const checked = new Map<string, ReturnType<typeof loadScenario>>();
const taskKey = (t: ScenarioTask) => JSON.stringify([t.file, t.root ?? null, t.overrides]);

/** Reads and validates a task's scenario without running it: its error line, or undefined. */
export function checkTask(task: ScenarioTask): string | undefined {
  try {
    checked.set(taskKey(task), loadScenario(task.file, { root: task.root, overrides: task.overrides }));
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return invalidLine(task.file, e);
    throw e;
  }
}

/** Plays a task's scenario exactly as `run` does (same seed → same report), with no output. */
export async function playTask(task: ScenarioTask): Promise<ScenarioOutcome> {
  const t0 = performance.now();
  try {
    const key = taskKey(task);
    const { scenario, fs } =
      checked.get(key) ?? loadScenario(task.file, { root: task.root, overrides: task.overrides });
    checked.delete(key);
    const seed = task.seed ?? scenario.settings.seed;
    const recorder = task.withHtml ? new TimelineRecorder() : undefined;
    const result = await runScenario(scenario, fs, {
      seed,
      emit: (e) => recorder?.event(e),
      onWorld: (world) => recorder?.attach(world),
    });
    const report = buildReport(scenario, seed, result);
    return {
      kind: 'ran',
      summary: summarize(report),
      ...(task.withReport ? { report: JSON.stringify(report, null, 2) } : {}),
      ...(recorder ? { charts: buildRunCharts(report, result.world, recorder) } : {}),
      wallMs: performance.now() - t0,
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return {
      kind: 'invalid',
      file: displayPath(task.file),
      error: invalidLine(task.file, e),
      wallMs: performance.now() - t0,
    };
  }
}
