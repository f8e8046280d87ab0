import { goQuote, goQuoteRune, goUnicode } from './goFormat.js';
import { KEYWORDS, type Token, type TokenType } from './token.js';

/*
 * The PromQL lexer, a port of the state machine in Prometheus's `promql/parser/lex.go`: the same
 * token boundaries, the same number/duration scanning and the same error texts, so that error
 * positions and messages line up with Prometheus. Positions are UTF-16 indexes; the parser turns
 * them into byte offsets.
 */

type State = 'statements' | 'braces' | 'durationExpr' | 'done';

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && (c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isAlphaNumeric = (c: string | undefined): boolean => isAlpha(c) || isDigit(c);

class Lexer {
  private pos = 0;
  private start = 0;
  private state: State = 'statements';
  private parenDepth = 0;
  private braceOpen = false;
  private bracketOpen = false;
  private gotColon = false;
  private gotDuration = false;
  readonly tokens: Token[] = [];

  constructor(private readonly input: string) {}

  run(): Token[] {
    while (this.state !== 'done') {
      switch (this.state) {
        case 'statements':
          this.lexStatements();
          break;
        case 'braces':
          this.lexInsideBraces();
          break;
        case 'durationExpr':
          this.lexDurationExpr();
          break;
      }
    }
    return this.tokens;
  }

  private peek(offset = 0): string | undefined {
    return this.input[this.pos + offset];
  }

  private emit(type: TokenType): void {
    const val = this.input.slice(this.start, this.pos);
    if (type !== 'COMMENT') this.tokens.push({ type, pos: this.start, val });
    this.start = this.pos;
  }

  private error(message: string): void {
    this.tokens.push({ type: 'ERROR', pos: this.start, val: message });
    this.state = 'done';
  }

  private accept(valid: string): boolean {
    const c = this.input[this.pos];
    if (c !== undefined && valid.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private is(valid: string): boolean {
    const c = this.input[this.pos];
    return c !== undefined && valid.includes(c);
  }

  /** The rune at the cursor (a whole surrogate pair), for messages. */
  private runeAt(i: number): string {
    const cp = this.input.codePointAt(i);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private skipSpaces(): void {
    while (isSpace(this.peek())) this.pos++;
    this.start = this.pos;
  }

  private lexStatements(): void {
    if (this.braceOpen) {
      this.state = 'braces';
      return;
    }
    if (this.input.startsWith('#', this.pos)) {
      this.lexLineComment();
      return;
    }
    const c = this.input[this.pos];
    if (c === undefined) {
      if (this.parenDepth !== 0) return this.error('unclosed left parenthesis');
      if (this.bracketOpen) return this.error('unclosed left bracket');
      this.tokens.push({ type: 'EOF', pos: this.pos, val: '' });
      this.state = 'done';
      return;
    }
    this.pos++;
    switch (c) {
      case ',':
        return this.emit('COMMA');
      case '*':
        return this.emit('MUL');
      case '/':
        return this.emit('DIV');
      case '%':
        return this.emit('MOD');
      case '+':
        return this.emit('ADD');
      case '-':
        return this.emit('SUB');
      case '^':
        return this.emit('POW');
      case '@':
        return this.emit('AT');
      case '=': {
        const t = this.peek();
        if (t === '=') {
          this.pos++;
          return this.emit('EQLC');
        }
        if (t === '~') return this.error(`unexpected character after '=': ${goQuoteRune(t)}`);
        return this.emit('EQL');
      }
      case '!': {
        const t = this.peek();
        if (t !== '=') return this.error(`unexpected character after '!': ${goQuoteRune(t ?? '')}`);
        this.pos++;
        return this.emit('NEQ');
      }
      case '<':
        if (this.peek() === '=') {
          this.pos++;
          return this.emit('LTE');
        }
        return this.emit('LSS');
      case '>':
        if (this.peek() === '=') {
          this.pos++;
          return this.emit('GTE');
        }
        return this.emit('GTR');
      case '(':
        this.parenDepth++;
        return this.emit('LEFT_PAREN');
      case ')':
        this.emit('RIGHT_PAREN');
        this.parenDepth--;
        if (this.parenDepth < 0) {
          this.tokens.pop();
          return this.error(`unexpected right parenthesis ${goQuoteRune(c)}`);
        }
        return;
      case '{':
        this.emit('LEFT_BRACE');
        this.braceOpen = true;
        this.state = 'braces';
        return;
      case '[':
        if (this.bracketOpen) return this.error(`unexpected left bracket ${goQuoteRune(c)}`);
        this.gotColon = false;
        this.gotDuration = false;
        this.emit('LEFT_BRACKET');
        this.skipSpaces();
        this.bracketOpen = true;
        this.state = 'durationExpr';
        return;
      case ']':
        if (!this.bracketOpen) return this.error(`unexpected right bracket ${goQuoteRune(c)}`);
        this.emit('RIGHT_BRACKET');
        this.bracketOpen = false;
        return;
      case '"':
      case "'":
        return this.lexString(c);
      case '`':
        return this.lexRawString();
    }
    if (isSpace(c)) {
      this.skipSpaces();
      return;
    }
    if (isDigit(c) || (c === '.' && isDigit(this.peek()))) {
      this.pos--;
      return this.lexNumberOrDuration();
    }
    if (isAlpha(c) || c === ':') {
      if (!this.bracketOpen) {
        this.pos--;
        return this.lexKeywordOrIdentifier();
      }
      if (c === ':') {
        if (this.gotColon) return this.error(`unexpected colon ${goQuoteRune(c)}`);
        if (this.peek() === ':') this.pos++;
        this.emit('COLON');
        this.gotColon = true;
        return;
      }
      if ('sSmM'.includes(c) && this.scanDurationKeyword()) return;
      return this.error(`unexpected character: ${goQuoteRune(c)}, expected ${goQuoteRune(':')}`);
    }
    this.pos--;
    const r = this.runeAt(this.pos);
    this.pos += r.length;
    return this.error(`unexpected character: ${goQuoteRune(r)}`);
  }

  private lexInsideBraces(): void {
    if (this.input.startsWith('#', this.pos)) {
      this.lexLineComment();
      return;
    }
    const c = this.input[this.pos];
    if (c === undefined) return this.error('unexpected end of input inside braces');
    this.pos++;
    if (isSpace(c)) {
      this.skipSpaces();
      return;
    }
    if (isAlpha(c)) {
      while (isAlphaNumeric(this.peek())) this.pos++;
      return this.emit('IDENTIFIER');
    }
    switch (c) {
      case ',':
        return this.emit('COMMA');
      case '"':
      case "'":
        return this.lexString(c);
      case '`':
        return this.lexRawString();
      case '=':
        if (this.peek() === '~') {
          this.pos++;
          return this.emit('EQL_REGEX');
        }
        return this.emit('EQL');
      case '!': {
        const nr = this.peek();
        if (nr === '~') {
          this.pos++;
          return this.emit('NEQ_REGEX');
        }
        if (nr === '=') {
          this.pos++;
          return this.emit('NEQ');
        }
        return this.error(`unexpected character after '!' inside braces: ${goQuoteRune(nr ?? '')}`);
      }
      case '{':
        return this.error(`unexpected left brace ${goQuoteRune(c)}`);
      case '}':
        this.emit('RIGHT_BRACE');
        this.braceOpen = false;
        this.state = 'statements';
        return;
    }
    this.pos--;
    const r = this.runeAt(this.pos);
    this.pos += r.length;
    return this.error(`unexpected character inside braces: ${goQuoteRune(r)}`);
  }

  /** The first token after `[` (durations and duration arithmetic). */
  private lexDurationExpr(): void {
    const c = this.input[this.pos];
    if (c === undefined) return this.error('unexpected end of input in duration expression');
    this.pos++;
    switch (c) {
      case ']':
        this.emit('RIGHT_BRACKET');
        this.bracketOpen = false;
        this.gotColon = false;
        this.state = 'statements';
        return;
      case ':':
        this.emit('COLON');
        if (!this.gotDuration) return this.error('unexpected colon before duration in duration expression');
        if (this.gotColon) return this.error('unexpected repeated colon in duration expression');
        this.gotColon = true;
        return;
      case '(':
        this.parenDepth++;
        return this.emit('LEFT_PAREN');
      case ')':
        this.emit('RIGHT_PAREN');
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error(`unexpected right parenthesis ${goQuoteRune(c)}`);
        return;
      case '+':
        return this.emit('ADD');
      case '-':
        return this.emit('SUB');
      case '*':
        return this.emit('MUL');
      case '/':
        return this.emit('DIV');
      case '%':
        return this.emit('MOD');
      case '^':
        return this.emit('POW');
      case ',':
        return this.emit('COMMA');
    }
    if (isSpace(c)) {
      this.skipSpaces();
      return;
    }
    if ('sSmMrR'.includes(c)) {
      if (this.scanDurationKeyword()) return;
      return this.error(`unexpected character in duration expression: ${goQuoteRune(c)}`);
    }
    if (isDigit(c) || (c === '.' && isDigit(this.peek()))) {
      this.pos--;
      this.gotDuration = true;
      this.lexNumberOrDuration();
      if (this.state !== 'done') this.state = 'statements';
      return;
    }
    return this.error(
      `unexpected character in duration expression: ${goQuoteRune(this.runeAt(this.pos - 1))}`,
    );
  }

  private scanDurationKeyword(): boolean {
    while (isAlpha(this.peek())) this.pos++;
    const word = this.input.slice(this.start, this.pos).toLowerCase();
    const kw: TokenType | undefined =
      word === 'step'
        ? 'STEP'
        : word === 'range'
          ? 'RANGE'
          : word === 'min'
            ? 'MIN'
            : word === 'max'
              ? 'MAX'
              : undefined;
    if (kw === undefined) return false;
    this.emit(kw);
    return true;
  }

  private lexLineComment(): void {
    this.pos++;
    while (this.pos < this.input.length && this.input[this.pos] !== '\n' && this.input[this.pos] !== '\r')
      this.pos++;
    this.emit('COMMENT');
  }

  private lexString(quote: string): void {
    for (;;) {
      const c = this.input[this.pos];
      if (c === undefined || c === '\n') return this.error('unterminated quoted string');
      this.pos++;
      if (c === '\\') {
        const err = this.lexEscape(quote);
        if (err) return this.error(err);
        continue;
      }
      if (c === quote) break;
    }
    this.emit('STRING');
  }

  /** Validates one escape after a backslash; returns an error text or undefined. */
  private lexEscape(quote: string): string | undefined {
    const ch = this.input[this.pos];
    if (ch === undefined) return 'escape sequence not terminated';
    this.pos++;
    let n: number;
    let base: number;
    let max: number;
    let cur: string | undefined = ch;
    switch (ch) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\':
        return undefined;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        n = 3;
        base = 8;
        max = 255;
        break;
      case 'x':
        cur = this.input[this.pos++];
        n = 2;
        base = 16;
        max = 255;
        break;
      case 'u':
        cur = this.input[this.pos++];
        n = 4;
        base = 16;
        max = 0x10ffff;
        break;
      case 'U':
        cur = this.input[this.pos++];
        n = 8;
        base = 16;
        max = 0x10ffff;
        break;
      default:
        if (ch === quote) return undefined;
        return `unknown escape sequence ${goUnicode(this.runeAt(this.pos - 1))}`;
    }
    let x = 0;
    for (;;) {
      const d = cur === undefined ? 16 : digitVal(cur);
      if (d >= base) {
        if (cur === undefined) return 'escape sequence not terminated';
        return `illegal character ${goUnicode(cur)} in escape sequence`;
      }
      x = x * base + d;
      n--;
      if (n === 0) break;
      cur = this.input[this.pos++];
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) return 'escape sequence is an invalid Unicode code point';
    return undefined;
  }

  private lexRawString(): void {
    for (;;) {
      const c = this.input[this.pos];
      if (c === undefined) return this.error('unterminated raw string');
      this.pos++;
      if (c === '`') break;
    }
    this.emit('STRING');
  }

  private lexNumberOrDuration(): void {
    if (this.scanNumber()) return this.emit('NUMBER');
    if (this.acceptRemainingDuration()) {
      this.pos--;
      return this.emit('DURATION');
    }
    return this.error(`bad number or duration syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
  }

  private acceptRemainingDuration(): boolean {
    if (!this.accept('smhdwy')) return false;
    this.accept('s');
    while (this.accept('0123456789')) {
      while (this.accept('0123456789')) {
        // absorb
      }
      if (!this.accept('smhdw')) return false;
      this.accept('s');
    }
    const next = this.input[this.pos];
    this.pos++;
    return !isAlphaNumeric(next);
  }

  /** Scans a number (decimal, hex, `_` separators, exponent); false when it is not one. */
  private scanNumber(): boolean {
    const initial = this.pos;
    let digits = '0123456789';
    if (this.accept('0') && this.accept('xX')) {
      this.accept('_');
      digits = '0123456789abcdefABCDEF';
    }
    this.accept('.');
    this.accept(digits);
    let dotConsumed = false;
    let exponentConsumed = false;
    while (this.is(digits + '._eE')) {
      if (this.is('.') && dotConsumed) {
        this.accept('.');
        return false;
      }
      if (this.is('eE') && exponentConsumed) {
        this.accept('eE');
        return false;
      }
      if (this.accept('.')) {
        dotConsumed = true;
        if (this.accept('_.')) return false;
        if (digits.length > 10) return false;
        continue;
      }
      if (this.accept('eE')) {
        exponentConsumed = true;
        this.accept('+-');
        if (this.accept('._eE') || this.pos >= this.input.length) return false;
        continue;
      }
      if (this.accept('_')) {
        if (this.accept('._eE') || this.pos >= this.input.length) return false;
        continue;
      }
      while (this.accept(digits)) {
        // absorb
      }
    }
    if (this.pos === initial) return false;
    return !isAlphaNumeric(this.input[this.pos]);
  }

  private lexKeywordOrIdentifier(): void {
    while (isAlphaNumeric(this.peek()) || this.peek() === ':') this.pos++;
    const word = this.input.slice(this.start, this.pos);
    const lower = word.toLowerCase();
    if (lower === 'inf' || lower === 'nan') return this.emit('NUMBER');
    const kw = KEYWORDS.get(lower);
    if (kw !== undefined) {
      // fill/fill_left/fill_right are keywords only before "(", so they stay usable as names.
      if ((kw === 'FILL' || kw === 'FILL_LEFT' || kw === 'FILL_RIGHT') && !this.followedByLeftParen()) {
        return this.emit('IDENTIFIER');
      }
      return this.emit(kw);
    }
    return this.emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER');
  }

  private followedByLeftParen(): boolean {
    let i = this.pos;
    while (isSpace(this.input[i])) i++;
    return this.input[i] === '(';
  }
}

function digitVal(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'a' && c <= 'f') return c.charCodeAt(0) - 87;
  if (c >= 'A' && c <= 'F') return c.charCodeAt(0) - 55;
  return 16;
}

/**
 * Splits a query into tokens (comments dropped). The last token is EOF, or ERROR carrying the
 * lexer's message when the text cannot be tokenized.
 */
export function lex(input: string): Token[] {
  return new Lexer(input).run();
}
