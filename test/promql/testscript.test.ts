import { InputError } from '../../sim/errors.js';
import { describe, expect, it } from 'vitest';
import { parseSubsetAllowList, parseTestScript, runTestScript } from '../../sim/promql/index.js';

const SCRIPT = `
# A comment line.
load 5m
  http_requests{job="api", instance="0"}  0+10x10
  http_requests{job="api", instance="1"}  0+20x10
  gauge                                   1 _ 3 stale 5

eval instant at 50m sum(http_requests)
  {} 300

eval instant at 50m http_requests{instance="0"}
  http_requests{job="api", instance="0"} 100

eval instant at 50m sum(http_requests)
  {} 301

eval range from 0 to 20m step 5m gauge
  gauge 1 _ 3 _ 5

eval instant at 50m topk(2, http_requests)
  expect ordered
  http_requests{job="api", instance="1"} 200
  http_requests{job="api", instance="0"} 100

eval instant at 50m http_requests / on() http_requests
  expect fail msg: found duplicate series for the match group {} on the right hand-side of the operation: [{__name__="http_requests", instance="0", job="api"}, {__name__="http_requests", instance="1", job="api"}];many-to-many matching not allowed: matching labels must be unique on one side

eval instant at 50m quantile(2, http_requests)
  expect warn msg: PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)
  {} +Inf

eval instant at 0m "Foo"
  expect string "Foo"

eval instant at 10m http_requests[10m]
  expect range vector from 5m to 10m step 5m
  http_requests{job="api", instance="0"} 10 20
  http_requests{job="api", instance="1"} 20 40

eval instant at 50m 2 * 3
  6

eval_fail instant at 50m http_requests + on() http_requests
  expected_fail_regexp found duplicate series

clear

eval instant at 50m http_requests
`;

describe('test-script runner', () => {
  const script = parseTestScript(SCRIPT, 'inline.test');
  const results = runTestScript(script).results;
  const byLine = new Map(results.map((r) => [r.line, r]));

  it('runs every eval block, by header line', () => {
    expect(results.map((r) => r.line)).toEqual([8, 11, 14, 17, 20, 25, 28, 32, 35, 40, 43, 48]);
  });

  it('passes matching expectations: vectors, ordered, range, fail, warn, string, range vector, scalar, clear', () => {
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((r) => r.line)).toEqual([14]);
  });

  it('reports what differs', () => {
    expect(byLine.get(14)!.message).toContain('expected 301 for {} but got 300');
  });

  it('skips filtered evals but still loads data', () => {
    const only = runTestScript(script, { filter: (line) => line === 11 }).results;
    expect(only.filter((r) => !r.skipped).map((r) => [r.line, r.passed])).toEqual([[11, true]]);
    expect(only.filter((r) => r.skipped)).toHaveLength(11);
  });

  it('rejects lines that are not commands, naming file and line', () => {
    let err: unknown;
    try {
      parseTestScript('load 5m\n  x 1\n\nbogus\n', 'f.test');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).format()).toBe('f.test:4:1: invalid command "bogus"');
  });

  it('treats 0x10 in a load line as "0 repeated, 11 positions" and a+bxN by repeated addition', () => {
    const s = parseTestScript(
      'load 1m\n  a 0x10\n  b 0+0.1x3\n\neval instant at 10m a\n  a 0\n\neval instant at 3m b\n  b 0.30000000000000004\n',
    );
    expect(runTestScript(s).results.map((r) => r.passed)).toEqual([true, true]);
  });
});

describe('subset allow-list', () => {
  it('reads subset.tsv rows and answers by file and line', () => {
    const tsv =
      'file\tline\tkind\tclass\treasons\texpr\na.test\t3\tinstant\tcore\t\tsum(x)\na.test\t9\trange\tout\tsubquery\trate(x[5m:1m])\nb.test\t4\tinstant\topt\t@\tx @ 10\n';
    const list = parseSubsetAllowList(tsv);
    expect(list.rows).toHaveLength(3);
    expect(list.classOf('a.test', 3)).toBe('core');
    expect(list.classOf('a.test', 4)).toBeUndefined();
    expect([...list.lines('a.test')]).toEqual([3]);
    expect([...list.lines('b.test', ['core', 'opt'])]).toEqual([4]);
    expect(list.rows[1]).toMatchObject({
      file: 'a.test',
      line: 9,
      kind: 'range',
      class: 'out',
      reasons: 'subquery',
      expr: 'rate(x[5m:1m])',
    });
    expect(() => parseSubsetAllowList('h\na\t1\tinstant\tmaybe\n')).toThrow('unknown class "maybe"');
  });
});

describe('runTestScript: a bug is one failure line, not a stack trace', () => {
  it('an error no check made is reported as a canarysim bug, with where it was thrown', () => {
    const script = parseTestScript('load 5m\n  up 1\n\neval instant at 0 up\n  up 1\n', 'bug.test');
    const broken = {
      seriesRef: () => 0,
      append: () => true,
      appendStale: () => true,
      select: () => {
        throw new TypeError('storage exploded');
      },
    };
    const [r] = runTestScript(script, { newStorage: () => broken }).results;
    expect(r!.passed).toBe(false);
    expect(r!.message).toMatch(
      /^unexpected error \(a canarysim bug\): TypeError: storage exploded \(at .*testscript\.test\.ts:\d+:\d+\)?\)$/,
    );
    expect(r!.message).not.toContain('\n');
  });
});
