import { InputError } from '../../errors.js';
import { lineCol } from './position.js';

/**
 * A condition that does not parse. `message` reads like expr-lang's own
 * (`unexpected token Operator(">") (1:11)`); `reason` is the text without the position, which is
 * what Argo shows in a measurement message. It is bad input, so it is an {@link InputError}: the
 * manifest loader rethrows it with the file position of the YAML scalar.
 */
export class ConditionSyntaxError extends InputError {
  /** 1-based line in the condition source. */
  readonly line: number;
  /** 1-based column, counted in code points. */
  readonly col: number;

  constructor(
    readonly reason: string,
    readonly source: string,
    /** UTF-16 offset into `source` (usable with `source.slice`). */
    readonly offset: number,
  ) {
    const { line, col } = lineCol(source, offset);
    super(`${reason} (${line}:${col})`);
    this.line = line;
    this.col = col;
  }

  /** The offending line with a caret under the column, as expr-lang prints it. */
  snippet(): string {
    const lines = this.source.split('\n');
    const text = (lines[this.line - 1] ?? '').replaceAll('\t', ' ');
    return ` | ${text}\n | ${'.'.repeat(this.col - 1)}^`;
  }
}
