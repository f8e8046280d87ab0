import { InputError, quote, type SourcePos } from '../errors.js';
import { posInString, posOf, type Path, type YamlDoc } from './YamlSource.js';

const typeName = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'a mapping'
        : `${typeof v} ${quote(v)}`;

/**
 * A value inside a manifest, with the path that reached it, so every check can name the file,
 * line:col, the field, the bad value and what was expected. Readers throw InputError.
 */
export class ManifestNode {
  constructor(
    readonly doc: YamlDoc,
    readonly path: Path,
    readonly value: unknown,
    /** Prefix for messages, e.g. `Rollout "silly-demo"`. */
    readonly subject: string,
  ) {}

  /** The field path as kubectl prints it: `spec.strategy.canary.steps[1].pause`. */
  get field(): string {
    let s = '';
    for (const p of this.path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
    return s || '(document)';
  }

  pos(key = false): SourcePos {
    return posOf(this.doc, this.path, key);
  }

  posAt(offset: number): SourcePos {
    return posInString(this.doc, this.path, offset);
  }

  error(message: string, key = false): InputError {
    return new InputError(`${this.subject}: ${this.field}: ${message}`, this.pos(key));
  }

  /** An error pointing at character `offset` inside this node's string value. */
  errorAt(offset: number, message: string): InputError {
    return new InputError(`${this.subject}: ${this.field}: ${message}`, this.posAt(offset));
  }

  get exists(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  child(key: string | number): ManifestNode {
    const v = this.value;
    let c: unknown;
    if (typeof key === 'number' && Array.isArray(v)) c = v[key];
    else if (
      typeof key === 'string' &&
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Object.hasOwn(v, key)
    )
      c = (v as Record<string, unknown>)[key];
    return new ManifestNode(this.doc, [...this.path, key], c, this.subject);
  }

  /** The child, which must be present. */
  req(key: string): ManifestNode {
    const c = this.child(key);
    if (!c.exists) throw new InputError(`${this.subject}: ${c.field}: required field is missing`, this.pos());
    return c;
  }

  map(): Record<string, unknown> {
    if (this.value === null || typeof this.value !== 'object' || Array.isArray(this.value)) {
      throw this.error(`expected a mapping, got ${typeName(this.value)}`);
    }
    return this.value as Record<string, unknown>;
  }

  list(): ManifestNode[] {
    if (!Array.isArray(this.value)) throw this.error(`expected a list, got ${typeName(this.value)}`);
    return this.value.map((_, i) => this.child(i));
  }

  str(): string {
    if (typeof this.value !== 'string') throw this.error(`expected a string, got ${typeName(this.value)}`);
    return this.value;
  }

  nonEmptyStr(): string {
    const s = this.str();
    if (s === '') throw this.error('expected a non-empty string');
    return s;
  }

  int(opts: { min?: number; max?: number } = {}): number {
    const v = this.value;
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw this.error(`expected an integer, got ${typeName(v)}`);
    if (opts.min !== undefined && v < opts.min)
      throw this.error(`invalid value ${v}: expected an integer ≥ ${opts.min}`);
    if (opts.max !== undefined && v > opts.max)
      throw this.error(`invalid value ${v}: expected an integer ≤ ${opts.max}`);
    return v;
  }

  bool(): boolean {
    if (typeof this.value !== 'boolean')
      throw this.error(`expected true or false, got ${typeName(this.value)}`);
    return this.value;
  }

  /** A map of strings (labels, selectors, annotations). */
  stringMap(): Record<string, string> {
    const m = this.map();
    const out: Record<string, string> = {};
    for (const k of Object.keys(m)) out[k] = this.child(k).str();
    return out;
  }

  optStr(key: string): string | undefined {
    const c = this.child(key);
    return c.exists ? c.str() : undefined;
  }

  optInt(key: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const c = this.child(key);
    return c.exists ? c.int(opts) : undefined;
  }

  /**
   * Rejects fields nobody handles. `accepted` are modelled or harmless; `notSimulated` are real
   * fields of the kind that canarysim does not model — naming them keeps a rehearsal from quietly
   * skipping something the user relies on.
   */
  only(accepted: readonly string[], notSimulated: readonly string[] = []): void {
    const m = this.map();
    for (const k of Object.keys(m)) {
      if (accepted.includes(k)) continue;
      const c = this.child(k);
      if (notSimulated.includes(k)) {
        throw new InputError(
          `${this.subject}: ${c.field}: not supported by canarysim: this field is not simulated (remove it to rehearse without it)`,
          c.pos(true),
        );
      }
      throw new InputError(
        `${this.subject}: ${c.field}: unknown field ${quote(k)} (expected one of: ${accepted.join(', ')})`,
        c.pos(true),
      );
    }
  }
}
