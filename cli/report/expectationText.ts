import { formatObserved } from '../scenario/observe.js';
import type { ExpectationResult } from '../scenario/runScenario.js';
import type { RolloutOutcome, ScenarioSummary } from '../suite/playScenario.js';

/**
 * What a failed expectation saw, for the suite's outputs: the values its condition read
 * (`rollouts["x"].phase = "Degraded"; time = 300`), and the evaluator's or the action's error.
 */
export function sawText(e: ExpectationResult): { saw?: string; error?: string } {
  return {
    ...(e.observed?.length ? { saw: e.observed.map(formatObserved).join('; ') } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
  };
}

/** `12:5` for an expectation of `file` at `file:12:5`; the flag or other file otherwise. */
export function whereIn(file: string, source: string): string {
  return source.startsWith(`${file}:`) ? source.slice(file.length + 1) : source;
}

/** `silly-demo Healthy`, `silly-demo Degraded (aborted)`, `silly-demo Paused (step 1/8)`. */
export function rolloutText(r: RolloutOutcome): string {
  const detail = r.aborted ? 'aborted' : r.phase !== 'Healthy' && r.step ? `step ${r.step}` : '';
  return `${r.name} ${r.phase}${detail ? ` (${detail})` : ''}`;
}

/** Expectations held of all, `9/10`. */
export function heldText(s: ScenarioSummary): string {
  return `${s.expectations.filter((e) => e.passed).length}/${s.expectations.length}`;
}
