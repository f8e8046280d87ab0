import { describe, expect, it } from 'vitest';
import { exprType, formatExpr, parseExpr, PromQLParseError, type Expr } from '../../sim/promql/index.js';
import { lex } from '../../sim/promql/lexer.js';

function tokens(q: string): string[] {
  return lex(q).map((t) => `${t.type}:${t.val}`);
}

function parseError(q: string): PromQLParseError {
  try {
    parseExpr(q);
  } catch (e) {
    if (e instanceof PromQLParseError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(q)} not to parse`);
}

describe('lexer', () => {
  it.each([
    ['1 + foo', ['NUMBER:1', 'ADD:+', 'IDENTIFIER:foo', 'EOF:']],
    [
      '0x1F 1_000 .5 2. 1e-3 Inf nan',
      [
        'NUMBER:0x1F',
        'NUMBER:1_000',
        'NUMBER:.5',
        'NUMBER:2.',
        'NUMBER:1e-3',
        'NUMBER:Inf',
        'NUMBER:nan',
        'EOF:',
      ],
    ],
    ['5m 1h30m 250ms', ['DURATION:5m', 'DURATION:1h30m', 'DURATION:250ms', 'EOF:']],
    ['SUM by(job)', ['SUM:SUM', 'BY:by', 'LEFT_PAREN:(', 'IDENTIFIER:job', 'RIGHT_PAREN:)', 'EOF:']],
    [
      'foo:bar{a=~"x",b!="y"}',
      [
        'METRIC_IDENTIFIER:foo:bar',
        'LEFT_BRACE:{',
        'IDENTIFIER:a',
        'EQL_REGEX:=~',
        'STRING:"x"',
        'COMMA:,',
        'IDENTIFIER:b',
        'NEQ:!=',
        'STRING:"y"',
        'RIGHT_BRACE:}',
        'EOF:',
      ],
    ],
    ['{sum="x"}', ['LEFT_BRACE:{', 'IDENTIFIER:sum', 'EQL:=', 'STRING:"x"', 'RIGHT_BRACE:}', 'EOF:']],
    [
      'x[5m] offset -1m',
      [
        'IDENTIFIER:x',
        'LEFT_BRACKET:[',
        'DURATION:5m',
        'RIGHT_BRACKET:]',
        'OFFSET:offset',
        'SUB:-',
        'DURATION:1m',
        'EOF:',
      ],
    ],
    ['a # comment\n+ b', ['IDENTIFIER:a', 'ADD:+', 'IDENTIFIER:b', 'EOF:']],
    [
      'fill + fill(0)',
      ['IDENTIFIER:fill', 'ADD:+', 'FILL:fill', 'LEFT_PAREN:(', 'NUMBER:0', 'RIGHT_PAREN:)', 'EOF:'],
    ],
    ["`raw\\s` 'single'", ['STRING:`raw\\s`', "STRING:'single'", 'EOF:']],
  ])('tokenizes %j', (q, want) => {
    expect(tokens(q)).toEqual(want);
  });

  it.each([
    ['1 =~ 1', "unexpected character after '=': '~'"],
    ['"abc', 'unterminated quoted string'],
    ['"\\q"', "unknown escape sequence U+0071 'q'"],
    ['foo{', 'unexpected end of input inside braces'],
    ['2.5.', 'bad number or duration syntax: "2.5."'],
    ['((1)', 'unclosed left parenthesis'],
  ])('reports %j as an ERROR token', (q, msg) => {
    const last = lex(q).at(-1)!;
    expect(last.type).toBe('ERROR');
    expect(last.val).toBe(msg);
  });
});

/** Parses and prints back; the printed form must parse to the same printed form. */
function roundTrip(q: string): string {
  const printed = formatExpr(parseExpr(q));
  expect(formatExpr(parseExpr(printed))).toBe(printed);
  return printed;
}

describe('parser', () => {
  it.each([
    // Parser corners the Prometheus suite relies on (promql-subset.md §3).
    ['2.', '2'],
    ['1./6.', '1 / 6'],
    ['-2^---1*3', '-2 ^ -1 * 3'],
    ['metric1 offset 100 + 2', 'metric1 offset 1m40s + 2'],
    ['rate((x[25m]))', 'rate((x[25m]))'],
    ['SUM(x) BY (job)', 'sum by (job) (x)'],
    ['AVG(x) BY (job)', 'avg by (job) (x)'],
    ['sum by () (x)', 'sum(x)'],
    ['sum without () (x)', 'sum without () (x)'],
    ['foo[600]', 'foo[10m]'],
    ['count_over_time(metric[10])', 'count_over_time(metric[10s])'],
    ['foo[1.5]', 'foo[1s500ms]'],
    // Literals.
    ['0x1F', '31'],
    ['0755', '493'],
    ['08', '8'],
    ['1_000_000', '1e+06'],
    ['inF', '+Inf'],
    ['-inf', '-Inf'],
    ['NaN', 'NaN'],
    ['5m + 0', '5m + 0'],
    ['"a\\tb"', '"a\\tb"'],
    ['`raw\\d`', '"raw\\\\d"'],
    // Selectors and modifiers.
    ['foo{a="b",c!~"d.*",}', 'foo{a="b", c!~"d.*"}'],
    ['{__name__=~"a|b"}', '{__name__=~"a|b"}'],
    ['offset{step="1s"}[5m]', 'offset{step="1s"}[5m]'],
    ['sum', 'sum'],
    ['foo{}', 'foo'],
    ['foo offset -5m', 'foo offset -5m'],
    ['foo[5m] offset 1h', 'foo[5m] offset 1h'],
    ['foo @ 100', 'foo @ 100.000'],
    ['foo @ start() offset 1m', 'foo @ start() offset 1m'],
    ['foo[1m] @ end()', 'foo[1m] @ end()'],
    // Operators, precedence, matching.
    ['a + b * c', 'a + b * c'],
    ['(a + b) * c', '(a + b) * c'],
    ['a ^ b ^ c', 'a ^ b ^ c'],
    ['-a ^ 2', '-a ^ 2'],
    ['a or b and c unless d', 'a or b and c unless d'],
    ['a > bool 1', 'a > bool 1'],
    ['1 == bool 1', '1 == bool 1'],
    ['a * on(x, y) group_left(z) b', 'a * on (x, y) group_left (z) b'],
    ['a / ignoring(code) group_right b', 'a / ignoring (code) group_right () b'],
    ['a and on() b', 'a and on () b'],
    ['a + ignoring() b', 'a + b'],
    ['topk(3, x)', 'topk(3, x)'],
    ['quantile without(point)(0.8, data)', 'quantile without (point) (0.8, data)'],
    [
      'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))',
      'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))',
    ],
    ['label_replace(up, "dst", "$1", "src", "(.*)")', 'label_replace(up, "dst", "$1", "src", "(.*)")'],
  ])('parses %j', (q, printed) => {
    expect(roundTrip(q)).toBe(printed);
  });

  it('parses multi-line text with comments (a YAML block-scalar query)', () => {
    const q = `
      sum(irate(x{a="b", c!~"5.*"}[5m]))  # successes
      /
      sum(irate(x{a="b"}[5m]))
    `;
    const e = parseExpr(q);
    expect(formatExpr(e)).toBe('sum(irate(x{a="b", c!~"5.*"}[5m])) / sum(irate(x{a="b"}[5m]))');
    expect(e.type).toBe('BinaryExpr');
  });

  it('records byte positions on every node', () => {
    const e = parseExpr('sum(rate(x[5m])) by (job) + 1') as Extract<Expr, { type: 'BinaryExpr' }>;
    expect(e.pos).toEqual({ start: 0, end: 29 });
    expect(e.lhs.pos).toEqual({ start: 0, end: 25 });
    expect(e.rhs.pos).toEqual({ start: 28, end: 29 });
    const agg = e.lhs as Extract<Expr, { type: 'AggregateExpr' }>;
    expect(agg.expr.pos).toEqual({ start: 4, end: 15 });
    const call = agg.expr as Extract<Expr, { type: 'Call' }>;
    expect(call.args[0]!.pos).toEqual({ start: 9, end: 14 });
    expect(parseExpr('-1').pos).toEqual({ start: 0, end: 2 });
    // Positions count bytes, like Prometheus: "é" is two bytes.
    expect(parseExpr('x{a="é"} + y').pos).toEqual({ start: 0, end: 13 });
  });

  it('types expressions', () => {
    expect(exprType(parseExpr('1 + 2'))).toBe('scalar');
    expect(exprType(parseExpr('x + 2'))).toBe('vector');
    expect(exprType(parseExpr('x[5m]'))).toBe('matrix');
    expect(exprType(parseExpr('"s"'))).toBe('string');
    expect(exprType(parseExpr('scalar(x)'))).toBe('scalar');
  });

  it('folds a unary minus into number literals but not into other operands', () => {
    const e = parseExpr('- - - 1');
    expect(e).toMatchObject({ type: 'NumberLiteral', val: -1 });
    expect(parseExpr('-x')).toMatchObject({ type: 'UnaryExpr', op: '-' });
    expect(parseExpr('+x')).toMatchObject({ type: 'UnaryExpr', op: '+' });
  });

  it('settles vector matching: many-to-many for set operators, none with a scalar side', () => {
    expect(parseExpr('a and b')).toMatchObject({ matching: { card: 'many-to-many' } });
    expect(parseExpr('a + b')).toMatchObject({ matching: { card: 'one-to-one', on: false } });
    expect(parseExpr('a + 1')).toMatchObject({ matching: null });
  });
});

describe('parse errors', () => {
  it.each([
    ['', '1:1: parse error: no expression found in input'],
    ['# just a comment\n\n', '1:1: parse error: no expression found in input'],
    ['1+', '1:3: parse error: unexpected end of input'],
    ['1 /', '1:4: parse error: unexpected end of input'],
    ['.', "1:1: parse error: unexpected character: '.'"],
    ['2.5.', '1:1: parse error: bad number or duration syntax: "2.5."'],
    ['100..4', '1:1: parse error: bad number or duration syntax: "100.."'],
    ['0deadbeef', '1:1: parse error: bad number or duration syntax: "0de"'],
    ['*1', '1:1: parse error: unexpected <op:*>'],
    ['(1))', "1:5: parse error: unexpected right parenthesis ')'"],
    ['((1)', '1:5: parse error: unclosed left parenthesis'],
    ['(', '1:2: parse error: unclosed left parenthesis'],
    ['1 and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
    ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
    ['1 !~ 1', "1:3: parse error: unexpected character after '!': '~'"],
    [
      '-"string"',
      '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"',
    ],
    [
      '-test[5m]',
      '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
    ],
    [
      '1 offset 1d',
      '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    ['foo offset 1s offset 2s', '1:1: parse error: offset may not be set multiple times'],
    ['a - on(b) ignoring(c) d', '1:11: parse error: unexpected <ignoring>'],
    [
      'rate(foo)',
      '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    ],
    ['rate(foo[5m], 1)', '1:1: parse error: expected 1 argument(s) in call to "rate", got 2'],
    ['round()', '1:1: parse error: expected at least 1 argument(s) in call to "round", got 0'],
    [
      'sum(foo[5m])',
      '1:5: parse error: expected type instant vector in aggregation expression, got range vector',
    ],
    ['topk(x, y)', '1:6: parse error: expected type scalar in aggregation parameter, got instant vector'],
    [
      'topk(y)',
      '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1',
    ],
    ['sum()', '1:1: parse error: no arguments for aggregate expression provided'],
    ['sum by (job) foo', '1:14: parse error: unexpected identifier "foo" in aggregation'],
    ['sum by job (foo)', '1:8: parse error: unexpected identifier "job" in grouping opts, expected "("'],
    ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['{job=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
    ['foo{a}', '1:6: parse error: unexpected "}" in label matching, expected label matching operator'],
    ['foo{a=b}', '1:7: parse error: unexpected identifier "b" in label matching, expected string'],
    [
      'foo{a="b" c="d"}',
      '1:11: parse error: unexpected identifier "c" in label matching, expected "," or "}"',
    ],
    ['foo{a="b"', '1:10: parse error: unexpected end of input inside braces'],
    ['unknown_fn(x)', '1:1: parse error: unknown function with name "unknown_fn"'],
    ['RATE(x[5m])', '1:1: parse error: unknown function with name "RATE"'],
    ['foo offset 1m [5m]', '1:15: parse error: no offset modifiers allowed before range'],
    ['sum(foo)[5m]', '1:9: parse error: ranges only allowed for vector selectors'],
    [
      'rate(x[5m]) offset 1m',
      '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    ['foo[1h30]', '1:5: parse error: bad number or duration syntax: "1h30"'],
    ['foo[1.5h]', '1:5: parse error: not a valid duration string: "1.5h"'],
    ['foo[0s]', '1:5: parse error: duration must be greater than 0'],
    ['foo[5m:1m]', '1:7: parse error: subqueries are not supported'],
    [
      'foo > bool on(x) group_left(x) bar',
      '1:5: parse error: label "x" must not occur in ON and GROUP clause at once',
    ],
    ['a + bool b', '1:3: parse error: bool modifier can only be used on comparison operators'],
    ['a and on(x) group_left b', '1:1: parse error: no grouping allowed for "and" operation'],
    ['1 + on(x) a', '1:1: parse error: vector matching only allowed between instant vectors'],
    ['"a" + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
    ['foo @ NaN', '1:1: parse error: timestamp out of bounds for @ modifier: NaN'],
    ['foo @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
    ['x{a=~"(?=y)"}', '1:3: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['x{a=~"(a"}', '1:3: parse error: error parsing regexp: missing closing ): `(a`'],
    ['x{a=~"\\\\1"}', '1:3: parse error: error parsing regexp: invalid escape sequence: `\\1`'],
    ['changes(x[5m]) + sin(x)', '1:18: parse error: function "sin" is not supported'],
    ['sum(\n  rate(foo[5m])\n) +', '3:4: parse error: unexpected end of input'],
    [
      'sum(rate(\n  foo{a="b"}[5m]\n  ))\n  by job',
      '4:6: parse error: unexpected identifier "job" in grouping opts, expected "("',
    ],
  ])('rejects %j', (q, want) => {
    const err = parseError(q);
    expect(err.format()).toBe(want);
    expect(err.message).toBe(want.replace(/^\d+:\d+: parse error: /, ''));
    const [line, col] = want.split(':').map(Number);
    expect([err.line, err.col]).toEqual([line, col]);
  });

  it('carries the byte range of the offending token', () => {
    const err = parseError('a - on(b) ignoring(c) d');
    expect(err.positionRange).toEqual({ start: 10, end: 18 });
    expect(err.query).toBe('a - on(b) ignoring(c) d');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('PromQLParseError');
  });
});
