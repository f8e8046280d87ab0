/** Where in a user's file something was written: 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
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
    return `${this.pos.file}:${this.pos.line}:${this.pos.col}: ${this.message}`;
  }
}

/** Quotes a user value for an error message, the way Go's %q would. */
export function quote(value: unknown): string {
  // A long value (a binary file read as YAML, a pasted blob) is cut so the error stays one line.
  if (typeof value === 'string')
    return value.length > 80
      ? `${JSON.stringify(value.slice(0, 60))}… (${value.length} characters)`
      : JSON.stringify(value);
  if (value === undefined) return '(missing)';
  return JSON.stringify(value) ?? String(value);
}
