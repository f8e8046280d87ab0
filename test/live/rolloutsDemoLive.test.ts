import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { eventually, liveServe } from './liveLoad.js';
import { localManifests } from '../../cli/commands/live.js';

// Argo's rollouts-demo in live mode, as a trainer shows it: its VirtualService answers any host
// (`hosts: ["*"]`), so a browser at the bare ingress address gets the bubbles page, and the
// page's POST /color is split between the versions by weight.
describe('rollouts-demo, live', () => {
  const live = liveServe(10);

  it('serves the bubbles page at the bare ingress address and splits POST /color by weight', async () => {
    await live.client.apply({
      objects: localManifests({
        filename: path.join(REPO_ROOT, 'scenarios/drills/rollouts-demo/manifests.yaml'),
      }),
      namespace: 'default',
    });
    await eventually(async () => {
      const d = await live.client.rollout('default', 'rollouts-demo');
      return d.view.status === 'Healthy' && d.state.replicas.available === 3 ? true : undefined;
    }, 20_000);
    const page = await fetch(`${live.serve.ingress}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>Rollouts Demo</title>');
    await live.client.setImage('default', 'rollouts-demo', 'rollouts-demo', 'argoproj/rollouts-demo:yellow');
    await eventually(async () => {
      const d = await live.client.rollout('default', 'rollouts-demo');
      return d.view.actualWeight === '20' ? true : undefined;
    }, 20_000);
    const colours = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const r = await fetch(`${live.serve.ingress}/color`, { method: 'POST', body: '[]' });
      const body = await r.text();
      colours.set(body, (colours.get(body) ?? 0) + 1);
    }
    const yellow = colours.get('"yellow"') ?? 0;
    expect([...colours.keys()].sort()).toEqual(['"blue"', '"yellow"']);
    // 20 % of 200 within binomial bounds.
    expect(Math.abs(yellow - 40)).toBeLessThan(5 * Math.sqrt(200 * 0.2 * 0.8));
  }, 60_000);
});
