/**
 * Istio's regexes (StringMatch `regex`) are RE2, matched by Envoy against the whole value
 * (`RE2::FullMatch`). canarysim matches with JavaScript's engine, so a pattern is translated
 * construct by construct into a JavaScript RegExp that matches exactly the same strings — or
 * refused:
 *
 * - `error`: RE2 itself rejects it (Istio's validation webhook, which compiles with Go's RE2
 *   `regexp`, would refuse the VirtualService): lookarounds, backreferences, atomic groups,
 *   nested repetition, counts above 1000, unknown escapes, bad ranges.
 * - `unsupported`: valid RE2 that JavaScript (Node 20) cannot say the same way: inline flag groups
 *   other than a leading `(?i)`, `(?s)`, `(?m)`, ungreedy mode `(?U)`, `\C`, negated POSIX classes,
 *   `\S` inside a class.
 *
 * Constructs that JavaScript reads differently are rewritten to RE2's meaning: `\s` is
 * `[\t\n\f\r ]` (JavaScript adds Unicode spaces), `.` excludes only `\n` (JavaScript also
 * excludes `\r`, U+2028 and U+2029), `(?m)` anchors break only at `\n`, a `{` that starts no
 * repetition is a literal, `[]a]` holds `]`, `\Q…\E` quotes, `\a`, octal escapes, `\x{…}`,
 * `\pL`, `\p{Greek}`, `[[:alpha:]]`, `\A`, `\z` and `(?P<name>…)`.
 */

export type Re2Result =
  { ok: true; regex: RegExp } | { ok: false; kind: 'error' | 'unsupported'; message: string; offset: number };

const cache = new Map<string, Re2Result>();

/** Compiles an RE2 pattern for full-string matching (memoised: routes are matched per request). */
export function compileRe2(pattern: string): Re2Result {
  let r = cache.get(pattern);
  if (!r) {
    r = translate(pattern);
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, r);
  }
  return r;
}

/** True when `value` matches `pattern` entirely; a pattern compileRe2 refuses matches nothing. */
export function re2FullMatch(pattern: string, value: string): boolean {
  const r = compileRe2(pattern);
  return r.ok && r.regex.test(value);
}

class Re2Error extends Error {
  constructor(
    readonly kind: 'error' | 'unsupported',
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\u{0}-\\u{7F}',
  blank: '\\t ',
  cntrl: '\\u{0}-\\u{1F}\\u{7F}',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Unicode general categories (RE2's `\p{X}` names that are not scripts). */
const CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);

const PERL_CLASS: Record<string, string> = {
  d: '0-9',
  s: '\\t\\n\\f\\r ',
  w: '0-9A-Za-z_',
};

const hex = (cp: number) => `\\u{${cp.toString(16).toUpperCase()}}`;

/** A code point as a JavaScript regex atom that means only that character, in or out of a class. */
function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /[0-9A-Za-z_]/.test(ch) || (cp > 0x7f && cp !== 0x2028 && cp !== 0x2029) ? ch : hex(cp);
}

function translate(src: string): Re2Result {
  try {
    const t = new Translator(src);
    const body = t.run();
    const regex = new RegExp(`^(?:${body})$`, t.ignoreCase ? 'iu' : 'u');
    return { ok: true, regex };
  } catch (e) {
    if (e instanceof Re2Error) return { ok: false, kind: e.kind, message: e.message, offset: e.offset };
    if (e instanceof SyntaxError)
      return {
        ok: false,
        kind: 'unsupported',
        message: `JavaScript cannot compile it (${e.message})`,
        offset: 0,
      };
    throw e;
  }
}

class Translator {
  private i = 0;
  private readonly cps: number[];
  /** Offsets (UTF-16) of each code point, for messages. */
  private readonly at: number[];
  ignoreCase = false;
  private dotAll = false;
  private multiLine = false;
  private depth = 0;

  constructor(private readonly src: string) {
    this.cps = [];
    this.at = [];
    let off = 0;
    for (const ch of src) {
      this.cps.push(ch.codePointAt(0)!);
      this.at.push(off);
      off += ch.length;
    }
    this.at.push(off);
  }

  private fail(kind: 'error' | 'unsupported', message: string, index = this.i): never {
    throw new Re2Error(kind, message, this.at[Math.min(index, this.at.length - 1)]!);
  }

  private peek(k = 0): string | undefined {
    const cp = this.cps[this.i + k];
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  private rest(): string {
    return this.src.slice(this.at[this.i]);
  }

  run(): string {
    this.leadingFlags();
    const out = this.alternation();
    if (this.i < this.cps.length) this.fail('error', 'unexpected )');
    return out;
  }

  /** `(?ims)` at the very start: the whole pattern's flags. */
  private leadingFlags(): void {
    const m = /^\(\?([imsU-]+)\)/.exec(this.rest());
    if (!m) return;
    let on = true;
    for (const f of m[1]!) {
      if (f === '-') {
        if (!on) this.fail('error', 'invalid or unsupported Perl syntax: `(?' + m[1] + ')`');
        on = false;
      } else if (f === 'U') this.fail('unsupported', 'ungreedy mode (?U) has no JavaScript equivalent');
      else if (f === 'i') this.ignoreCase = on;
      else if (f === 's') this.dotAll = on;
      else this.multiLine = on;
    }
    this.i += [...m[0]].length;
  }

  private alternation(): string {
    const parts = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      parts.push(this.sequence());
    }
    return parts.join('|');
  }

  private sequence(): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || (c === ')' && this.depth > 0)) return out;
      if (c === ')') this.fail('error', 'unexpected )');
      const start = this.i;
      const atom = this.atom();
      if (atom === undefined) continue;
      out += atom.text + this.quantifier(atom.quantifiable, start);
    }
  }

  /** One atom, or undefined for something that produced nothing (an empty `\Q\E`). */
  private atom(): { text: string; quantifiable: boolean } | undefined {
    const c = this.peek()!;
    switch (c) {
      case '(':
        return { text: this.group(), quantifiable: true };
      case '[':
        return { text: this.charClass(), quantifiable: true };
      case '.':
        this.i++;
        return { text: this.dotAll ? '[\\s\\S]' : '[^\\n]', quantifiable: true };
      case '^':
        this.i++;
        return { text: this.multiLine ? '(?<=^|\\n)' : '^', quantifiable: false };
      case '$':
        this.i++;
        return { text: this.multiLine ? '(?=\\n|$)' : '$', quantifiable: false };
      case '*':
      case '+':
      case '?':
        return this.fail('error', `missing argument to repetition operator: \`${c}\``);
      case '{':
        if (this.repeatAt(this.i)) return this.fail('error', 'missing argument to repetition operator');
        this.i++;
        return { text: '\\{', quantifiable: true };
      case '\\':
        return this.escape();
      default:
        this.i++;
        return { text: literal(c.codePointAt(0)!), quantifiable: true };
    }
  }

  /** `{n}`, `{n,}` or `{n,m}` starting at `at`: its bounds, or undefined when `{` is a literal. */
  private repeatAt(at: number): { min: number; max?: number; len: number } | undefined {
    const s = this.src.slice(this.at[at]);
    const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(s);
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] ? (m[3] ? Number(m[3]) : undefined) : min;
    return { min, max, len: [...m[0]].length };
  }

  private quantifier(quantifiable: boolean, atomStart: number): string {
    let out = '';
    let count = 0;
    for (;;) {
      const c = this.peek();
      let q: string | undefined;
      if (c === '*' || c === '+' || c === '?') {
        q = c;
        this.i++;
      } else if (c === '{') {
        const r = this.repeatAt(this.i);
        if (!r) break;
        if (r.min > 1000 || (r.max ?? 0) > 1000)
          this.fail(
            'error',
            `invalid repeat count: \`${this.src.slice(this.at[this.i], this.at[this.i + r.len])}\``,
          );
        if (r.max !== undefined && r.max < r.min)
          this.fail(
            'error',
            `invalid repeat count: \`${this.src.slice(this.at[this.i], this.at[this.i + r.len])}\``,
          );
        q = r.max === r.min ? `{${r.min}}` : `{${r.min},${r.max ?? ''}}`;
        this.i += r.len;
      } else break;
      if (count > 0) this.fail('error', 'invalid nested repetition operator', atomStart);
      if (!quantifiable)
        this.fail('unsupported', 'a repeated anchor has no JavaScript equivalent', atomStart);
      count++;
      out += q;
      if (this.peek() === '?') {
        this.i++;
        out += '?';
      }
    }
    return out;
  }

  private group(): string {
    const start = this.i;
    const s = this.rest();
    let open: string;
    if (s.startsWith('(?P<') || s.startsWith('(?<')) {
      if (/^\(\?<[=!]/.test(s))
        this.fail('error', `invalid or unsupported Perl syntax: \`${s.slice(0, 4)}\``);
      const m = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(s);
      if (!m) this.fail('error', 'invalid named capture');
      this.i += [...m[0]].length;
      open = '(';
    } else if (s.startsWith('(?:')) {
      this.i += 3;
      open = '(?:';
    } else if (s.startsWith('(?')) {
      const m = /^\(\?[imsU-]*[:)]/.exec(s);
      if (m) this.fail('unsupported', `inline flags \`${m[0]}\` other than at the start of the pattern`);
      this.fail('error', `invalid or unsupported Perl syntax: \`${s.slice(0, 3)}\``);
    } else {
      this.i += 1;
      open = '(';
    }
    this.depth++;
    const body = this.alternation();
    this.depth--;
    if (this.peek() !== ')') this.fail('error', 'missing closing )', start);
    this.i++;
    return `${open}${body})`;
  }

  /** An escape outside a class. */
  private escape(): { text: string; quantifiable: boolean } | undefined {
    const start = this.i;
    const c = this.peek(1);
    if (c === undefined) this.fail('error', 'trailing backslash at end of expression');
    if (c === 'Q') {
      this.i += 2;
      let out = '';
      while (this.i < this.cps.length && !(this.peek() === '\\' && this.peek(1) === 'E'))
        out += literal(this.cps[this.i++]!);
      if (this.i < this.cps.length) this.i += 2;
      // Quoted characters are separate literals: a quantifier after \E repeats only the last.
      return out === '' ? undefined : { text: out, quantifiable: true };
    }
    if (c === 'E') {
      this.i += 2;
      return undefined;
    }
    switch (c) {
      case 'A':
        this.i += 2;
        return { text: '^', quantifiable: false };
      case 'z':
        this.i += 2;
        return { text: '$', quantifiable: false };
      case 'b':
      case 'B':
        this.i += 2;
        return { text: `\\${c}`, quantifiable: false };
      case 'd':
      case 's':
      case 'w':
        this.i += 2;
        return { text: `[${PERL_CLASS[c]}]`, quantifiable: true };
      case 'D':
      case 'S':
      case 'W':
        this.i += 2;
        return { text: `[^${PERL_CLASS[c.toLowerCase()]}]`, quantifiable: true };
      case 'p':
      case 'P':
        return { text: this.unicodeClass(false), quantifiable: true };
      case 'C':
        return this.fail('unsupported', '`\\C` (any byte) has no JavaScript equivalent');
    }
    const cp = this.charEscape(start);
    return { text: literal(cp), quantifiable: true };
  }

  /** `\pL`, `\p{Greek}`, `\PL`, `\p{^L}`: as a JavaScript property escape. */
  private unicodeClass(inClass: boolean): string {
    const start = this.i;
    let neg = this.peek(1) === 'P';
    this.i += 2;
    let name: string;
    if (this.peek() === '{') {
      const m = /^\{(\^?)([A-Za-z_]+)\}/.exec(this.rest());
      if (!m) this.fail('error', 'invalid character class range', start);
      if (m[1]) neg = !neg;
      name = m[2]!;
      this.i += [...m[0]].length;
    } else {
      const n = this.peek();
      if (n === undefined || !/[A-Za-z]/.test(n)) this.fail('error', 'invalid character class range', start);
      name = n;
      this.i++;
    }
    if (name === 'Any') {
      if (neg) this.fail('unsupported', 'a negated \\p{Any} has no JavaScript equivalent', start);
      return inClass ? '\\u{0}-\\u{10FFFF}' : '[\\s\\S]';
    }
    const prop = CATEGORIES.has(name) ? name : `Script=${name}`;
    try {
      new RegExp(`\\p{${prop}}`, 'u');
    } catch {
      this.fail(
        'error',
        `invalid character class range: \`${this.src.slice(this.at[start], this.at[this.i])}\``,
        start,
      );
    }
    return `\\${neg ? 'P' : 'p'}{${prop}}`;
  }

  /**
   * A single-character escape at `start` (the backslash): returns its code point. RE2 accepts
   * `\a \f \t \n \r \v`, octal `\0`, `\1`–`\7` followed by an octal digit, `\xHH`, `\x{H…}` and any
   * escaped punctuation; other letters and digits are errors.
   */
  private charEscape(start: number): number {
    const c = this.peek(1)!;
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (c in simple) {
      this.i += 2;
      return simple[c]!;
    }
    if (/[0-7]/.test(c)) {
      if (c !== '0' && !/[0-7]/.test(this.peek(2) ?? ''))
        this.fail('error', `invalid escape sequence: \`\\${c}\` (backreferences are not RE2)`, start);
      const m = /^\\([0-7]{1,3})/.exec(this.rest())!;
      this.i += m[0].length;
      return parseInt(m[1]!, 8);
    }
    if (c === 'x') {
      const m = /^\\x(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{2}))/.exec(this.rest());
      if (!m) this.fail('error', 'invalid escape sequence: `\\x`', start);
      const v = parseInt(m[1] ?? m[2]!, 16);
      if (v > 0x10ffff) this.fail('error', 'invalid escape sequence: `\\x{…}` out of range', start);
      this.i += m[0].length;
      return v;
    }
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && /[!-/:-@[-`{-~]/.test(c)) {
      this.i += 2;
      return cp;
    }
    return this.fail('error', `invalid escape sequence: \`\\${c}\``, start);
  }

  /** `[...]`: rebuilt item by item so each character means what it means in RE2. */
  private charClass(): string {
    const start = this.i;
    this.i++;
    let neg = false;
    if (this.peek() === '^') {
      neg = true;
      this.i++;
    }
    const items: string[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('error', 'missing closing ]', start);
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '[' && this.peek(1) === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.rest());
        if (m) {
          const cls = POSIX[m[2]!];
          if (!cls) this.fail('error', `invalid character class range: \`${m[0]}\``);
          if (m[1]) this.fail('unsupported', `a negated POSIX class \`${m[0]}\` inside [...]`);
          items.push(cls);
          this.i += m[0].length;
          continue;
        }
      }
      if (c === '\\') {
        const e = this.peek(1);
        if (e === 'd' || e === 's' || e === 'w') {
          items.push(PERL_CLASS[e]!);
          this.i += 2;
          continue;
        }
        if (e === 'D' || e === 'W') {
          items.push(`\\${e}`);
          this.i += 2;
          continue;
        }
        if (e === 'S') this.fail('unsupported', "`\\S` inside [...] (JavaScript's \\S differs from RE2's)");
        if (e === 'p' || e === 'P') {
          items.push(this.unicodeClass(true));
          continue;
        }
      }
      const lo = this.classChar();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        const dash = this.i;
        this.i++;
        const hi = this.classChar();
        if (hi < lo)
          this.fail(
            'error',
            `invalid character class range: \`${this.src.slice(this.at[dash - 1] ?? 0, this.at[this.i])}\``,
            dash,
          );
        items.push(`${hex(lo)}-${hex(hi)}`);
      } else items.push(hex(lo));
    }
    if (items.length === 0) return neg ? '[\\s\\S]' : '[]';
    return `[${neg ? '^' : ''}${items.join('')}]`;
  }

  /** One character inside a class (a literal or a single-character escape). */
  private classChar(): number {
    const c = this.peek()!;
    if (c === '\\') {
      const e = this.peek(1);
      if (e === undefined) this.fail('error', 'missing closing ]');
      if (/[dswDSWpPQECAzbB]/.test(e))
        this.fail('error', `invalid escape sequence in a class range: \`\\${e}\``);
      return this.charEscape(this.i);
    }
    this.i++;
    return c.codePointAt(0)!;
  }
}
