import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand, getRolloutCommand, applyCommand, setImageCommand } from '../../cli/commands/live.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { eventually, get, liveServe, startLoad } from './liveLoad.js';

const BLOG = path.join(REPO_ROOT, 'scenarios/blog');
const HOST = 'silly-demo.127.0.0.1.nip.io';

function sink() {
  let text = '';
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
  };
}

/**
 * The blog's last act, live: real replicas, the real proxy, real HTTP load, the real clock sped
 * up 30× (a 300 s pause lasts 10 s; scrapes every simulated 30 s, i.e. every real second).
 */
describe('live mode end to end (serve at 30×)', () => {
  const live = liveServe(30);

  it('applies the istio-prometheus overlay, splits traffic, and aborts 1.4.129 under ?fail=true', async () => {
    const out = sink();
    await applyCommand(
      live.client,
      'apply',
      { kustomize: path.join(BLOG, 'kustomize/overlays/istio-prometheus'), namespace: 'a-team' },
      out,
    );
    await applyCommand(
      live.client,
      'apply',
      { filename: path.join(BLOG, 'cluster-analysis-template.yaml'), namespace: 'a-team' },
      out,
    );
    expect(out.text).toContain('rollout.argoproj.io/silly-demo created');
    expect(out.text).toContain('clusteranalysistemplate.argoproj.io/success-rate created');

    // First deploy: Healthy once the five pods are up (status watches until then).
    const status1 = sink();
    const rc1 = await statusCommand(
      live.client,
      'silly-demo',
      { namespace: 'a-team', watch: true, timeout: '20s', pollMs: 100 },
      status1,
      status1,
    );
    expect(rc1, status1.text).toBe(0);
    expect(status1.text.trim().split('\n').at(-1)).toBe('Healthy');

    const url = `${live.serve.ingress}/`;
    const first = await get(url, HOST);
    expect(first.body).toBe('This is a silly demo version 1.4.126\n');

    // The new revision; ordinary traffic first, as in the blog, so the canary has 2xx series.
    const ok = startLoad(url, HOST, 2);
    const msg = sink();
    await setImageCommand(
      live.client,
      'silly-demo',
      'silly-demo=ghcr.io/vfarcic/silly-demo:1.4.129',
      'a-team',
      msg,
    );
    expect(msg.text).toBe('deployment "silly-demo" image updated\n');
    const paused = await eventually(async () => {
      const d = await live.client.rollout('a-team', 'silly-demo');
      return d.view.status === 'Paused' && d.view.actualWeight === '20' ? d : undefined;
    }, 10_000);
    expect(paused?.view.setWeight).toBe('20');
    // About one request in five reaches 1.4.129 (200 requests: mean 40, sd 5.7; bounds ±3.5 sd).
    let canary = 0;
    for (let i = 0; i < 200; i++) {
      const r = await get(url, HOST);
      if (r.body === 'This is a silly demo version 1.4.129\n') canary++;
    }
    expect(canary).toBeGreaterThanOrEqual(20);
    expect(canary).toBeLessThanOrEqual(60);
    await new Promise((r) => setTimeout(r, 2000));
    const okCounts = await ok.stop();
    expect(okCounts.byStatus.get(200)).toBe(okCounts.sent);

    // Then `hey ... ?fail=true`: 1.4.129 answers 500, 1.4.126 answers 400.
    const failing = startLoad(`${live.serve.ingress}/?fail=true`, HOST, 2);
    try {
      const status2 = sink();
      const errs = sink();
      const rc2 = await statusCommand(
        live.client,
        'silly-demo',
        { namespace: 'a-team', watch: true, timeout: '40s', pollMs: 100 },
        status2,
        errs,
      );
      expect(rc2).toBe(1);
      const expected =
        'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: ' +
        'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)';
      expect(errs.text).toBe(`Error: The rollout is in a degraded state with message: ${expected}\n`);
      expect(status2.text).toContain(`Degraded - ${expected}\n`);
    } finally {
      const failCounts = await failing.stop();
      expect(failCounts.byStatus.get(500) ?? 0).toBeGreaterThan(0);
      expect(failCounts.byStatus.get(400) ?? 0).toBeGreaterThan(0);
    }

    // After the abort every request goes to the stable version again.
    const after = await get(url, HOST);
    expect(after.body).toBe('This is a silly demo version 1.4.126\n');
    const shown = sink();
    await getRolloutCommand(live.client, 'silly-demo', 'a-team', shown);
    expect(shown.text).toMatch(/^Status: +✖ Degraded$/m);
    expect(shown.text).toMatch(/^ {2}ActualWeight: +0$/m);
    expect(shown.text).toMatch(/AnalysisRun +✖ Failed/);
  });
});
