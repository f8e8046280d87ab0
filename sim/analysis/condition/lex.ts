import { ConditionSyntaxError } from './ConditionSyntaxError.js';
import { goQuote, goRuneU } from '../../../go/quote.js';
import type { Token, TokenKind } from './token.js';

const EOF = -1;
const KEYWORD_OPERATORS = new Set([
  'in',
  'or',
  'and',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  'let',
  'if',
  'else',
]);
const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);
const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['a', '\x07'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
  ['`', '`'],
  ['?', '?'],
]);

/**
 * Splits a condition into tokens exactly as expr-lang's state-machine lexer does (same operator
 * gluing, number syntax, escapes and error texts), so the parser sees the same token stream and
 * errors point at the same character. Throws {@link ConditionSyntaxError}.
 */
export function lex(source: string): Token[] {
  return new Lexer(source).run();
}

// The lexer works on code points (Go runes) and converts to UTF-16 offsets only when emitting.
class Lexer {
  private readonly cps: number[] = [];
  private readonly offsets: number[] = [];
  private readonly tokens: Token[] = [];
  private start = 0;
  private end = 0;

  constructor(private readonly source: string) {
    let i = 0;
    for (const ch of source) {
      this.cps.push(ch.codePointAt(0) ?? 0);
      this.offsets.push(i);
      i += ch.length;
    }
    this.offsets.push(source.length);
  }

  run(): Token[] {
    for (;;) {
      const r = this.next();
      if (r === EOF) {
        this.emitEOF();
        return this.tokens;
      }
      if (isSpace(r)) {
        this.skip();
      } else if (r === 0x27 || r === 0x22) {
        this.scanString(r);
        this.emit('String', this.unescape(this.word()));
      } else if (r === 0x60) {
        this.scanRawString();
      } else if (r >= 0x30 && r <= 0x39) {
        this.backup();
        this.number();
      } else if (r === 0x3f /* ? */) {
        this.accept('.?');
        this.emit('Operator');
      } else if (r === 0x2f /* / */) {
        this.slash();
      } else if (r === 0x23 /* # */) {
        this.pointer();
      } else if (r === 0x7c /* | */) {
        this.accept('|');
        this.emit('Operator');
      } else if (r === 0x3a /* : */) {
        this.accept(':');
        this.emit('Operator');
      } else if (is(r, '([{)]}')) {
        this.emit('Bracket');
      } else if (is(r, ',;%+-^')) {
        this.emit('Operator');
      } else if (is(r, '&!=*<>')) {
        this.accept('&=*');
        this.emit('Operator');
      } else if (r === 0x2e /* . */) {
        this.backup();
        this.dot();
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.identifier();
      } else {
        this.error(`unrecognized character: ${goRuneU(r)}`);
      }
    }
  }

  private next(): number {
    if (this.end >= this.cps.length) {
      this.end++;
      return EOF;
    }
    return this.cps[this.end++] ?? EOF;
  }

  private backup(): void {
    this.end--;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && is(r, valid)) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  private word(): string {
    return String.fromCodePoint(...this.cps.slice(this.start, Math.min(this.end, this.cps.length)));
  }

  private offset(runeIndex: number): number {
    return this.offsets[Math.max(0, Math.min(runeIndex, this.cps.length))] ?? this.source.length;
  }

  private emit(kind: TokenKind, value: string = this.word()): void {
    this.tokens.push({ kind, value, start: this.offset(this.start), end: this.offset(this.end) });
    this.start = this.end;
  }

  // expr-lang places EOF on the last character, so "unexpected token EOF" points at the end.
  private emitEOF(): void {
    const from = Math.max(this.end - 2, 0);
    const to = Math.max(this.end - 1, 0);
    this.tokens.push({ kind: 'EOF', value: '', start: this.offset(from), end: this.offset(to) });
    this.start = this.end;
  }

  private skip(): void {
    this.start = this.end;
  }

  private error(message: string): never {
    throw new ConditionSyntaxError(message, this.source, this.offset(this.end - 1));
  }

  private number(): void {
    if (!this.scanNumber()) this.error(`bad number syntax: ${goQuote(this.word())}`);
    this.emit('Number');
  }

  private scanNumber(): boolean {
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    const end = this.end;
    if (this.accept('.')) {
      // `1..3` is a range: give the dot back.
      if (this.peek() === 0x2e) {
        this.end = end;
        return true;
      }
      this.acceptRun(digits);
    }
    if (this.accept('eE')) {
      this.accept('+-');
      this.acceptRun(digits);
    }
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  private dot(): void {
    this.next();
    if (this.accept('0123456789')) {
      this.backup();
      this.number();
      return;
    }
    this.accept('.');
    this.emit('Operator');
  }

  private identifier(): void {
    while (isAlphaNumeric(this.next()));
    this.backup();
    const word = this.word();
    if (word === 'not') {
      this.emit('Operator');
      this.notSuffix();
    } else {
      this.emit(KEYWORD_OPERATORS.has(word) ? 'Operator' : 'Identifier');
    }
  }

  // After `not`, expr-lang glues the next word when it is a negatable operator (`not in`).
  private notSuffix(): void {
    while (this.peek() === 0x20) this.next();
    this.skip();
    const end = this.end;
    while (isAlphaNumeric(this.next()));
    this.backup();
    if (NEGATABLE.has(this.word())) this.emit('Operator');
    else this.end = end;
  }

  private slash(): void {
    if (this.accept('/')) {
      for (let r = this.next(); r !== EOF && r !== 0x0a; r = this.next());
      this.skip();
      return;
    }
    if (this.accept('*')) {
      for (;;) {
        const r = this.next();
        if (r === EOF) this.error('unclosed comment');
        if (r === 0x2a && this.accept('/')) break;
      }
      this.skip();
      return;
    }
    this.emit('Operator');
  }

  private pointer(): void {
    this.accept('#');
    this.emit('Operator');
    while (isAlphaNumeric(this.next()));
    this.backup();
    if (this.word() !== '') this.emit('Identifier');
  }

  private scanString(quote: number): void {
    let ch = this.next();
    while (ch !== quote) {
      if (ch === 0x0a || ch === EOF) this.error('literal not terminated');
      ch = ch === 0x5c ? this.scanEscape(quote) : this.next();
    }
  }

  private scanEscape(quote: number): number {
    const ch = this.next();
    if (ch === quote || is(ch, 'abfnrtv\\')) return this.next();
    if (ch >= 0x30 && ch <= 0x37) return this.scanDigits(ch, 8, 3);
    if (ch === 0x78 /* x */) return this.scanDigits(this.next(), 16, 2);
    if (ch === 0x75 /* u */) return this.scanDigits(this.next(), 16, 4);
    if (ch === 0x55 /* U */) return this.scanDigits(this.next(), 16, 8);
    this.error('invalid char escape');
  }

  private scanDigits(first: number, base: number, count: number): number {
    let ch = first;
    let n = count;
    while (n > 0 && digitValue(ch) < base) {
      ch = this.next();
      n--;
    }
    if (n > 0) this.error('invalid char escape');
    return ch;
  }

  private scanRawString(): void {
    for (let ch = this.next(); ch !== 0x60; ch = this.next()) {
      if (ch === EOF) this.error('literal not terminated');
    }
    const body = String.fromCodePoint(...this.cps.slice(this.start + 1, this.end - 1));
    this.emit('String', body);
  }

  // expr-lang's `unescape`: errors point at the closing quote.
  private unescape(quoted: string): string {
    const value = quoted.replaceAll('\r\n', '\n').replaceAll('\r', '\n');
    const body = [...value.slice(1, -1)];
    let out = '';
    for (let i = 0; i < body.length;) {
      const c = body[i] ?? '';
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = body[i + 1];
      if (e === undefined) this.error("unable to unescape string, found '\\' as last character");
      i += 2;
      const mapped = SIMPLE_ESCAPES.get(e);
      if (mapped !== undefined) {
        out += mapped;
      } else if (e === 'x' || e === 'X' || e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : e === 'U' ? 8 : 2;
        const hex = body.slice(i, i + n).join('');
        if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) this.error('unable to unescape string');
        const v = parseInt(hex, 16);
        if (v > 0x10ffff) this.error('unable to unescape string');
        out += codePoint(v);
        i += n;
      } else if (e >= '0' && e <= '3') {
        const oct = body.slice(i, i + 2).join('');
        if (oct.length < 2 || !/^[0-7]{2}$/.test(oct))
          this.error('unable to unescape octal sequence in string');
        out += codePoint(parseInt(e + oct, 8));
        i += 2;
      } else {
        this.error('unable to unescape string');
      }
    }
    return out;
  }
}

// Go encodes a surrogate half as U+FFFD.
function codePoint(v: number): string {
  return v >= 0xd800 && v <= 0xdfff ? '\ufffd' : String.fromCodePoint(v);
}

function is(r: number, chars: string): boolean {
  return r >= 0 && chars.includes(String.fromCodePoint(r));
}

function isSpace(r: number): boolean {
  return /^\p{White_Space}$/u.test(String.fromCodePoint(r));
}

function isAlphaNumeric(r: number): boolean {
  if (r < 0) return false;
  return r === 0x5f || r === 0x24 || /^[\p{L}\p{Nd}]$/u.test(String.fromCodePoint(r));
}

function digitValue(r: number): number {
  if (r >= 0x30 && r <= 0x39) return r - 0x30;
  const lower = r | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return 16;
}
