import path from 'node:path';
import type { Page as PlaywrightPage } from 'playwright-core';
import { localManifests } from '../../cli/commands/live.js';
import { HttpControlClient } from '../../cli/live/HttpControlClient.js';
import { startServe, type ServeHandle } from '../../cli/live/serve.js';
import { eventually, startLoad } from '../live/liveLoad.js';

export { chromiumMissing, launchChromium } from '../html/chromium.js';

/** The part of playwright-core's Page these scripts use (page scripts are text: no DOM types here). */
export type Page = Pick<
  PlaywrightPage,
  'goto' | 'on' | 'click' | 'evaluate' | 'screenshot' | 'waitForTimeout'
>;

/**
 * Waits until `expr` is truthy in the page, polling from here: Playwright's waitForFunction
 * evaluates its predicate with eval inside the page, which the live view's
 * Content-Security-Policy (no 'unsafe-eval') refuses — as it should.
 */
export async function until(page: Page, expr: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<unknown>(`(() => { try { return ${expr}; } catch { return false; } })()`))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until an element matches `selector` in the page (see `until`). */
export function untilSelector(page: Page, selector: string, timeoutMs = 15_000): Promise<void> {
  return until(page, `document.querySelector(${JSON.stringify(selector)})`, timeoutMs);
}

export const NS = 'a-team';
export const HOST = 'silly-demo.127.0.0.1.nip.io';

export interface LiveViewSession {
  serve: ServeHandle;
  client: HttpControlClient;
  /** Stops the load, then serve. */
  stop(): Promise<void>;
}

/**
 * The blog's analysed Istio canary live, paused at `Step: 1/8` with 1.4.127 as the canary and
 * steady load through the gateway: what a trainer has on the projector before clicking promote.
 * The success-rate template measures every 30 s (the blog's measures once) so that a fault turned
 * on mid-rollout is seen and aborts it.
 */
export async function startLiveViewSession(root: string, speed = 30): Promise<LiveViewSession> {
  const serve = await startServe({
    host: '127.0.0.1',
    port: 0,
    apiPort: 0,
    speed,
    seed: 1,
    namespaces: ['default', NS],
    namespace: NS,
  });
  const client = new HttpControlClient(serve.api);
  const template = localManifests({
    filename: path.join(root, 'scenarios/blog/cluster-analysis-template.yaml'),
  });
  const spec = template[0]!['spec'] as { metrics: Record<string, unknown>[] };
  spec.metrics[0]!['interval'] = '30s';
  await client.apply({ objects: template, namespace: NS });
  await client.apply({
    objects: localManifests({
      kustomize: path.join(root, 'scenarios/blog/kustomize/overlays/istio-prometheus'),
    }),
    namespace: NS,
  });
  const phase = async () => (await client.rollout(NS, 'silly-demo')).view.status;
  if (!(await eventually(async () => ((await phase()) === 'Healthy' ? true : undefined), 30_000)))
    throw new Error('the blog rollout did not become Healthy in 30 s');
  await client.setImage(NS, 'silly-demo', 'silly-demo', 'ghcr.io/vfarcic/silly-demo:1.4.127');
  const atStep1 = async () => {
    const d = await client.rollout(NS, 'silly-demo');
    const canaryReady = (await client.pods()).some((p) => p.image?.endsWith(':1.4.127') && p.ready && p.url);
    return d.state.stepIndex === 1 && canaryReady ? true : undefined;
  };
  if (!(await eventually(atStep1, 30_000))) throw new Error('the canary did not reach step 1/8 in 30 s');
  const load = startLoad(serve.ingress, HOST, 2);
  return {
    serve,
    client,
    stop: async () => {
      await load.stop();
      await serve.stop();
    },
  };
}
