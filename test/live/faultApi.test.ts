import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localManifests } from '../../cli/commands/live.js';
import { handleControl } from '../../cli/live/controlHandler.js';
import { parseImagePattern } from '../../sim/apps/index.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

// The fault endpoints of the control API on a virtual-clock World: what `canarysim serve`
// answers, without sockets. A pod named without a namespace is in serve's default (a-team here).

const ISTIO = path.join(REPO_ROOT, 'scenarios/blog/kustomize/overlays/istio');
const CANARY = 'ghcr.io/vfarcic/silly-demo:1.4.127';
const status = () => ({ now: 0, speed: 1, ingress: '', api: '' });

async function call(world: World, method: string, p: string, body: Record<string, unknown> = {}) {
  const r = await handleControl(method, `/canarysim/v1${p}`, body, world, status, 'a-team');
  return { status: r!.status, body: JSON.parse(r!.body) as Record<string, unknown> };
}

async function blog(): Promise<World> {
  const world = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { 'a-team': { istioInjection: true } } });
  await call(world, 'POST', '/apply', { objects: localManifests({ kustomize: ISTIO }), namespace: 'a-team' });
  await world.clock.advance(60_000);
  return world;
}

type PodRow = { name: string; status: string; ready: boolean; restarts: number; image: string | null };
const pods = async (world: World) => (await call(world, 'GET', '/pods')).body['pods'] as PodRow[];

describe('control API: faults', () => {
  it('sets a fault in the scenario shape, lists it as given, replaces it on the same target, clears it', async () => {
    const world = await blog();
    expect(
      await call(world, 'POST', '/faults', { image: CANARY, errors: { share: '50%', status: 503 } }),
    ).toEqual({ status: 200, body: { message: `fault set on image ${CANARY}: 0 running pods affected` } });
    const stable = await call(world, 'POST', '/faults', {
      image: 'ghcr.io/vfarcic/silly-demo:*',
      namespace: 'a-team',
      latency: { p50: '200ms', p99: '2s' },
      errors: [{ share: '10%', status: { 500: 3, 503: 1 }, when: [{ uri: { prefix: '/api' } }] }],
    });
    expect(stable.body['message']).toBe(
      'fault set on image ghcr.io/vfarcic/silly-demo:*: 5 running pods affected',
    );
    // Same target (image, pod, namespace): the newer fault replaces the older one.
    await call(world, 'POST', '/faults', { image: CANARY, ready: false });
    expect((await call(world, 'GET', '/faults')).body).toEqual({
      faults: [
        { image: CANARY, set: { ready: false } },
        {
          image: 'ghcr.io/vfarcic/silly-demo:*',
          namespace: 'a-team',
          set: {
            latency: { p50: '200ms', p99: '2s' },
            errors: [{ share: '10%', status: { 500: 3, 503: 1 }, when: [{ uri: { prefix: '/api' } }] }],
          },
        },
      ],
    });
    expect(world.apps.activeFaults()[1]!.set.latency).toMatchObject({ medianMs: 200 });

    // A different namespace is a different target: nothing to clear.
    expect(
      (await call(world, 'POST', '/faults/clear', { image: 'ghcr.io/vfarcic/silly-demo:*' })).body,
    ).toEqual({
      message: '0 faults cleared',
    });
    expect(
      (
        await call(world, 'POST', '/faults/clear', {
          image: 'ghcr.io/vfarcic/silly-demo:*',
          namespace: 'a-team',
        })
      ).body,
    ).toEqual({ message: '1 fault cleared' });
    expect((await call(world, 'POST', '/faults/clear', {})).body).toEqual({ message: '1 fault cleared' });
    expect((await call(world, 'GET', '/faults')).body).toEqual({ faults: [] });
  });

  it('lists a fault set by other means (a timeline) from its parsed form', async () => {
    const world = new World({ ...DEFAULT_WORLD_OPTIONS });
    world.setFault({ image: parseImagePattern(CANARY), set: { ready: false }, crashNow: true });
    expect((await call(world, 'GET', '/faults')).body).toEqual({
      faults: [{ image: CANARY, set: { ready: false, crash: 'now' } }],
    });
  });

  it('crash now: the pod shows Error, then Running again with a restart; GET /pods gives restarts and image', async () => {
    const world = await blog();
    const before = await pods(world);
    expect(before).toHaveLength(5);
    for (const p of before)
      expect(p).toMatchObject({
        status: 'Running',
        ready: true,
        restarts: 0,
        image: 'ghcr.io/vfarcic/silly-demo:1.4.126',
      });
    const victim = before[0]!.name;
    // No namespace: serve's default (a-team), as kubectl's.
    const set = await call(world, 'POST', '/faults', { pod: victim, crash: 'now' });
    expect(set.body).toEqual({
      message: `fault set on pod a-team/${victim}: 1 running pod affected, 1 crashed`,
    });
    expect((await pods(world)).find((p) => p.name === victim)).toMatchObject({
      status: 'Error',
      ready: false,
      restarts: 0,
      image: 'ghcr.io/vfarcic/silly-demo:1.4.126',
    });
    await world.clock.advance(10_000);
    expect((await pods(world)).find((p) => p.name === victim)).toMatchObject({
      status: 'Running',
      ready: true,
      restarts: 1,
    });
    expect((await call(world, 'GET', '/faults')).body).toEqual({
      faults: [{ pod: victim, namespace: 'a-team', set: { crash: 'now' } }],
    });
    expect((await call(world, 'POST', '/faults/clear', { pod: victim })).body).toEqual({
      message: '1 fault cleared',
    });
  });

  it('answers 400 naming the field and value, with the scenario parser’s words', async () => {
    const world = new World({ ...DEFAULT_WORLD_OPTIONS });
    const bad = async (p: string, body: Record<string, unknown>) => {
      const r = await call(world, 'POST', p, body);
      expect(r.status).toBe(400);
      return r.body['error'];
    };
    expect(await bad('/faults', { image: CANARY, errors: '2' })).toBe(
      'fault: errors: invalid share "2": expected a percentage such as 2% or 12.5%',
    );
    expect(await bad('/faults', { image: CANARY, latency: { p50: '2s', p99: '1s' } })).toBe(
      'fault: latency.p99: invalid latency: p99 "1s" is below p50',
    );
    expect(await bad('/faults', { image: CANARY, errors: { share: '5%', status: 700 } })).toBe(
      'fault: errors.status: invalid status 700: expected a final HTTP status from 200 to 599 (1xx are informational)',
    );
    expect(await bad('/faults', { image: CANARY, errors: { share: '5%', status: { 101: 1, 503: 1 } } })).toBe(
      'fault: errors.status.101: invalid status "101": expected a final HTTP status from 200 to 599 (1xx are informational)',
    );
    expect(await bad('/faults', { image: CANARY, eror: '5%' })).toMatch(
      /^fault: eror: unknown field "eror" \(expected one of: image, pod, namespace, crash, errors/,
    );
    expect(await bad('/faults', { image: CANARY, crash: 'later' })).toBe(
      'fault: crash: expected a mapping, got string "later"',
    );
    expect(await bad('/faults', {})).toBe(
      'fault: (document): expected image (a pattern such as repo:tag) or pod (a name), or both',
    );
    expect(await bad('/faults', { image: CANARY })).toMatch(
      /^fault: \(document\): expected something to change/,
    );
    expect(await bad('/faults/clear', { namespace: 'a-team' })).toBe(
      'fault: namespace: expected image and/or pod with it (none clears every fault)',
    );
    expect(await bad('/faults/clear', { image: 7 })).toBe('fault: image: expected a string, got number 7');
    expect(world.apps.activeFaults()).toEqual([]);
    expect((await call(world, 'DELETE', '/faults')).status).toBe(404);
  });
});
