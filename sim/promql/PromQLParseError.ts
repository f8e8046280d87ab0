import { charIndex, lineCol, type PositionRange } from './PositionRange.js';

/**
 * A query that does not parse or type-check. `message` is the bare reason ("unexpected <op:*>",
 * "expected type range vector in call to function \"rate\", got instant vector"); `format()`
 * gives Prometheus's full text, `1:14: parse error: <reason>`.
 */
export class PromQLParseError extends Error {
  override readonly name = 'PromQLParseError';
  readonly line: number;
  readonly col: number;

  constructor(
    message: string,
    readonly positionRange: PositionRange,
    readonly query: string,
  ) {
    super(message);
    const lc = lineCol(query, positionRange.start);
    this.line = lc.line;
    this.col = lc.col;
  }

  /**
   * The error's position as an index into `query` (a JavaScript string), for mapping it into the
   * file the query came from; `positionRange` counts UTF-8 bytes, as Prometheus does.
   */
  get index(): number {
    return charIndex(this.query, this.positionRange.start);
  }

  /** `line:col: parse error: message`, as Prometheus prints a `ParseErr`. */
  format(): string {
    return `${this.line}:${this.col}: parse error: ${this.message}`;
  }
}
