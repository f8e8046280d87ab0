import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { cli } from '../lint/helpers.js';

// `canarysim explain REPORT.json` and `run --explain`: the same text; a file that is not a
// canarysim report is one line at its line:col and exit 2.

const PODINFO = path.join(REPO_ROOT, 'scenarios/drills/podinfo/scenario.yaml');
let dir = '';
let report = '';
let runOut = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'canarysim-explain-'));
  report = path.join(dir, 'report.json');
  const r = await cli(['run', PODINFO, '-q', '--json', report, '--explain']);
  expect(r.code).toBe(0);
  runOut = r.stdout;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('canarysim explain', () => {
  it('prints what run --explain printed at the end of the run', async () => {
    const r = await cli(['explain', report]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(runOut.endsWith(`\n${r.stdout}`)).toBe(true);
    expect(runOut.indexOf('PASS: ')).toBeLessThan(runOut.indexOf(r.stdout));
    // podinfo's step analysis: the success rate fails at the first measurement with data, after
    // two errors on an empty result (§6.3), and the step-based abort follows (§5.9).
    expect(r.stdout).toContain('Step analysis podinfo-');
    expect(r.stdout).toMatch(
      /returned no series \(\[\]\); `result\[0\] >= 0\.95` could not be evaluated \(.+\) → Error; consecutiveErrors \(1\) <= consecutiveErrorLimit \(4\); retried 10 s later/,
    );
    expect(r.stdout).toMatch(
      /is false → Failed; failed \(1\) > failureLimit \(0\) → metric Failed → run Failed → Rollout aborted \(step 2\/4, setWeight 25\)/,
    );
    expect((await cli(['explain', report, '--rollout', 'podinfo'])).stdout).toBe(r.stdout);
  });

  const bad = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it.each<[string, () => string[], RegExp]>([
    [
      'an unknown --rollout',
      () => ['explain', report, '--rollout', 'nope'],
      /^canarysim: invalid --rollout "nope": .*report\.json has no such rollout; expected one of podinfo\n$/,
    ],
    [
      'bad JSON',
      () => ['explain', bad('bad.json', '{\n  "a": 1,,\n}')],
      /^canarysim: .*bad\.json:2:10: not JSON \(.+\); expected a canarysim JSON report \(run --json FILE\)\n$/,
    ],
    [
      'an empty file',
      () => ['explain', bad('empty.json', '')],
      /^canarysim: .*empty\.json:1:1: not JSON \(unexpected end\); expected a canarysim JSON report/,
    ],
    [
      'another schema version',
      () => ['explain', bad('v2.json', '{\n  "schemaVersion": 2\n}\n')],
      /^canarysim: .*v2\.json:2:20: schemaVersion: 2 is not a report schema this canarysim reads; expected 1\n$/,
    ],
    [
      'no schema version',
      () => ['explain', bad('other.json', '{"kind": "Rollout"}')],
      /^canarysim: .*other\.json:1:1: not a canarysim report \(no schemaVersion\); expected a report written by run --json\n$/,
    ],
    [
      'an array',
      () => ['explain', bad('array.json', '[1, 2]')],
      /^canarysim: .*array\.json:1:1: an array: expected a canarysim JSON report \(an object\)\n$/,
    ],
    [
      'a field of the wrong type, at its line:col',
      () => {
        const json = JSON.parse(readFileSync(report, 'utf8')) as {
          analysisRuns: Record<string, { metrics: { measurements: { t: unknown }[] }[] }>;
        };
        Object.values(json.analysisRuns)[0]!.metrics[0]!.measurements[0]!.t = 'soon';
        return ['explain', bad('typed.json', JSON.stringify(json, null, 2))];
      },
      /^canarysim: .*typed\.json:\d+:\d+: analysisRuns\["podinfo-[0-9a-f]+-2-1"\]\.metrics\[0\]\.measurements\[0\]\.t: "soon": expected a number\n$/,
    ],
    ['a folder', () => ['explain', dir], /^canarysim: .*: is a folder; expected a file\n$/],
    [
      'no such file',
      () => ['explain', path.join(dir, 'none.json')],
      /^canarysim: .*none\.json: no such file\n$/,
    ],
  ])('%s: one line, exit 2', async (_, argv, stderr) => {
    const r = await cli(argv());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(stderr);
  });

  it('the wrong-typed field is pointed at where it stands in the file', async () => {
    const json = JSON.parse(readFileSync(report, 'utf8')) as { startTime: unknown };
    json.startTime = 12;
    const text = JSON.stringify(json, null, 2);
    const r = await cli(['explain', bad('start.json', text)]);
    const line = text.split('\n').findIndex((l) => l.startsWith('  "startTime": 12')) + 1;
    expect(r.stderr).toBe(
      `canarysim: ${path.relative(process.cwd(), path.join(dir, 'start.json'))}:${line}:16: startTime: 12: expected a string\n`,
    );
  });

  it("a `test --json` file: each scenario's report under its file name", async () => {
    const one = JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown>;
    const suite = { schemaVersion: 1, passed: true, scenarios: [one, structuredClone(one)], invalid: [] };
    const r = await cli(['explain', bad('suite.json', JSON.stringify(suite))]);
    const single = (await cli(['explain', report])).stdout;
    const file = (one['scenario'] as { file: string }).file;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`== ${file}\n\n${single}\n== ${file}\n\n${single}`);
    (suite.scenarios[1] as Record<string, unknown>)['rollouts'] = [];
    const broken = await cli(['explain', bad('suite2.json', JSON.stringify(suite))]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /^canarysim: .*suite2\.json:1:\d+: scenarios\[1\]\.rollouts: an array: expected an object\n$/,
    );
  });

  it('a report without analysis says so', async () => {
    const r = await cli([
      'run',
      path.join(REPO_ROOT, 'test/fixtures/scenarios/split.yaml'),
      '-q',
      '--root',
      REPO_ROOT,
      '--explain',
    ]);
    expect(r.stdout).toContain('Rollout silly-demo (namespace a-team): ');
    expect(r.stdout.trimEnd().endsWith('no analysis runs and no aborts')).toBe(true);
  });
});
