/**
 * A condition that compiled but cannot be evaluated against this data: an unknown name, a type
 * mismatch, an index out of range, a non-bool result. The message is expr-lang's text without
 * its `(line:col)` suffix, because that is what Argo puts in the measurement message.
 */
export class ConditionEvalError extends Error {
  override readonly name = 'ConditionEvalError';
  /** A name that is not there and the names that are, for a caller's "did you mean". */
  readonly unknown?: { readonly name: string; readonly candidates: readonly string[] };

  constructor(
    message: string,
    /** UTF-16 offset of the node expr-lang would blame, when known. */
    readonly offset?: number,
    options?: { cause?: unknown; unknown?: ConditionEvalError['unknown'] },
  ) {
    super(message, options);
    this.unknown = options?.unknown;
  }
}
