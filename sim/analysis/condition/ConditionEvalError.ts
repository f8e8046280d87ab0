/**
 * A condition that compiled but cannot be evaluated against this data: an unknown name, a type
 * mismatch, an index out of range, a non-bool result. The message is expr-lang's text without
 * its `(line:col)` suffix, because that is what Argo puts in the measurement message.
 */
export class ConditionEvalError extends Error {
  override readonly name = 'ConditionEvalError';

  constructor(
    message: string,
    /** UTF-16 offset of the node expr-lang would blame, when known. */
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
