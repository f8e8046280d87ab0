import type { ConditionAst, Node, PairNode } from './ast.js';
import { EXPR_BUILTINS, PREDICATE_BUILTINS, SUPPORTED_BUILTINS } from './builtinCatalog.js';
import { ConditionSyntaxError } from './ConditionSyntaxError.js';
import { goQuote } from '../../../go/quote.js';
import { lex } from './lex.js';
import { MAX_CONDITION_DEPTH, MAX_CONDITION_NODES } from './limits.js';
import { describeToken, type Token, type TokenKind } from './token.js';

interface Operator {
  readonly precedence: number;
  readonly right?: boolean;
}

// expr-lang's operator table (parser/operator). `??` binds tightest and cannot be mixed unparenthesised.
const UNARY: ReadonlyMap<string, number> = new Map([
  ['not', 50],
  ['!', 50],
  ['-', 90],
  ['+', 90],
]);
const BINARY: ReadonlyMap<string, Operator> = new Map([
  ['|', { precedence: 0 }],
  ['or', { precedence: 10 }],
  ['||', { precedence: 10 }],
  ['and', { precedence: 15 }],
  ['&&', { precedence: 15 }],
  ['==', { precedence: 20 }],
  ['!=', { precedence: 20 }],
  ['<', { precedence: 20 }],
  ['>', { precedence: 20 }],
  ['>=', { precedence: 20 }],
  ['<=', { precedence: 20 }],
  ['in', { precedence: 20 }],
  ['matches', { precedence: 20 }],
  ['contains', { precedence: 20 }],
  ['startsWith', { precedence: 20 }],
  ['endsWith', { precedence: 20 }],
  ['..', { precedence: 25 }],
  ['+', { precedence: 30 }],
  ['-', { precedence: 30 }],
  ['*', { precedence: 60 }],
  ['/', { precedence: 60 }],
  ['%', { precedence: 60 }],
  ['**', { precedence: 100, right: true }],
  ['^', { precedence: 100, right: true }],
  ['??', { precedence: 500 }],
]);
// Only ordering comparisons chain (`1 < x < 3` means `1 < x && x < 3`).
const CHAINED = new Set(['<', '>', '>=', '<=']);
const NEGATABLE = new Set(['contains', 'matches', 'startsWith', 'endsWith', 'in']);

const TOO_DEEP = `expression nested too deeply (more than ${MAX_CONDITION_DEPTH} levels)`;

/**
 * Parses an expr-lang condition (the subset Argo users write; see the package README in
 * index.ts). Mirrors expr-lang's recursive-descent parser so precedence, `not in`, chained
 * comparisons, `?.` chains and predicates group identically, and the first error is the one
 * expr-lang would report. Throws {@link ConditionSyntaxError}.
 */
export function parseCondition(source: string): ConditionAst {
  const root = new Parser(source, lex(source)).parse();
  checkSize(root, source);
  return { root, source };
}

class Parser {
  private index = 0;
  private current: Token;
  private lastEnd = 0;
  private predicateDepth = 0;
  private nesting = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {
    this.current = this.token(0);
  }

  parse(): Node {
    const node = this.parseSequence();
    if (this.current.kind !== 'EOF') this.unexpected();
    return node;
  }

  private token(i: number): Token {
    const t = this.tokens[i];
    if (t === undefined) throw new Error(`no token ${i}`);
    return t;
  }

  private fail(at: Token, message: string): never {
    throw new ConditionSyntaxError(message, this.source, at.start);
  }

  private unexpected(): never {
    this.fail(this.current, `unexpected token ${describeToken(this.current)}`);
  }

  private next(): void {
    if (this.index + 1 >= this.tokens.length) this.fail(this.current, 'unexpected end of expression');
    this.lastEnd = this.current.end;
    this.index++;
    this.current = this.token(this.index);
  }

  private is(kind: TokenKind, value?: string): boolean {
    return this.current.kind === kind && (value === undefined || this.current.value === value);
  }

  private expect(kind: TokenKind, value?: string): void {
    if (!this.is(kind, value)) this.unexpected();
    this.next();
  }

  private parseSequence(): Node {
    const first = this.parseExpression(0);
    const nodes = [first];
    while (this.is('Operator', ';')) {
      this.next();
      if (this.is('EOF')) break;
      nodes.push(this.parseExpression(0));
    }
    if (nodes.length === 1) return first;
    return { kind: 'Sequence', nodes, start: first.start, end: this.lastEnd, pos: first.pos };
  }

  private parseExpression(precedence: number): Node {
    if (++this.nesting > MAX_CONDITION_DEPTH) this.fail(this.current, TOO_DEEP);
    try {
      return this.parseExpressionAt(precedence);
    } finally {
      this.nesting--;
    }
  }

  private parseExpressionAt(precedence: number): Node {
    if (precedence === 0 && this.is('Operator', 'let')) return this.parseLet();
    if (precedence === 0 && this.is('Operator', 'if')) return this.parseIf();

    let left = this.parsePrimary();
    let previous = '';
    let opToken = this.current;
    while (opToken.kind === 'Operator') {
      let negated: Token | undefined;
      if (opToken.value === 'not') {
        const backup = { index: this.index, lastEnd: this.lastEnd };
        this.next();
        if (!NEGATABLE.has(this.current.value)) this.unexpected();
        const op = BINARY.get(this.current.value);
        if (op === undefined || op.precedence < precedence) {
          this.index = backup.index;
          this.lastEnd = backup.lastEnd;
          this.current = this.token(this.index);
          break;
        }
        negated = opToken;
        opToken = this.current;
      }

      const op = BINARY.get(opToken.value);
      if (op === undefined || op.precedence < precedence) break;
      this.next();

      if (opToken.value === '|') {
        const name = this.current;
        this.expect('Identifier');
        left = this.parseCall(name, [left]);
      } else {
        if (previous === '??' && opToken.value !== '??') {
          this.fail(
            opToken,
            `Operator (${opToken.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`,
          );
        }
        if (CHAINED.has(opToken.value)) {
          left = this.parseComparison(left, opToken, op.precedence);
        } else {
          const right = this.parseExpression(op.right ? op.precedence : op.precedence + 1);
          left = {
            kind: 'Binary',
            op: opToken.value,
            left,
            right,
            start: left.start,
            end: right.end,
            pos: opToken.start,
          };
          if (negated !== undefined) {
            left = {
              kind: 'Unary',
              op: 'not',
              operand: left,
              start: left.start,
              end: left.end,
              pos: negated.start,
            };
          }
        }
      }
      previous = opToken.value;
      opToken = this.current;
    }

    if (precedence === 0) left = this.parseConditional(left);
    return left;
  }

  private parseLet(): Node {
    const letToken = this.current;
    this.expect('Operator', 'let');
    const name = this.current;
    this.expect('Identifier');
    this.expect('Operator', '=');
    const value = this.parseExpression(0);
    this.expect('Operator', ';');
    const body = this.parseSequence();
    return {
      kind: 'Let',
      name: name.value,
      value,
      body,
      start: letToken.start,
      end: body.end,
      pos: name.start,
    };
  }

  private parseIf(): Node {
    const ifToken = this.current;
    this.next();
    const cond = this.parseExpression(0);
    this.expect('Bracket', '{');
    const then = this.parseSequence();
    this.expect('Bracket', '}');
    this.expect('Operator', 'else');
    let otherwise: Node;
    if (this.is('Operator', 'if')) {
      otherwise = this.parseIf();
    } else {
      this.expect('Bracket', '{');
      otherwise = this.parseSequence();
      this.expect('Bracket', '}');
    }
    return {
      kind: 'Conditional',
      cond,
      then,
      otherwise,
      start: ifToken.start,
      end: this.lastEnd,
      pos: ifToken.start,
    };
  }

  private parseConditional(node: Node): Node {
    let cond = node;
    while (this.is('Operator', '?')) {
      this.next();
      let then: Node;
      let otherwise: Node;
      if (!this.is('Operator', ':')) {
        then = this.parseExpression(0);
        this.expect('Operator', ':');
        otherwise = this.parseExpression(0);
      } else {
        this.next();
        then = cond;
        otherwise = this.parseExpression(0);
      }
      cond = {
        kind: 'Conditional',
        cond,
        then,
        otherwise,
        start: cond.start,
        end: otherwise.end,
        pos: cond.pos,
      };
    }
    return cond;
  }

  private parseComparison(first: Node, firstOp: Token, precedence: number): Node {
    let left = first;
    let opToken = firstOp;
    let root: Node | undefined;
    for (;;) {
      const right = this.parseExpression(precedence + 1);
      const cmp: Node = {
        kind: 'Binary',
        op: opToken.value,
        left,
        right,
        start: left.start,
        end: right.end,
        pos: opToken.start,
      };
      root =
        root === undefined
          ? cmp
          : {
              kind: 'Binary',
              op: '&&',
              left: root,
              right: cmp,
              start: root.start,
              end: cmp.end,
              pos: opToken.start,
            };
      left = right;
      opToken = this.current;
      if (!(opToken.kind === 'Operator' && CHAINED.has(opToken.value))) break;
      this.next();
    }
    return root;
  }

  private parsePrimary(): Node {
    const token = this.current;
    const unary = token.kind === 'Operator' ? UNARY.get(token.value) : undefined;
    if (unary !== undefined) {
      this.next();
      const operand = this.parseExpression(unary);
      return this.parsePostfix({
        kind: 'Unary',
        op: token.value,
        operand,
        start: token.start,
        end: operand.end,
        pos: token.start,
      });
    }
    if (this.is('Bracket', '(')) {
      this.next();
      const inner = this.parseSequence();
      this.expect('Bracket', ')');
      return this.parsePostfix(inner);
    }
    if (this.is('Operator', '#') || this.is('Operator', '.')) {
      if (this.predicateDepth === 0) this.fail(token, 'cannot use pointer accessor outside predicate');
      let name = '';
      if (token.value === '#') {
        this.next();
        if (this.is('Identifier')) {
          name = this.current.value;
          this.next();
        }
      }
      const end = token.value === '#' ? this.lastEnd : token.start;
      return this.parsePostfix({ kind: 'Pointer', name, start: token.start, end, pos: token.start });
    }
    return this.parseSecondary();
  }

  private parseSecondary(): Node {
    const token = this.current;
    switch (token.kind) {
      case 'Identifier': {
        this.next();
        const span = { start: token.start, end: token.end, pos: token.start };
        if (token.value === 'true' || token.value === 'false') {
          return { kind: 'Bool', value: token.value === 'true', ...span };
        }
        if (token.value === 'nil') return { kind: 'Nil', ...span };
        // expr-lang's whole-environment variable: a map of every value and function.
        if (token.value === '$env') this.fail(token, '$env is not supported by canarysim');
        if (this.is('Bracket', '(')) return this.parsePostfix(this.parseCall(token, []));
        return this.parsePostfix({ kind: 'Identifier', name: token.value, ...span });
      }
      case 'Number':
        this.next();
        return this.parseNumber(token);
      case 'String':
        this.next();
        return this.parsePostfix({
          kind: 'String',
          value: token.value,
          start: token.start,
          end: token.end,
          pos: token.start,
        });
      default:
        if (this.is('Bracket', '[')) return this.parsePostfix(this.parseArray());
        if (this.is('Bracket', '{')) return this.parsePostfix(this.parseMap());
        return this.unexpected();
    }
  }

  // Literal errors point at the token after the number, as expr-lang's do.
  private parseNumber(token: Token): Node {
    const span = { start: token.start, end: token.end, pos: token.start };
    const value = token.value.replaceAll('_', '');
    const lower = value.toLowerCase();
    const integer = (label: string, text: string): Node => {
      const parsed = parseGoInt(text);
      if (typeof parsed === 'string') this.fail(this.current, `invalid ${label} literal: ${parsed}`);
      return { kind: 'Integer', value: parsed, ...span };
    };
    if (lower.startsWith('0x')) return integer('hex', value);
    if (lower.includes('.') || lower.includes('e')) {
      const parsed = parseGoFloatLiteral(value);
      if (typeof parsed === 'string') this.fail(this.current, `invalid float literal: ${parsed}`);
      return { kind: 'Float', value: parsed, ...span };
    }
    if (lower.startsWith('0b')) return integer('binary', value);
    if (lower.startsWith('0o')) return integer('octal', value);
    return integer('integer', value);
  }

  private parseCall(name: Token, piped: Node[]): Node {
    const predicateArgs = PREDICATE_BUILTINS.get(name.value);
    const isBuiltin = EXPR_BUILTINS.has(name.value);
    if (isBuiltin && !SUPPORTED_BUILTINS.has(name.value)) {
      this.fail(name, `builtin ${name.value} is not supported by canarysim`);
    }
    if (predicateArgs !== undefined) {
      this.expect('Bracket', '(');
      const remaining = predicateArgs.slice(piped.length);
      const args = [...piped];
      for (const [i, arg] of remaining.entries()) {
        const optional = arg === 'optionalPredicate' || arg === 'optionalExpr';
        if (this.is('Bracket', ')')) {
          if (optional) break;
          this.fail(this.current, `expected at least ${remaining.length} arguments`);
        }
        if (i > 0) this.expect('Operator', ',');
        args.push(arg === 'expr' || arg === 'optionalExpr' ? this.parseExpression(0) : this.parsePredicate());
      }
      if (this.is('Operator', ',')) this.next();
      this.expect('Bracket', ')');
      const start = piped[0]?.start ?? name.start;
      return { kind: 'Builtin', name: name.value, args, start, end: this.lastEnd, pos: name.start };
    }
    const args = this.parseArguments(piped);
    const span = { start: piped[0]?.start ?? name.start, end: this.lastEnd, pos: name.start };
    if (isBuiltin) return { kind: 'Builtin', name: name.value, args, ...span };
    const callee: Node = {
      kind: 'Identifier',
      name: name.value,
      start: name.start,
      end: name.end,
      pos: name.start,
    };
    return { kind: 'Call', callee, args, ...span };
  }

  private parseArguments(piped: Node[]): Node[] {
    const args = [...piped];
    this.expect('Bracket', '(');
    while (!this.is('Bracket', ')')) {
      if (args.length > piped.length) this.expect('Operator', ',');
      if (this.is('Bracket', ')')) break;
      args.push(this.parseExpression(0));
    }
    this.expect('Bracket', ')');
    return args;
  }

  private parsePredicate(): Node {
    const startToken = this.current;
    const braces = this.is('Bracket', '{');
    if (braces) this.next();
    this.predicateDepth++;
    const body = braces ? this.parseSequence() : this.parseExpression(0);
    if (!braces && this.is('Operator', ';')) this.fail(this.current, 'wrap predicate with brackets { and }');
    this.predicateDepth--;
    if (braces) this.expect('Bracket', '}');
    return { kind: 'Predicate', body, start: startToken.start, end: this.lastEnd, pos: startToken.start };
  }

  private parseArray(): Node {
    const open = this.current;
    this.expect('Bracket', '[');
    const items: Node[] = [];
    while (!this.is('Bracket', ']')) {
      if (items.length > 0) {
        this.expect('Operator', ',');
        if (this.is('Bracket', ']')) break;
      }
      items.push(this.parseExpression(0));
    }
    this.expect('Bracket', ']');
    return { kind: 'Array', items, start: open.start, end: this.lastEnd, pos: open.start };
  }

  private parseMap(): Node {
    const open = this.current;
    this.expect('Bracket', '{');
    const pairs: PairNode[] = [];
    while (!this.is('Bracket', '}')) {
      if (pairs.length > 0) {
        this.expect('Operator', ',');
        if (this.is('Bracket', '}')) break;
        if (this.is('Operator', ',')) this.unexpected();
      }
      let key: Node;
      const k = this.current;
      if (k.kind === 'Number' || k.kind === 'String' || k.kind === 'Identifier') {
        key = { kind: 'String', value: k.value, start: k.start, end: k.end, pos: k.start };
        this.next();
      } else if (this.is('Bracket', '(')) {
        key = this.parseExpression(0);
      } else {
        this.fail(
          k,
          `a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token ${describeToken(k)})`,
        );
      }
      this.expect('Operator', ':');
      const value = this.parseExpression(0);
      pairs.push({ kind: 'Pair', key, value, start: key.start, end: value.end, pos: open.start });
    }
    this.expect('Bracket', '}');
    return { kind: 'Map', pairs, start: open.start, end: this.lastEnd, pos: open.start };
  }

  private parsePostfix(first: Node): Node {
    let node = first;
    for (;;) {
      let token = this.current;
      if (token.kind !== 'Operator' && token.kind !== 'Bracket') return node;
      const optional = token.value === '?.';
      if (optional || token.value === '.') {
        this.next();
        const property = this.current;
        if (optional && property.kind === 'Bracket' && property.value === '[') {
          token = property;
        } else {
          this.next();
          const validName =
            property.kind === 'Identifier' ||
            (property.kind === 'Operator' && /^[\p{L}_$][\p{L}\p{Nd}_$]*$/u.test(property.value));
          if (!validName) this.fail(this.current, 'expected name');
          const inChain = node.kind === 'Chain';
          const object = node.kind === 'Chain' ? node.node : node;
          const method = this.is('Bracket', '(');
          const member: Node = {
            kind: 'Member',
            object,
            property: {
              kind: 'String',
              value: property.value,
              start: property.start,
              end: property.end,
              pos: property.start,
            },
            optional,
            method,
            start: object.start,
            end: property.end,
            pos: property.start,
          };
          node = method
            ? {
                kind: 'Call',
                callee: member,
                args: this.parseArguments([]),
                start: object.start,
                end: this.lastEnd,
                pos: property.start,
              }
            : member;
          if (inChain || optional)
            node = { kind: 'Chain', node, start: node.start, end: node.end, pos: property.start };
          continue;
        }
      }
      if (token.value !== '[') return node;
      this.next();
      if (this.is('Operator', ':')) {
        this.next();
        const to = this.is('Bracket', ']') ? undefined : this.parseExpression(0);
        this.expect('Bracket', ']');
        node = {
          kind: 'Slice',
          object: node,
          from: undefined,
          to,
          start: node.start,
          end: this.lastEnd,
          pos: token.start,
        };
        continue;
      }
      const from = this.parseExpression(0);
      if (this.is('Operator', ':')) {
        this.next();
        const to = this.is('Bracket', ']') ? undefined : this.parseExpression(0);
        this.expect('Bracket', ']');
        node = {
          kind: 'Slice',
          object: node,
          from,
          to,
          start: node.start,
          end: this.lastEnd,
          pos: token.start,
        };
        continue;
      }
      this.expect('Bracket', ']');
      const member: Node = {
        kind: 'Member',
        object: node,
        property: from,
        optional,
        method: false,
        start: node.start,
        end: this.lastEnd,
        pos: token.start,
      };
      node = optional
        ? { kind: 'Chain', node: member, start: member.start, end: member.end, pos: token.start }
        : member;
    }
  }
}

/** strconv.ParseInt(s, 0|10, 64) for literals: the value, or Go's error text. */
function parseGoInt(text: string): bigint | string {
  const lower = text.toLowerCase();
  const prefixed = /^0[xob]/.test(lower);
  const body = prefixed ? lower.slice(2) : lower;
  const valid = prefixed
    ? { x: /^[0-9a-f]+$/, o: /^[0-7]+$/, b: /^[01]+$/ }[lower[1] as 'x' | 'o' | 'b'].test(body)
    : /^[0-9]+$/.test(body);
  if (!valid) return `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`;
  const value = BigInt(prefixed ? `0${lower.slice(1)}` : body);
  if (value > 0x7fffffffffffffffn) return `strconv.ParseInt: parsing ${goQuote(text)}: value out of range`;
  return value;
}

/** strconv.ParseFloat for the literal shapes the lexer lets through. */
function parseGoFloatLiteral(text: string): number | string {
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    return `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return `strconv.ParseFloat: parsing ${goQuote(text)}: value out of range`;
  return value;
}

/**
 * Refuses a tree with more than MAX_CONDITION_NODES nodes (expr-lang's own limit) or deeper than
 * MAX_CONDITION_DEPTH (a chain the parser builds in a loop, `a.b.c…` or `1 < 2 < 3…`), at the
 * first node in source order past the bound. Iterative: nothing has recursed over the tree yet.
 */
function checkSize(root: Node, source: string): void {
  let count = 0;
  const stack: [Node, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (++count > MAX_CONDITION_NODES)
      throw new ConditionSyntaxError(
        'compilation failed: expression exceeds maximum allowed nodes',
        source,
        node.pos,
      );
    if (depth > MAX_CONDITION_DEPTH) throw new ConditionSyntaxError(TOO_DEEP, source, node.pos);
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, depth + 1]);
  }
}

/** The direct sub-nodes of `node`, in source order. */
export function children(node: Node): Node[] {
  switch (node.kind) {
    case 'Unary':
      return [node.operand];
    case 'Binary':
      return [node.left, node.right];
    case 'Chain':
      return [node.node];
    case 'Member':
      return [node.object, node.property];
    case 'Slice':
      return [node.object, ...(node.from ? [node.from] : []), ...(node.to ? [node.to] : [])];
    case 'Call':
      return [node.callee, ...node.args];
    case 'Builtin':
      return [...node.args];
    case 'Predicate':
      return [node.body];
    case 'Conditional':
      return [node.cond, node.then, node.otherwise];
    case 'Array':
      return [...node.items];
    case 'Pair':
      return [node.key, node.value];
    case 'Map':
      return [...node.pairs];
    case 'Let':
      return [node.value, node.body];
    case 'Sequence':
      return [...node.nodes];
    default:
      return [];
  }
}
