import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localManifests } from '../../cli/commands/live.js';
import { rolloutDetail, handleControl } from '../../cli/live/controlHandler.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

const ISTIO = path.join(REPO_ROOT, 'scenarios/blog/kustomize/overlays/istio');
// What `canarysim apply -k` sends: the overlay built on the client.
const istio = localManifests({ kustomize: ISTIO });
const status = () => ({ now: 0, speed: 1, ingress: '', api: '' });

/** The control API on a virtual-clock World: what `canarysim serve` answers, without sockets. */
async function call(world: World, method: string, p: string, body: Record<string, unknown> = {}) {
  const r = await handleControl(method, `/canarysim/v1${p}`, body, world, status);
  return { status: r!.status, body: JSON.parse(r!.body) as Record<string, unknown> };
}

describe('control API', () => {
  it('re-applying a manifest after set image is "configured" and reverts the image, as kubectl apply does', async () => {
    const world = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { 'a-team': { istioInjection: true } } });
    const first = await call(world, 'POST', '/apply', { objects: istio, namespace: 'a-team' });
    expect(first.body['lines']).toContain('deployment.apps/silly-demo created');
    await world.clock.advance(60_000);
    const again = await call(world, 'POST', '/apply', { objects: istio, namespace: 'a-team' });
    expect(again.body['lines']).toContain('deployment.apps/silly-demo unchanged');

    const set = await call(world, 'POST', '/rollouts/a-team/silly-demo/image', {
      container: 'silly-demo',
      image: 'ghcr.io/vfarcic/silly-demo:1.4.127',
    });
    expect(set.body['message']).toBe('deployment "silly-demo" image updated');
    await world.clock.advance(60_000);
    expect(rolloutDetail(world, 'a-team', 'silly-demo')!.view.images).toEqual([
      { image: 'ghcr.io/vfarcic/silly-demo:1.4.126', tags: ['stable'] },
      { image: 'ghcr.io/vfarcic/silly-demo:1.4.127', tags: ['canary'] },
    ]);

    const back = await call(world, 'POST', '/apply', { objects: istio, namespace: 'a-team' });
    expect(back.body['lines']).toContain('deployment.apps/silly-demo configured');
    expect(back.body['lines']).toContain('rollout.argoproj.io/silly-demo unchanged');
    await world.clock.advance(60_000);
    // The manifest's 1.4.126 is the stable revision again: the rollout goes back to it at once.
    const d = rolloutDetail(world, 'a-team', 'silly-demo')!;
    expect(d.view.images).toEqual([{ image: 'ghcr.io/vfarcic/silly-demo:1.4.126', tags: ['stable'] }]);
  });

  it('answers 404 for an unknown rollout and 400 with one line for bad input', async () => {
    const world = new World({ ...DEFAULT_WORLD_OPTIONS });
    const missing = await call(world, 'GET', '/rollouts/default/nope');
    expect(missing).toEqual({ status: 404, body: { error: 'rollouts.argoproj.io "nope" not found' } });
    const bad = await call(world, 'POST', '/apply', { objects: [] });
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toMatch(
      /^expected \{"objects": \[<Kubernetes object>, \.\.\.\], "namespace": "\.\.\."\}/,
    );
    const invalid = await call(world, 'POST', '/apply', { objects: [{ apiVersion: 'v1', kind: 'Service' }] });
    expect(invalid).toEqual({
      status: 400,
      body: { error: 'objects[0]: manifest: metadata: required field is missing' },
    });
    const ns = await call(world, 'POST', '/apply', { objects: istio, namespace: 'nowhere' });
    expect(ns.status).toBe(400);
    expect(ns.body['error']).toMatch(/namespaces "nowhere" not found/);
  });

  it('lists pods with their replica set, readiness and (in live mode) address', async () => {
    const world = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { 'a-team': { istioInjection: true } } });
    await call(world, 'POST', '/apply', { objects: istio, namespace: 'a-team' });
    await world.clock.advance(60_000);
    const pods = (await call(world, 'GET', '/pods')).body['pods'] as Record<string, unknown>[];
    expect(pods).toHaveLength(5);
    for (const p of pods) {
      expect(p).toMatchObject({ namespace: 'a-team', status: 'Running', ready: true, url: null });
      expect(String(p['name']).startsWith(`${String(p['replicaSet'])}-`)).toBe(true);
    }
  });

  it('reads no files: a request naming a path on the server is refused, whatever the path', async () => {
    const world = new World({ ...DEFAULT_WORLD_OPTIONS });
    for (const body of [
      { file: '/proc/self/environ' },
      { kustomize: '/etc' },
      { file: path.join(REPO_ROOT, 'scenarios/blog/cluster-analysis-template.yaml'), namespace: 'default' },
    ]) {
      const r = await call(world, 'POST', '/apply', body);
      expect(r.status).toBe(400);
      expect(r.body['error']).toMatch(/^the control API reads no files: send the manifests themselves/);
      expect(JSON.stringify(r.body)).not.toMatch(/PATH=|HOME=/);
    }
    expect((await call(world, 'POST', '/delete', { file: '/proc/self/environ' })).status).toBe(400);
  });
});
