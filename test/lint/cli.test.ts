import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { abs, BLOG_TEMPLATE, cli, fixture, overlay, where } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const DEMO = ['lint', '-k', abs(overlay('istio-prometheus')), abs(BLOG_TEMPLATE)];

describe('canarysim lint: exit codes and output', () => {
  it("exits 1 on the demo's manifests (two warnings): findings first as file:line:col: severity rule-id: message, then the timeline", async () => {
    const { code, stdout, stderr } = await cli(DEMO);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(
      /: warning nan-fails: ClusterAnalysisTemplate "success-rate": spec\.metrics\[0\]\.successCondition: /,
    );
    expect(
      lines[0]!.startsWith(
        `${where(BLOG_TEMPLATE, 'successCondition: result[0] >= 0.95', 18)}: warning nan-fails: `,
      ),
    ).toBe(true);
    expect(
      lines[1]!.startsWith(`${where(BLOG_TEMPLATE, 'result[0] >= 0.95', 6)}: warning unguarded-index: `),
    ).toBe(true);
    expect(stdout).toContain(
      'Rollout "silly-demo" (namespace default): canary, Istio traffic routing, 5 replicas',
    );
    expect(stdout).toMatch(/\n {2}7 +15m10\.8s +20m10\.8s +pause: 300\n/);
    expect(stdout).toContain('  total: 20m12.9s\n');
    expect(stdout).toMatch(/\n {2}background +success-rate +5m4\.5s +- +1 +- +1 +5m4\.5s +5m44\.5s\n/);
    expect(stdout).toContain('  no measurement during steps 0, 1, 3, 4, 5, 6, 7\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^0 errors, 2 warnings \(/);
  });

  it('--ignore drops the rules a team accepts: exit 0, counted as ignored; an unknown rule is invalid input', async () => {
    const ok = await cli([...DEMO, '--ignore', 'nan-fails', '--ignore', 'unguarded-index']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toMatch(/: warning /);
    expect(ok.stdout.trimEnd().split('\n').at(-1)).toMatch(/^0 errors, 0 warnings, 2 ignored \(/);
    const one = await cli([...DEMO, '--ignore', 'nan-fails']);
    expect(one.code).toBe(1);
    expect(one.stdout.trimEnd().split('\n').at(-1)).toMatch(/^0 errors, 1 warning, 1 ignored \(/);
    const bad = await cli([...DEMO, '--ignore', 'nan']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(
      /^canarysim: lint --ignore: unknown rule "nan" \(expected one of: invalid-manifest, not-simulated, duplicate-object, /,
    );
  });

  it('--json: the same findings and timeline as data, with the exit code', async () => {
    const { code, stdout } = await cli([...DEMO, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      findings: { file: string; line: number; col: number; severity: string; rule: string }[];
      rollouts: {
        totalSeconds: number;
        rows: { startSeconds: number }[];
        uncoveredSteps: number[];
        analyses: { runStartSeconds: number; measurements: number }[];
      }[];
      summary: { errors: number; warnings: number; exitCode: number };
    };
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.rule}`)).toEqual([
      `${where(BLOG_TEMPLATE, 'successCondition: result[0] >= 0.95', 18)} nan-fails`,
      `${where(BLOG_TEMPLATE, 'result[0] >= 0.95', 6)} unguarded-index`,
    ]);
    expect(report.rollouts[0]!.totalSeconds).toBe(1212.9);
    expect(report.rollouts[0]!.analyses[0]).toMatchObject({ runStartSeconds: 304.5, measurements: 1 });
    expect(report.summary).toMatchObject({ errors: 0, warnings: 2, ignoredRules: [], exitCode: 1 });
  });

  it('exits 1 on an error finding', async () => {
    const { code, stdout } = await cli([
      'lint',
      abs(fixture('app')),
      abs(fixture('success-rate-template')),
      abs(fixture('template-typo')),
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      `${where(fixture('template-typo'), 'templateName: sucess-rate', 14)}: error template-not-found: `,
    );
    expect(stdout).toMatch(/\n1 error, 0 warnings \(/);
  });

  it('exits 1 on a warning alone, 0 on clean manifests', async () => {
    const app = [abs(fixture('app')), abs(fixture('success-rate-template'))];
    expect((await cli(['lint', ...app, abs(fixture('undeclared-arg'))])).code).toBe(1);
    expect((await cli(['lint', ...app])).code).toBe(0);
  });

  it("a manifest Argo rejects (setHeaderRoute without managedRoutes) is an invalid-manifest finding in Argo's words: exit 1, no timeline", async () => {
    const { code, stdout, stderr } = await cli(['lint', abs(fixture('app')), abs(fixture('header-route'))]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toBe(
      `${where(fixture('header-route'), 'name: canary-header')}: error invalid-manifest: Rollout "web": spec.strategy.canary.trafficRouting.managedRoutes: Required value: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'`,
    );
    expect(stdout).toContain('Rollout "web" (namespace default): no timeline: it could not be read whole');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^1 error, 0 warnings \(/);
  });

  it('unparseable YAML: exit 2 with file:line:col', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-lint-'));
    dirs.push(dir);
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n');
    const { code, stdout, stderr } = await cli(['lint', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `${path.relative(process.cwd(), file).replaceAll('.', '\\.')}:5:3: invalid YAML: Map keys must be unique`,
      ),
    );
  });

  it('a scenario file alone is named as one: exit 2 with what to lint instead', async () => {
    const { code, stdout, stderr } = await cli(['lint', abs('scenarios/blog/scenario.yaml')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /scenario\.yaml: a canarysim scenario supplies settings only: lint the manifests it applies with it/,
    );
  });

  it('no inputs, or a file that does not exist: exit 2', async () => {
    expect((await cli(['lint'])).code).toBe(2);
    const missing = await cli(['lint', abs('test/lint/fixtures/nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: no such file/);
  });
});
