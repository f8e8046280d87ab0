/** Where in a user's file something was written: 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
  /**
   * Set when the value there came from the command line (`--set timeline[3].wait=5x`), not from
   * the file: the flag is the place to fix it, and messages name it instead of a line:col.
   */
  flag?: string;
}

/** `file:line:col`, or the flag that wrote the value (`--set timeline[3].wait=5x`). */
export function formatPos(pos: SourcePos): string {
  return pos.flag ?? `${pos.file}:${pos.line}:${pos.col}`;
}

/**
 * Bad input: a manifest, scenario, query, condition, duration or flag the user wrote.
 * The message names the bad value and what was expected; `pos` says where. The cli layer
 * prints `file:line:col: message` and exits 2. Anything else that is thrown is a bug.
 */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(
    message: string,
    readonly pos?: SourcePos,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** `file:line:col: message` (or just the message when no position is known). */
  format(): string {
    if (!this.pos) return this.message;
    return `${formatPos(this.pos)}: ${this.message}`;
  }
}

/** How much of a long value an error message quotes. */
export const QUOTED_CHARS = 40;

/**
 * Quotes a user value for an error message, the way Go's %q would. A long value is cut to its
 * first QUOTED_CHARS characters: the error stays one line, and a file that was never YAML (an
 * environment dump, a key, a binary) read as one big string does not end up printed in a log.
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= QUOTED_CHARS) return JSON.stringify(value);
    const head = Array.from(value.slice(0, 2 * QUOTED_CHARS))
      .slice(0, QUOTED_CHARS)
      .join('');
    return `${JSON.stringify(head)}… (${value.length} characters)`;
  }
  if (value === undefined) return '(missing)';
  return JSON.stringify(value) ?? String(value);
}
