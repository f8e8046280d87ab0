import type { Value } from '../condition/index.js';
import { NO_DATA_MESSAGE } from './messages.js';

/**
 * How a release of Argo Rollouts words a condition it could not evaluate — the measurement's
 * message, which the run's message quotes after `Error Message:`.
 *
 * - `expr` (up to v1.9): the expression engine's error alone (utils/evaluate returns it
 *   unwrapped), as antonmedv/expr v1.15.5 says it.
 * - `explained` (v1.10, argo-rollouts#4680, on expr-lang v1.17.7): `could not evaluate
 *   successCondition "<expr>": <error>`, with the no-data text in place of the error when the
 *   result is nil or empty.
 */
export type ConditionErrorWording = 'expr' | 'explained';

/**
 * expr-lang ≥ v1.16 checks an index against the length; v1.15.5 lets reflect's Value.Index
 * panic, and the panic's text becomes the error.
 */
const INDEX_OUT_OF_RANGE = /^index out of range: -?\d+ \(array length is \d+\)$/;
const REFLECT_INDEX_PANIC = 'reflect: slice index out of range';

const isNilOrEmpty = (result: Value | undefined): boolean =>
  result === undefined || result === null || (Array.isArray(result) && result.length === 0);

/**
 * The measurement message for a condition that failed to evaluate with `reason` (expr-lang
 * v1.17's text, as sim/analysis/condition raises it).
 *
 *   explained, [] , result[0] >= 0.95 → could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider
 *   expr,      [] , result[0] >= 0.95 → reflect: slice index out of range
 *   expr,      [1], result > 1        → invalid operation: > (mismatched types []float64 and int)
 */
export function conditionErrorMessage(
  wording: ConditionErrorWording,
  kind: 'successCondition' | 'failureCondition',
  source: string,
  reason: string,
  result: Value | undefined,
): string {
  if (wording === 'expr') return INDEX_OUT_OF_RANGE.test(reason) ? REFLECT_INDEX_PANIC : reason;
  return `could not evaluate ${kind} "${source}": ${isNilOrEmpty(result) ? NO_DATA_MESSAGE : reason}`;
}
