import { describe, expect, it } from 'vitest';
import {
  Engine,
  formatExpr,
  MAX_EXPR_DEPTH,
  MAX_QUERY_BYTES,
  parseExpr,
  parseTestScript,
  PromQLEvalError,
  PromQLParseError,
  type QueryResult,
} from '../../sim/promql/index.js';
import { InputError } from '../../sim/errors.js';
import { cli } from '../lint/helpers.js';
import { Storage } from '../../sim/tsdb/index.js';

function parseError(q: string): string {
  try {
    parseExpr(q);
  } catch (e) {
    if (e instanceof PromQLParseError) return e.format();
    throw e;
  }
  throw new Error('expected a parse error');
}

const TOO_DEEP = `parse error: expression nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`;
const terms = (n: number, term: string, op: string) => Array.from({ length: n }, () => term).join(op);

describe('expression depth (at most 200 levels)', () => {
  it.each([
    ['3,000 parentheses', '('.repeat(3000) + '1' + ')'.repeat(3000), `1:201: ${TOO_DEEP}`],
    // Left-deep: no recursion in the parser's loop, but the tree is 3,000 levels deep.
    ['a 3,000-term sum', terms(3000, '1', '+'), `1:400: ${TOO_DEEP}`],
    ['a 3,000-term power (right-deep)', terms(3000, '2', '^'), `1:401: ${TOO_DEEP}`],
    ['3,000 unary minuses (folded to one number)', '-'.repeat(3000) + '1', `1:201: ${TOO_DEEP}`],
    ['3,000 nested calls', 'abs('.repeat(3000) + '1' + ')'.repeat(3000), `1:801: ${TOO_DEEP}`],
    ['3,000 nested aggregations', 'sum('.repeat(3000) + 'x' + ')'.repeat(3000), `1:801: ${TOO_DEEP}`],
    ['a 201-term vector sum', terms(201, 'x', ' + '), `1:799: ${TOO_DEEP}`],
  ])('%s is a parse error at the level that is one too many', (_, q, want) => {
    expect(parseError(q)).toBe(want);
  });

  it('a tree exactly 200 deep parses, type-checks, evaluates and prints back', () => {
    const storage = new Storage();
    const ref = storage.seriesRef({ __name__: 'x', pod: 'a' });
    storage.append(ref, 0, 2);
    const engine = new Engine();
    const cases: [string, (r: QueryResult) => unknown, unknown][] = [
      [terms(200, 'x', ' + '), (r) => r.result, [{ metric: { pod: 'a' }, value: 400 }]],
      ['sum('.repeat(199) + 'x' + ')'.repeat(199), (r) => r.result, [{ metric: {}, value: 2 }]],
      ['('.repeat(199) + '1' + ')'.repeat(199), (r) => r.result, 1],
      ['-('.repeat(99) + 'x' + ')'.repeat(99), (r) => r.result, [{ metric: { pod: 'a' }, value: -2 }]],
    ];
    for (const [q, pick, want] of cases) {
      const e = parseExpr(q);
      expect(pick(engine.instantQuery(storage, e, 1000))).toEqual(want);
      expect(pick(engine.rangeQuery(storage, e, 0, 2000, 1000))).toBeDefined();
      expect(formatExpr(parseExpr(formatExpr(e)))).toBe(formatExpr(e));
    }
  });
});

describe('query length (at most 64 KiB)', () => {
  it('a query of 64 KiB parses; one byte more is refused where it crosses the limit', () => {
    expect(parseExpr('1' + ' '.repeat(MAX_QUERY_BYTES - 1)).type).toBe('NumberLiteral');
    expect(parseError('1' + ' '.repeat(MAX_QUERY_BYTES))).toBe(
      '1:65537: parse error: query is 65537 bytes long, more than the limit of 65536 bytes (64 KiB)',
    );
  });

  it('counts UTF-8 bytes, as Prometheus counts positions', () => {
    const q = `x{a="${'é'.repeat(MAX_QUERY_BYTES / 2)}"}`;
    expect(parseError(q)).toMatch(/^1:\d+: parse error: query is 65543 bytes long/);
  });
});

describe('stepwise evaluation', () => {
  const storage = new Storage();
  for (let s = 0; s < 10; s++) {
    const ref = storage.seriesRef({ __name__: 'req_total', pod: `p${s}` });
    for (let t = 0; t <= 600; t++) storage.append(ref, t * 15_000, t * s);
  }

  it('pauses at checkpoints in proportion to the work, and ends with what the one-go query returns', () => {
    const engine = new Engine();
    const q = 'sum by (pod) (rate(req_total[1m]))';
    const steps = engine.rangeQueryStepwise(storage, q, 0, 9_000_000, 1000);
    let pauses = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) pauses++;
    // 10 series × 9,001 steps, each reading a few samples: several checkpoints' worth.
    expect(pauses).toBeGreaterThanOrEqual(5);
    expect(r.value).toEqual(engine.rangeQuery(storage, q, 0, 9_000_000, 1000));
  });

  it('a small query runs without a pause', () => {
    const steps = new Engine().instantQueryStepwise(storage, 'sum(req_total)', 60_000);
    const r = steps.next();
    expect(r.done).toBe(true);
  });
});

describe('sizes a query or script states', () => {
  it('a range query with more steps than maxSamples is refused before anything is allocated', () => {
    const engine = new Engine({ maxSamples: 1000 });
    expect(() => engine.rangeQuery(new Storage(), '1', 0, 1000 * 1000, 1000)).toThrow(
      new PromQLEvalError('query processing would load too many samples into memory in query execution'),
    );
    expect(engine.rangeQuery(new Storage(), '1', 0, 999 * 1000, 1000).result).toHaveLength(1);
  });

  it('a test script describing more than 10,000,000 points is refused at its load line', () => {
    expect(() => parseTestScript('load 1ms\n  x 0+1x1000000000\n', 'big.test')).toThrow(
      new InputError(
        `"0+1x1000000000" takes the script past 10,000,000 points, canarysim's limit for a test script`,
        { file: 'big.test', line: 1, col: 1 },
      ),
    );
    // Together: ten series of a million points fit; the eleventh does not.
    const nine = Array.from({ length: 11 }, (_, i) => `  s${i} 0+1x999999`).join('\n');
    expect(() => parseTestScript(`load 1m\n${nine}\n`)).toThrow(/takes the script past 10,000,000 points/);
  });
});

describe('the command line', () => {
  it('promql check of 3,000 parentheses: one line, exit 2, no stack trace', async () => {
    const r = await cli(['promql', 'check', '('.repeat(3000) + '1' + ')'.repeat(3000)]);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `canarysim: 1:201: ${TOO_DEEP}\n`,
    });
  });
});
