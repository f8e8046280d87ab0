import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { parseScenario } from '../../cli/scenario/parseScenario.js';
import { validateScenario } from '../../cli/scenario/validateScenario.js';
import { InputError } from '../../sim/errors.js';
import { OverlayFileSystem } from '../../sim/manifests/index.js';
import { REPO_ROOT } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ROLLOUT = 'kustomize/overlays/istio-prometheus/rollout.yaml';

/** Validates a copy of the blog scenario with one file edited; the error, or undefined. */
function validateVariant(file: string, edit: (t: string) => string): InputError | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-validate-'));
  dirs.push(dir);
  cpSync(path.join(REPO_ROOT, 'scenarios/blog'), dir, { recursive: true });
  const p = path.join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`edit of ${file} changed nothing`);
  writeFileSync(p, after);
  const fs = new OverlayFileSystem(new NodeFileSystem(dir, { cwd: dir }));
  const scenario = parseScenario(fs, 'scenario.yaml');
  try {
    validateScenario(scenario, fs);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

describe('the scenario runner validates with the same checks, stopping at the first error', () => {
  it('accepts a Rollout arg no template declares: Argo drops it (lint warns)', () => {
    const err = validateVariant(ROLLOUT, (t) =>
      t.replace(
        '            value: silly-demo-canary.a-team.svc.cluster.local\n',
        '            value: silly-demo-canary.a-team.svc.cluster.local\n          - name: namespace\n            value: a-team\n',
      ),
    );
    expect(err).toBeUndefined();
  });

  it('rejects a ClusterAnalysisTemplate referenced without clusterScope, naming the fix', () => {
    const err = validateVariant(ROLLOUT, (t) => t.replace('            clusterScope: true\n', ''));
    expect(err?.message).toMatch(
      /AnalysisTemplate "success-rate" not found in namespace a-team, but a ClusterAnalysisTemplate "success-rate" is: set clusterScope: true/,
    );
    expect(err?.pos?.file).toMatch(/rollout\.yaml$/);
  });

  it('leaves step analyses to the simulation: Argo makes such a Rollout InvalidSpec, which a rehearsal shows', () => {
    const err = validateVariant(ROLLOUT, (t) =>
      t.replace(
        '        - setWeight: 40\n',
        '        - setWeight: 40\n        - analysis:\n            templates:\n              - templateName: smoke-test\n',
      ),
    );
    expect(err).toBeUndefined();
  });
});
