import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../cli/lint/index.js';
import { HEADER, writeInline } from '../helpers/inlineScenario.js';
import { abs, BLOG_TEMPLATE, cli, fixture, overlay, REPO_ROOT, shown, where } from './helpers.js';

/*
 * `lint` as a CI job runs it: which findings fail the job (--fail-on), the JSON it can always
 * parse (exit 2 included), and the settings its timing checks assume (scrape interval, Argo
 * Rollouts version: flags, else a scenario among the inputs).
 */

/** A temp folder (removed at exit) holding these files, beside a copy of the blog's. */
const tempDir = (files: Record<string, string>) => path.dirname(writeInline('', files));

/** The blog's manifests: two warnings (nan-fails, unguarded-index), no errors. */
const DEMO = ['lint', '-k', abs(overlay('istio-prometheus')), abs(BLOG_TEMPLATE)];

interface Report {
  findings: { file: string; line: number; col: number; severity: string; rule: string; message: string }[];
  rollouts: unknown[];
  untimedRollouts: unknown[];
  summary: { errors: number; warnings: number; failOn: string; exitCode: number; ignoredRules: string[] };
}
const report = (stdout: string) => JSON.parse(stdout) as Report;

describe('lint --fail-on', () => {
  it('warning (the default): any finding exits 1; error: warnings alone exit 0 and are still printed', async () => {
    expect((await cli(DEMO)).code).toBe(1);
    expect((await cli([...DEMO, '--fail-on', 'warning'])).code).toBe(1);
    const lenient = await cli([...DEMO, '--fail-on', 'error']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/: warning nan-fails: /);
    expect(lenient.stdout.trimEnd().split('\n').at(-1)).toMatch(/^0 errors, 2 warnings \(/);
    const json = await cli([...DEMO, '--fail-on', 'error', '--json']);
    expect(json.code).toBe(0);
    expect(report(json.stdout).summary).toMatchObject({ warnings: 2, failOn: 'error', exitCode: 0 });
  });

  it('error: an error-level finding still exits 1', async () => {
    const files = [fixture('app'), fixture('success-rate-template'), fixture('template-typo')].map(abs);
    const { code, stdout } = await cli(['lint', '--fail-on', 'error', ...files]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/: error template-not-found: /);
  });

  it('another value is invalid input: one line, exit 2', async () => {
    const { code, stdout, stderr } = await cli([...DEMO, '--fail-on', 'warnings']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('canarysim: lint --fail-on: invalid value "warnings": expected error or warning\n');
  });
});

describe('lint --json on invalid input (exit 2)', () => {
  it('YAML that does not parse and a missing file: each an `input` finding in the usual shape; stderr keeps its one line', async () => {
    const dir = tempDir({
      'broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n',
      'ok.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n',
    });
    const broken = path.join(dir, 'broken.yaml');
    const missing = path.join(dir, 'missing.yaml');
    const plain = await cli(['lint', broken, missing, path.join(dir, 'ok.yaml')]);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe('');
    const { code, stdout, stderr } = await cli([
      'lint',
      '--json',
      broken,
      missing,
      path.join(dir, 'ok.yaml'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(plain.stderr);
    expect(stderr.split('\n')).toHaveLength(2);
    const r = report(stdout);
    expect(r.findings.map((f) => [f.file, f.rule, f.severity])).toEqual([
      [path.relative(process.cwd(), broken), 'input', 'error'],
      [path.relative(process.cwd(), missing), 'input', 'error'],
    ]);
    // The parse error where the YAML library places it, as the one-line error says.
    const [first, second] = r.findings;
    expect(stderr).toBe(`canarysim: ${first!.file}:${first!.line}:${first!.col}: ${first!.message}\n`);
    expect(first!.line).toBeGreaterThan(0);
    expect(second).toMatchObject({ line: 0, col: 0, message: `${second!.file}: no such file` });
    expect(r.rollouts).toEqual([]);
    expect(r.untimedRollouts).toEqual([]);
    expect(r.summary).toMatchObject({ errors: 2, warnings: 0, exitCode: 2 });
  });

  const EXAMPLES = path.resolve(REPO_ROOT, '../shared/argo-examples');
  it.skipIf(!existsSync(EXAMPLES))(
    "a Helm template and a kustomization whose resource is missing (Argo's own examples)",
    async () => {
      const helm = path.join(EXAMPLES, 'helm-blue-green/templates/rollout.yaml');
      const kust = path.join(EXAMPLES, 'notifications');
      const { code, stdout } = await cli(['lint', '--json', '--root', EXAMPLES, helm, '-k', kust]);
      expect(code).toBe(2);
      const r = report(stdout);
      // -k inputs are read first, then files.
      expect(r.findings.map((f) => `${f.rule} ${path.basename(f.file)}:${f.line}:${f.col}`)).toEqual([
        'input kustomization.yaml:5:3',
        'input rollout.yaml:4:9',
      ]);
      expect(r.findings[0]!.message).toMatch(/resources\[0\]: "\.\.\/\.\.\/manifests\/notifications"/);
      expect(r.findings[1]!.message).toMatch(
        /this is a Helm template \(\{\{ template "helm-guestbook\.fullname" \. \}\}\)/,
      );
    },
  );

  it('a bad flag: the same shape, with no file', async () => {
    const { code, stdout, stderr } = await cli([...DEMO, '--json', '--ignore', 'nan']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^canarysim: lint --ignore: unknown rule "nan"/);
    const r = report(stdout);
    expect(r.findings).toEqual([
      expect.objectContaining({ file: '', line: 0, col: 0, rule: 'input', severity: 'error' }),
    ]);
    expect(r.summary.exitCode).toBe(2);
    const input = await cli([...DEMO, '--ignore', 'input']);
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/rule "input" cannot be ignored/);
  });
});

describe('lint: the settings the timing checks assume', () => {
  const SHORT = abs(fixture('short-range'));
  const rules = async (args: string[]) => {
    const { stdout } = await cli(['lint', '--json', ...args]);
    return report(stdout).findings.map((f) => `${f.rule} ${f.line}:${f.col}`);
  };

  it('--scrape-interval: at 10s every range of the fixture is long enough; at 1m, [1m] is too', async () => {
    expect(await rules(['--scrape-interval', '10s', SHORT])).toEqual([]);
    const slow = await cli(['lint', '--scrape-interval', '1m', SHORT]);
    const at = (needle: string) => where(fixture('short-range'), needle, 1);
    expect(slow.stdout).toContain(`${at('}[1m]')}: warning range-too-short: `);
    expect(slow.stdout).toMatch(
      /the range \[1m0s\] holds at most one sample of a series when Prometheus scrapes every 1m0s \(--scrape-interval\): increase\(\) needs two samples/,
    );
    // absent_over_time answers for an empty window: never flagged.
    expect(slow.stdout).not.toContain(`${at('}[15s]))')}:`);
    const bad = await cli(['lint', '--scrape-interval', '500ms', SHORT]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'canarysim: invalid --scrape-interval "500ms": expected a duration of at least 1s\n',
    );
  });

  it('a scenario among the inputs supplies its scrape interval and Argo version; flags win', async () => {
    const file = writeInline(`${HEADER}
argoRollouts: "1.7"
prometheus:
  scrapeInterval: 5m
timeline:
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
`);
    const dir = path.dirname(file);
    const args = ['--root', dir, '-k', path.join(dir, 'kustomize/overlays/istio-prometheus')];
    const template = path.join(dir, 'cluster-analysis-template.yaml');
    const { code, stdout } = await cli(['lint', ...args, template, file]);
    expect(code).toBe(1);
    // irate(…[5m]) against a 5m scrape: one sample in the window.
    expect(stdout).toMatch(
      new RegExp(
        `: warning range-too-short: .*the range \\[5m0s\\] holds at most one sample of a series when Prometheus scrapes every 5m0s \\(the scrape interval of ${shown(path.relative(REPO_ROOT, file)).replace(/[.]/g, '\\.')}\\)`,
      ),
    );
    expect(stdout).toContain(
      'Argo Rollouts 1.7 says: Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: reflect: slice index out of range"',
    );
    const flags = await cli([
      'lint',
      ...args,
      '--scrape-interval',
      '30s',
      '--argo-version',
      '1.10',
      template,
      file,
    ]);
    expect(flags.stdout).not.toMatch(/range-too-short/);
    expect(flags.stdout).toContain(
      'Argo Rollouts 1.10 says: Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider"',
    );
  });

  it('--argo-version names a profile canarysim has', async () => {
    const { code, stderr } = await cli([...DEMO, '--argo-version', '1.11']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'canarysim: lint --argo-version: invalid value "1.11": expected one of 1.7, 1.8, 1.9, 1.10\n',
    );
  });
});

describe('docs/lint.md', () => {
  it('lists every rule with its severity, and README names every rule a query can break', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/lint.md'), 'utf8');
    for (const [id, r] of Object.entries(RULES)) expect(doc, id).toContain(`| \`${id}\` | ${r.severity} |`);
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const id of [
      'range-too-short',
      'unknown-metric',
      'unknown-label',
      'label-value-never-set',
      'selector-service-not-found',
      'selector-workload-not-found',
    ])
      expect(readme, id).toContain(`| \`${id}\` |`);
  });
});
