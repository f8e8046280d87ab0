/*
 * RE2 (Go `regexp/syntax`) patterns translated to JavaScript `RegExp` source.
 *
 * Prometheus compiles label-matcher regexes as `^(?s:<re>)$` with Go's RE2. JS differs in places
 * that matter for real queries: inline flags (`(?i)PRO`, `(?i:…)`), `\Q…\E`, POSIX classes,
 * `\z`, `\pL`, `\s` (ASCII-only in RE2), octal escapes, and `\1` (a backreference in JS, an error
 * in RE2). We parse the RE2 syntax and emit an equivalent `u`-mode JS pattern, expanding
 * case-insensitivity into character classes, so no JS flag depends on the engine version.
 * Lookarounds and backreferences are RE2 errors and are rejected the same way.
 */

/** A regex that RE2 would reject, worded like Go: "error parsing regexp: missing closing ): `(a`". */
export class Re2SyntaxError extends Error {
  override readonly name = 'Re2SyntaxError';
  constructor(code: string, arg: string) {
    super(`error parsing regexp: ${code}: \`${arg}\``);
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX_REPEAT = 1000;

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\u{0}-\\u{7f}',
  blank: '\\t ',
  cntrl: '\\u{0}-\\u{1f}\\u{7f}',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@\\[-`\\{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const PERL_CLASS: Record<string, string> = {
  d: '0-9',
  w: '0-9A-Za-z_',
  s: '\\t\\n\\f\\r ',
};

const GENERAL_CATEGORIES = new Set([
  'C',
  'Cc',
  'Cf',
  'Co',
  'Cs',
  'L',
  'Ll',
  'Lm',
  'Lo',
  'Lt',
  'Lu',
  'M',
  'Mc',
  'Me',
  'Mn',
  'N',
  'Nd',
  'Nl',
  'No',
  'P',
  'Pc',
  'Pd',
  'Pe',
  'Pf',
  'Pi',
  'Po',
  'Ps',
  'S',
  'Sc',
  'Sk',
  'Sm',
  'So',
  'Z',
  'Zl',
  'Zp',
  'Zs',
]);

/** Characters that must be escaped to stand for themselves in a `u`-mode JS pattern. */
const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
/** Characters that must be escaped inside a `u`-mode JS character class. */
const JS_CLASS_SYNTAX = new Set([...'\\]-^[']);

class Translator {
  private pos = 0;
  private groups = 0;

  constructor(private readonly src: string) {}

  translate(): string {
    const out = this.alternation({ i: false, m: false, s: true, U: false }, 0);
    if (this.pos < this.src.length) {
      // Only an unmatched ")" stops the top-level alternation early.
      throw new Re2SyntaxError('unexpected )', this.src);
    }
    return out;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  /** Alternatives up to a ")" (depth > 0) or the end. `flags` may be changed by `(?i)`. */
  private alternation(flags: Flags, depth: number): string {
    const branches: string[] = [];
    const local = { ...flags };
    let cur = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        if (depth > 0) throw new Re2SyntaxError('missing closing )', this.src);
        break;
      }
      if (c === ')') {
        if (depth === 0) throw new Re2SyntaxError('unexpected )', this.src);
        break;
      }
      if (c === '|') {
        this.pos++;
        branches.push(cur);
        cur = '';
        continue;
      }
      cur += this.repeat(local, depth);
    }
    branches.push(cur);
    return branches.join('|');
  }

  private repeat(flags: Flags, depth: number): string {
    const startPos = this.pos;
    const atom = this.atom(flags, depth);
    if (atom === null) return '';
    let out = atom;
    let repeated = false;
    for (;;) {
      const c = this.peek();
      let q: string | null = null;
      const qStart = this.pos;
      if (c === '*' || c === '+' || c === '?') {
        this.pos++;
        q = c;
      } else if (c === '{') {
        q = this.braceRepeat();
      }
      if (q === null) break;
      if (repeated) {
        throw new Re2SyntaxError('invalid nested repetition operator', this.src.slice(qStart - 1, this.pos));
      }
      if (atom === '')
        throw new Re2SyntaxError(
          'missing argument to repetition operator',
          this.src.slice(startPos, this.pos),
        );
      let lazy = false;
      if (this.peek() === '?') {
        this.pos++;
        lazy = true;
      }
      if (flags.U) lazy = !lazy;
      out = `(?:${out})${q}${lazy ? '?' : ''}`;
      repeated = true;
    }
    return out;
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor, or null (then `{` is a literal). */
  private braceRepeat(): string | null {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[3] === undefined || m[3] === '' ? undefined : Number(m[3]);
    if (min > MAX_REPEAT || (max !== undefined && (max > MAX_REPEAT || max < min))) {
      throw new Re2SyntaxError('invalid repeat count', m[0]);
    }
    this.pos += m[0].length;
    return m[2] === undefined ? `{${min}}` : max === undefined ? `{${min},}` : `{${min},${max}}`;
  }

  /** One atom; null when the atom was a flag group `(?i)` that only changed `flags`. */
  private atom(flags: Flags, depth: number): string | null {
    const c = this.src[this.pos]!;
    switch (c) {
      case '(':
        return this.group(flags, depth);
      case '[':
        return this.charClass(flags);
      case '.':
        this.pos++;
        return flags.s ? '[^]' : '[^\\n]';
      case '^':
        this.pos++;
        return flags.m ? '(?:^|(?<=\\n))' : '^';
      case '$':
        this.pos++;
        return flags.m ? '(?:$|(?=\\n))' : '$';
      case '\\':
        return this.escape(flags);
      case '*':
      case '+':
      case '?':
        throw new Re2SyntaxError('missing argument to repetition operator', c);
      default: {
        const cp = this.src.codePointAt(this.pos)!;
        const ch = String.fromCodePoint(cp);
        this.pos += ch.length;
        return literal(ch, flags.i);
      }
    }
  }

  private group(flags: Flags, depth: number): string | null {
    const rest = this.src.slice(this.pos);
    if (rest.startsWith('(?')) {
      if (/^\(\?(?:=|!|<=|<!)/.test(rest))
        throw new Re2SyntaxError('invalid or unsupported Perl syntax', rest.slice(0, 3));
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        this.pos += named[0].length;
        this.groups++;
        const inner = this.alternation({ ...flags }, depth + 1);
        this.pos++;
        return `(?<${named[1]}>${inner})`;
      }
      const f = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
      if (!f || (f[2] !== undefined && f[2] === '' && f[1] === '')) {
        throw new Re2SyntaxError('invalid or unsupported Perl syntax', rest.slice(0, 3));
      }
      const next = { ...flags };
      for (const ch of f[1]!) next[ch as keyof Flags] = true;
      for (const ch of f[2] ?? '') next[ch as keyof Flags] = false;
      this.pos += f[0].length;
      if (f[3] === ')') {
        // (?flags) changes the rest of the enclosing group.
        Object.assign(flags, next);
        return null;
      }
      const inner = this.alternation(next, depth + 1);
      this.pos++;
      return `(?:${inner})`;
    }
    this.pos++;
    this.groups++;
    const inner = this.alternation({ ...flags }, depth + 1);
    this.pos++;
    return `(${inner})`;
  }

  private escape(flags: Flags): string {
    const start = this.pos;
    this.pos++;
    const c = this.src[this.pos];
    if (c === undefined) throw new Re2SyntaxError('trailing backslash at end of expression', '');
    this.pos++;
    switch (c) {
      case 'A':
        return '^';
      case 'z':
        return '$';
      case 'b':
        return '\\b';
      case 'B':
        return '\\B';
      case 'd':
      case 'w':
      case 's':
        return `[${PERL_CLASS[c]!}]`;
      case 'D':
      case 'W':
      case 'S':
        return `[^${PERL_CLASS[c.toLowerCase()]!}]`;
      case 'p':
      case 'P':
        return this.unicodeClass(c === 'P', start);
      case 'Q': {
        const end = this.src.indexOf('\\E', this.pos);
        const text = end < 0 ? this.src.slice(this.pos) : this.src.slice(this.pos, end);
        this.pos = end < 0 ? this.src.length : end + 2;
        let out = '';
        for (const ch of text) out += literal(ch, flags.i);
        return text === '' ? '' : `(?:${out})`;
      }
      case 'C':
        throw new Re2SyntaxError('invalid escape sequence', '\\C');
    }
    const cp = this.escapedCodePoint(c, start);
    return literal(String.fromCodePoint(cp), flags.i);
  }

  /** Code point of a character escape (`\n`, `\x41`, `\x{263a}`, `\012`, `\.`) after the backslash. */
  private escapedCodePoint(c: string, start: number): number {
    switch (c) {
      case 'a':
        return 7;
      case 'f':
        return 12;
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 'v':
        return 11;
      case 'x': {
        if (this.src[this.pos] === '{') {
          const m = /^\{([0-9A-Fa-f]+)\}/.exec(this.src.slice(this.pos));
          if (!m || parseInt(m[1]!, 16) > 0x10ffff)
            throw new Re2SyntaxError('invalid escape sequence', this.src.slice(start, this.pos + 1));
          this.pos += m[0].length;
          return parseInt(m[1]!, 16);
        }
        const hex = this.src.slice(this.pos, this.pos + 2);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex))
          throw new Re2SyntaxError('invalid escape sequence', this.src.slice(start, this.pos + 2));
        this.pos += 2;
        return parseInt(hex, 16);
      }
    }
    if (c >= '1' && c <= '7' && !/[0-7]/.test(this.src[this.pos] ?? '')) {
      // A lone \1…\7 would be a backreference, which RE2 does not have.
      throw new Re2SyntaxError('invalid escape sequence', `\\${c}`);
    }
    if (c >= '0' && c <= '7') {
      let oct = c;
      while (oct.length < 3 && /[0-7]/.test(this.src[this.pos] ?? '')) oct += this.src[this.pos++];
      return parseInt(oct, 8);
    }
    if (/[A-Za-z0-9]/.test(c)) throw new Re2SyntaxError('invalid escape sequence', `\\${c}`);
    return c.codePointAt(0)!;
  }

  private unicodeClass(negated: boolean, start: number): string {
    let name: string;
    if (this.src[this.pos] === '{') {
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) throw new Re2SyntaxError('invalid character class range', this.src.slice(start));
      name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      name = this.src[this.pos] ?? '';
      this.pos++;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (name === 'Any') return negated ? '[^\\u{0}-\\u{10ffff}]' : '[\\u{0}-\\u{10ffff}]';
    if (!/^[A-Za-z_]+$/.test(name))
      throw new Re2SyntaxError('invalid character class range', this.src.slice(start, this.pos));
    const prop = GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
    const js = `\\${negated ? 'P' : 'p'}{${prop}}`;
    try {
      new RegExp(js, 'u');
    } catch {
      throw new Re2SyntaxError('invalid character class range', this.src.slice(start, this.pos));
    }
    return js;
  }

  private charClass(flags: Flags): string {
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const items: string[] = [];
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new Re2SyntaxError('missing closing ]', this.src.slice(start));
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      const posix = /^\[:(\^)?([a-z]+):\]/.exec(this.src.slice(this.pos));
      if (posix) {
        const set = POSIX[posix[2]!];
        if (!set) throw new Re2SyntaxError('invalid character class range', posix[0]);
        if (posix[1]) items.push(...complementItems(set));
        else items.push(set);
        this.pos += posix[0].length;
        continue;
      }
      if (c === '\\') {
        const e = this.src[this.pos + 1];
        if (e === 'd' || e === 'w' || e === 's') {
          items.push(PERL_CLASS[e]!);
          this.pos += 2;
          continue;
        }
        if (e === 'D' || e === 'W' || e === 'S') {
          items.push(...complementItems(PERL_CLASS[e.toLowerCase()]!));
          this.pos += 2;
          continue;
        }
        if (e === 'p' || e === 'P') {
          const escStart = this.pos;
          this.pos += 2;
          items.push(this.unicodeClass(e === 'P', escStart));
          continue;
        }
      }
      const lo = this.classChar(start);
      if (
        this.src[this.pos] === '-' &&
        this.src[this.pos + 1] !== ']' &&
        this.src[this.pos + 1] !== undefined
      ) {
        this.pos++;
        const hi = this.classChar(start);
        if (hi < lo)
          throw new Re2SyntaxError(
            'invalid character class range',
            `${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`,
          );
        items.push(...rangeItems(lo, hi, flags.i));
      } else {
        items.push(...rangeItems(lo, lo, flags.i));
      }
    }
    if (items.length === 0) return negated ? '[^]' : '[]';
    return `[${negated ? '^' : ''}${items.join('')}]`;
  }

  /** One (possibly escaped) character inside a class, as a code point. */
  private classChar(classStart: number): number {
    const c = this.src[this.pos];
    if (c === undefined) throw new Re2SyntaxError('missing closing ]', this.src.slice(classStart));
    if (c === '\\') {
      const start = this.pos;
      this.pos++;
      const e = this.src[this.pos];
      if (e === undefined) throw new Re2SyntaxError('missing closing ]', this.src.slice(classStart));
      this.pos++;
      return this.escapedCodePoint(e, start);
    }
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

/** A literal character, escaped for JS; with `i`, all its case variants as a class. */
function literal(ch: string, caseInsensitive: boolean): string {
  if (caseInsensitive) {
    const variants = caseVariants(ch.codePointAt(0)!);
    if (variants.length > 1) return `[${variants.map(classEscape).join('')}]`;
  }
  return JS_SYNTAX.has(ch) ? `\\${ch}` : escapeSpecial(ch);
}

function escapeSpecial(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return `\\u{${cp.toString(16)}}`;
  return ch;
}

function classEscape(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (JS_CLASS_SYNTAX.has(ch)) return `\\${ch}`;
  if (cp < 0x20 || cp === 0x7f) return `\\u{${cp.toString(16)}}`;
  return ch;
}

/** The code point and its simple upper/lower case partners. */
function caseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const set = new Set<number>([cp]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    if ([...v].length === 1) set.add(v.codePointAt(0)!);
  }
  return [...set];
}

/** Class items for the range lo..hi, plus case partners when case-insensitive. */
function rangeItems(lo: number, hi: number, caseInsensitive: boolean): string[] {
  const items = [lo === hi ? classEscape(lo) : `${classEscape(lo)}-${classEscape(hi)}`];
  if (!caseInsensitive) return items;
  if (hi - lo > 2000) return items;
  const extra = new Set<number>();
  for (let cp = lo; cp <= hi; cp++) for (const v of caseVariants(cp)) if (v < lo || v > hi) extra.add(v);
  for (const v of extra) items.push(classEscape(v));
  return items;
}

/** Items for the complement of an ASCII set such as `0-9A-Za-z_` (for `\W`, `[:^alpha:]`). */
function complementItems(set: string): string[] {
  const inSet = new RegExp(`[${set}]`, 'u');
  const items: string[] = [];
  let runStart = -1;
  for (let cp = 0; cp <= 0x80; cp++) {
    const member = cp < 0x80 && inSet.test(String.fromCodePoint(cp));
    if (!member && cp < 0x80) {
      if (runStart < 0) runStart = cp;
    } else if (runStart >= 0) {
      items.push(
        runStart === cp - 1 ? classEscape(runStart) : `${classEscape(runStart)}-${classEscape(cp - 1)}`,
      );
      runStart = -1;
    }
  }
  items.push('\\u{80}-\\u{10ffff}');
  return items;
}

const cache = new Map<string, RegExp>();

/**
 * Compiles an RE2 pattern the way a Prometheus label matcher does: fully anchored, `.` matching
 * newlines (`^(?s:re)$`). Throws `Re2SyntaxError` for patterns RE2 rejects.
 */
export function compileAnchoredRe2(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = new Translator(pattern).translate();
    try {
      re = new RegExp(`^(?:${body})$`, 'u');
    } catch (e) {
      throw new Re2SyntaxError('invalid or unsupported syntax', `${pattern} (${(e as Error).message})`);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** The JS source an RE2 pattern translates to (unanchored), for tests and diagnostics. */
export function translateRe2(pattern: string): string {
  return new Translator(pattern).translate();
}
