/*
 * Go's `regexp` (RE2 syntax, https://pkg.go.dev/regexp/syntax), the one regex dialect of canarysim:
 * PromQL matchers and label_replace, Istio VirtualService `regex` matches (Envoy's RE2) and the
 * condition language's `matches`, dryRun and measurementRetention rules. Patterns run on re2js,
 * a port of RE2/J (itself Go's regexp in Java): matching takes time linear in the input
 * whatever the pattern — `(a+)+b` or `(.*.*)*x` cannot stall the process as a backtracking
 * JavaScript RegExp does — and syntax errors are Go's own (`error parsing regexp: missing
 * closing ): \`(a\``), so they read as Prometheus, Istio's webhook and Argo print them.
 *
 * Beyond Go, two stated limits keep one bad pattern from costing seconds or gigabytes: its
 * length (MAX_REGEX_LENGTH) and its compiled program (MAX_REGEX_PROGRAM: matching costs up to
 * one step per instruction per input character).
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';

/** The longest pattern accepted, in characters (16 Ki: a 400-name alternation fits). */
export const MAX_REGEX_LENGTH = 16 * 1024;

/**
 * The largest compiled program accepted, in RE2 instructions. A 16 Ki-character alternation
 * of pod names compiles to about 6,000; `(a{1000}){50}` style counts are what exceed it.
 */
export const MAX_REGEX_PROGRAM = 50_000;

/** Compiled patterns kept, most recently used first out of eviction (each small one ~20 KB). */
export const REGEX_CACHE_ENTRIES = 256;

/** Instructions kept across all cached programs (~75 bytes each): the cache's memory bound. */
export const REGEX_CACHE_INSTRUCTIONS = 500_000;

/**
 * A pattern canarysim refuses. `syntax`: Go's regexp rejects it too, and `message` is Go's
 * (`error parsing regexp: <code>: \`<expr>\``); `limit`: valid Go, over one of our limits.
 * `offset` is where in the pattern (UTF-16 units) the problem is, 0 when it is the whole.
 */
export class RegexpError extends Error {
  override readonly name = 'RegexpError';
  constructor(
    message: string,
    readonly kind: 'syntax' | 'limit',
    readonly offset: number,
  ) {
    super(message);
  }
}

/** How a pattern is compiled: `dotNL` is Go's `syntax.DotNL`, `.` matching `\n` (Prometheus's matchers). */
export interface RegexpFlags {
  readonly dotNL?: boolean;
}

/** A compiled Go regexp. */
export class Regexp {
  /** @internal use compileRegexp */
  constructor(
    readonly source: string,
    private readonly re: RE2JS,
  ) {}

  /** Go's `MatchString`: whether the pattern matches anywhere in `s` (unanchored). */
  matchString(s: string): boolean {
    return this.re.test(s);
  }

  /** RE2's `FullMatch` (Envoy's regex match, Prometheus's anchored matchers): all of `s`, as `^(?:re)$`. */
  fullMatch(s: string): boolean {
    return this.re.testExact(s);
  }

  /**
   * The leftmost-first match and its groups as a JavaScript `RegExpExecArray` (`index`, `groups`;
   * a group that took no part is undefined), or null — Go's `FindStringSubmatch`.
   */
  exec(s: string): RegExpExecArray | null {
    return this.re.exec(s) as RegExpExecArray | null;
  }

  /** The pattern as written, as Go's `Regexp.String` gives it. */
  toString(): string {
    return this.source;
  }

  /** Instructions in the compiled program: the per-character cost of a match, at worst. */
  programSize(): number {
    return this.re.programSize();
  }
}

/**
 * Compiles `pattern` as Go's `regexp.Compile` does (with `flags.dotNL`: `syntax.Perl|DotNL`),
 * or says why not. Results are cached by pattern (REGEX_CACHE_ENTRIES, REGEX_CACHE_INSTRUCTIONS),
 * so calling this per request or per sample costs a map lookup.
 *
 *   compileRegexp('v1|v2').fullMatch('v2')          → true
 *   compileRegexp('total').matchString('5xx-total') → true
 *   compileRegexp('(a')  → RegexpError "error parsing regexp: missing closing ): `(a`"
 */
export function compileRegexp(pattern: string, flags: RegexpFlags = {}): Regexp | RegexpError {
  const dotNL = flags.dotNL === true;
  const hit = cache.get(pattern, dotNL);
  if (hit) return hit;
  const compiled = compile(pattern, dotNL);
  cache.set(pattern, dotNL, compiled);
  return compiled;
}

function compile(pattern: string, dotNL: boolean): Regexp | RegexpError {
  if (pattern.length > MAX_REGEX_LENGTH) {
    const chars = [...pattern].length;
    if (chars > MAX_REGEX_LENGTH)
      return new RegexpError(`regex too long (${chars} characters; at most ${MAX_REGEX_LENGTH})`, 'limit', 0);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, dotNL ? RE2JS.DOTALL : 0);
  } catch (e) {
    return refusal(pattern, dotNL, e);
  }
  const size = re.programSize();
  if (size > MAX_REGEX_PROGRAM)
    return new RegexpError(
      `regex too large (compiles to ${size} instructions; at most ${MAX_REGEX_PROGRAM})`,
      'limit',
      0,
    );
  return new Regexp(pattern, re);
}

/**
 * What re2js threw, as Go would word it. re2js reads DOTALL as a `(?s)` prefix, so such an error
 * is worded again from the pattern as written; an empty expression keeps Go's ``: \`\` ``.
 */
function refusal(pattern: string, dotNL: boolean, e: unknown): RegexpError {
  if (dotNL) {
    try {
      RE2JS.compile(pattern);
    } catch (plain) {
      e = plain;
    }
  }
  if (e instanceof RE2JSSyntaxException) {
    // re2js's size check (Go's checkSize, at a third of Go's bound) only fires far above ours.
    if (e.error === 'expression too large')
      return new RegexpError(
        `regex too large (compiles to more than ${MAX_REGEX_PROGRAM} instructions)`,
        'limit',
        0,
      );
    const expr = e.input ?? '';
    const offset = expr === '' ? 0 : Math.max(0, pattern.indexOf(expr));
    return new RegexpError(`error parsing regexp: ${e.error}: \`${expr}\``, 'syntax', offset);
  }
  // Anything else (re2js's compile or internal limits, a stack overflow on a freak pattern) is
  // still this pattern's problem, not the process's.
  const why = e instanceof Error ? e.message : String(e);
  return new RegexpError(`regex cannot be compiled: ${why}`, 'limit', 0);
}

interface Slot {
  plain?: Regexp | RegexpError;
  dotNL?: Regexp | RegexpError;
  cost: number;
}

/**
 * A least-recently-used map from pattern to its compiled forms, bounded by entries and by the
 * instructions its programs hold (a refusal counts as one).
 */
class RegexpCache {
  private readonly slots = new Map<string, Slot>();
  private cost = 0;

  get(pattern: string, dotNL: boolean): Regexp | RegexpError | undefined {
    const slot = this.slots.get(pattern);
    if (!slot) return undefined;
    const hit = dotNL ? slot.dotNL : slot.plain;
    if (hit && this.lastKey !== pattern) {
      this.slots.delete(pattern);
      this.slots.set(pattern, slot);
      this.lastKey = pattern;
    }
    return hit;
  }

  set(pattern: string, dotNL: boolean, value: Regexp | RegexpError): void {
    const cost = value instanceof Regexp ? value.programSize() : 1;
    let slot = this.slots.get(pattern);
    if (slot) this.slots.delete(pattern);
    else slot = { cost: 0 };
    if (dotNL) slot.dotNL = value;
    else slot.plain = value;
    slot.cost += cost;
    this.cost += cost;
    this.slots.set(pattern, slot);
    this.lastKey = pattern;
    for (const [key, old] of this.slots) {
      if (this.slots.size <= REGEX_CACHE_ENTRIES && this.cost <= REGEX_CACHE_INSTRUCTIONS) break;
      if (key === pattern) break;
      this.slots.delete(key);
      this.cost -= old.cost;
    }
  }

  /** The most recently used key: hitting it again needs no reordering. */
  private lastKey: string | undefined;
}

const cache = new RegexpCache();
