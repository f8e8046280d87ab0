import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { IstioRouter } from '../../sim/mesh/index.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { applyYaml, blogRouter, blogWorldAtCanary, byVersion, NS, request } from './blogWorld.js';

// Managed routes as Argo Rollouts' Istio plugin writes them (rollout/trafficrouting/istio/istio.go),
// checked against the assertions of its istio_test.go where one exists.

const vs = (world: World, name = 'silly-demo-1') => world.mesh.virtualServices.get(`${NS}/${name}`)!;
const names = (world: World, name = 'silly-demo-1') => vs(world, name).http.map((r) => r.name ?? '');
const weights = (world: World, route: string, name = 'silly-demo-1') =>
  Object.fromEntries(
    vs(world, name)
      .http.find((r) => r.name === route)!
      .route.map((d) => [d.destination.host, d.weight ?? 0]),
  );
const CANARY_ALWAYS = [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }];

describe('setHeaderRoute', () => {
  it("puts the route first in every listed VirtualService: the match, one canary destination at weight 100 on the weighted route's port", async () => {
    const world = await blogWorldAtCanary();
    const router = blogRouter(world, ['header-route']);
    expect(router.setHeaderRoute('header-route', CANARY_ALWAYS)).toEqual({
      changed: ['silly-demo-1', 'silly-demo-2'],
    });
    // TestHttpReconcileHeaderRouteHostBased / …WithExtra: route 0 is the header route, alone on the canary at 100, port copied.
    expect(vs(world).http[0]).toEqual({
      name: 'header-route',
      match: [{ headers: { 'X-Canary': { exact: 'always' } } }],
      route: [{ destination: { host: 'silly-demo-canary', port: 8080 }, weight: 100 }],
    });
    expect(names(world)).toEqual(['header-route', 'primary']);
    expect(names(world, 'silly-demo-2')).toEqual(['header-route', 'secondary']);
    expect(weights(world, 'primary')).toEqual({ 'silly-demo-stable': 80, 'silly-demo-canary': 20 });
    // Re-asserting it every sync changes nothing.
    expect(router.setHeaderRoute('header-route', CANARY_ALWAYS)).toEqual({ changed: [] });
  });

  it('sends only the requests with the header to the canary', async () => {
    const world = await blogWorldAtCanary();
    blogRouter(world, ['header-route']).setHeaderRoute('header-route', CANARY_ALWAYS);
    expect(byVersion(world.dispatch(request({ 'x-canary': 'always' }), 2000, NS))).toEqual({
      '1.4.127': 2000,
    });
    const rest = byVersion(world.dispatch(request({ 'x-canary': 'sometimes' }), 2000, NS));
    const none = byVersion(world.dispatch(request(), 2000, NS));
    // The others follow the 80/20 route: binomial(2000, 0.2) is 400 ± 18, so ± 5 sd.
    for (const split of [rest, none]) {
      expect(split['1.4.126']! + split['1.4.127']!).toBe(2000);
      expect(Math.abs(split['1.4.127']! - 400)).toBeLessThan(90);
    }
  });

  it('prefix and regex values (RE2, whole value) as Istio matches them', async () => {
    const world = await blogWorldAtCanary();
    const router = blogRouter(world, ['by-agent']);
    router.setHeaderRoute('by-agent', [{ headerName: 'user-agent', headerValue: { regex: '.*Firefox.*' } }]);
    expect(
      byVersion(world.dispatch(request({ 'user-agent': 'Mozilla/5.0 Firefox/132.0' }), 500, NS)),
    ).toEqual({
      '1.4.127': 500,
    });
    router.setHeaderRoute('by-agent', [{ headerName: 'user-agent', headerValue: { prefix: 'Firefox' } }]);
    expect(vs(world).http[0]!.match).toEqual([{ headers: { 'user-agent': { prefix: 'Firefox' } } }]);
    expect(byVersion(world.dispatch(request({ 'user-agent': 'Firefox/132.0' }), 500, NS))).toEqual({
      '1.4.127': 500,
    });
    expect(
      byVersion(world.dispatch(request({ 'user-agent': 'Mozilla/5.0 Firefox/132.0' }), 500, NS))['1.4.126'],
    ).toBeGreaterThan(300);
  });

  it('with no match removes the route (TestHttpReconcileHeaderRouteHostBased)', async () => {
    const world = await blogWorldAtCanary();
    const router = blogRouter(world, ['header-route']);
    router.setHeaderRoute('header-route', CANARY_ALWAYS);
    expect(router.setHeaderRoute('header-route', undefined)).toEqual({
      changed: ['silly-demo-1', 'silly-demo-2'],
    });
    expect(names(world)).toEqual(['primary']);
  });

  it('with match: [] (not nil in Go) puts a route without a match: every request goes to the canary', async () => {
    const world = await blogWorldAtCanary();
    const router = blogRouter(world, ['header-route']);
    expect(router.setHeaderRoute('header-route', [])).toEqual({ changed: ['silly-demo-1', 'silly-demo-2'] });
    expect(names(world)).toEqual(['header-route', 'primary']);
    expect(vs(world).http[0]!.match).toBeUndefined();
    expect(byVersion(world.dispatch(request({}), 500, NS))).toEqual({ '1.4.127': 500 });
  });

  it("refuses a regex Istio's validation would refuse, and leaves the VirtualService alone", async () => {
    const world = await blogWorldAtCanary();
    const r = blogRouter(world, ['h']).setHeaderRoute('h', [
      { headerName: 'x', headerValue: { regex: '(?!internal).*' } },
    ]);
    expect(r.changed).toEqual([]);
    expect(r.error).toMatch(
      /^\[SetHeaderRoute\] failed to update routes: admission webhook "validation.istio.io" denied the request: .*"\(\?!internal\)\.\*": error parsing regexp/,
    );
    expect(names(world)).toEqual(['primary']);
  });
});

describe('setMirrorRoute', () => {
  it('adds a copy of the weighted route with a mirror to the canary; percentage defaults to 100 (TestHttpReconcileMirrorRoute)', async () => {
    const world = await blogWorldAtCanary();
    const router = blogRouter(world, ['test-mirror-1', 'test-mirror-2']);
    expect(router.setMirrorRoute('test-mirror-1', [{ method: { exact: 'GET' } }], 100).changed).toEqual([
      'silly-demo-1',
      'silly-demo-2',
    ]);
    expect(vs(world).http[0]).toEqual({
      name: 'test-mirror-1',
      match: [{ method: { exact: 'GET' } }],
      route: [
        { destination: { host: 'silly-demo-stable', port: 8080 }, weight: 80 },
        { destination: { host: 'silly-demo-canary', port: 8080 }, weight: 20 },
      ],
      mirror: { host: 'silly-demo-canary', port: 8080 },
      mirrorPercentage: 100,
    });
    router.setMirrorRoute('test-mirror-2', [{ method: { exact: 'GET' } }], 90);
    expect(names(world)).toEqual(['test-mirror-1', 'test-mirror-2', 'primary']);
    expect(vs(world).http[1]!.mirrorPercentage).toBe(90);
    // Deleting one (no match), then all managed routes.
    router.setMirrorRoute('test-mirror-1', undefined, 100);
    expect(names(world)).toEqual(['test-mirror-2', 'primary']);
    expect(router.removeManagedRoutes().changed).toEqual(['silly-demo-1', 'silly-demo-2']);
    expect(names(world)).toEqual(['primary']);
    expect(names(world, 'silly-demo-2')).toEqual(['secondary']);
  });

  it('keeps managed routes on top in managedRoutes order, and setWeight keeps the copies in step (TestHttpReconcileMirrorRouteOrder)', async () => {
    const world = await blogWorldAtCanary();
    const router = blogRouter(world, ['test-mirror-2', 'test-mirror-3', 'test-mirror-1']);
    router.setMirrorRoute('test-mirror-1', [{ method: { exact: 'GET' } }], 100);
    router.setMirrorRoute('test-mirror-2', [{ method: { exact: 'POST' } }], 90);
    router.setMirrorRoute('test-mirror-3', [{ method: { exact: 'GET' } }], 90);
    expect(router.setWeight(40).changed).toEqual(['silly-demo-1', 'silly-demo-2']);
    expect(names(world)).toEqual(['test-mirror-2', 'test-mirror-3', 'test-mirror-1', 'primary']);
    for (const r of ['test-mirror-2', 'test-mirror-3', 'test-mirror-1', 'primary'])
      expect(weights(world, r)).toEqual({ 'silly-demo-stable': 60, 'silly-demo-canary': 40 });
    router.setMirrorRoute('test-mirror-3', undefined, 100);
    expect(names(world)).toEqual(['test-mirror-2', 'test-mirror-1', 'primary']);
    router.removeManagedRoutes();
    expect(names(world)).toEqual(['primary']);
  });

  it('a header route is not re-weighted; a header route added later still sorts by managedRoutes', async () => {
    const world = await blogWorldAtCanary();
    const router = blogRouter(world, ['mirror', 'header']);
    router.setHeaderRoute('header', CANARY_ALWAYS);
    router.setMirrorRoute('mirror', [], 50);
    router.setWeight(60);
    expect(names(world)).toEqual(['mirror', 'header', 'primary']);
    expect(weights(world, 'header')).toEqual({ 'silly-demo-canary': 100 });
    expect(weights(world, 'mirror')).toEqual({ 'silly-demo-stable': 40, 'silly-demo-canary': 60 });
    // An empty match list mirrors every request: the route carries no match.
    expect(vs(world).http[0]!.match).toBeUndefined();
  });

  it("copies omit a zero weight (Argo's typed copy, `omitempty`) until setWeight writes one", () => {
    const world = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { [NS]: { istioInjection: true } } });
    applyYaml(world, VS_ONE_UNNAMED_ROUTE);
    const router = oneRouteRouter(world, ['m']);
    router.setMirrorRoute('m', [{ path: { prefix: '/api' } }], 10);
    const raw = (vs(world, 'single').rawSpec['http'] as Record<string, unknown>[])[0]!;
    expect(raw['route']).toEqual([
      { destination: { host: 'stable' }, weight: 100 },
      { destination: { host: 'canary' } },
    ]);
    expect(raw['match']).toEqual([{ uri: { prefix: '/api' } }]);
  });

  it('without virtualService.routes the mirror routes alone are re-weighted (Argo appends their names to the empty list)', () => {
    // TestHttpReconcileMirrorRouteOrderSingleRouteNoName: a single unnamed route, routes omitted.
    const world = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { [NS]: { istioInjection: true } } });
    applyYaml(world, VS_ONE_UNNAMED_ROUTE);
    const router = oneRouteRouter(world, ['test-mirror-2', 'test-mirror-3', 'test-mirror-1']);
    router.setWeight(30);
    router.setMirrorRoute('test-mirror-1', [{ method: { exact: 'GET' } }], 100);
    router.setMirrorRoute('test-mirror-2', [{ method: { exact: 'POST' } }], 90);
    router.setMirrorRoute('test-mirror-3', [{ method: { exact: 'GET' } }], 90);
    expect(names(world, 'single')).toEqual(['test-mirror-2', 'test-mirror-3', 'test-mirror-1', '']);
    expect(weights(world, 'test-mirror-2', 'single')).toEqual({ stable: 70, canary: 30 });
    router.setWeight(40);
    expect(weights(world, 'test-mirror-2', 'single')).toEqual({ stable: 60, canary: 40 });
    const unnamed = vs(world, 'single').http[3]!.route.map((d) => d.weight);
    expect(unnamed).toEqual([70, 30]);
  });

  it("reports Argo's error when the weighted route it copies is missing", async () => {
    const world = await blogWorldAtCanary();
    const router = new IstioRouter(world.mesh, {
      namespace: NS,
      canaryService: 'silly-demo-canary',
      stableService: 'silly-demo-stable',
      virtualServices: [{ name: 'silly-demo-1', routes: ['nope'] }],
      managedRoutes: ['m'],
    });
    const r = router.setMirrorRoute('m', [{ method: { exact: 'GET' } }], 100);
    expect(r.changed).toEqual([]);
    expect(r.error).toMatch(
      /^\[SetMirrorRoute\] failed reconcile virtual service for mirror routes: .*HTTP Route 'nope' is not found in the defined Virtual Service\.$/,
    );
    const missing = blogRouter(world, ['m']);
    world.mesh.virtualServices.delete(`${NS}/silly-demo-2`);
    expect(missing.setHeaderRoute('m', CANARY_ALWAYS)).toEqual({
      changed: ['silly-demo-1'],
      error:
        '[SetHeaderRoute] failed to get virtual service: virtualservices.networking.istio.io "silly-demo-2" not found',
    });
  });
});

describe('removeManagedRoutes', () => {
  it("keeps the user's routes, and does nothing without managedRoutes", async () => {
    const world = await blogWorldAtCanary();
    expect(blogRouter(world, []).removeManagedRoutes()).toEqual({ changed: [] });
    const router = blogRouter(world, ['h']);
    expect(router.removeManagedRoutes()).toEqual({ changed: [] });
    router.setHeaderRoute('h', CANARY_ALWAYS);
    expect(router.removeManagedRoutes()).toEqual({ changed: ['silly-demo-1', 'silly-demo-2'] });
    expect(names(world)).toEqual(['primary']);
    expect(weights(world, 'primary')).toEqual({ 'silly-demo-stable': 80, 'silly-demo-canary': 20 });
  });

  it('setWeight still validates only the unmanaged routes when routes are omitted', () => {
    const world = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { [NS]: { istioInjection: true } } });
    applyYaml(world, VS_ONE_UNNAMED_ROUTE);
    const router = oneRouteRouter(world, ['h']);
    router.setHeaderRoute('h', CANARY_ALWAYS);
    expect(router.setWeight(10).error).toBeUndefined();
    applyYaml(
      world,
      VS_ONE_UNNAMED_ROUTE.replace(
        '  http:\n',
        '  http:\n    - name: extra\n      route:\n        - destination: {host: stable}\n',
      ),
    );
    expect(router.setWeight(10).error).toBe(
      'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes',
    );
  });
});

describe('the VirtualService as `kubectl get virtualservice -o yaml` prints it', () => {
  it('managed routes with sorted keys, on top', async () => {
    const world = await blogWorldAtCanary();
    const router = blogRouter(world, ['canary-header', 'mirror-get']);
    router.setHeaderRoute('canary-header', CANARY_ALWAYS);
    router.setMirrorRoute('mirror-get', [{ method: { exact: 'GET' }, path: { prefix: '/' } }], 35);
    expect(stringify(vs(world).rawSpec, { indentSeq: false })).toBe(`gateways:
- silly-demo-gateway
hosts:
- silly-demo.127.0.0.1.nip.io
http:
- match:
  - headers:
      X-Canary:
        exact: always
  name: canary-header
  route:
  - destination:
      host: silly-demo-canary
      port:
        number: 8080
    weight: 100
- match:
  - method:
      exact: GET
    uri:
      prefix: /
  mirror:
    host: silly-demo-canary
    port:
      number: 8080
  mirrorPercentage:
    value: 35
  name: mirror-get
  route:
  - destination:
      host: silly-demo-stable
      port:
        number: 8080
    weight: 80
  - destination:
      host: silly-demo-canary
      port:
        number: 8080
    weight: 20
- name: primary
  route:
  - destination:
      host: silly-demo-stable
      port:
        number: 8080
    weight: 80
  - destination:
      host: silly-demo-canary
      port:
        number: 8080
    weight: 20
`);
  });
});

const VS_ONE_UNNAMED_ROUTE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: single
spec:
  hosts: [single.example]
  http:
    - route:
        - destination: {host: stable}
          weight: 100
        - destination: {host: canary}
          weight: 0
`;

function oneRouteRouter(world: World, managedRoutes: string[]): IstioRouter {
  return new IstioRouter(world.mesh, {
    namespace: NS,
    canaryService: 'canary',
    stableService: 'stable',
    virtualServices: [{ name: 'single', routes: [] }],
    managedRoutes,
  });
}
