import {
  ConditionEvalError,
  ConditionSyntaxError,
  evaluateBoolCondition,
  parseCondition,
  type ConditionAst,
  type Value,
} from '../condition/index.js';
import { conditionErrorMessage, type ConditionErrorWording } from './conditionErrorMessage.js';

/** A condition as it was evaluated: its text and its value, or why it could not be evaluated. */
export type ConditionOutcome =
  | { condition: 'successCondition' | 'failureCondition'; expression: string; value: boolean }
  | { condition: 'successCondition' | 'failureCondition'; expression: string; error: string };

/**
 * A measurement's verdict from its conditions; `message` only for Error. `conditions` lists the
 * conditions in the order they were evaluated (success first; none after one that errors).
 */
export interface MeasurementVerdict {
  phase: 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  message?: string;
  conditions: ConditionOutcome[];
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
 * Argo's text in the `wording` of the release reproduced: `could not evaluate successCondition
 * "<expr>": <err>` (or the no-data text when the result is nil or an empty array) as spec §5.4
 * and v1.10 say it, the engine's error alone up to v1.9 (see conditionErrorMessage).
 */
export function evaluateMeasurement(
  metric: MeasurementConditions,
  result: Value | undefined,
  wording: ConditionErrorWording = 'explained',
): MeasurementVerdict {
  const { successCondition, failureCondition } = metric;
  const hasSuccess = isSet(successCondition);
  const hasFailure = isSet(failureCondition);

  let success = false;
  let failure = false;
  const conditions: ConditionOutcome[] = [];
  if (hasSuccess) {
    const outcome = evaluate('successCondition', successCondition, result, wording);
    conditions.push(outcome);
    if ('error' in outcome) return { phase: 'Error', message: outcome.error, conditions };
    success = outcome.value;
  }
  if (hasFailure) {
    const outcome = evaluate('failureCondition', failureCondition, result, wording);
    conditions.push(outcome);
    if ('error' in outcome) return { phase: 'Error', message: outcome.error, conditions };
    failure = outcome.value;
  }

  if (!hasSuccess && !hasFailure) return { phase: 'Successful', conditions };
  if (hasSuccess && !hasFailure) failure = !success;
  if (!hasSuccess && hasFailure) success = !failure;
  if (failure) return { phase: 'Failed', conditions };
  if (!success) return { phase: 'Inconclusive', conditions };
  return { phase: 'Successful', conditions };
}

function isSet(condition: string | ConditionAst | undefined): condition is string | ConditionAst {
  return condition !== undefined && (typeof condition !== 'string' || condition !== '');
}

// The condition's value, or the measurement's error message.
function evaluate(
  kind: 'successCondition' | 'failureCondition',
  condition: string | ConditionAst,
  result: Value | undefined,
  wording: ConditionErrorWording,
): ConditionOutcome {
  const source = typeof condition === 'string' ? condition : condition.source;
  try {
    const ast = typeof condition === 'string' ? parseCondition(condition) : condition;
    return {
      condition: kind,
      expression: source,
      value: evaluateBoolCondition(ast, { result: result ?? null }),
    };
  } catch (e) {
    // Argo strips expr-lang's position from both compile and run errors.
    const reason =
      e instanceof ConditionSyntaxError ? e.reason : e instanceof ConditionEvalError ? e.message : undefined;
    if (reason === undefined) throw e;
    return {
      condition: kind,
      expression: source,
      error: conditionErrorMessage(wording, kind, source, reason, result),
    };
  }
}
