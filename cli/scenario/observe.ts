import {
  accessPaths,
  evaluateCondition,
  parseCondition,
  type Value,
} from '../../sim/analysis/condition/index.js';
import type { SimState } from './state.js';

/** A value an expectation read: the path as written and what it held when the condition was evaluated. */
export interface Observed {
  /** `rollouts["silly-demo"].phase`, `len(rollouts["silly-demo"].analysisRuns)`, `time`. */
  path: string;
  /** The value (null for nil); when `truncated`, the first MAX_OBSERVED_CHARS characters of its JSON and "…". */
  value: unknown;
  truncated?: true;
  /** Reading it failed (an index out of range…): the evaluator's message; `value` is null. */
  error?: string;
}

/** At most this many values per expectation, in the order the condition reads them (README, Limits). */
export const MAX_OBSERVED = 10;
/** A value whose JSON is longer is cut to this many characters (README, Limits). */
export const MAX_OBSERVED_CHARS = 200;

/**
 * The state paths a condition reads (`accessPaths`) and their values in `state`, each evaluated
 * as the condition would read it — nil for a missing key, `[-1]` from the end, `len` as
 * expr-lang counts — bounded by MAX_OBSERVED and MAX_OBSERVED_CHARS.
 */
export function observe(condition: string, state: SimState): Observed[] {
  const ast = parseCondition(condition);
  const env = state as unknown as Record<string, Value>;
  return accessPaths(ast)
    .slice(0, MAX_OBSERVED)
    .map(({ text, node }): Observed => {
      let value: Value;
      try {
        value = evaluateCondition({ root: node, source: ast.source }, env);
      } catch (e) {
        return { path: text, value: null, error: (e as Error).message };
      }
      const json = JSON.stringify(value) ?? 'null';
      const chars = Array.from(json);
      if (chars.length <= MAX_OBSERVED_CHARS) return { path: text, value };
      return { path: text, value: `${chars.slice(0, MAX_OBSERVED_CHARS).join('')}…`, truncated: true };
    });
}

/** One observed value as a line's part: `rollouts["x"].phase = "Degraded"` (JSON values). */
export function formatObserved(o: Observed): string {
  if (o.error !== undefined) return `${o.path}: ${o.error}`;
  return `${o.path} = ${o.truncated ? String(o.value) : (JSON.stringify(o.value) ?? 'null')}`;
}
