import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world.js';
import {
  applyYaml,
  blogRouter,
  blogWorldAtCanary,
  NS,
  request,
  requestsTotal,
  sidecarTotals,
  sum,
} from './blogWorld.js';

// Envoy's request mirroring as Istio configures it (mirrorPercentage → runtime fraction of
// value × 10000 per million), and how Istio's standard metrics count the copies: only the
// receiving sidecar reports them (reporter="destination"); the gateway's reporter="source" does
// not (istio/istio#23496, #11093). Nothing in the labels tells a copy from an ordinary request
// (#11475).

const CANARY_FQDN = 'silly-demo-canary.a-team.svc.cluster.local';
const STABLE_FQDN = 'silly-demo-stable.a-team.svc.cluster.local';

async function mirrored(world: World): Promise<number> {
  // Copies = what the sidecars counted beyond the requests the gateway forwarded to pods (its
  // series without a response flag; 404 NR and 503 UH/NC are the gateway's own answers).
  const forwarded = (await requestsTotal(world.mesh.ingressStats)).filter(
    (s) => s.labels.response_flags === '-',
  );
  return sum(await sidecarTotals(world)) - sum(forwarded);
}

async function mirrorAll(percentage: number, seed: number | string = 1) {
  const world = await blogWorldAtCanary(seed);
  blogRouter(world, ['mirror']).setMirrorRoute('mirror', [{ method: { exact: 'GET' } }], percentage);
  return world;
}

describe('mirroring', () => {
  it('100%: every forwarded request is copied to the canary; the client sees the primary answers only', async () => {
    const world = await mirrorAll(100);
    const outcomes = world.dispatch(request(), 1000, NS);
    expect(sum(outcomes.map((o) => ({ value: o.count })))).toBe(1000);
    expect(await mirrored(world)).toBe(1000);
    // A route the mirror route does not match (POST) is not copied.
    world.dispatch(request({}, { method: 'POST' }), 100, NS);
    expect(await mirrored(world)).toBe(1000);
  });

  it('a percentage copies a binomial share of the requests, batch or one by one', async () => {
    // Binomial(20000, 0.3): mean 6000, sd 64.8; Binomial(2000, 0.3): mean 600, sd 20.5. Bounds ± 5 sd.
    const batch = await mirrorAll(30);
    batch.dispatch(request(), 20_000, NS);
    const inBatch = await mirrored(batch);
    expect(Math.abs(inBatch - 6000)).toBeLessThan(325);
    const single = await mirrorAll(30);
    for (let i = 0; i < 2000; i++) single.dispatch(request(), 1, NS);
    const oneByOne = await mirrored(single);
    expect(Math.abs(oneByOne - 600)).toBeLessThan(103);
    // Not a fixed 30%: a draw (the exact mean would be a coincidence here).
    expect(inBatch === 6000 && oneByOne === 600).toBe(false);
  });

  it('same seed, same copies; the fraction resolves as Envoy does (value × 10000 per million)', async () => {
    const a = await mirrorAll(30, 7);
    const b = await mirrorAll(30, 7);
    a.dispatch(request(), 5000, NS);
    b.dispatch(request(), 5000, NS);
    expect(await mirrored(a)).toBe(await mirrored(b));
    // 0.00001 % is 0.1 per million: Istio truncates it to 0, so nothing is ever copied.
    const tiny = await mirrorAll(0.00001);
    tiny.dispatch(request(), 1_000_000, NS);
    expect(await mirrored(tiny)).toBe(0);
    const zero = await mirrorAll(0);
    zero.dispatch(request(), 10_000, NS);
    expect(await mirrored(zero)).toBe(0);
  });

  it('Istio labels: the canary sidecar reports the copies as ordinary requests from the gateway; the gateway does not report them', async () => {
    const world = await mirrorAll(100);
    const outcomes = world.dispatch(request(), 500, NS);
    const canaryPod = world.cluster
      .allPods()
      .find(
        (p) =>
          p.meta.labels['rollouts-pod-template-hash'] &&
          world.cluster.endpoints(world.cluster.getService(NS, 'silly-demo-canary')!).includes(p),
      )!;
    const primaryToCanary = outcomes
      .filter((o) => o.pod === canaryPod.meta.name)
      .reduce((a, o) => a + o.count, 0);

    const source = await requestsTotal(world.mesh.ingressStats);
    expect(sum(source)).toBe(500);
    expect(source.every((s) => s.labels.reporter === 'source')).toBe(true);
    // The gateway counts the canary's primary share, not the copies.
    expect(sum(source.filter((s) => s.labels.destination_service === CANARY_FQDN))).toBe(primaryToCanary);
    expect(sum(source.filter((s) => s.labels.destination_service === STABLE_FQDN))).toBe(
      500 - primaryToCanary,
    );

    const canary = (await sidecarTotals(world)).filter((s) => s.pod === canaryPod.meta.name);
    expect(canary).toHaveLength(1);
    expect(canary[0]!.value).toBe(primaryToCanary + 500);
    expect(canary[0]!.labels).toMatchObject({
      reporter: 'destination',
      source_workload: 'istio-ingress',
      source_workload_namespace: 'istio-system',
      source_principal: 'spiffe://cluster.local/ns/istio-system/sa/istio-ingress',
      destination_service: CANARY_FQDN,
      destination_service_name: 'silly-demo-canary',
      destination_workload: 'silly-demo',
      response_code: '200',
      response_flags: '-',
      connection_security_policy: 'mutual_tls',
    });
  });

  it('copies to a host without a Service or ready pods are dropped; the clients are unaffected', async () => {
    const world = await blogWorldAtCanary();
    applyYaml(
      world,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: mirror-nowhere}
spec:
  hosts: [nowhere.example]
  gateways: [silly-demo-gateway]
  http:
    - route: [{destination: {host: silly-demo-stable, port: {number: 8080}}}]
      mirror: {host: nowhere}
`,
    );
    const outcomes = world.dispatch(request({}, { url: 'http://nowhere.example/' }), 300, NS);
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    expect(await mirrored(world)).toBe(0);
  });

  it('requests Envoy answers itself (404 NR, 503) are not copied', async () => {
    const world = await blogWorldAtCanary();
    applyYaml(
      world,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: no-upstream}
spec:
  hosts: [gone.example]
  gateways: [silly-demo-gateway]
  http:
    - route: [{destination: {host: no-such-service}}]
      mirror: {host: silly-demo-canary}
`,
    );
    const outcomes = world.dispatch(request({}, { url: 'http://gone.example/' }), 200, NS);
    expect(outcomes.map((o) => o.status)).toEqual([503]);
    expect(await mirrored(world)).toBe(0);
  });

  it('mirrors: several destinations, each with its own percentage', async () => {
    const world = await blogWorldAtCanary();
    applyYaml(
      world,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: two-mirrors}
spec:
  hosts: [two.example]
  gateways: [silly-demo-gateway]
  http:
    - route: [{destination: {host: silly-demo-stable}}]
      mirrors:
        - destination: {host: silly-demo-canary}
        - destination: {host: silly-demo-stable}
          percentage: {value: 50}
`,
    );
    world.dispatch(request({}, { url: 'http://two.example/' }), 4000, NS);
    const copies = await mirrored(world);
    // 4000 to the canary, Binomial(4000, 0.5) = 2000 ± 31.6 to the stable.
    expect(Math.abs(copies - 6000)).toBeLessThan(160);
  });
});
