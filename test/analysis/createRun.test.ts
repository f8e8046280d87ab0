import { describe, expect, it } from 'vitest';
import { Harness, template } from './analysisHarness.js';

// spec/argo-rollouts.md §5.1 (names, labels), §5.3 (args), §9 facts 33 and 34.

const PROM = `provider:
      prometheus:
        address: http://prom:9090`;

/** A template with one metric whose query uses the given text. */
function withQuery(name: string, args: string, query: string, extra = ''): string {
  return template(
    name,
    `${args}
metrics:
  - name: ${name}-metric
${extra}    ${PROM}
        query: ${JSON.stringify(query)}`,
  );
}

describe('args (§5.3)', () => {
  it('template args come first; a Rollout arg of the same name overrides the default', async () => {
    const h = new Harness(
      withQuery(
        't',
        'args:\n  - name: service\n  - name: ns\n    value: default-ns',
        '{{args.service}}/{{args.ns}}',
      ),
    );
    const name = h.start('t', {
      analysis: {
        args: [
          { name: 'ns', value: 'prod' },
          { name: 'service', value: 'web' },
        ],
      },
    });
    expect(h.run(name).args).toEqual([
      { name: 'service', value: 'web' },
      { name: 'ns', value: 'prod' },
    ]);
    await h.at(0);
    expect(h.queries.map((q) => q.query)).toEqual(['web/prod']);
  });

  it('9.33: a Rollout arg no template declares is dropped, not an error', async () => {
    const h = new Harness(withQuery('t', 'args:\n  - name: service', 'x{{args.service}}'));
    const name = h.start('t', {
      analysis: {
        args: [
          { name: 'service', value: 'web' },
          { name: 'servcie-typo', value: 'oops' },
        ],
      },
    });
    expect(h.run(name).args).toEqual([{ name: 'service', value: 'web' }]);
    await h.at(0);
    expect(h.run(name).phase).toBe('Successful');
  });

  it('9.33: a template arg without a value that the Rollout does not supply is not resolved', () => {
    const h = new Harness(withQuery('t', 'args:\n  - name: service', 'x{{args.service}}'));
    const out = h.create('t', { analysis: { args: [{ name: 'other', value: 'x' }] } });
    expect(out).toMatchObject({ error: 'args.service was not resolved', invalidSpec: true });
    expect(h.ctrl.namesOf('default', 'ro')).toEqual([]);
  });

  it('a Rollout arg written without a value sets the arg to ""', async () => {
    const h = new Harness(withQuery('t', 'args:\n  - name: suffix\n    value: -x', 'a{{args.suffix}}b'));
    h.start('t', { analysis: { args: [{ name: 'suffix' }] } });
    await h.at(0);
    expect(h.queries[0]!.query).toBe('ab');
  });

  it('valueFrom.podTemplateHashValue: Latest is the new pod hash, Stable the stable one', async () => {
    const h = new Harness(
      withQuery('t', 'args:\n  - name: canary\n  - name: stable', '{{args.canary}} vs {{args.stable}}'),
    );
    h.start('t', {
      podHash: 'abc123',
      stablePodHash: 'def456',
      analysis: {
        args: [
          { name: 'canary', valueFrom: { podTemplateHashValue: 'Latest' } },
          { name: 'stable', valueFrom: { podTemplateHashValue: 'Stable' } },
        ],
      },
    });
    await h.at(0);
    expect(h.queries[0]!.query).toBe('abc123 vs def456');
  });

  it.each([
    ['metadata.name', 'ro'],
    ['metadata.namespace', 'default'],
    ["metadata.labels['env']", 'prod'],
    ["metadata.labels['missing']", ''],
    ["metadata.annotations['example.com/team']", 'a-team'],
    ['metadata.labels', 'app="ro"\nenv="prod"'],
    ['spec.template.metadata.labels.version', 'v2'],
    ['spec.strategy.canary.steps[0].setWeight', '20'],
    ['status.canary.weights.canary.weight', '20'],
    ['spec.paused', 'false'],
    ['status.big', '1e+06'],
  ])('valueFrom.fieldRef %s → %j', async (fieldPath, expected) => {
    const h = new Harness(withQuery('t', 'args:\n  - name: v', '{{args.v}}'));
    h.start('t', { analysis: { args: [{ name: 'v', valueFrom: { fieldRef: { fieldPath } } }] } });
    await h.at(0);
    expect(h.queries[0]!.query).toBe(expected);
  });

  it.each([
    ['spec.template', 'path spec.template in rollout must terminate in a primitive value'],
    ['spec.nothing.here', 'invalid path spec.nothing.here in rollout'],
    ['spec.strategy.canary.steps[7].setWeight', 'index 7 out of range'],
    ['spec.strategy.canary.steps.first', "invalid index 'first'"],
    ['metadata.generation', 'unsupported fieldPath: metadata.generation'],
    ["metadata.name['x']", 'fieldPath "metadata.name[\'x\']" does not support subscript'],
  ])('a fieldRef %s that cannot be read fails run creation: %s', (fieldPath, error) => {
    const h = new Harness(withQuery('t', 'args:\n  - name: v\n    value: d', '{{args.v}}'));
    const out = h.create('t', {
      analysis: { args: [{ name: 'v', valueFrom: { fieldRef: { fieldPath } } }] },
    });
    expect(out).toEqual({ error });
    expect(h.ctrl.namesOf('default', 'ro')).toEqual([]);
  });

  it('a metadata fieldRef that fails drops every Rollout arg for validation (Argo’s nil list)', () => {
    const h = new Harness(withQuery('t', 'args:\n  - name: v', '{{args.v}}'));
    const out = h.create('t', {
      analysis: { args: [{ name: 'v', valueFrom: { fieldRef: { fieldPath: 'metadata.bogus' } } }] },
    });
    expect(out).toMatchObject({ error: 'args.v was not resolved', invalidSpec: true });
  });

  it('two templates giving one arg different defaults is an error; the same default is fine', () => {
    const clash = new Harness(
      withQuery('a', 'args:\n  - name: x\n    value: "1"', '{{args.x}}') +
        withQuery('b', 'args:\n  - name: x\n    value: "2"', '{{args.x}}'),
    );
    expect(clash.create(['a', 'b'])).toMatchObject({
      error: "Argument `x` specified multiple times with different values: '1', '2'",
      invalidSpec: true,
      fieldError:
        'spec.strategy.canary.analysis.templates: Invalid value: "templateNames: [a b]": ' +
        "Argument `x` specified multiple times with different values: '1', '2'",
    });
    const agree = new Harness(
      withQuery('a', 'args:\n  - name: x', '{{args.x}}') +
        withQuery('b', 'args:\n  - name: x\n    value: "2"', '{{args.x}}'),
    );
    const name = agree.start(['a', 'b'], { analysis: { args: [{ name: 'x', value: '3' }] } });
    expect(agree.run(name).args).toEqual([{ name: 'x', value: '3' }]);
  });

  it('duplicate metric names across templates: two metrics have the same name', () => {
    const h = new Harness(
      withQuery('a', '', 'q') + withQuery('a2', '', 'q').replace('a2-metric', 'a-metric'),
    );
    expect(h.create(['a', 'a2'])).toMatchObject({
      error: "two metrics have the same name 'a-metric'",
      invalidSpec: true,
    });
  });

  it('a missing template is a validation error naming it', () => {
    const h = new Harness(withQuery('t', '', 'q'));
    expect(h.create('nope')).toEqual({
      error: "AnalysisTemplate 'nope' not found",
      invalidSpec: true,
      fieldError:
        'spec.strategy.canary.analysis.templates: Invalid value: "nope": AnalysisTemplate \'nope\' not found',
    });
    expect(h.create([{ templateName: 'nope', clusterScope: true }])).toMatchObject({
      error: "ClusterAnalysisTemplate 'nope' not found",
    });
  });

  it('values are substituted verbatim in every field, `{{ args.x }}` with spaces too', async () => {
    const h = new Harness(
      template(
        't',
        `args:
  - name: threshold
  - name: limit
  - name: every
metrics:
  - name: m
    interval: "{{args.every}}"
    count: "{{ args.limit }}"
    successCondition: result[0] >= {{ args.threshold }}
    ${PROM}
        query: 'sum(x{a="{{args.threshold}}"})'`,
      ),
      () => [0.5],
    );
    const name = h.start('t', {
      analysis: {
        args: [
          { name: 'threshold', value: '0.4' },
          { name: 'limit', value: '2' },
          { name: 'every', value: '30s' },
        ],
      },
    });
    await h.at(60_000);
    expect(h.times('sum(x{a="0.4"})')).toEqual([0, 30]);
    expect(h.run(name).phase).toBe('Successful');
  });
});

describe('{{…}} that no arg resolves (§5.3, §9.34)', () => {
  const tpl = withQuery(
    't',
    'args:\n  - name: service\n    value: web',
    'rate(x{s="{{args.service}}",m="{{args.missing}}"}[5m])',
  );

  it('9.34 background: the run is created and ends Error at its first reconcile', async () => {
    const h = new Harness(tpl);
    const name = h.start('t');
    expect(h.run(name).phase).toBe('');
    await h.at(0);
    expect(h.run(name)).toMatchObject({
      phase: 'Error',
      message: 'Unable to resolve metric arguments: failed to resolve {{args.missing}}',
    });
    expect(h.queries).toEqual([]);
  });

  it('9.34 step, pre- and post-promotion: Rollout validation rejects it before any run exists', () => {
    const h = new Harness(tpl);
    expect(h.create('t', { kind: 'Step', stepIndex: 2 })).toEqual({
      error: 'AnalysisTemplate t: failed to resolve {{args.missing}}',
      invalidSpec: true,
      fieldError:
        'spec.strategy.canary.steps[2].analysis.templates: Invalid value: "t": AnalysisTemplate t: failed to resolve {{args.missing}}',
    });
    expect(h.create('t', { kind: 'PrePromotion' })).toMatchObject({ invalidSpec: true });
    expect(h.create('t', { kind: 'PostPromotion' })).toMatchObject({
      fieldError: expect.stringMatching(/^spec\.strategy\.blueGreen\.postPromotionAnalysis\.templates: /),
    });
    expect(h.ctrl.namesOf('default', 'ro')).toEqual([]);
  });

  it('reports the tag as written, the last one in field order', async () => {
    const h = new Harness(
      template(
        't',
        `metrics:
  - name: m
    successCondition: "{{ args.first }} > 1"
    ${PROM}
        query: "{{ templates.x.podTemplateHash }}"`,
      ),
    );
    const name = h.start('t');
    await h.at(0);
    expect(h.run(name).message).toBe(
      'Unable to resolve metric arguments: failed to resolve {{ templates.x.podTemplateHash }}',
    );
  });

  it('an arg value Go’s JSON round trip cannot carry (a control character) fails the same way', async () => {
    const h = new Harness(withQuery('t', 'args:\n  - name: v', '{{args.v}}'));
    const name = h.start('t', { analysis: { args: [{ name: 'v', value: 'bell\u0007' }] } });
    await h.at(0);
    expect(h.run(name).message).toBe(
      "Unable to resolve metric arguments: invalid character 'a' in string escape code",
    );
  });

  it('step templates validate each template with its own args ("dummy-value" for required ones)', () => {
    const h = new Harness(withQuery('t', 'args:\n  - name: service', '{{args.service}}'));
    const name = h.start('t', {
      kind: 'Step',
      stepIndex: 0,
      analysis: { args: [{ name: 'service', value: 'w' }] },
    });
    expect(name).toBe('ro-newhash-2-0');
  });
});

describe('step, pre- and post-promotion metrics must end (§5.2)', () => {
  it.each([
    ['interval: 1m', '<nil>'],
    ['interval: 1m\n    count: 0', '0'],
  ])('%s → InvalidSpec "runs indefinitely … count: %s"', (fields, shown) => {
    const h = new Harness(
      template('t', `metrics:\n  - name: success-rate\n    ${fields}\n    ${PROM}\n        query: q`),
    );
    for (const kind of ['Step', 'PrePromotion', 'PostPromotion'] as const) {
      expect(h.create('t', { kind, stepIndex: 1 })).toMatchObject({
        error: `AnalysisTemplate t has metric success-rate which runs indefinitely. Invalid value for count: ${shown}`,
        invalidSpec: true,
      });
    }
    expect(h.create('t')).toHaveProperty('name', 'ro-newhash-2');
  });

  it('a count taken from an arg is read as Argo reads it for validation (the default, or "dummy-value" → 0)', () => {
    const body = (arg: string) =>
      template(
        't',
        `args:\n  - name: n${arg}\nmetrics:\n  - name: m\n    interval: 1m\n    count: "{{args.n}}"\n    ${PROM}\n        query: q`,
      );
    const withDefault = new Harness(body('\n    value: "3"'));
    expect(withDefault.create('t', { kind: 'Step' })).toHaveProperty('name');
    const required = new Harness(body(''));
    expect(
      required.create('t', { kind: 'Step', analysis: { args: [{ name: 'n', value: '3' }] } }),
    ).toMatchObject({
      error: 'AnalysisTemplate t has metric m which runs indefinitely. Invalid value for count: dummy-value',
    });
  });

  it('a bounded metric is fine: count, or no interval (one measurement)', () => {
    const h = new Harness(
      template(
        't',
        `metrics:\n  - name: a\n    interval: 1m\n    count: 3\n    ${PROM}\n        query: q\n  - name: b\n    ${PROM}\n        query: q`,
      ),
    );
    expect(h.create('t', { kind: 'Step', stepIndex: 3 })).toEqual({ name: 'ro-newhash-2-3' });
  });

  it('background templates: a required arg the Rollout does not pass is named', () => {
    const h = new Harness(
      withQuery('a', 'args:\n  - name: x', '{{args.x}}') +
        withQuery('b', 'args:\n  - name: x\n    value: "2"', '{{args.x}}'),
    );
    expect(h.create(['a', 'b'])).toMatchObject({
      error: 'missing analysis arguments in rollout spec',
      fieldError:
        'spec.strategy.canary.analysis.templates: Invalid value: "a": missing analysis arguments in rollout spec',
    });
    expect(h.create(['a', 'b'], { analysis: { args: [{ name: 'y', value: '1' }] } })).toMatchObject({
      error: 'x',
    });
  });
});

describe('nested templates (§5.1)', () => {
  const m = (name: string) => `  - name: ${name}\n    ${PROM}\n        query: ${name}`;

  it('includes the metrics and args of the templates a template lists, depth first, each once', async () => {
    const h = new Harness(
      template(
        'top',
        `args:\n  - name: a\n    value: "1"\ntemplates:\n  - templateName: left\n  - templateName: right\nmetrics:\n${m('top-m')}`,
      ) +
        template('left', `templates:\n  - templateName: shared\nmetrics:\n${m('left-m')}`) +
        template('right', `templates:\n  - templateName: shared\nmetrics:\n${m('right-m')}`) +
        template('shared', `args:\n  - name: b\n    value: "2"\nmetrics:\n${m('shared-m')}`),
    );
    const name = h.start('top');
    await h.at(0);
    const run = h.run(name);
    expect(run.metrics.map((x) => x.spec.name)).toEqual(['top-m', 'left-m', 'shared-m', 'right-m']);
    expect(run.args).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
    ]);
    expect(run.phase).toBe('Successful');
  });

  it('namespaced templates come before cluster-scoped ones, whatever the order of reference', async () => {
    const h = new Harness(
      template('c', `templates:\n  - templateName: n2\nmetrics:\n${m('c-m')}`, 'ClusterAnalysisTemplate') +
        template('n1', `metrics:\n${m('n1-m')}`) +
        template('n2', `metrics:\n${m('n2-m')}`),
    );
    const name = h.start([{ templateName: 'c', clusterScope: true }, 'n1']);
    expect(h.run(name).metrics.map((x) => x.spec.name)).toEqual(['n2-m', 'n1-m', 'c-m']);
  });

  it('a template that includes itself, directly or through others, is an error', () => {
    const h = new Harness(
      template('a', `templates:\n  - templateName: b\nmetrics:\n${m('a-m')}`) +
        template('b', `templates:\n  - templateName: a`) +
        template('self', `templates:\n  - templateName: self`),
    );
    expect(h.create('a')).toMatchObject({
      error:
        "AnalysisTemplate 'a' includes itself through spec.templates: AnalysisTemplate a → AnalysisTemplate b → AnalysisTemplate a",
      invalidSpec: true,
    });
    expect(h.create('self')).toMatchObject({
      error:
        "AnalysisTemplate 'self' includes itself through spec.templates: AnalysisTemplate self → AnalysisTemplate self",
    });
  });

  it('a missing nested template is reported for the template the Rollout names', () => {
    const h = new Harness(template('a', `templates:\n  - templateName: gone`));
    expect(h.create('a')).toMatchObject({
      error: "AnalysisTemplate 'gone' not found",
      fieldError:
        'spec.strategy.canary.analysis.templates: Invalid value: "a": AnalysisTemplate \'gone\' not found',
    });
  });

  it('a template with no metrics of its own brings those of the templates it lists', async () => {
    const h = new Harness(
      template('wrapper', 'metrics: []\ntemplates:\n  - templateName: leaf') +
        template('leaf', `metrics:\n${m('leaf-m')}`),
    );
    const name = h.start('wrapper');
    await h.at(0);
    expect(h.run(name).metrics.map((x) => x.spec.name)).toEqual(['leaf-m']);
    expect(h.run(name).phase).toBe('Successful');
  });
});

describe('run names and labels (§5.1)', () => {
  const tpl = template('t', `metrics:\n  - name: m\n    ${PROM}\n        query: q`);

  it('names runs <rollout>-<podHash>-<revision>[-<step>|-pre|-post] and adds .1, .2 on a collision', () => {
    const h = new Harness(tpl);
    expect(h.start('t')).toBe('ro-newhash-2');
    expect(h.start('t')).toBe('ro-newhash-2.1');
    expect(h.start('t')).toBe('ro-newhash-2.2');
    expect(h.start('t', { kind: 'Step', stepIndex: 4 })).toBe('ro-newhash-2-4');
    expect(h.start('t', { kind: 'PrePromotion' })).toBe('ro-newhash-2-pre');
    expect(h.start('t', { kind: 'PostPromotion' })).toBe('ro-newhash-2-post');
  });

  it('labels: pod hash, rollout-type, step-index for steps, the Rollout selector; the revision annotation', () => {
    const h = new Harness(tpl);
    const bg = h.run(h.start('t'));
    expect(bg.labels).toEqual({
      'rollouts-pod-template-hash': 'newhash',
      'rollout-type': 'Background',
      app: 'ro',
    });
    expect(bg.annotations).toEqual({ 'rollout.argoproj.io/revision': '2' });
    const step = h.run(h.start('t', { kind: 'Step', stepIndex: 1 }));
    expect(step.labels).toEqual({
      'rollouts-pod-template-hash': 'newhash',
      'rollout-type': 'Step',
      'step-index': '1',
      app: 'ro',
    });
    expect(h.run(h.start('t', { kind: 'PostPromotion' })).labels['rollout-type']).toBe('PostPromotion');
  });
});
