import { describe, expect, it } from 'vitest';
import { fromPercentiles } from '../../app/index.js';
import { parseImagePattern, type AppModel } from '../../sim/apps/index.js';
import { parseRequestUrl } from '../../sim/mesh/index.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { manifests } from '../commands/worldHarness.js';

const POS = { file: 't.yaml', line: 1, col: 1 };
const FINE_BUCKETS = Array.from({ length: 120 }, (_, i) => (i + 1) * 5); // 5 ms … 600 ms

const MANIFESTS = `apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: api}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/api:1.0.0}]
  strategy: {canary: {steps: [{setWeight: 50}, {pause: {}}]}}
`;

/** A world where ghcr.io/acme/api answers with a log-normal through p50 and p99, counted in fine buckets. */
async function loadedWorld(p50: number, p99: number): Promise<World> {
  const model: AppModel = {
    match: parseImagePattern('ghcr.io/acme/api'),
    behaviour: { latency: fromPercentiles(p50, p99) },
    changes: [],
    neverReady: false,
    pullFails: false,
    exact: false,
    metrics: {
      job: 'api',
      duration: {
        name: 'api_latency_milliseconds',
        help: 'h',
        unit: 'milliseconds',
        buckets: FINE_BUCKETS,
        labels: {},
      },
    },
    pos: POS,
  };
  const w = new World({
    ...DEFAULT_WORLD_OPTIONS,
    namespaces: { shop: { istioInjection: true } },
    apps: [model],
  });
  w.apply(manifests(MANIFESTS), 'shop');
  await w.clock.advance(60_000);
  const url = parseRequestUrl('http://api.shop/');
  if (typeof url === 'string') throw new Error(url);
  // 2,000 requests a second for ten minutes, straight to the Service.
  for (let t = 0; t < 600; t++) {
    w.dispatch({ url, method: 'GET' }, 2000, 'shop');
    await w.clock.advance(1000);
  }
  return w;
}

function q(w: World, expr: string): number {
  const r = w.query(expr);
  if (r.resultType !== 'vector' || r.result.length !== 1) throw new Error(`${expr}: ${JSON.stringify(r)}`);
  return r.result[0]!.value;
}

describe("latency quantiles of the histograms match the model's p50 and p99", () => {
  it("the app's own histogram: within one 5 ms bucket of the declared p50 and p99", async () => {
    const w = await loadedWorld(20, 200);
    const quantile = (p: number) =>
      q(w, `histogram_quantile(${p}, sum by (le) (rate(api_latency_milliseconds_bucket[5m])))`);
    expect(Math.abs(quantile(0.5) - 20)).toBeLessThan(5);
    expect(Math.abs(quantile(0.99) - 200)).toBeLessThan(5);
  });

  it("Istio's destination histogram (sidecar + app): in the Envoy bucket of each declared value", async () => {
    const w = await loadedWorld(20, 200);
    const quantile = (p: number) =>
      q(
        w,
        `histogram_quantile(${p}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[5m])))`,
      );
    // Envoy's buckets: 10 < p50 ≤ 25, 100 < p99 ≤ 250.
    expect(quantile(0.5)).toBeGreaterThan(10);
    expect(quantile(0.5)).toBeLessThanOrEqual(25);
    expect(quantile(0.99)).toBeGreaterThan(100);
    expect(quantile(0.99)).toBeLessThanOrEqual(250);
  });
});
