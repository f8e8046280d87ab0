import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpControlClient } from '../../cli/live/HttpControlClient.js';
import { startServe, type ServeHandle } from '../../cli/live/serve.js';
import type { AnyWorld } from '../../sim/world.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { eventually } from '../live/liveLoad.js';
import { blogRouter, HOST, NS, requestsTotal, sidecarTotals, sum } from './blogWorld.js';
import { localManifests } from '../../cli/commands/live.js';

/** One real request through the live ingress proxy, with any headers. */
function send(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.once('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', fail);
    req.end();
  });
}

const forwarded = async (world: AnyWorld) =>
  sum((await requestsTotal(world.mesh.ingressStats)).filter((s) => s.labels.response_flags === '-'));

/**
 * Live mode: the ingress proxy takes the real request's headers to the mesh's match rules, and
 * really sends the mirrored copies to a canary pod, fire and forget, counted only by its sidecar.
 */
describe('live ingress proxy: header routes and mirroring', () => {
  let serve: ServeHandle;

  beforeAll(async () => {
    serve = await startServe({
      host: '127.0.0.1',
      port: 0,
      apiPort: 0,
      speed: 30,
      seed: 3,
      namespaces: [NS],
      namespace: NS,
    });
    const client = new HttpControlClient(serve.api);
    await client.apply({
      objects: localManifests({ kustomize: path.join(REPO_ROOT, 'scenarios/blog/kustomize/overlays/istio') }),
      namespace: NS,
    });
    const w = serve.world;
    const healthy = () => w.rollout(NS, 'silly-demo')?.ro.status.phase === 'Healthy';
    await eventually(async () => (healthy() ? true : undefined), 20_000);
    await client.setImage(NS, 'silly-demo', 'silly-demo', 'ghcr.io/vfarcic/silly-demo:1.4.127');
    // Paused at step 1/8: a ready canary pod with a real server behind silly-demo-canary.
    const canaryUp = () => {
      const pods = w.cluster.endpoints(w.cluster.getService(NS, 'silly-demo-canary')!);
      return pods.length > 0 && pods.every((p) => p.process?.image.endsWith(':1.4.127') && p.endpoint)
        ? true
        : undefined;
    };
    expect(await eventually(async () => canaryUp(), 20_000)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
  });

  it("routes by the real request's headers", async () => {
    blogRouter(serve.world, ['header-route']).setHeaderRoute('header-route', [
      { headerName: 'X-Canary', headerValue: { exact: 'always' } },
    ]);
    for (let i = 0; i < 10; i++) {
      const r = await send(`${serve.ingress}/`, { host: HOST, 'x-canary': 'always' });
      expect(r.body).toBe('This is a silly demo version 1.4.127\n');
    }
    blogRouter(serve.world, ['header-route']).removeManagedRoutes();
  });

  it('mirrors every request to the canary; the gateway counts each client request once, the canary sidecar the copies', async () => {
    const w = serve.world;
    blogRouter(w, ['mirror']).setMirrorRoute('mirror', [{ method: { exact: 'GET' } }], 100);
    const sourceBefore = sum(await requestsTotal(w.mesh.ingressStats));
    const copiesBefore = sum(await sidecarTotals(w)) - (await forwarded(w));
    const n = 30;
    const bodies: string[] = [];
    for (let i = 0; i < n; i++) bodies.push((await send(`${serve.ingress}/`, { host: HOST })).body);
    // The client gets the primary's answers (stable or canary by weight), never a copy's.
    expect(bodies.every((b) => /^This is a silly demo version 1\.4\.12[67]\n$/.test(b))).toBe(true);
    expect(sum(await requestsTotal(w.mesh.ingressStats))).toBe(sourceBefore + n);
    const copies = await eventually(async () => {
      const c = sum(await sidecarTotals(w)) - (await forwarded(w)) - copiesBefore;
      return c === n ? c : undefined;
    }, 5000);
    expect(copies).toBe(n);
    const canary = (await sidecarTotals(w)).filter(
      (s) => s.labels.destination_service === 'silly-demo-canary.a-team.svc.cluster.local',
    );
    expect(
      canary.every(
        (s) => s.labels.reporter === 'destination' && s.labels.source_workload === 'istio-ingress',
      ),
    ).toBe(true);
    blogRouter(w, ['mirror']).removeManagedRoutes();
  });
});
