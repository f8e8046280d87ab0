import { describe, expect, it } from 'vitest';
import { clientPhase } from '../../sim/rollout/index.js';
import { bgRollout } from '../bluegreen/blueGreenScenario.js';
import { apply, rollout, rss, SERVICES, until, world } from './worldHarness.js';

// spec.paused (spec/argo-rollouts.md §1.1, §3.5, §4.1): `pause` sets it, `promote` clears it,
// Paused "manually paused" comes after the Degraded checks. Through `kubectl apply` it follows the
// three-way merge: a manifest that sets it owns it; one that never did leaves the live value.

const manifest = (opts: { tag?: string; paused?: boolean } = {}) =>
  SERVICES +
  bgRollout('      autoPromotionEnabled: false', {
    spec: opts.paused === undefined ? '' : `  paused: ${opts.paused}`,
  }).replace('1.4.126', opts.tag ?? '1.4.126');
const phase = (w: ReturnType<typeof world>) => clientPhase(rollout(w));

describe('spec.paused', () => {
  it('a canary Rollout created paused creates no ReplicaSet until promoted (§3.9), then deploys at once', async () => {
    const w = world();
    const canary = `${SERVICES}${bgRollout('', { spec: '  paused: true' })}`.replace(
      /strategy:\n {4}blueGreen:\n {6}activeService: \S+\n {6}previewService: \S+\n/,
      'strategy:\n    canary:\n      steps:\n        - setWeight: 50\n        - pause: {}\n',
    );
    await apply(w, canary, 60_000);
    expect(rollout(w).spec.strategy.canary).toBeDefined();
    expect(phase(w)).toEqual({ phase: 'Paused', message: 'manually paused' });
    expect(rss(w)).toEqual([]);
    w.rollout('a-team', 'silly-demo')!.actor.send({ type: 'PROMOTE', full: false });
    await w.clock.advance(30_000);
    expect(phase(w)).toEqual({ phase: 'Healthy', message: '' });
    expect(rss(w).map((r) => r.replicas)).toEqual([3]);
  });

  it('`pause` survives an apply of a changed manifest that does not set paused', async () => {
    const w = world();
    await apply(w, manifest());
    await until(w, () => phase(w).phase === 'Healthy');
    w.rollout('a-team', 'silly-demo')!.actor.send({ type: 'PAUSE' });
    await w.clock.advance(1000);
    expect(phase(w)).toEqual({ phase: 'Paused', message: 'manually paused' });
    await apply(w, manifest({ tag: '1.4.127' }), 120_000);
    expect(rollout(w).spec.paused).toBe(true);
    expect(phase(w)).toEqual({ phase: 'Paused', message: 'manually paused' });
    // Paused halts the switch and the BlueGreenPause, not the scaling of the preview.
    expect(rss(w).map((r) => r.replicas)).toEqual([3, 3]);
  });

  it('a manifest with paused: true owns the field: created paused nothing scales up (§3.9); promote clears it, re-applying it pauses again ("configured")', async () => {
    const w = world();
    await apply(w, manifest({ paused: true }), 60_000);
    expect(phase(w)).toEqual({ phase: 'Paused', message: 'manually paused' });
    expect(rss(w)).toEqual([]);
    w.rollout('a-team', 'silly-demo')!.actor.send({ type: 'PROMOTE', full: false });
    expect(rollout(w).spec.paused).toBe(false);
    await w.clock.advance(30_000);
    expect(phase(w)).toEqual({ phase: 'Healthy', message: '' });
    expect(rss(w).map((r) => r.replicas)).toEqual([3]);
    const lines = await apply(w, manifest({ paused: true }), 1000);
    expect(lines).toContain('rollout.argoproj.io/silly-demo configured');
    expect(phase(w)).toEqual({ phase: 'Paused', message: 'manually paused' });
    // Dropping the field from that manifest deletes it: unpaused.
    await apply(w, manifest(), 1000);
    expect(phase(w)).toEqual({ phase: 'Healthy', message: '' });
  });

  it('an unobserved spec change (restart) reads "waiting for rollout spec update to be observed" until the next sync', async () => {
    const w = world();
    await apply(w, manifest(), 60_000);
    w.restart('a-team', 'silly-demo', 600_000, '10m');
    expect(phase(w)).toEqual({
      phase: 'Progressing',
      message: 'waiting for rollout spec update to be observed',
    });
    await w.clock.advance(0);
    expect(phase(w)).toEqual({ phase: 'Progressing', message: 'rollout is restarting' });
  });

  it('Degraded comes before manually paused: pause an aborted update', async () => {
    const w = world();
    await apply(w, manifest(), 60_000);
    await apply(w, manifest({ tag: '1.4.127' }));
    await until(w, () => phase(w).phase === 'Paused');
    const actor = w.rollout('a-team', 'silly-demo')!.actor;
    actor.send({ type: 'ABORT' });
    actor.send({ type: 'PAUSE' });
    await w.clock.advance(1000);
    expect(rollout(w).spec.paused).toBe(true);
    expect(phase(w)).toEqual({
      phase: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2',
    });
  });
});
