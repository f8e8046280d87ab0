import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../cli/server/httpServer.js';
import { handlePrometheusApi } from '../../cli/server/prometheusApi.js';
import { Engine } from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';
import { HEADER, runInline } from '../helpers/inlineScenario.js';

// An AnalysisTemplate whose address names a reachable Prometheus is measured over HTTP at the
// simulated time. The "remote" here is a Prometheus-compatible API on loopback holding a series
// `canary_success_ratio` for the scenario's own window.
let server: Awaited<ReturnType<typeof startHttpServer>>;
const storage = new Storage();
const START = Date.UTC(2024, 10, 11, 12, 0, 0);
beforeAll(async () => {
  const ok = storage.seriesRef({ __name__: 'canary_success_ratio', service: 'good' });
  const bad = storage.seriesRef({ __name__: 'canary_success_ratio', service: 'bad' });
  for (let t = START - 600_000; t < START + 7_200_000; t += 15_000) {
    storage.append(ok, t, 0.999);
    storage.append(bad, t, 0.42);
  }
  server = await startHttpServer(
    (m, p, q) =>
      handlePrometheusApi(m, p, q, {
        storage,
        engine: new Engine(),
        now: () => START,
        exposition: async () => '',
      }),
    {
      host: '127.0.0.1',
      port: 0,
    },
  );
});
afterAll(async () => new Promise<void>((r) => server.server.close(() => r())));

const template = (address: string) => `apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata:
  name: remote
spec:
  args:
    - name: service-name
  metrics:
    - name: remote-success
      successCondition: result[0] >= 0.95
      provider:
        prometheus:
          address: ${address}
          query: canary_success_ratio{service="{{args.service-name}}"}
`;

const scenario = (service: string, allowRemote: boolean) => `${HEADER}
prometheus:
  allowRemote: ${allowRemote}
timeline:
  - apply: {file: remote.yaml}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio-prometheus, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: {condition: 'len(rollouts["silly-demo"].analysisRuns) > 0 && rollouts["silly-demo"].analysisRuns[0].phase != "" && rollouts["silly-demo"].analysisRuns[0].phase != "Running"', timeout: 30m}
`;

const files = (service: string) => ({
  'remote.yaml': template(server.url),
  'kustomize/overlays/istio-prometheus/rollout.yaml': (old: string) =>
    old
      .replace('templateName: success-rate', 'templateName: remote')
      .replace('value: silly-demo-canary.a-team.svc.cluster.local', `value: ${service}`),
});

describe('remote Prometheus provider', () => {
  it('measures over HTTP when the scenario allows it: a good value passes, a bad one fails the run', async () => {
    const good = await runInline(scenario('good', true), files('good'));
    const g = Object.values(good.report.analysisRuns)[0]!;
    expect(g.phase).toBe('Successful');
    expect(g.metrics[0]!.lastValue).toBe('[0.999]');
    const bad = await runInline(scenario('bad', true), files('bad'));
    const b = Object.values(bad.report.analysisRuns)[0]!;
    expect(b.phase).toBe('Failed');
    expect(b.metrics[0]!.lastValue).toBe('[0.42]');
    expect(bad.report.rollouts['silly-demo']!.phase).toBe('Degraded');
  });

  it('without allowRemote, a foreign address fails like a DNS miss and nothing leaves the process', async () => {
    const run = await runInline(scenario('good', false), files('good'));
    const r = Object.values(run.report.analysisRuns)[0]!;
    expect(r.phase).toBe('Error');
    expect(r.metrics[0]!.lastMessage).toMatch(
      /^Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query": dial tcp: lookup 127\.0\.0\.1 on 10\.96\.0\.10:53: no such host$/,
    );
  });
});
