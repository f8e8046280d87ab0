import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleControl } from '../../cli/live/controlHandler.js';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { isPodReady } from '../../sim/cluster/index.js';
import { kustomizeBuild } from '../../sim/manifests/index.js';
import { clientPhase } from '../../sim/rollout/index.js';
import type { World } from '../../sim/world.js';
import { HEADER, runInline } from '../helpers/inlineScenario.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { bgRollout } from '../bluegreen/blueGreenScenario.js';
import { apply, pods, rollout, SERVICES, until, world } from './worldHarness.js';

// `kubectl argo rollouts restart [--in D]` (spec/argo-rollouts.md §3.5, §4.1 item 5): spec.restartAt
// is set; the controller (rollout/restart.go) evicts the pods created before it, at most
// max(maxUnavailable, 1) below the replica count at a time, and records status.restartedAt;
// meanwhile the phase is Progressing "rollout is restarting".

/** Every second until Healthy: the least number of available (ready, not terminating) pods seen. */
async function watchRestart(
  w: World,
): Promise<{ minAvailable: number; seconds: number; messages: Set<string> }> {
  let minAvailable = Infinity;
  const messages = new Set<string>();
  const seconds = await until(w, () => {
    minAvailable = Math.min(minAvailable, pods(w).filter(isPodReady).length);
    messages.add(clientPhase(rollout(w)).message);
    return clientPhase(rollout(w)).phase === 'Healthy';
  });
  return { minAvailable, seconds, messages };
}

const healthy = (w: World) => () => clientPhase(rollout(w)).phase === 'Healthy';

describe('restart', () => {
  it('blue-green, 3 replicas (maxUnavailable 25% → 0): every pod replaced, one at a time, then restartedAt', async () => {
    const w = world();
    await apply(w, SERVICES + bgRollout(''));
    await until(w, healthy(w));
    const before = new Set(pods(w).map((p) => p.meta.name));
    const t0 = w.now();
    expect(w.restart('a-team', 'silly-demo')).toBe("rollout 'silly-demo' restarts in 0s");
    expect(rollout(w).spec.restartAt).toBe(Math.floor(t0 / 1000) * 1000);
    const seen = await watchRestart(w);
    expect(seen.messages).toContain('rollout is restarting');
    expect(seen.minAvailable).toBe(2);
    const after = pods(w).filter((p) => !p.terminating);
    expect(after).toHaveLength(3);
    for (const p of after) {
      expect(before.has(p.meta.name)).toBe(false);
      expect(p.meta.creationTimestamp).toBeGreaterThanOrEqual(t0);
    }
    expect(rollout(w).status.restartedAt).toBe(rollout(w).spec.restartAt);
    expect(w.events.events.filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(3);
  });

  it('blue-green maxUnavailable: 2 of 4 replicas: two pods at a time', async () => {
    const w = world();
    await apply(w, SERVICES + bgRollout('      maxUnavailable: 2', { replicas: 4 }));
    await until(w, healthy(w));
    w.restart('a-team', 'silly-demo');
    const seen = await watchRestart(w);
    expect(seen.minAvailable).toBe(2);
  });

  it('canary (the blog simple overlay, 5 replicas, maxUnavailable 25% → 1): one pod at a time', async () => {
    const w = world();
    w.apply(
      kustomizeBuild(new NodeFileSystem(path.join(REPO_ROOT, 'scenarios/blog/kustomize')), 'overlays/simple'),
      'a-team',
    );
    await until(w, healthy(w));
    const before = new Set(pods(w).map((p) => p.meta.name));
    w.restart('a-team', 'silly-demo');
    const seen = await watchRestart(w);
    expect(seen.messages).toContain('rollout is restarting');
    expect(seen.minAvailable).toBe(4);
    expect(pods(w).filter((p) => !p.terminating && before.has(p.meta.name))).toEqual([]);
    expect(rollout(w).status.restartedAt).toBe(rollout(w).spec.restartAt);
  });

  it('--in 30s: "restarts in 30s"; restarting from at once (restartAt pending), no pod touched before 30 s', async () => {
    const w = world();
    await apply(w, SERVICES + bgRollout(''));
    await until(w, healthy(w));
    const t0 = w.now();
    expect(w.restart('a-team', 'silly-demo', 30_000, '30s')).toBe("rollout 'silly-demo' restarts in 30s");
    await w.clock.advance(1000);
    expect(clientPhase(rollout(w))).toEqual({ phase: 'Progressing', message: 'rollout is restarting' });
    await w.clock.advance(28_000);
    expect(w.events.events.filter((e) => e.reason === 'SuccessfulDelete')).toEqual([]);
    await until(w, healthy(w));
    const first = w.events.events.find((e) => e.reason === 'SuccessfulDelete')!;
    expect(first.time - Math.floor((t0 + 30_000) / 1000) * 1000).toBe(0);
  });

  it('re-applying the manifest keeps spec.restartAt (kubectl apply leaves what no manifest sets)', async () => {
    const w = world();
    await apply(w, SERVICES + bgRollout(''));
    await until(w, healthy(w));
    w.restart('a-team', 'silly-demo', 3_600_000, '1h');
    const at = rollout(w).spec.restartAt;
    await apply(w, SERVICES + bgRollout('      scaleDownDelaySeconds: 60'), 1000);
    expect(rollout(w).spec.restartAt).toBe(at);
    expect(clientPhase(rollout(w)).message).toBe('rollout is restarting');
  });

  it('a new template counts as the restart (resetRolloutStatus sets restartedAt)', async () => {
    const w = world();
    await apply(w, SERVICES + bgRollout(''));
    await until(w, healthy(w));
    w.restart('a-team', 'silly-demo', 600_000, '10m');
    await apply(w, SERVICES + bgRollout('').replace('1.4.126', '1.4.127'), 1000);
    expect(rollout(w).status.restartedAt).toBe(rollout(w).spec.restartAt);
    await until(w, healthy(w));
    await w.clock.advance(120_000);
    // Only the old RS's pods went (its scale-down delay); none of the new one's were evicted.
    const current = rollout(w).status.currentPodHash;
    const deleted = w.events.events.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.object);
    expect(deleted).toHaveLength(3);
    expect(deleted.filter((o) => o.endsWith(current))).toEqual([]);
  });

  it('the control API: "restarts in <in>", and 400 for a duration it cannot read', async () => {
    const w = world();
    await apply(w, SERVICES + bgRollout(''), 10_000);
    const call = async (body: Record<string, unknown>) => {
      const r = await handleControl(
        'POST',
        '/canarysim/v1/rollouts/a-team/silly-demo/restart',
        body,
        w,
        () => ({
          now: 0,
          speed: 1,
          ingress: '',
          api: '',
        }),
      );
      return { status: r!.status, body: JSON.parse(r!.body) as Record<string, unknown> };
    };
    expect(await call({ in: 'soon' })).toEqual({
      status: 400,
      body: { error: 'invalid in "soon": expected a duration such as 30s, 5m or 1h' },
    });
    expect(await call({ in: '5m' })).toEqual({
      status: 200,
      body: { message: "rollout 'silly-demo' restarts in 5m" },
    });
    expect(rollout(w).spec.restartAt).toBe(Math.floor((w.now() + 300_000) / 1000) * 1000);
    expect(await call({})).toEqual({ status: 200, body: { message: "rollout 'silly-demo' restarts in 0s" } });
  });
});

describe('restart in a scenario', () => {
  it('`restart: NAME` and `{rollout, in}` print the plugin command and line', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/simple}
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Healthy"', timeout: 5m}
  - restart: {rollout: silly-demo, in: 10s}
  - expect: 'rollouts["silly-demo"].message == "rollout is restarting"'
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Healthy"', timeout: 5m}
  - restart: silly-demo
  - waitUntil: {condition: 'rollouts["silly-demo"].phase == "Healthy"', timeout: 5m}
`);
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(run.output).toContain(
      "$ kubectl argo rollouts --namespace a-team restart silly-demo --in 10s\nrollout 'silly-demo' restarts in 10s\n",
    );
    expect(run.output).toContain(
      "$ kubectl argo rollouts --namespace a-team restart silly-demo\nrollout 'silly-demo' restarts in 0s\n",
    );
    expect(run.report.events.filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(10);
  });
});
