import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleControl } from '../../cli/live/controlHandler.js';
import { kustomizeBuild } from '../../sim/manifests/index.js';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { InputError } from '../../sim/errors.js';
import { clientPhase } from '../../sim/rollout/index.js';
import { HEADER, runInline } from '../helpers/inlineScenario.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { bgRollout } from '../bluegreen/blueGreenScenario.js';
import { apply, inputError, manifests, rollout, rss, SERVICES, until, world } from './worldHarness.js';

// `kubectl argo rollouts undo` (spec/argo-rollouts.md §3.5; pkg/kubectl-argo-rollouts/cmd/undo):
// the pod template of the previous (or --to-revision) ReplicaSet copied back into the Rollout, or
// with a workloadRef into the referenced Deployment (the plugin patches that workload's
// /spec/template); "skipped rollback (…)" when it already matches.

const withImage = (tag: string) =>
  SERVICES + bgRollout('').replace('silly-demo:1.4.126', `silly-demo:${tag}`);
const image = (w: ReturnType<typeof world>) => rollout(w).spec.template!.containers[0]!.image;
const healthy = (w: ReturnType<typeof world>) => () => clientPhase(rollout(w)).phase === 'Healthy';

/** A blue-green rollout taken through 1.4.126, .127 and .128 (revisions 1, 2, 3), Healthy. */
async function threeRevisions() {
  const w = world();
  for (const tag of ['1.4.126', '1.4.127', '1.4.128']) {
    await apply(w, withImage(tag));
    await until(w, () => healthy(w)() && rollout(w).status.currentPodHash === rss(w).at(-1)!.podTemplateHash);
  }
  return w;
}

describe('undo', () => {
  it('with no --to-revision copies back the revision before the newest; that RS comes back as revision 4', async () => {
    const w = await threeRevisions();
    const [, r2] = rss(w);
    expect(w.undo('a-team', 'silly-demo')).toBe("rollout 'silly-demo' undo");
    expect(image(w)).toBe('ghcr.io/vfarcic/silly-demo:1.4.127');
    await until(w, healthy(w));
    expect(rollout(w).status.currentPodHash).toBe(r2!.podTemplateHash);
    expect(r2!.meta.annotations['rollout.argoproj.io/revision']).toBe('4');
    expect(rss(w)).toHaveLength(3);
  });

  it('--to-revision N takes that revision', async () => {
    const w = await threeRevisions();
    expect(w.undo('a-team', 'silly-demo', 1)).toBe("rollout 'silly-demo' undo");
    expect(image(w)).toBe('ghcr.io/vfarcic/silly-demo:1.4.126');
  });

  it('skips when the template already matches, naming the flag as given (0 without it)', async () => {
    const w = await threeRevisions();
    expect(w.undo('a-team', 'silly-demo', 3)).toBe(
      'skipped rollback (current template already matches revision 3)',
    );
    // A manifest back at 1.4.127, applied but not yet synced: the newest RS is still revision 3,
    // the one before it (revision 2) already matches the Rollout's template.
    w.apply(manifests(withImage('1.4.127')), 'a-team');
    expect(w.undo('a-team', 'silly-demo')).toBe(
      'skipped rollback (current template already matches revision 0)',
    );
  });

  it('errors as the plugin does for an unknown revision and a rollout with one revision only', async () => {
    const w = await threeRevisions();
    expect(inputError(() => w.undo('a-team', 'silly-demo', 9))).toBe(
      'unable to find specified revision 9 in history',
    );
    const one = world();
    await apply(one, withImage('1.4.126'), 30_000);
    expect(inputError(() => one.undo('a-team', 'silly-demo'))).toBe(
      'no revision found for rollout "silly-demo"',
    );
    expect(inputError(() => one.undo('a-team', 'nope'))).toBe('rollouts.argoproj.io "nope" not found');
  });

  it('re-applying the manifest after an undo is "configured" and puts its template back (kubectl three-way merge)', async () => {
    const w = await threeRevisions();
    w.undo('a-team', 'silly-demo');
    await until(w, healthy(w));
    const lines = await apply(w, withImage('1.4.128'));
    expect(lines).toContain('rollout.argoproj.io/silly-demo configured');
    expect(image(w)).toBe('ghcr.io/vfarcic/silly-demo:1.4.128');
  });

  it('with a workloadRef patches the referenced Deployment; a canary going back to its stable is Healthy at once', async () => {
    const w = world();
    const simple = kustomizeBuild(
      new NodeFileSystem(path.join(REPO_ROOT, 'scenarios/blog/kustomize')),
      'overlays/simple',
    );
    w.apply(simple, 'a-team');
    await until(w, healthy(w));
    w.setImage('a-team', 'silly-demo', 'silly-demo', 'ghcr.io/vfarcic/silly-demo:1.4.127');
    await until(w, () => clientPhase(rollout(w)).phase === 'Paused');
    expect(w.undo('a-team', 'silly-demo')).toBe("rollout 'silly-demo' undo");
    expect(w.cluster.getDeployment('a-team', 'silly-demo')!.template.containers[0]!.image).toBe(
      'ghcr.io/vfarcic/silly-demo:1.4.126',
    );
    expect(await until(w, healthy(w), 30_000)).toBeLessThan(30);
    expect(w.events.events.filter((e) => e.reason === 'SkipSteps').map((e) => e.message)).toEqual([
      'Rollback to stable ReplicaSets',
    ]);
    // The plugin finds no spec.template on a workloadRef Rollout, so it never reports a skip.
    expect(w.undo('a-team', 'silly-demo')).toBe("rollout 'silly-demo' undo");
    expect(w.apply(simple, 'a-team')).toContain('deployment.apps/silly-demo configured');
  });

  it('the control API answers the plugin line, and 400 for a bad toRevision', async () => {
    const w = await threeRevisions();
    const call = async (body: Record<string, unknown>) => {
      const r = await handleControl('POST', '/canarysim/v1/rollouts/a-team/silly-demo/undo', body, w, () => ({
        now: 0,
        speed: 1,
        ingress: '',
        api: '',
      }));
      return { status: r!.status, body: JSON.parse(r!.body) as Record<string, unknown> };
    };
    expect(await call({ toRevision: 9 })).toEqual({
      status: 400,
      body: { error: 'unable to find specified revision 9 in history' },
    });
    expect((await call({ toRevision: -1 })).status).toBe(400);
    expect(await call({})).toEqual({ status: 200, body: { message: "rollout 'silly-demo' undo" } });
  });
});

describe('undo in a scenario', () => {
  it('`undo: NAME` and `undo: {rollout, toRevision}` print the plugin command and its line; an error fails the run', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Healthy"', timeout: 5m}
  - undo: silly-demo
  - setImage: {kustomization: kustomize/overlays/simple, image: 'ghcr.io/vfarcic/silly-demo=ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Paused"', timeout: 5m}
  - undo: {rollout: silly-demo, toRevision: 1}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Healthy"', timeout: 1m}
`);
    expect(run.output).toContain(
      '$ kubectl argo rollouts --namespace a-team undo silly-demo\nError: no revision found for rollout "silly-demo"\n',
    );
    expect(run.output).toContain(
      "$ kubectl argo rollouts --namespace a-team undo silly-demo --to-revision=1\nrollout 'silly-demo' undo\n",
    );
    expect(run.result.expectations.filter((e) => !e.passed).map((e) => [e.condition, e.error])).toEqual([
      ['(undo)', 'no revision found for rollout "silly-demo"'],
    ]);
  });
});

describe('undo and restart: bad scenario input', () => {
  it('is an InputError at the value: a negative toRevision, an unreadable or unit-less `in`, an unknown key', async () => {
    const rejected = async (action: string) => {
      const e = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/simple}
  - ${action}
`).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).format();
    };
    expect(await rejected('undo: {rollout: silly-demo, toRevision: -1}')).toMatch(
      /inline\.yaml:\d+:\d+: .*toRevision.*invalid value -1: expected an integer ≥ 0/,
    );
    // Go's time.ParseDuration, as the plugin's --in: "30" has no unit.
    expect(await rejected('restart: {rollout: silly-demo, in: 30}')).toMatch(
      /inline\.yaml:\d+:\d+: .*invalid duration "30"/,
    );
    expect(await rejected('restart: {rollout: silly-demo, in: soon}')).toMatch(
      /inline\.yaml:\d+:\d+: .*invalid duration "soon"/,
    );
    expect(await rejected('restart: {rollout: silly-demo, at: 10s}')).toMatch(
      /inline\.yaml:\d+:\d+: .*\bat\b/,
    );
  });
});
