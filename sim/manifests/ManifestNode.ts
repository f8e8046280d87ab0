import { InputError, quote, type SourcePos } from '../errors.js';
import { ManifestError, type IssueKind, type IssueSink } from './ManifestIssues.js';
import { posInString, posOf, writtenScalar, type Path, type YamlDoc } from './YamlSource.js';

const typeName = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'a mapping'
        : `${typeof v} ${quote(v)}`;

/** The prefix of every not-simulated message: what a user greps for. */
export const NOT_SUPPORTED = 'not supported by canarysim: ';

/**
 * A value inside a manifest, with the path that reached it, so every check can name the file,
 * line:col, the field, the bad value and what was expected. Readers throw ManifestError (an
 * InputError). With a `sink` (lint's collecting mode) `only`, `report` and `guard` record problems
 * there and parsing goes on, so one run reports every problem of a file.
 */
export class ManifestNode {
  constructor(
    readonly doc: YamlDoc,
    readonly path: Path,
    readonly value: unknown,
    /** Prefix for messages, e.g. `Rollout "silly-demo"`. */
    readonly subject: string,
    readonly sink?: IssueSink,
  ) {}

  /** True in lint's collecting mode. */
  get collecting(): boolean {
    return this.sink !== undefined;
  }

  /** The field path as kubectl prints it: `spec.strategy.canary.steps[1].pause`. */
  get field(): string {
    let s = '';
    for (const p of this.path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
    return s || '(document)';
  }

  /** The value as the file writes it (`.inf`, not Infinity); String(value) where the file does not hold it. */
  get written(): string {
    return writtenScalar(this.doc, this.path) ?? String(this.value);
  }

  pos(key = false): SourcePos {
    return posOf(this.doc, this.path, key);
  }

  posAt(offset: number): SourcePos {
    return posInString(this.doc, this.path, offset);
  }

  error(message: string, key = false, kind: IssueKind = 'invalid'): ManifestError {
    return new ManifestError(`${this.subject}: ${this.field}: ${message}`, this.pos(key), kind);
  }

  /**
   * An error reported here but under another field path: Argo's validation names some problems
   * at a field that may not exist (`spec.strategy.canary.trafficRouting: SetCanaryScale requires
   * TrafficRouting to be set`), while the place to fix them is this node.
   */
  errorAs(field: string, message: string, key = false): ManifestError {
    return new ManifestError(`${this.subject}: ${field}: ${message}`, this.pos(key), 'invalid');
  }

  /** A field or value canarysim does not simulate: `…: not supported by canarysim: <what>`. */
  notSimulated(what: string, key = false): ManifestError {
    return this.error(`${NOT_SUPPORTED}${what}`, key, 'not-simulated');
  }

  /** An error pointing at character `offset` inside this node's string value. */
  errorAt(offset: number, message: string, kind: IssueKind = 'invalid'): ManifestError {
    return new ManifestError(`${this.subject}: ${this.field}: ${message}`, this.posAt(offset), kind);
  }

  /**
   * A problem that does not stop this node from being read: recorded in collecting mode (parsing
   * goes on with the value as written or a default), thrown otherwise.
   */
  report(e: InputError): void {
    if (!this.sink) throw e;
    this.sink.add(e);
  }

  /**
   * Reads a part of a manifest independently of its siblings (a step, a container, a metric, a
   * route): in collecting mode a problem inside is recorded and `fallback` stands in for the part,
   * so the rest of the object is still checked; otherwise the problem is thrown.
   */
  guard<T>(read: () => T, fallback: T): T {
    if (!this.sink) return read();
    try {
      return read();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.sink.add(e);
      return fallback;
    }
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
    return new ManifestNode(this.doc, [...this.path, key], c, this.subject, this.sink);
  }

  /** The child, which must be present. */
  req(key: string): ManifestNode {
    const c = this.child(key);
    if (!c.exists)
      throw new ManifestError(
        `${this.subject}: ${c.field}: required field is missing`,
        this.pos(),
        'invalid',
      );
    return c;
  }

  /**
   * What the value is, for `expected X, got Y`. A whole document that is one string is a file
   * that was never YAML (an environment dump, a key, a binary): its content is not repeated.
   */
  private got(): string {
    if (this.path.length === 0 && typeof this.value === 'string')
      return `a string of ${this.value.length} characters, not YAML fields (is this a YAML file?)`;
    return typeName(this.value);
  }

  map(): Record<string, unknown> {
    if (this.value === null || typeof this.value !== 'object' || Array.isArray(this.value)) {
      throw this.error(`expected a mapping, got ${this.got()}`);
    }
    return this.value as Record<string, unknown>;
  }

  list(): ManifestNode[] {
    if (!Array.isArray(this.value)) throw this.error(`expected a list, got ${this.got()}`);
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
   * skipping something the user relies on; `why` says what one of them is, where the field name
   * alone does not. In collecting mode each is reported and reading goes on without it.
   */
  only(
    accepted: readonly string[],
    notSimulated: readonly string[] = [],
    why: Readonly<Record<string, string>> = {},
  ): void {
    const m = this.map();
    for (const k of Object.keys(m)) {
      if (accepted.includes(k)) continue;
      const c = this.child(k);
      this.report(
        notSimulated.includes(k)
          ? c.notSimulated(
              Object.hasOwn(why, k)
                ? why[k]!
                : 'this field is not simulated (remove it to rehearse without it)',
              true,
            )
          : c.error(`unknown field ${quote(k)} (expected one of: ${accepted.join(', ')})`, true),
      );
    }
  }
}
