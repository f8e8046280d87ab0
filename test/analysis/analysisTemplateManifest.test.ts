import { describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { parseTemplates } from './analysisHarness.js';

// AnalysisTemplate / ClusterAnalysisTemplate manifests (spec §5.1–§5.3, §5.8): what is accepted,
// and what is rejected with file:line:col before anything runs.

const HEAD = 'apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata:\n  name: t\nspec:\n';
const METRIC = `  metrics:
  - name: success-rate
    provider:
      prometheus:
        address: http://prom:9090
        query: q
`;

function parseError(spec: string): InputError {
  try {
    parseTemplates(HEAD + spec);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('parsed without error');
}

const at = (e: InputError) => `${e.pos?.line}:${e.pos?.col}`;

describe('spec fields', () => {
  it('accepts templates, dryRun and measurementRetention', () => {
    const [t] = parseTemplates(
      HEAD +
        `  templates:
  - templateName: other
  - templateName: shared
    clusterScope: true
  dryRun:
  - metricName: ^success
  measurementRetention:
  - metricName: .*
    limit: 20
` +
        METRIC,
    );
    expect(t!.spec.templates.map((r) => [r.templateName, r.clusterScope])).toEqual([
      ['other', false],
      ['shared', true],
    ]);
    expect(t!.spec.dryRun.map((r) => r.metricName)).toEqual(['^success']);
    expect(t!.spec.measurementRetention.map((r) => [r.metricName, r.limit])).toEqual([['.*', 20]]);
  });

  it('a template may have only nested templates, but not nothing at all', () => {
    expect(parseTemplates(HEAD + '  templates:\n  - templateName: x\n')[0]!.spec.metrics).toEqual([]);
    expect(parseError('  args: []\n').message).toBe(
      'AnalysisTemplate "t": spec.metrics: required field is missing (a template needs metrics or templates)',
    );
    expect(parseError('  metrics: []\n').message).toMatch(/no metrics specified/);
  });

  it('placeholders are resolved per run, not per template: unknown ones parse', () => {
    const [t] = parseTemplates(
      HEAD + METRIC.replace('query: q', 'query: "x{a=\\"{{args.declared.elsewhere}}\\"}"'),
    );
    expect(t!.spec.metrics[0]!.provider.prometheus.query).toBe('x{a="{{args.declared.elsewhere}}"}');
  });
});

describe('rejected with a position', () => {
  it('a metric-level dryRun is no Argo field', () => {
    const e = parseError(
      METRIC.replace('  - name: success-rate\n', '  - name: success-rate\n    dryRun: true\n'),
    );
    expect(e.message).toMatch(/spec\.metrics\[0\]\.dryRun: unknown field "dryRun"/);
    expect(at(e)).toBe('8:5');
  });

  it.each([
    ['(?=total)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['*', 'missing argument to repetition operator: `*`'],
  ])('a dryRun metricName %j that is no Go regexp', (pattern, why) => {
    const e = parseError(`  dryRun:\n  - metricName: ${JSON.stringify(pattern)}\n` + METRIC);
    expect(e.message).toContain(
      `spec.dryRun[0].metricName: invalid metricName regexp ${JSON.stringify(pattern)}`,
    );
    expect(e.message).toContain(why);
    expect(at(e)).toBe('7:17');
  });

  it("a dryRun metricName over canarysim's regex limits is not supported, at its position", () => {
    const pattern = 'a{1000}'.repeat(51);
    const e = parseError(`  dryRun:\n  - metricName: ${JSON.stringify(pattern)}\n` + METRIC);
    expect(e.message).toContain(
      `spec.dryRun[0].metricName: not supported by canarysim: metricName regexp ${JSON.stringify(pattern)}: regex too large (compiles to 51002 instructions; at most 50000)`,
    );
    expect(at(e)).toBe('7:17');
  });

  it('a measurementRetention metricName that is no Go regexp', () => {
    const e = parseError('  measurementRetention:\n  - metricName: "a{2000}"\n    limit: 3\n' + METRIC);
    expect(e.message).toContain('invalid repeat count');
    expect(at(e)).toBe('7:17');
  });

  it('the same rule twice', () => {
    const e = parseError('  dryRun:\n  - metricName: a\n  - metricName: a\n' + METRIC);
    expect(e.message).toBe(
      'AnalysisTemplate "t": spec.dryRun[1].metricName: two Dry-Run metric rules have the same name \'a\'',
    );
    expect(at(e)).toBe('8:17');
    const r = parseError(
      '  measurementRetention:\n  - metricName: a\n    limit: 1\n  - metricName: a\n    limit: 2\n' + METRIC,
    );
    expect(r.message).toContain("two Measurement Retention metric rules have the same name 'a'");
  });

  it('a retention rule without its limit', () => {
    expect(parseError('  measurementRetention:\n  - metricName: a\n' + METRIC).message).toContain(
      'spec.measurementRetention[0].limit: required field is missing',
    );
  });

  it('template args taken from a Secret or a field are not simulated', () => {
    const e = parseError(
      '  args:\n  - name: token\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n' + METRIC,
    );
    expect(e.message).toBe(
      'AnalysisTemplate "t": spec.args[0].valueFrom: not supported by canarysim: this field is not simulated (remove it to rehearse without it)',
    );
    expect(at(e)).toBe('8:5');
  });

  it('a nested template reference with an unknown field', () => {
    expect(parseError('  templates:\n  - templateName: x\n    namespace: y\n').message).toMatch(
      /spec\.templates\[0\]\.namespace: unknown field "namespace"/,
    );
  });

  it('count below failureLimit or inconclusiveLimit', () => {
    const m = (f: string) =>
      METRIC.replace('    provider:', `    interval: 1m\n    count: 2\n    ${f}\n    provider:`);
    expect(parseError(m('failureLimit: 3')).message).toMatch(
      /spec\.metrics\[0\]\.count: count must be >= failureLimit$/,
    );
    expect(parseError(m('inconclusiveLimit: 3')).message).toMatch(/count must be >= inconclusiveLimit$/);
  });
});
