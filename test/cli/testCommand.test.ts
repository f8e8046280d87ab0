// `canarysim test`: finding scenarios, checking them all before any runs, the exit codes, and the
// outputs a CI server reads — JUnit XML checked against the Jenkins/Ant JUnit schema, the Markdown
// summary against a golden file, the JSON as `run --json` writes each report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { renderJunit } from '../../cli/report/junit.js';
import { MAX_MARKDOWN_BYTES, renderMarkdown } from '../../cli/report/markdown.js';
import { findScenarios, MAX_CANDIDATES, MAX_SCENARIOS } from '../../cli/suite/findScenarios.js';
import type { ScenarioOutcome } from '../../cli/suite/playScenario.js';
import { cliInRepo } from '../helpers/cliInRepo.js';
import { REPO_ROOT, runScenarioFile } from '../helpers/runScenarioFile.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SUITE = 'test/fixtures/suite';
const XSD = readFileSync(path.join(REPO_ROOT, 'test/fixtures/junit/junit-10.xsd'), 'utf8');

async function schemaErrors(xml: string): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: XSD }],
  });
  return r.errors.map((e) => e.rawMessage);
}

const cli = cliInRepo;

const rel = (files: string[]) => files.map((f) => path.relative(REPO_ROOT, f));

/** `canarysim test` on the suite's fixtures, in this process, with more flags. */
const suite = (...flags: string[]) => cli(['test', SUITE, '--root', '.', '--jobs', '1', ...flags]);

describe('canarysim test: which files are scenarios', () => {
  it('a folder finds the scenarios below it (a top-level timeline:), not the manifests beside them', () => {
    const { files, errors } = findScenarios(['scenarios/'], REPO_ROOT);
    expect(errors).toEqual([]);
    expect(rel(files)).toEqual([
      'scenarios/blog/scenario.yaml',
      'scenarios/blog/sweep.yaml',
      'scenarios/drills/blue-green/scenario.yaml',
      'scenarios/drills/dark-launch/scenario.yaml',
      'scenarios/drills/my-service/scenario.yaml',
      'scenarios/drills/podinfo/scenario.yaml',
      'scenarios/drills/rollouts-demo/scenario.yaml',
      'scenarios/drills/subset-split/scenario.yaml',
    ]);
    // service.yaml beside them is a manifest.
    expect(rel(findScenarios([SUITE], REPO_ROOT).files)).toEqual([
      `${SUITE}/aborted.yaml`,
      `${SUITE}/promoted.yaml`,
    ]);
  });

  it('globs are expanded (quoted in CI), each file once, in the order the arguments name them', () => {
    const { files, errors } = findScenarios(
      [`${SUITE}/p*.yaml`, 'scenarios/drills/*/scenario.yaml', `${SUITE}/*.yaml`, `${SUITE}/promoted.yaml`],
      REPO_ROOT,
    );
    expect(errors).toEqual([]);
    expect(rel(files)).toEqual([
      `${SUITE}/promoted.yaml`,
      ...['blue-green', 'dark-launch', 'my-service', 'podinfo', 'rollouts-demo', 'subset-split'].map(
        (d) => `scenarios/drills/${d}/scenario.yaml`,
      ),
      `${SUITE}/aborted.yaml`,
    ]);
  });

  it('a file named explicitly is a scenario whatever it holds; every name that finds none is an error', () => {
    const { files, errors } = findScenarios(
      [`${SUITE}/service.yaml`, 'no/such/dir', 'no/*.yaml', 'scenarios/blog/kustomize'],
      REPO_ROOT,
    );
    expect(rel(files)).toEqual([`${SUITE}/service.yaml`]);
    expect(errors.map((e) => e.message)).toEqual([
      'no/such/dir: no such file or folder',
      'no/*.yaml: matches no scenario (a scenario is a .yaml file with a top-level timeline:)',
      'scenarios/blog/kustomize: a folder without a scenario (a scenario is a .yaml file with a top-level timeline:)',
    ]);
  });
});

describe('canarysim test: its bounds (README, Limits)', () => {
  it('at most 1,000 scenarios at once, and 10,000 YAML files a folder offers for a look', () => {
    const many = path.join(tmp, 'many');
    mkdirSync(many);
    for (let i = 0; i <= MAX_SCENARIOS; i++) writeFileSync(path.join(many, `s${i}.yaml`), 'timeline: []\n');
    const over = findScenarios([many]);
    expect(over.files).toEqual([]);
    expect(over.errors.map((e) => e.message)).toEqual([
      '1,001 scenarios: canarysim test runs at most 1,000 at once',
    ]);
    rmSync(path.join(many, 's0.yaml'));
    expect(findScenarios([many]).files).toHaveLength(MAX_SCENARIOS);
    const yaml = path.join(tmp, 'yaml');
    mkdirSync(yaml);
    for (let i = 0; i <= MAX_CANDIDATES; i++) writeFileSync(path.join(yaml, `m${i}.yaml`), 'kind: Service\n');
    expect(findScenarios([yaml]).errors.map((e) => e.message)).toEqual([
      `${yaml}: more than 10,000 YAML files to look at (canarysim's limit); name the scenarios' folder`,
    ]);
  });
});

describe('canarysim test: a run and its outputs', () => {
  it('plays every scenario: exit 1 when an expectation fails; JUnit valid against the schema; Markdown as the golden file; JSON as run --json', async () => {
    const junit = path.join(tmp, 'junit.xml');
    const md = path.join(tmp, 'summary.md');
    const json = path.join(tmp, 'suite.json');
    const r = await suite('--junit', junit, '--markdown', md, '--json', json);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'FAIL test/fixtures/suite/aborted.yaml: 1/2 expectations held (seed 5, 5m50s simulated; silly-demo Degraded (aborted))',
        '  ✖ test/fixtures/suite/aborted.yaml:24:5: rollouts["silly-demo"].phase == "Healthy"',
        '      saw rollouts["silly-demo"].phase = "Degraded"',
        'PASS test/fixtures/suite/promoted.yaml: 3/3 expectations held (seed 3, 15s simulated; silly-demo Healthy)',
        '',
        '2 scenarios: 1 passed, 1 failed (4/5 expectations held)',
        '',
      ].join('\n'),
    );

    const xml = readFileSync(junit, 'utf8');
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml).toContain('<testsuites name="canarysim test" tests="5" failures="1" errors="0"');
    const failure = /<failure message="([^"]*)" type="expectation">([^<]*)<\/failure>/.exec(xml);
    expect(failure?.[2]).toBe(
      [
        'expected: rollouts[&quot;silly-demo&quot;].phase == &quot;Healthy&quot;'.replace(/&quot;/g, '"'),
        'at: test/fixtures/suite/aborted.yaml:24:5 (checked at 350 s simulated)',
        'saw: rollouts["silly-demo"].phase = "Degraded"',
      ].join('\n'),
    );

    expect(readFileSync(md, 'utf8')).toBe(
      readFileSync(path.join(REPO_ROOT, 'test/fixtures/suite.summary.md'), 'utf8'),
    );

    // Each report is the one `run --json` writes for that scenario and seed.
    const all = JSON.parse(readFileSync(json, 'utf8')) as {
      passed: boolean;
      scenarios: unknown[];
      invalid: unknown[];
    };
    expect(all.passed).toBe(false);
    expect(all.invalid).toEqual([]);
    const alone = await runScenarioFile(path.join(REPO_ROOT, SUITE, 'promoted.yaml'), undefined, REPO_ROOT);
    expect(all.scenarios[1]).toEqual(JSON.parse(JSON.stringify(alone.report)));
  });

  it('checks every scenario before any runs: each invalid one is a line on stderr, exit 2, nothing written', async () => {
    const dir = path.join(tmp, 'mixed');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'bad-wait.yaml'), 'name: a\ntimeline:\n  - wait: 5q\n');
    writeFileSync(path.join(dir, 'bad-seed.yaml'), 'seed: -1\ntimeline: []\n');
    const junit = path.join(tmp, 'mixed.xml');
    // The failing scenario of the suite is not played: nothing runs while one is invalid.
    const r = await cli(['test', SUITE, dir, 'no/such.yaml', '--root', '/', '--jobs', '1', '--junit', junit]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^canarysim: \S*no\/such\.yaml: .*(no such file|not found)/);
    expect(lines[1]).toMatch(/^canarysim: \S*mixed\/bad-seed\.yaml:1:7: scenario: seed: invalid value -1/);
    expect(lines[2]).toMatch(
      /^canarysim: \S*mixed\/bad-wait\.yaml:3:11: scenario: timeline\[0\]\.wait: invalid duration "5q"/,
    );
    expect(existsSync(junit)).toBe(false);
  });

  it('--set and --env apply to every scenario; one that does not fit a scenario says which', async () => {
    const json = path.join(tmp, 'seeded.json');
    const r = await suite('--set', 'seed=9', '--env', 'ISTIO_HOST=127.0.0.1.nip.io', '--json', json);
    expect(r.code).toBe(1);
    const seeded = JSON.parse(readFileSync(json, 'utf8')) as { scenarios: { scenario: { seed: number } }[] };
    expect(seeded.scenarios.map((s) => s.scenario.seed)).toEqual([9, 9]);
    const bad = await suite('--set', 'timeline[9].wait=1s');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      ['aborted', 'promoted']
        .map(
          (f) =>
            `canarysim: test/fixtures/suite/${f}.yaml: --set timeline[9].wait=1s: timeline has 8 entries (timeline[0] to timeline[7]; timeline[8] adds one)\n`,
        )
        .join(''),
    );
  });

  it('output files are checked before anything runs', async () => {
    const r = await cli(['test', SUITE, '--junit', path.join(tmp, 'missing/junit.xml')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^canarysim: --junit \S+: cannot write: folder \S+ does not exist\n$/);
    const same = path.join(tmp, 'same.out');
    const twice = await cli(['test', SUITE, '--junit', same, '--markdown', same]);
    expect(twice.code).toBe(2);
    expect(twice.err).toBe(
      `canarysim: --markdown ${same}: the same file as --junit; expected another file name\n`,
    );
    expect(twice.out).toBe('');
  });

  it('on worker threads (dist/): the same outputs whatever --jobs, and the same exit code', () => {
    const main = path.join(REPO_ROOT, 'dist/cli/main.js');
    const run = (jobs: string) => {
      const json = path.join(tmp, `jobs${jobs}.json`);
      const md = path.join(tmp, `jobs${jobs}.md`);
      const p = spawnSync(
        process.execPath,
        [
          main,
          'test',
          SUITE,
          'scenarios/drills/{podinfo,subset-split}/scenario.yaml',
          '--root',
          '.',
          '--jobs',
          jobs,
          '--json',
          json,
          '--markdown',
          md,
        ],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        },
      );
      return {
        code: p.status,
        out: p.stdout,
        json: readFileSync(json, 'utf8'),
        md: readFileSync(md, 'utf8'),
      };
    };
    const one = run('1');
    const two = run('2');
    const three = run('3');
    expect(one.code).toBe(1);
    expect(JSON.parse(one.json).scenarios).toHaveLength(4);
    for (const other of [two, three]) {
      expect(other.code).toBe(1);
      expect(other.out).toBe(one.out);
      expect(other.json).toBe(one.json);
      expect(other.md).toBe(one.md);
    }
  });
});

describe('reports into a pipe (dist/)', () => {
  /** canarysim with its stdout a real pipe (a shell's `|`; Node's own child stdio is a socket). */
  const piped = (args: string[]) =>
    spawnSync('bash', ['-o', 'pipefail', '-c', 'node dist/cli/main.js "$@" | cat', 'canarysim', ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });

  it('--junit /dev/stdout into a pipe: the XML alone on stdout, the lines on stderr; run --json /dev/stdout too', async () => {
    // /dev/stdout of a pipe resolves to /proc/PID/fd/pipe:[N], which is no path to stat.
    const t = piped(['test', SUITE, '--root', '.', '--jobs', '1', '--junit', '/dev/stdout']);
    expect(t.status).toBe(1);
    expect(t.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(await schemaErrors(t.stdout)).toEqual([]);
    expect(t.stderr).toContain('2 scenarios: 1 passed, 1 failed (4/5 expectations held)');
    const r = piped(['run', `${SUITE}/promoted.yaml`, '--root', '.', '-q', '--json', '/dev/stdout']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.slice(r.stdout.indexOf('\n{'))).toMatch(/^\n\{\n {2}"schemaVersion": 1,[^]*\n\}\n$/);
  });
});

describe('the JUnit and Markdown renderers', () => {
  const hostile: ScenarioOutcome[] = [
    {
      kind: 'ran',
      wallMs: 1235,
      summary: {
        file: 'a&b/<x>.yaml',
        name: 'quotes " and \' and ]]> and \u0001 and \ud800',
        seed: 1,
        passed: false,
        simulatedSeconds: 60,
        rollouts: [{ name: 'r', namespace: 'ns', phase: 'Degraded', step: '1/8', aborted: true }],
        expectations: [
          {
            condition: 'time < 5 && "<&>" != "\n"',
            source: 'a&b/<x>.yaml:3:5',
            t: 60,
            passed: false,
            observed: [{ path: 'time', value: 60 }],
          },
          { condition: '(hey)', source: 'a&b/<x>.yaml:4:5', t: 1, passed: false, error: 'boom\u0007 `|` **' },
          { condition: 'true', source: '--set expect[2]=true', t: 60, passed: true },
        ],
      },
    },
    {
      kind: 'invalid',
      file: 'bad.yaml',
      error: 'bad.yaml:3:5: requests past 10,000,000,000 <limit>',
      wallMs: 5,
    },
  ];

  it('writes XML the schema accepts whatever the text (markup, quotes, control characters, lone surrogates)', async () => {
    const xml = renderJunit(hostile);
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toContain(
      '<testsuites name="canarysim test" tests="4" failures="2" errors="1" time="1.240">',
    );
    expect(xml).toContain(
      '<error message="bad.yaml:3:5: requests past 10,000,000,000 &lt;limit&gt;" type="invalid input">',
    );
    expect(xml).toContain('\\u{1}');
    // The schema check itself can fail: a testcase without its name.
    expect(await schemaErrors(xml.replace('<testcase name=', '<testcase title='))).not.toEqual([]);
  });

  it('keeps Markdown within what a step summary holds, counting what it leaves out', () => {
    const many: ScenarioOutcome[] = Array.from({ length: 300 }, (_, i) => ({
      kind: 'ran',
      wallMs: 1,
      summary: {
        file: `s${i}.yaml`,
        name: `scenario ${i}`,
        seed: 1,
        passed: false,
        simulatedSeconds: 1,
        rollouts: [],
        expectations: Array.from({ length: 40 }, (_, j) => ({
          condition: `queries["q${j}"][0] > ${'9'.repeat(150)}`,
          source: `s${i}.yaml:${j + 1}:5`,
          t: 1,
          passed: false,
          observed: [{ path: `queries["q${j}"][0]`, value: 0.5 }],
        })),
      },
    }));
    const md = renderMarkdown(many);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
    expect(md).toMatch(
      /\n… \d+ more rows and failures not listed here \(a step summary holds 1 MiB\): see the JUnit report\.\n$/,
    );
    expect(md.match(/^\| ❌ /gm)).toHaveLength(300);
    const escaped = renderMarkdown(hostile);
    expect(escaped).toContain(
      '| ❌ | quotes " and \' and \\]\\]\\> and \u0001 and \ud800 | `a&b/<x>.yaml` |',
    );
    expect(escaped).toContain(
      '- `(hey)` at `4:5`, checked at 1 s: boom\u0007 \\`\\|\\` \\*\\*'.replace('\\|', '|'),
    );
  });
});
