import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/runCli.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the blog scenario with one file edited; returns the scenario path. */
function variant(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-bad-'));
  dirs.push(dir);
  cpSync(path.join(REPO_ROOT, 'scenarios/blog'), dir, { recursive: true });
  const p = path.join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`edit of ${file} changed nothing`);
  writeFileSync(p, after);
  return path.join(dir, 'scenario.yaml');
}

/** 1-based line:col of the first occurrence of `needle` in a file. */
function where(file: string, needle: string, shift = 0): string {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(needle) + shift;
  if (at < shift) throw new Error(`${needle} not in ${file}`);
  const before = text.slice(0, at);
  return `${before.split('\n').length}:${at - before.lastIndexOf('\n')}`;
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

interface Case {
  name: string;
  file: string;
  edit: (t: string) => string;
  /** Text whose position the error must name, and an offset into it. */
  at: [string, number?];
  message: RegExp;
}

const ROLLOUT = 'kustomize/overlays/istio-prometheus/rollout.yaml';
const TEMPLATE = 'cluster-analysis-template.yaml';

const cases: Case[] = [
  {
    name: 'a negative interval',
    file: TEMPLATE,
    edit: (t) =>
      t.replace('      successCondition:', '      interval: -20s\n      count: 2\n      successCondition:'),
    at: ['-20s', 0],
    message: /invalid duration "-20s": expected a duration ≥ 0/,
  },
  {
    name: 'a YAML alias bomb',
    file: TEMPLATE,
    edit: (t) =>
      `${t}---\na: &a [x, x, x, x, x, x, x, x, x]\n${'bcdefgh'
        .split('')
        .map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)
        .join('\n')}\n`,
    at: ['a: &a', 0],
    message: /invalid YAML: Excessive alias count/,
  },
  {
    name: 'the same Service for canary and stable (Argo: DuplicatedServicesCanaryMessage)',
    file: ROLLOUT,
    edit: (t) => t.replace('canaryService: silly-demo-canary', 'canaryService: silly-demo-stable'),
    at: ['stableService: silly-demo-stable', 15],
    message:
      /This rollout uses the same service for the stable and canary services, but two different services are required\./,
  },
  {
    name: 'a step with two kinds',
    file: ROLLOUT,
    edit: (t) => t.replace('- setWeight: 20', '- {setWeight: 20, pause: {}}'),
    at: ['{setWeight: 20', 0],
    message: /Step must have one of the following set: .* \(found setWeight, pause\)/,
  },
  {
    name: 'malformed YAML',
    file: ROLLOUT,
    edit: (t) => t.replace('  replicas: 5\n', '  replicas: 5\n  replicas: 6\n'),
    at: ['  replicas: 6', 2],
    message: /invalid YAML: Map keys must be unique/,
  },
  {
    name: 'unknown kind',
    file: 'kustomize/overlays/istio/gateway.yaml',
    edit: (t) => t.replace('kind: Gateway', 'kind: Gatway'),
    at: ['Gatway'],
    message: /kind "Gatway" is not supported by canarysim/,
  },
  {
    name: 'missing template',
    file: ROLLOUT,
    edit: (t) => t.replace('templateName: success-rate', 'templateName: success-rat'),
    at: ['templateName: success-rat', 14],
    message: /ClusterAnalysisTemplate "success-rat" not found/,
  },
  {
    name: 'undeclared arg in a template',
    file: TEMPLATE,
    edit: (t) =>
      t.replace(
        'destination_service="{{args.service-name}}",response_code',
        'destination_service="{{args.service}}",response_code',
      ),
    at: ['{{args.service}}'],
    message: /failed to resolve \{\{args\.service\}\}: arg "service" is not declared/,
  },
  {
    name: 'undeclared arg passed by the rollout',
    file: ROLLOUT,
    edit: (t) => t.replace('- name: service-name', '- name: service_name'),
    at: ['service_name'],
    message: /arg "service_name" is not declared by any referenced template/,
  },
  {
    name: 'bad duration',
    file: ROLLOUT,
    edit: (t) =>
      t.replace(
        '- pause: {duration: 300}\n        - setWeight: 40',
        '- pause: {duration: 10x}\n        - setWeight: 40',
      ),
    at: ['10x'],
    message: /invalid duration "10x": expected an integer number of seconds or a Go duration/,
  },
  {
    name: 'bad PromQL in a template',
    file: TEMPLATE,
    edit: (t) => t.replace('response_code!~"5.*"}[5m]', 'response_code!~"5.*"}[5m'),
    // The parser stops at the ")" that should have been "]", on the next line of the block scalar.
    at: ['[5m\n            ))', 16],
    message: /invalid PromQL: unexpected "\)" in subquery or range, expected ":" or "\]"/,
  },
  {
    name: 'bad condition',
    file: TEMPLATE,
    edit: (t) => t.replace('successCondition: result[0] >= 0.95', 'successCondition: result[0] >= >= 0.95'),
    at: ['>= >=', 3],
    message: /invalid condition/,
  },
];

describe('bad input: one error with file:line:col, exit 2, no stack trace', () => {
  it.each(cases)('$name', async (c) => {
    const scenario = variant(c.file, c.edit);
    const json = path.join(path.dirname(scenario), 'report.json');
    const { code, stdout, stderr } = await run(['run', scenario, '--json', json]);
    const file = path.join(path.dirname(scenario), c.file);
    const pos = where(file, c.at[0], c.at[1] ?? 0);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${path.relative(process.cwd(), file)}:${pos}: `);
    expect(stderr).toMatch(c.message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(json)).toBe(false);
  });

  it('a bad duration in the scenario itself names the scenario file', async () => {
    const scenario = variant('scenario.yaml', (t) => t.replace('- wait: 110s', '- wait: 110 s'));
    const { code, stderr } = await run(['run', scenario]);
    expect(code).toBe(2);
    expect(stderr).toContain(`scenario.yaml:${where(scenario, '110 s')}: `);
    expect(stderr).toContain('invalid duration "110 s"');
  });

  it("YAML's .inf as a duration is named as written, not as JavaScript's Infinity", async () => {
    const scenario = variant('scenario.yaml', (t) => t.replace('- wait: 110s', '- wait: .inf'));
    const { code, stderr } = await run(['run', scenario]);
    expect(code).toBe(2);
    expect(stderr).toContain(`scenario.yaml:${where(scenario, '.inf')}: `);
    expect(stderr).toContain('invalid duration .inf: expected a Go duration');
    expect(stderr).not.toContain('Infinity');
  });

  it('expectations that do not hold exit 1 and say which', async () => {
    const scenario = variant('scenario.yaml', (t) =>
      t.replace(
        '- \'rollouts["silly-demo"].phase == "Degraded"\'',
        '- \'rollouts["silly-demo"].phase == "Healthy"\'',
      ),
    );
    const json = path.join(path.dirname(scenario), 'out.json');
    const { code, stdout } = await run(['run', scenario, '--quiet', '--json', json]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✖ expect rollouts\["silly-demo"\]\.phase == "Healthy"/);
    expect(stdout).toMatch(/FAIL: 9\/10 expectations held/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      passed: boolean;
      expectations: { passed: boolean }[];
    };
    expect(report.passed).toBe(false);
    expect(report.expectations.filter((e) => !e.passed)).toHaveLength(1);
  });

  it('--json to a folder that does not exist, or to a folder: exit 2 before the run', async () => {
    const scenario = path.join(REPO_ROOT, 'scenarios/blog/scenario.yaml');
    const missing = await run(['run', scenario, '--json', path.join(tmpdir(), 'no-such-dir', 'r.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(
      /^canarysim: --json .*r\.json: cannot write: folder .*no-such-dir does not exist\n$/,
    );
    const dir = await run(['run', scenario, '--json', tmpdir()]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/cannot write: it is a folder/);
  });

  it('empty documents (a trailing ---, a comment-only one) are skipped, as kubectl does', async () => {
    const scenario = variant(TEMPLATE, (t) => `---\n${t}---\n# nothing here\n---\n`);
    const { code } = await run(['run', scenario, '--quiet']);
    expect(code).toBe(0);
  });

  it('a curl header given as a number must be quoted (YAML would turn 1.10 into 1.1)', async () => {
    const scenario = variant('scenario.yaml', (t) =>
      t.replace(
        '- curl: {url: "http://silly-demo.$ISTIO_HOST", count: 20, id: curl-20}',
        '- curl: {url: "http://silly-demo.$ISTIO_HOST", count: 20, id: curl-20, headers: {x-v: 1.10}}',
      ),
    );
    const { code, stderr } = await run(['run', scenario]);
    expect(code).toBe(2);
    expect(stderr).toContain(`scenario.yaml:${where(scenario, '1.10')}: `);
    expect(stderr).toMatch(/expected a header value \(a string\), got number 1\.1: quote it/);
  });

  it('bad flags exit 2', async () => {
    expect((await run(['run', 'x.yaml', '--seed', 'abc'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    const missing = await run(['run', path.join(tmpdir(), 'no-such-scenario.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it('the real binary prints the same one line and exits 2', () => {
    const scenario = variant(TEMPLATE, (t) => t.replace('result[0] >= 0.95', 'result[0] >= '));
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'cli/main.ts'), 'run', scenario],
      { encoding: 'utf8', cwd: REPO_ROOT },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cluster-analysis-template\.yaml:\d+:\d+: .*invalid condition/);
  });
});
