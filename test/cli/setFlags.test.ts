// `--set path=value` and `--env NAME=value` on `run`: values replaced before validation, every
// problem with one named at the flag, problems elsewhere still at the file's line:col.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/runCli.js';
import { parseSetFlag } from '../../cli/scenario/overrides.js';
import { InputError } from '../../sim/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-set-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = `name: tiny
seed: 4
env:
  HOST: example.test
timeline:
  - say: hello
  - wait: 10s
  - curl: {url: "http://$HOST/", count: 1}
expect:
  - 'time == 10'
`;

function scenario(text = TINY): string {
  const p = path.join(dir, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(p, text);
  return p;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

describe('--set', () => {
  it('replaces values before the run: a wait, an expectation, the seed (a YAML number)', async () => {
    const f = scenario();
    expect((await run(['run', f, '-q'])).code).toBe(0);
    const longer = await run(['run', f, '-q', '--set', 'timeline[1].wait=20s']);
    expect(longer.code).toBe(1);
    expect(longer.out).toContain('20s simulated');
    const both = await run([
      'run',
      f,
      '-q',
      '--set',
      'timeline[1].wait=20s',
      '--set',
      'expect[0]=time == 20',
      '--set',
      'seed=9',
    ]);
    expect(both.code).toBe(0);
    expect(both.out).toContain('seed 9, 20s simulated');
  });

  it('a later flag wins; an index one past the end appends', async () => {
    const f = scenario();
    const r = await run([
      'run',
      f,
      '-q',
      '--set',
      'timeline[1].wait=5s',
      '--set',
      'timeline[1].wait=30s',
      '--set',
      'expect[1]=time == 30',
      '--set',
      'expect[0]=time > 0',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2/2 expectations held');
  });

  it('a value that is wrong is reported at the flag, not at a line of the file', async () => {
    const f = scenario();
    const cases: [string, string][] = [
      [
        'timeline[1].wait=5x',
        'canarysim: --set timeline[1].wait=5x: scenario: timeline[1].wait: invalid duration "5x"',
      ],
      // "5" quoted is a string: YAML's rules for the value.
      ['seed="5"', 'canarysim: --set seed="5": scenario: seed: expected an integer, got string "5"'],
      ['sed=7', 'canarysim: --set sed=7: scenario: sed: unknown field "sed" (expected one of: name,'],
      // A mapping the flag created is the flag's too.
      [
        'prometeus.scrapeInterval=15s',
        'canarysim: --set prometeus.scrapeInterval=15s: scenario: prometeus: unknown field',
      ],
      [
        'timeline[1]={wait: 1s, say: x}',
        'canarysim: --set timeline[1]={wait: 1s, say: x}: scenario: timeline[1]: expected exactly one action',
      ],
      ['expect[0]=time ==', 'canarysim: --set expect[0]=time ==: scenario: expect[0]: invalid condition:'],
    ];
    for (const [flag, message] of cases) {
      const r = await run(['run', f, '--set', flag]);
      expect(r.code, flag).toBe(2);
      expect(r.err.split('\n'), flag).toHaveLength(2);
      expect(r.err, flag).toContain(message);
      expect(r.out, flag).toBe('');
    }
  });

  it('a path that does not exist, or is not a path, is one error naming the flag', async () => {
    const f = scenario();
    const cases: [string, string][] = [
      [
        'timeline[7].wait=1s',
        '--set timeline[7].wait=1s: timeline has 3 entries (timeline[0] to timeline[2]; timeline[3] adds one)',
      ],
      [
        'timelin[0].wait=1s',
        '--set timelin[0].wait=1s: the scenario has no timelin: timelin[0] does not exist',
      ],
      [
        'timeline.wait=1s',
        '--set timeline.wait=1s: timeline is a list: expected an index such as timeline[0], not .wait',
      ],
      ['seed.x=1', '--set seed.x=1: seed is a number, not a mapping: seed.x does not exist'],
      ['seed', 'invalid --set "seed": expected path=value'],
      [
        'timeline[x]=1',
        'invalid --set "timeline[x]=1": expected an index such as [3] or a quoted key such as ["a.b"] at column 9',
      ],
      ['=1', 'invalid --set "=1": expected a field name at column 1'],
      ['a=[1, 2', 'invalid --set "a=[1, 2": the value is not YAML'],
      ['a..b=1', 'invalid --set "a..b=1": expected a field name at column 3'],
    ];
    for (const [flag, message] of cases) {
      const r = await run(['run', f, '--set', flag]);
      expect(r.code, flag).toBe(2);
      expect(r.err.slice(0, `canarysim: ${message}`.length), flag).toBe(`canarysim: ${message}`);
      expect(r.err.split('\n'), flag).toHaveLength(2);
    }
  });

  it('a problem the flag did not write stays at its line:col in the file', async () => {
    const f = scenario(TINY.replace('- say: hello', '- say: hello\n  - wait: 3x'));
    const r = await run(['run', f, '--set', 'seed=3']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\.yaml:7:11: scenario: timeline\[1\]\.wait: invalid duration "3x"/);
  });

  it('parses keys with dots as JSON strings, values as YAML', () => {
    expect(parseSetFlag('cluster.namespaces["a.b"].istioInjection=true')).toMatchObject({
      path: ['cluster', 'namespaces', 'a.b', 'istioInjection'],
      value: true,
    });
    expect(parseSetFlag('apps[0].errors=5%').value).toBe('5%');
    expect(parseSetFlag('x=5').value).toBe(5);
    expect(parseSetFlag('x="5"').value).toBe('5');
    expect(parseSetFlag('x=').value).toBe(null);
    expect(parseSetFlag('x={a: [1, 2]}').value).toEqual({ a: [1, 2] });
    expect(parseSetFlag('env["A=B"]=c=d')).toMatchObject({ path: ['env', 'A=B'], value: 'c=d' });
    expect(() => parseSetFlag(`x=${'['.repeat(150)}${']'.repeat(150)}`)).toThrow(
      /nested more than 100 levels/,
    );
    expect(() => parseSetFlag('x=[&a [1], *a, *b]')).toThrow(InputError);
  });
});

describe('--env', () => {
  it('replaces an entry of env: (a string, as typed), or adds one to a scenario without env:', async () => {
    const f = scenario(TINY.replace('http://$HOST/', 'http://$HOST:$PORT/'));
    const missing = await run(['run', f]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(
      /\.yaml:8:17: scenario: timeline\[2\]\.curl\.url: variable \$PORT is not set/,
    );
    expect((await run(['run', f, '-q', '--env', 'PORT=8080'])).code).toBe(0);
    // A value that makes the URL wrong is the file's URL, where the variable is used.
    const bad = await run(['run', f, '--env', 'PORT=80', '--env', 'HOST=a b']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/\.yaml:8:17: .*invalid URL "http:\/\/a b:80\/"/);
    const noEnv = scenario(TINY.replace('env:\n  HOST: example.test\n', ''));
    expect((await run(['run', noEnv, '-q', '--env', 'HOST=example.test'])).code).toBe(0);
  });

  it('a bad flag is one line naming it', async () => {
    const f = scenario();
    for (const [flag, message] of [
      ['FOO', 'canarysim: invalid --env "FOO": expected NAME=value'],
      ['1X=3', 'canarysim: invalid --env "1X=3": invalid name "1X"'],
    ] as const) {
      const r = await run(['run', f, '--env', flag]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
    }
    // env: that is not a mapping cannot take an entry.
    const list = scenario(TINY.replace('env:\n  HOST: example.test\n', 'env: [a]\n'));
    const r = await run(['run', list, '--env', 'HOST=x']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'canarysim: --env HOST=x: env is a list: expected an index such as env[0], not .HOST\n',
    );
  });
});
