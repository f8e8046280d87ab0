import { describe, expect, it } from 'vitest';
import { buildRolloutArgs, extractRolloutFieldPath } from '../../sim/analysis/index.js';
import { ROLLOUT_JSON } from './analysisHarness.js';

// Rollout args with valueFrom.fieldRef (spec §5.3): Kubernetes' downward API for metadata…,
// Argo's extractValueFromRollout for the rest.

const read = (path: string) => extractRolloutFieldPath(ROLLOUT_JSON, path);

describe('metadata paths (downward API)', () => {
  it.each([
    ['metadata.name', 'ro'],
    ['metadata.namespace', 'default'],
    ['metadata.uid', 'b5a9a7c2-0000-4000-8000-000000000001'],
    ["metadata.labels['app']", 'ro'],
    ["metadata.annotations['rollout.argoproj.io/revision']", '2'],
    // the whole map: sorted key="value" lines, values Go-quoted
    ['metadata.annotations', 'example.com/team="a-team"\nrollout.argoproj.io/revision="2"'],
  ])('%s → %j', (path, value) => {
    expect(read(path)).toEqual({ value });
  });

  it('label and annotation keys must be qualified names', () => {
    expect(read("metadata.labels['bad key']")).toEqual({
      error:
        "invalid key subscript in metadata.labels['bad key']: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    });
    expect(read("metadata.labels['/x']")).toMatchObject({
      error: expect.stringContaining('prefix part must be non-empty'),
    });
    // annotation keys are checked lower-cased, label keys as written
    expect(read("metadata.annotations['Example.COM/Team']")).toEqual({ value: '' });
    expect(read("metadata.labels['Example.COM/Team']")).toMatchObject({
      error: expect.stringContaining('prefix part a lowercase RFC 1123 subdomain'),
    });
  });

  it('other metadata fields are not supported by the downward API', () => {
    expect(read('metadata.generation')).toEqual({ error: 'unsupported fieldPath: metadata.generation' });
    expect(read('metadataX')).toEqual({ error: 'unsupported fieldPath: metadataX' });
    expect(read("metadata.namespace['x']")).toEqual({
      error: 'fieldPath "metadata.namespace[\'x\']" does not support subscript',
    });
  });
});

describe('paths into the Rollout JSON', () => {
  it.each([
    ['spec.replicas', '5'],
    ['spec.paused', 'false'],
    ['spec.strategy.canary.steps[0].setWeight', '20'],
    ['spec.strategy.canary.steps.0.setWeight', '20'],
    ['status.big', '1e+06'], // Go's %v of a float64
    ['spec.template.metadata.labels.version.', 'v2'], // a trailing separator is ignored
  ])('%s → %j', (path, value) => {
    expect(read(path)).toEqual({ value });
  });

  it.each([
    ['spec.strategy', 'path spec.strategy in rollout must terminate in a primitive value'],
    [
      'spec.strategy.canary.steps',
      'path spec.strategy.canary.steps in rollout must terminate in a primitive value',
    ],
    ['spec.nope', 'invalid path spec.nope in rollout'],
    ['spec.replicas.x', 'invalid path spec.replicas.x in rollout'],
    ['spec.strategy.canary.steps[2]', 'index 2 out of range'],
    ['spec.strategy.canary.steps[-1]', 'index -1 out of range'],
    [
      "spec.template.metadata.labels['version']",
      "invalid path spec.template.metadata.labels['version'] in rollout",
    ],
  ])('%s → %s', (path, error) => {
    expect(read(path)).toEqual({ error });
  });
});

describe('buildRolloutArgs', () => {
  it('keeps going after a failing JSON path (value ""), but only the last fieldRef’s error survives', () => {
    expect(
      buildRolloutArgs(
        [
          { name: 'a', valueFrom: { fieldRef: { fieldPath: 'spec.nope' } } },
          { name: 'b', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        { stable: 's', latest: 'l' },
        ROLLOUT_JSON,
      ),
    ).toEqual({
      args: [
        { name: 'a', value: '' },
        { name: 'b', value: 'ro' },
      ],
    });
    expect(
      buildRolloutArgs(
        [
          { name: 'b', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'a', valueFrom: { fieldRef: { fieldPath: 'spec.nope' } } },
        ],
        { stable: 's', latest: 'l' },
        ROLLOUT_JSON,
      ),
    ).toMatchObject({ error: 'invalid path spec.nope in rollout' });
  });

  it('a failing metadata path drops the whole list', () => {
    expect(
      buildRolloutArgs(
        [
          { name: 'x', value: '1' },
          { name: 'm', valueFrom: { fieldRef: { fieldPath: 'metadata.bogus' } } },
        ],
        { stable: 's', latest: 'l' },
        ROLLOUT_JSON,
      ),
    ).toEqual({ args: undefined, error: 'unsupported fieldPath: metadata.bogus' });
  });
});
