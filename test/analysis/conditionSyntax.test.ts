import { describe, expect, it } from 'vitest';
import {
  ConditionSyntaxError,
  evaluateCondition,
  parseCondition,
  type ConditionNode,
} from '../../sim/analysis/condition/index.js';

/** Renders the tree as a fully parenthesised string, to check grouping. */
function shape(node: ConditionNode): string {
  switch (node.kind) {
    case 'Nil':
      return 'nil';
    case 'Bool':
    case 'Float':
      return String(node.value);
    case 'Integer':
      return `${node.value}`;
    case 'String':
      return JSON.stringify(node.value);
    case 'Identifier':
      return node.name;
    case 'Pointer':
      return `#${node.name}`;
    case 'Unary':
      return `(${node.op} ${shape(node.operand)})`;
    case 'Binary':
      return `(${shape(node.left)} ${node.op} ${shape(node.right)})`;
    case 'Chain':
      return `chain(${shape(node.node)})`;
    case 'Member':
      return `${shape(node.object)}${node.optional ? '?.' : ''}[${shape(node.property)}]`;
    case 'Slice':
      return `${shape(node.object)}[${node.from ? shape(node.from) : ''}:${node.to ? shape(node.to) : ''}]`;
    case 'Call':
      return `${shape(node.callee)}(${node.args.map(shape).join(', ')})`;
    case 'Builtin':
      return `${node.name}(${node.args.map(shape).join(', ')})`;
    case 'Predicate':
      return `{${shape(node.body)}}`;
    case 'Conditional':
      return `(${shape(node.cond)} ? ${shape(node.then)} : ${shape(node.otherwise)})`;
    case 'Array':
      return `[${node.items.map(shape).join(', ')}]`;
    case 'Map':
      return `{${node.pairs.map((p) => `${shape(p.key)}: ${shape(p.value)}`).join(', ')}}`;
    case 'Pair':
      return `${shape(node.key)}: ${shape(node.value)}`;
    case 'Let':
      return `let ${node.name} = ${shape(node.value)}; ${shape(node.body)}`;
    case 'Sequence':
      return node.nodes.map(shape).join('; ');
  }
}

const parse = (src: string) => shape(parseCondition(src).root);

describe('parseCondition: precedence and grouping (expr-lang operator table)', () => {
  it.each([
    ['result[0] >= 0.95', '(result[0] >= 0.95)'],
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['2 ** 3 ** 2', '(2 ** (3 ** 2))'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['-2 ** 2', '(- (2 ** 2))'],
    ['not a == b', '((not a) == b)'],
    ['!a && b', '((! a) && b)'],
    ['a || b && c', '(a || (b && c))'],
    ['a or b and c', '(a or (b and c))'],
    ['a == b == c', '((a == b) == c)'],
    ['1 < x < 3', '((1 < x) && (x < 3))'],
    ['1 < x <= 3 < y', '(((1 < x) && (x <= 3)) && (3 < y))'],
    ['x not in [1, 2]', '(not (x in [1, 2]))'],
    ['s not contains "a"', '(not (s contains "a"))'],
    ['1..3', '(1 .. 3)'],
    ['1 + 1..3', '((1 + 1) .. 3)'],
    ['a ? b : c', '(a ? b : c)'],
    ['a ?: c', '(a ? a : c)'],
    ['a ? b : c ? d : e', '(a ? b : (c ? d : e))'],
    ['(get(result, 0) ?? 0) >= 0.95', '((get(result, 0) ?? 0) >= 0.95)'],
    ['a ?? b ?? c', '((a ?? b) ?? c)'],
    ['len(result) == 0 || result[0] >= 0.95', '((len(result) == 0) || (result[0] >= 0.95))'],
    ['a.b.c', 'a["b"]["c"]'],
    ['a?.b.c', 'chain(a?.["b"]["c"])'],
    ['a?.[0]', 'chain(a?.[0])'],
    ['a[-1]', 'a[(- 1)]'],
    ['a[1:3]', 'a[1:3]'],
    ['a[:2]', 'a[:2]'],
    ['a[1:]', 'a[1:]'],
    ['all(result, # < 1000)', 'all(result, {(# < 1000)})'],
    ['all(result, {# > 1})', 'all(result, {(# > 1)})'],
    ['filter(xs, .n > 1)', 'filter(xs, {(#["n"] > 1)})'],
    ['map(xs, #index)', 'map(xs, {#index})'],
    ['count(xs)', 'count(xs)'],
    ['xs | len()', 'len(xs)'],
    ['xs | all(# > 1)', 'all(xs, {(# > 1)})'],
    ['asInt(result) == 1', '(asInt(result) == 1)'],
    ['let x = 1; x + 1', 'let x = 1; (x + 1)'],
    ['if a { 1 } else { 2 }', '(a ? 1 : 2)'],
    ['{a: 1, "b": 2}', '{"a": 1, "b": 2}'],
    ['1_000 + 0x1F + 0b11 + 0o17', '(((1000 + 31) + 3) + 15)'],
    ['1e3 + .5', '(1000 + 0.5)'],
    ["'it\\'s' + \"\\n\"", '("it\'s" + "\\n")'],
    ['`raw\\n`', '"raw\\\\n"'],
    ['a // comment\n+ b /* block */', '(a + b)'],
  ])('%s → %s', (src, expected) => {
    expect(parse(src)).toBe(expected);
  });

  it('integers are ints and literals with a point or exponent are floats', () => {
    expect(parseCondition('1').root).toMatchObject({ kind: 'Integer', value: 1n });
    expect(parseCondition('1.0').root).toMatchObject({ kind: 'Float', value: 1 });
    expect(parseCondition('1e3').root).toMatchObject({ kind: 'Float', value: 1000 });
  });

  it('nodes carry source spans', () => {
    const ast = parseCondition('result[0] >= 0.95');
    expect(ast.source).toBe('result[0] >= 0.95');
    expect(ast.root).toMatchObject({ kind: 'Binary', start: 0, end: 17, pos: 10 });
    if (ast.root.kind !== 'Binary') throw new Error('binary expected');
    expect(ast.root.left).toMatchObject({ kind: 'Member', start: 0, end: 9 });
    expect(ast.root.right).toMatchObject({ kind: 'Float', start: 13, end: 17 });
  });
});

describe('parseCondition: errors carry expr-lang text and (line:col)', () => {
  it.each([
    ['result >= > 1', 'unexpected token Operator(">")', 1, 11, 10],
    // EOF sits on the last character, here the trailing space.
    ['result[0] >= ', 'unexpected token EOF', 1, 13, 12],
    ['(1 + 2', 'unexpected token EOF', 1, 6, 5],
    ['', 'unexpected token EOF', 1, 1, 0],
    ['result[0] >= 0.95)', 'unexpected token Bracket(")")', 1, 18, 17],
    ['a b', 'unexpected token Identifier("b")', 1, 3, 2],
    ['1 @ 2', "unrecognized character: U+0040 '@'", 1, 3, 2],
    ['"abc', 'literal not terminated', 1, 5, 4],
    ['"a\\qb"', 'invalid char escape', 1, 4, 3],
    ['1a', 'bad number syntax: "1a"', 1, 2, 1],
    [
      '99999999999999999999 > 1',
      'invalid integer literal: strconv.ParseInt: parsing "99999999999999999999": value out of range',
      1,
      22,
      21,
    ],
    [
      'a ?? b > 1',
      'Operator (>) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.',
      1,
      8,
      7,
    ],
    ['# > 1', 'cannot use pointer accessor outside predicate', 1, 1, 0],
    ['all(result)', 'expected at least 2 arguments', 1, 11, 10],
    ['a.+ 1', 'expected name', 1, 5, 4],
    ['a.1', 'unexpected token Number(".1")', 1, 2, 1],
    ['/* open', 'unclosed comment', 1, 8, 7],
    ['result >= 1 &&\n  result <', 'unexpected token EOF', 2, 10, 24],
    ['now() > 1', 'builtin now is not supported by canarysim', 1, 1, 0],
  ])('%j → %s (%i:%i)', (src, reason, line, col, offset) => {
    let error: unknown;
    try {
      parseCondition(src);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    const e = error as ConditionSyntaxError;
    expect(e.reason).toBe(reason);
    expect(e.message).toBe(`${reason} (${line}:${col})`);
    expect({ line: e.line, col: e.col, offset: e.offset }).toEqual({ line, col, offset });
  });

  it('columns count code points, offsets are UTF-16 indexes', () => {
    const src = '"😀" >= > 1';
    const e = (() => {
      try {
        parseCondition(src);
      } catch (err) {
        return err as ConditionSyntaxError;
      }
      throw new Error('expected a syntax error');
    })();
    expect(e.col).toBe(8);
    expect(src.slice(e.offset, e.offset + 1)).toBe('>');
    expect(e.snippet()).toBe(' | "😀" >= > 1\n | .......^');
  });

  it('rejects pathological nesting instead of overflowing the stack', () => {
    expect(() => parseCondition('('.repeat(5000) + '1' + ')'.repeat(5000))).toThrow(ConditionSyntaxError);
    expect(() => parseCondition(Array.from({ length: 2000 }, () => '1').join(' + '))).toThrow(
      /nested too deeply/,
    );
  });

  it('parses once and evaluates many times', () => {
    const ast = parseCondition('result[0] >= 0.95');
    expect(evaluateCondition(ast, { result: [0.97] })).toBe(true);
    expect(evaluateCondition(ast, { result: [0.9] })).toBe(false);
  });
});
