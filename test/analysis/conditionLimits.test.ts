import { describe, expect, it } from 'vitest';
import {
  ConditionEvalError,
  ConditionSyntaxError,
  evaluateCondition,
  parseCondition,
} from '../../sim/analysis/condition/index.js';

// A condition's bounds (sim/analysis/condition/limits.ts): 500 levels, 10,000 nodes (expr-lang's
// own), 1,000,000 evaluation steps, and expr-lang's memory budget of 1,000,000 elements.

function syntaxError(src: string): ConditionSyntaxError {
  try {
    parseCondition(src);
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

function evalError(src: string, result: unknown = [1]): string {
  try {
    evaluateCondition(parseCondition(src), { result: result as number[] });
  } catch (e) {
    if (e instanceof ConditionEvalError) return e.message;
    throw e;
  }
  throw new Error('expected an evaluation error');
}

const TOO_DEEP = 'expression nested too deeply (more than 500 levels)';

describe('depth (at most 500 levels)', () => {
  it.each([
    ['5,000 parentheses', '('.repeat(5000) + '1' + ')'.repeat(5000)],
    ['a 3,000-step member chain', 'result' + '.a'.repeat(3000)],
    ['3,000 indexes', 'result' + '[0]'.repeat(3000)],
    ['3,000 pipes', 'result' + ' | len()'.repeat(3000)],
    ['3,000 coalesces', Array.from({ length: 3000 }, () => 'result').join(' ?? ')],
    ['3,000 chained comparisons', Array.from({ length: 3000 }, () => '1').join(' < ')],
    ['3,000 lets', 'let a = 1; '.repeat(3000) + 'a'],
  ])('%s is one syntax error, at a node past the bound', (_, src) => {
    const e = syntaxError(src);
    expect(e.reason).toBe(TOO_DEEP);
    // Not the start of the text: the place the tree got too deep.
    expect(e.offset).toBeGreaterThan(0);
  });

  it('a tree 500 levels deep evaluates', () => {
    expect(evaluateCondition(parseCondition('('.repeat(499) + '1' + ')'.repeat(499)), {})).toBe(1);
    expect(evaluateCondition(parseCondition('-'.repeat(499) + '1'), {})).toBe(-1);
    expect(evaluateCondition(parseCondition(Array.from({ length: 499 }, () => '1').join(' + ')), {})).toBe(
      499,
    );
  });
});

describe('size (at most 10,000 nodes, as expr-lang)', () => {
  it('an array literal of 10,000 numbers is 10,002 nodes: refused with expr-lang’s message', () => {
    const items = (n: number) => `len([${Array.from({ length: n }, () => '1').join(', ')}]) > 0`;
    expect(evaluateCondition(parseCondition(items(9_000)), {})).toBe(true);
    expect(syntaxError(items(10_000)).reason).toBe(
      'compilation failed: expression exceeds maximum allowed nodes',
    );
  });
});

describe('work (at most 1,000,000 steps)', () => {
  it('nested predicates 25 deep (2^25 predicate runs) stop with a step-budget error', () => {
    const src = 'all([1,2], '.repeat(25) + '# > 0' + ')'.repeat(25);
    expect(evalError(src)).toBe(
      'step budget exceeded: a condition may take at most 1000000 evaluation steps',
    );
  });

  it('a predicate over a 100,000-element result fits', () => {
    const result = Array.from({ length: 100_000 }, () => 0.5);
    expect(evaluateCondition(parseCondition('all(result, # < 1)'), { result })).toBe(true);
  });
});

describe('memory (expr-lang’s budget of 1,000,000, counted over the evaluation)', () => {
  it.each([
    // Each range is under the budget; together they are over it.
    ['ranges built in a loop', 'len(map(1..600000, 1..600000)) > 0'],
    ['two ranges', 'len(1..600000) + len(1..600000) > 0'],
    // Doubling a string 40 times would need a terabyte (a RangeError before).
    [
      'a string doubled 40 times',
      'let a0 = "xx"; ' +
        Array.from({ length: 39 }, (_, i) => `let a${i + 1} = a${i} + a${i}; `).join('') +
        'len(a39) > 0',
    ],
  ])('%s: memory budget exceeded', (_, src) => {
    expect(evalError(src)).toBe('memory budget exceeded');
  });
});
