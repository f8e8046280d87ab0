/**
 * Compiles a Go (RE2) pattern into a JS RegExp that matches the same strings, or returns the
 * error text: Go's own (`error parsing regexp: invalid escape sequence: \`\u\``) for patterns Go
 * rejects, `not supported by canarysim: …` for the few RE2 forms JavaScript cannot express.
 *
 * The pattern is translated piece by piece into a `u`-mode RegExp rather than handed over as is,
 * because the two dialects read some spellings differently:
 *
 *   Go                 JS meaning if passed through      translated to
 *   \A  \z             "A", "z" (or a syntax error)       start / end of text
 *   \s                 also \v and Unicode spaces         [\t\n\f\r ]
 *   .                  JS also stops at \r, U+2028/9      [^\n]
 *   []a]               JS: empty class, then "a]"         class of "]" and "a"
 *   [[:alpha:]]        JS: "[" "[:alph" …                 [A-Za-z]
 *   \12                JS: back-reference                 octal \012 (a newline)
 *   \x{263a}  \pL      JS: "x{263a}", "pL"                U+263A, \p{L}
 *   \Q.*\E             JS: "Q.*E"                         the literal ".*"
 *
 * Look-arounds and back-references, which RE2 does not have, are Go errors here too.
 */
export function compileGoRegex(pattern: string): RegExp | string {
  let translated: { source: string; flags: string };
  try {
    translated = translate(pattern);
  } catch (e) {
    if (e instanceof RegexError) return e.message;
    throw e;
  }
  try {
    return new RegExp(translated.source, translated.flags);
  } catch (e) {
    return `error parsing regexp: ${e instanceof Error ? e.message : String(e)}`;
  }
}

class RegexError extends Error {}

const goError = (code: string, expr: string) => new RegexError(`error parsing regexp: ${code}: \`${expr}\``);
const unsupported = (what: string) => new RegexError(`not supported by canarysim: ${what} in a Go regexp`);

type Range = [number, number];

const MAX_RUNE = 0x10ffff;

// POSIX classes as Go defines them (regexp/syntax/perl_groups.go), ASCII only.
const POSIX: Record<string, Range[]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

// Go's \s is [\t\n\f\r ] (no \v, no Unicode spaces).
const PERL_SPACE: Range[] = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
];
const PERL_DIGIT: Range[] = [[0x30, 0x39]];
const PERL_WORD = POSIX.word!;

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

const hex = (cp: number) => `\\u{${cp.toString(16)}}`;
const rangesInClass = (ranges: readonly Range[]) =>
  ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');

const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);

/** A code point of `s` at `i` (surrogate pairs read as one). */
function codePointAt(s: string, i: number): { cp: number; len: number } {
  const cp = s.codePointAt(i)!;
  return { cp, len: cp > 0xffff ? 2 : 1 };
}

function translate(pattern: string): { source: string; flags: string } {
  let i = 0;
  const flags = new Set<string>(['u']);
  const leading = /^\(\?([a-zA-Z-]*)\)/.exec(pattern);
  if (leading) {
    for (const f of leading[1] ?? '') {
      if (f === 'i' || f === 'm' || f === 's') flags.add(f);
      else if (f === 'U' || f === '-') throw unsupported(`the flag group \`${leading[0]}\``);
      else
        throw goError('invalid or unsupported Perl syntax', leading[0].slice(0, leading[0].indexOf(f) + 1));
    }
    i = leading[0].length;
  }
  const dotAll = flags.has('s');
  flags.delete('s');
  let out = '';
  let depth = 0;
  // What the last piece was, for Go's repetition errors: nothing to repeat yet, an atom, or a repetition.
  let last: 'none' | 'atom' | 'repeat' | 'lazy' = 'none';
  let lastRepeat = '';
  const repeat = (op: string): void => {
    if (last === 'none') throw goError('missing argument to repetition operator', op);
    if (last === 'repeat' && op === '?') {
      last = 'lazy';
      lastRepeat += op;
      out += op;
      return;
    }
    if (last === 'repeat' || last === 'lazy')
      throw goError('invalid nested repetition operator', lastRepeat + op);
    last = 'repeat';
    lastRepeat = op;
    out += op;
  };

  // An escape `\c…` at pattern[i] (i points at the backslash); returns JS for it and the new index.
  const escape = (inClass: boolean): { js: string; ranges?: Range[]; cp?: number; next: number } => {
    const c = pattern[i + 1];
    if (c === undefined) throw goError('trailing backslash at end of expression', '');
    const start = i;
    // Octal: \0 plus up to two digits, or \1-\7 followed by an octal digit (up to three in all).
    if (c >= '1' && c <= '9' && !isOctal(pattern[i + 2])) throw goError('invalid escape sequence', `\\${c}`);
    if (isOctal(c)) {
      let j = i + 1;
      let digits = '';
      while (digits.length < 3 && isOctal(pattern[j])) digits += pattern[j++];
      const cp = parseInt(digits, 8);
      return { js: hex(cp), cp, next: j };
    }
    if (c === 'x') {
      if (pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        const digits = close < 0 ? '' : pattern.slice(i + 3, close);
        if (close < 0 || digits === '' || !/^[0-9a-fA-F]+$/.test(digits) || parseInt(digits, 16) > MAX_RUNE)
          throw goError(
            'invalid escape sequence',
            pattern.slice(start, close < 0 ? pattern.length : close + 1),
          );
        const cp = parseInt(digits, 16);
        return { js: hex(cp), cp, next: close + 1 };
      }
      if (!isHex(pattern[i + 2]) || !isHex(pattern[i + 3]))
        throw goError('invalid escape sequence', pattern.slice(start, Math.min(pattern.length, i + 4)));
      const cp = parseInt(pattern.slice(i + 2, i + 4), 16);
      return { js: hex(cp), cp, next: i + 4 };
    }
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (simple[c] !== undefined) return { js: hex(simple[c]), cp: simple[c], next: i + 2 };
    const perl: Record<string, Range[]> = {
      d: PERL_DIGIT,
      D: complement(PERL_DIGIT),
      s: PERL_SPACE,
      S: complement(PERL_SPACE),
      w: PERL_WORD,
      W: complement(PERL_WORD),
    };
    if (perl[c] !== undefined) {
      const ranges = perl[c];
      return { js: inClass ? rangesInClass(ranges) : `[${rangesInClass(ranges)}]`, ranges, next: i + 2 };
    }
    if (c === 'p' || c === 'P') {
      let name: string;
      let next: number;
      if (pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        if (close < 0) throw goError('invalid character class range', pattern.slice(start));
        name = pattern.slice(i + 3, close);
        next = close + 1;
      } else {
        name = pattern[i + 2] ?? '';
        next = i + 3;
      }
      let negate = c === 'P';
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      const prop = /^[A-Z][a-z]?$/.test(name) || name === 'Any' ? name : `Script=${name}`;
      const js = `\\${negate ? 'P' : 'p'}{${prop}}`;
      try {
        new RegExp(js, 'u');
      } catch {
        throw goError('invalid character class range', pattern.slice(start, next));
      }
      return { js, next };
    }
    if (!inClass) {
      if (c === 'A') return { js: '(?<![\\s\\S])', next: i + 2 };
      if (c === 'z') return { js: '(?![\\s\\S])', next: i + 2 };
      if (c === 'b' || c === 'B') return { js: `\\${c}`, next: i + 2 };
      if (c === 'C') throw unsupported('`\\C` (any byte)');
      if (c === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end < 0 ? pattern.length : end);
        const js = [...literal].map((ch) => hex(ch.codePointAt(0)!)).join('');
        return { js: literal.length > 0 ? `(?:${js})` : '', next: end < 0 ? pattern.length : end + 2 };
      }
    }
    // Any ASCII punctuation may be escaped; letters, digits and non-ASCII may not.
    if (c.charCodeAt(0) < 0x80 && !isAlnum(c))
      return { js: hex(c.charCodeAt(0)), cp: c.charCodeAt(0), next: i + 2 };
    throw goError('invalid escape sequence', `\\${String.fromCodePoint(pattern.codePointAt(i + 1)!)}`);
  };

  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = escape(false);
      out += e.js;
      i = e.next;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      const classStart = i;
      i++;
      let body = '';
      let negated = false;
      if (pattern[i] === '^') {
        negated = true;
        i++;
      }
      let first = true;
      for (;;) {
        if (i >= pattern.length) throw goError('missing closing ]', pattern.slice(classStart));
        const d = pattern[i]!;
        if (d === ']' && !first) {
          i++;
          break;
        }
        first = false;
        if (d === '[' && pattern[i + 1] === ':') {
          const close = pattern.indexOf(':]', i + 2);
          if (close >= 0) {
            let name = pattern.slice(i + 2, close);
            const neg = name.startsWith('^');
            if (neg) name = name.slice(1);
            const ranges = POSIX[name];
            if (ranges === undefined)
              throw goError('invalid character class range', pattern.slice(i, close + 2));
            body += rangesInClass(neg ? complement(ranges) : ranges);
            i = close + 2;
            continue;
          }
        }
        if (d === '\\') {
          const e = escape(true);
          body += e.js;
          i = e.next;
          continue;
        }
        const { cp, len } = codePointAt(pattern, i);
        body += d === '-' ? '-' : hex(cp);
        i += len;
      }
      out += `[${negated ? '^' : ''}${body}]`;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const rest = pattern.slice(i);
        const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
        if (named) {
          out += `(?<${named[1]}>`;
          i += named[0].length;
          depth++;
          last = 'none';
          continue;
        }
        if (rest.startsWith('(?:')) {
          out += '(?:';
          i += 3;
          depth++;
          last = 'none';
          continue;
        }
        if (/^\(\?[a-zA-Z-]*[:)]/.test(rest)) throw unsupported('a flag group inside the pattern');
        const bad = /^\(\?(P?<[=!]?|[=!]|P=?)?/.exec(rest)![0];
        throw goError('invalid or unsupported Perl syntax', bad);
      }
      out += '(';
      i++;
      depth++;
      last = 'none';
      continue;
    }
    if (c === ')') {
      if (depth === 0) throw goError('unexpected )', pattern);
      depth--;
      out += ')';
      i++;
      last = 'atom';
      continue;
    }
    if (c === '{') {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (rep) {
        const lo = Number(rep[1]);
        const hi = rep[3] === undefined || rep[3] === '' ? lo : Number(rep[3]);
        if (lo > 1000 || hi > 1000 || (rep[3] !== undefined && rep[3] !== '' && hi < lo))
          throw goError('invalid repeat count', rep[0]);
        repeat(rep[0]);
        i += rep[0].length;
        continue;
      }
      out += '\\{';
      i++;
      last = 'atom';
      continue;
    }
    if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
      last = 'atom';
      continue;
    }
    if (c === '.') {
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      i++;
      last = 'atom';
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      repeat(c);
      i++;
      continue;
    }
    if (c === '|') {
      out += c;
      i++;
      last = 'none';
      continue;
    }
    if (c === '^' || c === '$') {
      out += c;
      i++;
      last = 'atom';
      continue;
    }
    const { cp, len } = codePointAt(pattern, i);
    out += /[0-9A-Za-z_ ]/.test(c) ? c : hex(cp);
    i += len;
    last = 'atom';
  }
  if (depth > 0) throw goError('missing closing )', pattern);
  return { source: out, flags: [...flags].sort().join('') };
}
