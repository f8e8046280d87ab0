import {
  ConditionEvalError,
  ConditionSyntaxError,
  evaluateBoolCondition,
  parseCondition,
  type ConditionAst,
  type Value,
} from '../condition/index.js';
import { NO_DATA_MESSAGE } from './messages.js';

/** A measurement's verdict from its conditions; `message` only for Error. */
export interface MeasurementVerdict {
  phase: 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  message?: string;
}

/** The conditions of a metric, as source text or already parsed. */
export interface MeasurementConditions {
  successCondition?: string | ConditionAst | undefined;
  failureCondition?: string | ConditionAst | undefined;
}

/**
 * Argo's `EvaluateResult` (spec §5.4): judges one provider result (`undefined` = nil).
 *
 *   success | failure | outcome
 *   -       | -       | Successful
 *   true    | -       | Successful      false | -     | Failed
 *   -       | false   | Successful      -     | true  | Failed
 *   true    | false   | Successful      any   | true  | Failed (failure wins)
 *   false   | false   | Inconclusive
 *
 * The success condition is evaluated first; any evaluation error is an Error measurement with
 * Argo's text: `could not evaluate successCondition "<expr>": <err>`, or the no-data text when
 * the result is nil or an empty array.
 */
export function evaluateMeasurement(
  conditions: MeasurementConditions,
  result: Value | undefined,
): MeasurementVerdict {
  const { successCondition, failureCondition } = conditions;
  const hasSuccess = isSet(successCondition);
  const hasFailure = isSet(failureCondition);

  let success = false;
  let failure = false;
  if (hasSuccess) {
    const outcome = evaluate('successCondition', successCondition, result);
    if (typeof outcome === 'string') return { phase: 'Error', message: outcome };
    success = outcome;
  }
  if (hasFailure) {
    const outcome = evaluate('failureCondition', failureCondition, result);
    if (typeof outcome === 'string') return { phase: 'Error', message: outcome };
    failure = outcome;
  }

  if (!hasSuccess && !hasFailure) return { phase: 'Successful' };
  if (hasSuccess && !hasFailure) failure = !success;
  if (!hasSuccess && hasFailure) success = !failure;
  if (failure) return { phase: 'Failed' };
  if (!success) return { phase: 'Inconclusive' };
  return { phase: 'Successful' };
}

function isSet(condition: string | ConditionAst | undefined): condition is string | ConditionAst {
  return condition !== undefined && (typeof condition !== 'string' || condition !== '');
}

// The condition's value, or the measurement's error message.
function evaluate(
  kind: string,
  condition: string | ConditionAst,
  result: Value | undefined,
): boolean | string {
  const source = typeof condition === 'string' ? condition : condition.source;
  try {
    const ast = typeof condition === 'string' ? parseCondition(condition) : condition;
    return evaluateBoolCondition(ast, { result: result ?? null });
  } catch (e) {
    // Argo strips expr-lang's position from both compile and run errors.
    const reason =
      e instanceof ConditionSyntaxError ? e.reason : e instanceof ConditionEvalError ? e.message : undefined;
    if (reason === undefined) throw e;
    const detail = isNilOrEmpty(result) ? NO_DATA_MESSAGE : reason;
    return `could not evaluate ${kind} "${source}": ${detail}`;
  }
}

function isNilOrEmpty(result: Value | undefined): boolean {
  return result === undefined || result === null || (Array.isArray(result) && result.length === 0);
}
