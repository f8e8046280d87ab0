import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runScenarioFile } from '../helpers/runScenarioFile.js';

const drill = (name: string) => path.join(REPO_ROOT, 'scenarios/drills', name, 'scenario.yaml');

describe('drills: rehearsing your own service', () => {
  it('my-service: 0.5 % errors promoted, 10 % aborted by the success rate, a doubled p99 aborted by latency', async () => {
    const run = await runScenarioFile(drill('my-service'));
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
    const ro = run.report.rollouts['checkout']!;
    expect(ro.images.stable).toBe('ghcr.io/acme/checkout:1.1.0');
    const runs = ro.analysisRuns.map((r) => [r.revision, r.phase]);
    expect(runs).toEqual([
      [2, 'Successful'],
      [3, 'Failed'],
      [4, 'Failed'],
    ]);
    // East-west calls are reported by the caller's sidecar.
    const sources = run.result.world.query(
      'sum by (source_workload) (istio_requests_total{reporter="source",destination_service_name="checkout-stable"})',
    );
    expect(
      sources.resultType === 'vector' && sources.result.map((s) => s.metric['source_workload']).sort(),
    ).toEqual(['frontend', 'istio-ingress']);
  });

  it('subset-split: at 10 % weight an 85 %-errors canary passes a destination_service query, and destination_version catches it', async () => {
    const run = await runScenarioFile(drill('subset-split'));
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
    const by = run.report.queries['by-service'] as number[];
    // 90 % stable at 100 % success + 10 % canary at 15 %: about 0.915.
    expect(by[0]).toBeGreaterThan(0.88);
    expect(by[0]).toBeLessThan(0.95);
    expect(run.output).toContain('subset: canary');
    expect(run.report.events.some((e) => e.reason === 'UpdatedDestinationRule')).toBe(true);
  });

  it('rollouts-demo: slow-* aborted by the p99, bad-* by the success rate, with nothing said about the images', async () => {
    const run = await runScenarioFile(drill('rollouts-demo'));
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(run.report.notices).toEqual([]);
  });

  it('podinfo: its own metrics, per pod-template hash, without a mesh; --random-error is caught', async () => {
    const run = await runScenarioFile(drill('podinfo'));
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
  });

  it('the same drill and seed give byte-identical output and report', async () => {
    const a = await runScenarioFile(drill('my-service'));
    const b = await runScenarioFile(drill('my-service'));
    expect(a.output).toBe(b.output);
    expect(JSON.stringify(a.report)).toBe(JSON.stringify(b.report));
  });
});
