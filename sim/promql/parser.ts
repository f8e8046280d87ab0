import {
  children,
  type AggregateExpr,
  type AggregateOp,
  type BinaryExpr,
  type BinaryOp,
  type Call,
  type Expr,
  type LabelMatcher,
  type MatchType,
  type MatrixSelector,
  type NumberLiteral,
  type VectorMatching,
  type VectorSelector,
} from './ast.js';
import { checkAST } from './checker.js';
import { FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './functions.js';
import { goQuote, parseGoNumber, parsePromDuration } from './goFormat.js';
import { lex } from './lexer.js';
import { MAX_EXPR_DEPTH, MAX_QUERY_BYTES } from './limits.js';
import { newLabelMatcher } from './labelMatcher.js';
import { byteOffsets, type PositionRange } from './PositionRange.js';
import { PromQLParseError } from './PromQLParseError.js';
import { describeToken, isAggregator, type Token, type TokenType } from './token.js';
import { unquoteString } from './unquoteString.js';

/*
 * A recursive-descent (precedence-climbing) parser for the grammar of Prometheus's
 * `generated_parser.y`. It stops at the first error and words it like the yacc parser:
 * "unexpected <token>[ in <context>][, expected <what>]".
 */

const BINARY: Partial<Record<TokenType, { prec: number; op: BinaryOp }>> = {
  LOR: { prec: 1, op: 'or' },
  LAND: { prec: 2, op: 'and' },
  LUNLESS: { prec: 2, op: 'unless' },
  EQLC: { prec: 3, op: '==' },
  NEQ: { prec: 3, op: '!=' },
  LTE: { prec: 3, op: '<=' },
  LSS: { prec: 3, op: '<' },
  GTE: { prec: 3, op: '>=' },
  GTR: { prec: 3, op: '>' },
  ADD: { prec: 4, op: '+' },
  SUB: { prec: 4, op: '-' },
  MUL: { prec: 5, op: '*' },
  DIV: { prec: 5, op: '/' },
  MOD: { prec: 5, op: '%' },
  ATAN2: { prec: 5, op: 'atan2' },
  POW: { prec: 6, op: '^' },
};
/** Unary +/- bind like `*`: their operand may contain only `^`. */
const UNARY_OPERAND_PREC = 6;

/** Keyword tokens that may also name a metric (`sum`, `offset{…}`, `by`, …). */
const METRIC_NAME_KEYWORDS = new Set<TokenType>([
  'AVG',
  'BOTTOMK',
  'BY',
  'COUNT',
  'COUNT_VALUES',
  'GROUP',
  'LAND',
  'LOR',
  'LUNLESS',
  'MAX',
  'MIN',
  'OFFSET',
  'QUANTILE',
  'STDDEV',
  'STDVAR',
  'SUM',
  'TOPK',
  'WITHOUT',
  'START',
  'END',
  'LIMITK',
  'LIMIT_RATIO',
  'SMOOTHED',
  'ANCHORED',
  'STEP',
  'RANGE',
  'ATAN2',
]);

/** Tokens accepted as a label name inside `by (…)`, `on (…)`, `group_left (…)`. */
const LABEL_KEYWORDS = new Set<TokenType>([
  'AVG',
  'BOOL',
  'BOTTOMK',
  'BY',
  'COUNT',
  'COUNT_VALUES',
  'GROUP',
  'GROUP_LEFT',
  'GROUP_RIGHT',
  'IDENTIFIER',
  'IGNORING',
  'LAND',
  'LOR',
  'LUNLESS',
  'MAX',
  'METRIC_IDENTIFIER',
  'MIN',
  'OFFSET',
  'ON',
  'QUANTILE',
  'STDDEV',
  'STDVAR',
  'SUM',
  'TOPK',
  'START',
  'END',
  'ATAN2',
  'LIMITK',
  'LIMIT_RATIO',
  'STEP',
  'RANGE',
  'SMOOTHED',
  'ANCHORED',
  'FILL',
  'FILL_LEFT',
  'FILL_RIGHT',
  'WITHOUT',
]);

const AGG_WITH_PARAM = new Set<AggregateOp>([
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private readonly toByte: (i: number) => number;
  /** Byte end of the last `)`, `]`, `}`, number or duration consumed (Prometheus's lastClosing). */
  private lastClosing = 0;
  /** Open calls of `binary`: bounds the parser's own stack (`----1` recurses without nodes). */
  private nesting = 0;
  /** Height of each composite node built so far; leaves are 1 (a range selector 2). */
  private readonly heights = new WeakMap<Expr, number>();

  constructor(private readonly input: string) {
    this.toByte = byteOffsets(input);
    const bytes = this.toByte(input.length);
    if (bytes > MAX_QUERY_BYTES) {
      this.fail(`query is ${bytes} bytes long, more than the limit of ${MAX_QUERY_BYTES} bytes (64 KiB)`, {
        start: MAX_QUERY_BYTES,
        end: bytes,
      });
    }
    this.tokens = lex(input);
  }

  parse(): Expr {
    if (this.peek().type === 'EOF') this.fail('no expression found in input', { start: 0, end: 0 });
    const expr = this.binary(0);
    if (this.peek().type !== 'EOF') this.unexpected();
    checkAST(expr, this.input);
    return expr;
  }

  // --- tokens -----------------------------------------------------------------------------

  private peek(offset = 0): Token {
    const tok = this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
    return tok;
  }

  /** The current token; a lexer error surfaces here, when the parser reaches it. */
  private cur(): Token {
    const tok = this.peek();
    if (tok.type === 'ERROR') {
      this.fail(tok.val, { start: this.toByte(tok.pos), end: this.toByte(this.input.length) });
    }
    return tok;
  }

  private next(): Token {
    const tok = this.cur();
    if (this.i < this.tokens.length - 1) this.i++;
    if (
      tok.type === 'RIGHT_BRACE' ||
      tok.type === 'RIGHT_PAREN' ||
      tok.type === 'RIGHT_BRACKET' ||
      tok.type === 'DURATION' ||
      tok.type === 'NUMBER'
    ) {
      this.lastClosing = this.toByte(tok.pos + tok.val.length);
    }
    return tok;
  }

  private range(tok: Token): PositionRange {
    return { start: this.toByte(tok.pos), end: this.toByte(tok.pos + tok.val.length) };
  }

  private fail(message: string, pos: PositionRange): never {
    throw new PromQLParseError(message, pos, this.input);
  }

  /** "unexpected <current token>[ in <context>][, expected <expected>]". */
  private unexpected(context = '', expected = ''): never {
    const tok = this.cur();
    let msg = `unexpected ${describeToken(tok)}`;
    if (context) msg += ` in ${context}`;
    if (expected) msg += `, expected ${expected}`;
    this.fail(msg, this.range(tok));
  }

  private expect(type: TokenType, context: string, expected: string): Token {
    if (this.cur().type !== type) this.unexpected(context, expected);
    return this.next();
  }

  /**
   * Records a composite node's height (1 + its tallest child); a tree taller than
   * MAX_EXPR_DEPTH is refused at `at`, the token that made it so, before anything recurses over it.
   */
  private built<T extends Expr>(node: T, at: PositionRange): T {
    let tallest = 0;
    for (const c of children(node)) {
      tallest = Math.max(tallest, this.heights.get(c) ?? (c.type === 'MatrixSelector' ? 2 : 1));
    }
    if (tallest >= MAX_EXPR_DEPTH) this.tooDeep(at);
    this.heights.set(node, tallest + 1);
    return node;
  }

  private tooDeep(at: PositionRange): never {
    this.fail(`expression nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`, at);
  }

  // --- expressions ------------------------------------------------------------------------

  private binary(minPrec: number): Expr {
    if (++this.nesting > MAX_EXPR_DEPTH) this.tooDeep(this.range(this.cur()));
    let lhs = this.unary();
    for (;;) {
      const info = BINARY[this.cur().type];
      if (!info || info.prec < minPrec) break;
      const opRange = this.range(this.next());
      const modifiers = this.binModifiers();
      const rhs = this.binary(info.prec === 6 ? 6 : info.prec + 1);
      const node: BinaryExpr = {
        type: 'BinaryExpr',
        op: info.op,
        lhs,
        rhs,
        returnBool: modifiers.returnBool,
        matching: modifiers.matching,
        pos: { start: lhs.pos.start, end: rhs.pos.end },
      };
      lhs = this.built(node, opRange);
    }
    this.nesting--;
    return lhs;
  }

  private binModifiers(): { returnBool: boolean; matching: VectorMatching } {
    let returnBool = false;
    if (this.cur().type === 'BOOL') {
      this.next();
      returnBool = true;
    }
    const matching: Mutable<VectorMatching> = {
      card: 'one-to-one',
      matchingLabels: [],
      on: false,
      include: [],
    };
    const t = this.cur().type;
    if (t === 'ON' || t === 'IGNORING') {
      this.next();
      matching.on = t === 'ON';
      matching.matchingLabels = this.groupingLabels();
      const g = this.cur().type;
      if (g === 'GROUP_LEFT' || g === 'GROUP_RIGHT') {
        this.next();
        matching.card = g === 'GROUP_LEFT' ? 'many-to-one' : 'one-to-many';
        if (this.cur().type === 'LEFT_PAREN') matching.include = this.groupingLabels();
      }
    }
    const f = this.cur().type;
    if (f === 'FILL' || f === 'FILL_LEFT' || f === 'FILL_RIGHT') {
      this.fail('fill modifiers are not supported', this.range(this.cur()));
    }
    return { returnBool, matching };
  }

  private groupingLabels(): string[] {
    this.expect('LEFT_PAREN', 'grouping opts', '"("');
    const labels: string[] = [];
    if (this.cur().type === 'RIGHT_PAREN') {
      this.next();
      return labels;
    }
    for (;;) {
      const tok = this.cur();
      if (tok.type === 'STRING') {
        labels.push(this.unquote(tok));
        this.next();
      } else if (LABEL_KEYWORDS.has(tok.type) && LABEL_NAME.test(tok.val)) {
        labels.push(tok.val);
        this.next();
      } else {
        this.unexpected('grouping opts', 'label');
      }
      const sep = this.cur().type;
      if (sep === 'RIGHT_PAREN') {
        this.next();
        return labels;
      }
      if (sep !== 'COMMA') this.unexpected('grouping opts', '"," or ")"');
      this.next();
      if (this.cur().type === 'RIGHT_PAREN') {
        this.next();
        return labels;
      }
    }
  }

  private unary(): Expr {
    const tok = this.cur();
    if (tok.type === 'ADD' || tok.type === 'SUB') {
      this.next();
      const operand = this.binary(UNARY_OPERAND_PREC);
      const start = this.toByte(tok.pos);
      if (operand.type === 'NumberLiteral') {
        const folded: NumberLiteral = {
          ...operand,
          val: tok.type === 'SUB' ? -operand.val : operand.val,
          pos: { start, end: operand.pos.end },
        };
        return folded;
      }
      return this.built(
        {
          type: 'UnaryExpr',
          op: tok.type === 'SUB' ? '-' : '+',
          expr: operand,
          pos: { start, end: operand.pos.end },
        },
        this.range(tok),
      );
    }
    return this.postfix(this.primary());
  }

  private primary(): Expr {
    const tok = this.cur();
    switch (tok.type) {
      case 'NUMBER': {
        this.next();
        return { type: 'NumberLiteral', val: this.number(tok), duration: false, pos: this.range(tok) };
      }
      case 'DURATION': {
        this.next();
        return {
          type: 'NumberLiteral',
          val: this.durationMs(tok) / 1000,
          duration: true,
          pos: this.range(tok),
        };
      }
      case 'STRING':
        this.next();
        return { type: 'StringLiteral', val: this.unquote(tok), pos: this.range(tok) };
      case 'LEFT_PAREN': {
        this.next();
        const inner = this.binary(0);
        const close = this.cur();
        if (close.type !== 'RIGHT_PAREN') this.unexpected();
        this.next();
        return this.built(
          {
            type: 'ParenExpr',
            expr: inner,
            pos: { start: this.toByte(tok.pos), end: this.range(close).end },
          },
          this.range(tok),
        );
      }
      case 'LEFT_BRACE':
        return this.vectorSelector(null);
      case 'IDENTIFIER':
        if (this.peek(1).type === 'LEFT_PAREN') return this.call();
        return this.vectorSelector(this.next());
      case 'METRIC_IDENTIFIER':
        return this.vectorSelector(this.next());
    }
    if (isAggregator(tok.type)) {
      const after = this.peek(1).type;
      if (after === 'LEFT_PAREN' || after === 'BY' || after === 'WITHOUT') return this.aggregation();
    }
    const isPreprocessor =
      tok.type === 'STEP' || tok.type === 'RANGE' || tok.type === 'START' || tok.type === 'END';
    if (isPreprocessor && this.peek(1).type === 'LEFT_PAREN') {
      this.fail(`${tok.val.toLowerCase()}() is not supported`, this.range(tok));
    }
    if (METRIC_NAME_KEYWORDS.has(tok.type)) return this.vectorSelector(this.next());
    return this.unexpected();
  }

  private call(): Call {
    const nameTok = this.next();
    const args = this.callArgs('function call');
    const func = FUNCTIONS.get(nameTok.val);
    if (!func) {
      const msg = UNSUPPORTED_FUNCTIONS.has(nameTok.val)
        ? `function ${goQuote(nameTok.val)} is not supported`
        : `unknown function with name ${goQuote(nameTok.val)}`;
      this.fail(msg, this.range(nameTok));
    }
    const pos = { start: this.toByte(nameTok.pos), end: this.lastClosing };
    return this.built({ type: 'Call', func, args, pos }, this.range(nameTok));
  }

  /** `( expr, … )` of a call or aggregation. */
  private callArgs(context: string): Expr[] {
    this.expect('LEFT_PAREN', context, '"("');
    const args: Expr[] = [];
    if (this.cur().type === 'RIGHT_PAREN') {
      this.next();
      return args;
    }
    for (;;) {
      args.push(this.binary(0));
      const t = this.cur();
      if (t.type === 'RIGHT_PAREN') {
        this.next();
        return args;
      }
      if (t.type !== 'COMMA') this.unexpected();
      this.next();
      if (this.cur().type === 'RIGHT_PAREN') {
        this.fail('trailing commas not allowed in function call args', this.range(t));
      }
    }
  }

  private aggregation(): AggregateExpr {
    const opTok = this.next();
    const op = opTok.val.toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let args: Expr[];
    const modifier = (): void => {
      without = this.next().type === 'WITHOUT';
      grouping = this.groupingLabels();
    };
    const first = this.cur().type;
    if (first === 'BY' || first === 'WITHOUT') {
      modifier();
      if (this.cur().type !== 'LEFT_PAREN') this.unexpected('aggregation');
      args = this.callArgs('aggregation');
    } else {
      args = this.callArgs('aggregation');
      const t = this.cur().type;
      if (t === 'BY' || t === 'WITHOUT') modifier();
    }
    const pos = { start: this.toByte(opTok.pos), end: this.lastClosing };
    if (args.length === 0) this.fail('no arguments for aggregate expression provided', pos);
    const desired = AGG_WITH_PARAM.has(op) ? 2 : 1;
    if (args.length !== desired) {
      this.fail(
        `wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`,
        pos,
      );
    }
    if (op === 'count_values' || op === 'limitk' || op === 'limit_ratio') {
      this.fail(`aggregation ${op}() is not supported`, pos);
    }
    const node: AggregateExpr = {
      type: 'AggregateExpr',
      op,
      expr: args[desired - 1]!,
      param: desired === 2 ? args[0]! : null,
      grouping,
      without,
      pos,
    };
    return this.built(node, this.range(opTok));
  }

  private vectorSelector(nameTok: Token | null): VectorSelector {
    const matchers: LabelMatcher[] = [];
    let start = nameTok ? this.toByte(nameTok.pos) : this.toByte(this.cur().pos);
    let end = nameTok ? this.range(nameTok).end : start;
    if (this.cur().type === 'LEFT_BRACE') {
      const open = this.next();
      if (!nameTok) start = this.toByte(open.pos);
      matchers.push(...this.labelMatchers());
      end = this.lastClosing;
    }
    if (nameTok) {
      const at = this.range(nameTok);
      matchers.push({ ...newLabelMatcher('=', '__name__', nameTok.val), namePos: at, valuePos: at });
    }
    return {
      type: 'VectorSelector',
      name: nameTok ? nameTok.val : '',
      matchers,
      offsetMs: 0,
      timestampMs: null,
      startOrEnd: null,
      pos: { start, end },
    };
  }

  /** Matchers after `{`, through the closing `}`. */
  private labelMatchers(): LabelMatcher[] {
    const out: LabelMatcher[] = [];
    if (this.cur().type === 'RIGHT_BRACE') {
      this.next();
      return out;
    }
    for (;;) {
      out.push(this.labelMatcher());
      const sep = this.cur().type;
      if (sep === 'RIGHT_BRACE') {
        this.next();
        return out;
      }
      if (sep !== 'COMMA') this.unexpected('label matching', '"," or "}"');
      this.next();
      if (this.cur().type === 'RIGHT_BRACE') {
        this.next();
        return out;
      }
    }
  }

  private labelMatcher(): LabelMatcher {
    const nameTok = this.cur();
    if (nameTok.type !== 'IDENTIFIER' && nameTok.type !== 'STRING')
      this.unexpected('label matching', 'identifier or "}"');
    this.next();
    const opTok = this.cur();
    const op = MATCH_OPS[opTok.type];
    if (!op) {
      // A bare quoted string is a metric name: {"my.metric"}.
      if (nameTok.type === 'STRING' && (opTok.type === 'COMMA' || opTok.type === 'RIGHT_BRACE')) {
        const at = this.range(nameTok);
        return this.matcher('=', '__name__', this.unquote(nameTok), at, at);
      }
      this.unexpected('label matching', 'label matching operator');
    }
    this.next();
    const valueTok = this.cur();
    if (valueTok.type !== 'STRING') this.unexpected('label matching', 'string');
    this.next();
    const name = nameTok.type === 'STRING' ? this.unquote(nameTok) : nameTok.val;
    return this.matcher(op, name, this.unquote(valueTok), this.range(nameTok), this.range(valueTok));
  }

  private matcher(
    op: MatchType,
    name: string,
    value: string,
    namePos: PositionRange,
    valuePos: PositionRange,
  ): LabelMatcher {
    try {
      return { ...newLabelMatcher(op, name, value), namePos, valuePos };
    } catch (e) {
      return this.fail((e as Error).message, { start: namePos.start, end: valuePos.end });
    }
  }

  // --- postfix: [range], offset, @ -------------------------------------------------------

  private postfix(expr: Expr): Expr {
    for (;;) {
      const t = this.cur().type;
      if (t === 'LEFT_BRACKET') expr = this.rangeSelector(expr);
      else if (t === 'OFFSET') expr = this.offset(expr);
      else if (t === 'AT') expr = this.at(expr);
      else if (t === 'ANCHORED' || t === 'SMOOTHED') {
        this.fail(`the ${this.cur().val.toLowerCase()} modifier is not supported`, this.range(this.cur()));
      } else return expr;
    }
  }

  private rangeSelector(expr: Expr): MatrixSelector {
    const open = this.next();
    const durTok = this.cur();
    if (durTok.type !== 'DURATION' && durTok.type !== 'NUMBER') {
      if (
        durTok.type === 'SUB' ||
        durTok.type === 'ADD' ||
        durTok.type === 'LEFT_PAREN' ||
        durTok.type === 'STEP' ||
        durTok.type === 'RANGE'
      ) {
        this.fail('duration expressions are not supported', this.range(durTok));
      }
      this.unexpected('subquery selector', 'duration');
    }
    this.next();
    const rangeMs = this.durationOrSeconds(durTok);
    const close = this.cur();
    if (close.type === 'COLON') this.fail('subqueries are not supported', this.range(close));
    if (close.type !== 'RIGHT_BRACKET') {
      if (BINARY[close.type]) this.fail('duration expressions are not supported', this.range(close));
      this.unexpected('subquery or range', '":" or "]"');
    }
    this.next();
    const errRange = { start: this.toByte(open.pos), end: this.range(close).end };
    if (expr.type !== 'VectorSelector') this.fail('ranges only allowed for vector selectors', errRange);
    if (expr.offsetMs !== 0) this.fail('no offset modifiers allowed before range', errRange);
    if (expr.timestampMs !== null || expr.startOrEnd !== null)
      this.fail('no @ modifiers allowed before range', errRange);
    if (rangeMs <= 0) this.fail('duration must be greater than 0', this.range(durTok));
    return {
      type: 'MatrixSelector',
      vectorSelector: expr,
      rangeMs,
      pos: { start: expr.pos.start, end: this.lastClosing },
    };
  }

  private offset(expr: Expr): Expr {
    this.next();
    let sign = 1;
    const s = this.cur().type;
    if (s === 'SUB' || s === 'ADD') {
      sign = s === 'SUB' ? -1 : 1;
      this.next();
    }
    const tok = this.cur();
    if (tok.type === 'LEFT_PAREN' || this.peek(1).type === 'LEFT_PAREN') {
      this.fail('duration expressions are not supported', this.range(tok));
    }
    if (tok.type !== 'DURATION' && tok.type !== 'NUMBER') this.unexpected('offset', 'number or duration');
    this.next();
    const ms = sign * this.durationOrSeconds(tok);
    const vs = this.selectorOf(
      expr,
      'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    );
    if (vs.offsetMs !== 0) this.fail('offset may not be set multiple times', expr.pos);
    return this.withSelector(expr, { ...vs, offsetMs: ms });
  }

  private at(expr: Expr): Expr {
    this.next();
    const tok = this.cur();
    let timestampMs: number | null = null;
    let startOrEnd: 'start' | 'end' | null = null;
    if (tok.type === 'START' || tok.type === 'END') {
      this.next();
      this.expect('LEFT_PAREN', '@', '"("');
      this.expect('RIGHT_PAREN', '@', '")"');
      startOrEnd = tok.type === 'START' ? 'start' : 'end';
    } else {
      let sign = 1;
      if (tok.type === 'SUB' || tok.type === 'ADD') {
        sign = tok.type === 'SUB' ? -1 : 1;
        this.next();
      }
      const num = this.cur();
      if (num.type !== 'NUMBER' && num.type !== 'DURATION') this.unexpected('@', 'timestamp');
      this.next();
      const seconds = sign * (num.type === 'DURATION' ? this.durationMs(num) / 1000 : this.number(num));
      if (!Number.isFinite(seconds) || Math.abs(seconds) >= 9.223372036854776e18) {
        this.fail(
          `timestamp out of bounds for @ modifier: ${seconds > 0 ? '+Inf' : seconds < 0 ? '-Inf' : 'NaN'}`,
          expr.pos,
        );
      }
      timestampMs = Math.round(seconds * 1000);
    }
    const vs = this.selectorOf(
      expr,
      '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    );
    if (vs.timestampMs !== null || vs.startOrEnd !== null)
      this.fail('@ <timestamp> may not be set multiple times', expr.pos);
    return this.withSelector(expr, { ...vs, timestampMs, startOrEnd });
  }

  private selectorOf(expr: Expr, message: string): VectorSelector {
    if (expr.type === 'VectorSelector') return expr;
    if (expr.type === 'MatrixSelector') return expr.vectorSelector;
    return this.fail(message, expr.pos);
  }

  /** Rebuilds a selector node with an updated vector selector; its end moves to the modifier's end. */
  private withSelector(expr: Expr, vs: VectorSelector): Expr {
    if (expr.type === 'MatrixSelector') {
      return { ...expr, vectorSelector: vs, pos: { start: expr.pos.start, end: this.lastClosing } };
    }
    return { ...vs, pos: { start: vs.pos.start, end: this.lastClosing } };
  }

  // --- literals ---------------------------------------------------------------------------

  private number(tok: Token): number {
    const v = parseGoNumber(tok.val);
    if (typeof v === 'string') {
      this.fail(
        `error parsing number: strconv.ParseFloat: parsing ${goQuote(tok.val)}: ${v}`,
        this.range(tok),
      );
    }
    return v;
  }

  private durationMs(tok: Token): number {
    const d = parsePromDuration(tok.val);
    if (typeof d !== 'number') this.fail(d.error, this.range(tok));
    return d;
  }

  /** A duration token, or a number of seconds (`[600]`, `offset 1.5`), in ms. */
  private durationOrSeconds(tok: Token): number {
    if (tok.type === 'DURATION') return this.durationMs(tok);
    const seconds = this.number(tok);
    if (!Number.isFinite(seconds) || Math.abs(seconds) > 9.223372036e9)
      this.fail('duration out of range', this.range(tok));
    return Math.trunc(Math.trunc(seconds * 1e9) / 1e6);
  }

  private unquote(tok: Token): string {
    try {
      return unquoteString(tok.val);
    } catch (e) {
      return this.fail(
        `error unquoting string ${goQuote(tok.val)}: ${(e as Error).message}`,
        this.range(tok),
      );
    }
  }
}

const MATCH_OPS: Partial<Record<TokenType, MatchType>> = {
  EQL: '=',
  NEQ: '!=',
  EQL_REGEX: '=~',
  NEQ_REGEX: '!~',
};

/**
 * Parses and type-checks a PromQL expression (multi-line text and `#` comments allowed).
 * Throws `PromQLParseError` with Prometheus's message and position; also for text over
 * MAX_QUERY_BYTES and trees deeper than MAX_EXPR_DEPTH (our bounds, see limits.ts).
 */
export function parseExpr(query: string): Expr {
  const expr = new Parser(query).parse();
  QUERY_TEXT.set(expr, query);
  return expr;
}

/** The text each parsed expression came from, so annotations can print line:col. */
const QUERY_TEXT = new WeakMap<Expr, string>();

/** The query text `expr` was parsed from (undefined for hand-built trees). */
export function sourceOf(expr: Expr): string | undefined {
  return QUERY_TEXT.get(expr);
}
