import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clockLine } from '../../cli/views/renderGetRollout.js';
import { renderGetAnalysisRuns, renderGetVirtualServices } from '../../cli/views/renderGetTable.js';
import { eventually, liveServe } from './liveLoad.js';

const NS = 'a-team';

/** The first `bytes` of a GET's body (an event stream never ends), with its status and headers. */
function peek(
  url: string,
  headers: Record<string, string> = {},
  bytes = 1,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      const done = () => {
        ok({ status: res.statusCode ?? 0, headers: res.headers, body });
        req.destroy();
      };
      res.on('data', (c: string) => {
        body += c;
        if (body.length >= bytes) done();
      });
      res.once('end', done);
    });
    req.once('error', fail);
    req.end();
  });
}

describe('trainer controls on canarysim serve', () => {
  const live = liveServe(10, { blog: true });

  it('changes the speed and pauses the clock while it runs; bad values are refused naming them', async () => {
    const { client } = live;
    expect((await client.clock({ speed: 50 })).speed).toBe(50);
    const paused = await client.clock({ paused: true });
    expect(paused.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect((await client.status()).now).toBe(paused.now);
    const resumed = await client.clock({ paused: false, speed: 10 });
    expect(resumed).toMatchObject({ paused: false, speed: 10 });
    await expect(client.clock({ speed: -1 })).rejects.toThrow(
      'invalid speed -1: expected a number in (0, 10000]',
    );
    await expect(client.clock({ speed: 20_000 })).rejects.toThrow('invalid speed 20000');
    await expect(client.clock({ paused: 'yes' as unknown as boolean })).rejects.toThrow(
      'invalid paused "yes": expected true or false',
    );
    await expect(client.clock({})).rejects.toThrow('expected {"speed": <number>}');
    expect((await client.status()).speed).toBe(10);
  });

  it('the tree says the speed when AGE is not wall-clock time', async () => {
    const d = await live.client.rollout(NS, 'silly-demo');
    expect(d.clock).toMatchObject({ speed: 10, paused: false });
    expect(clockLine(d.clock!)).toBe('Clock:           10× (AGE in simulated time)\n');
    expect(clockLine({ speed: 1, paused: false, offsetMs: 400 })).toBe('');
    expect(clockLine({ speed: 1, paused: false, offsetMs: -125_400 })).toBe(
      'Clock:           1×, 2m5s behind the wall clock (AGE in simulated time)\n',
    );
    expect(clockLine({ speed: 2, paused: true })).toBe(
      'Clock:           paused at 2× (AGE in simulated time)\n',
    );
  });

  it('holds a rollout at a step: promote runs on to it and it pauses there', async () => {
    const { client } = live;
    await expect(client.hold(NS, 'silly-demo', 8)).rejects.toThrow(
      "invalid step 8: expected a step from 1 to 7 (the tree's Step: N/8)",
    );
    await expect(client.hold(NS, 'nope', 2)).rejects.toThrow('rollouts.argoproj.io "nope" not found');
    await client.setImage(NS, 'silly-demo', 'silly-demo', 'ghcr.io/vfarcic/silly-demo:1.4.127');
    const step = async () => (await client.rollout(NS, 'silly-demo')).state.stepIndex;
    expect(await eventually(async () => ((await step()) === 1 ? true : undefined), 20_000)).toBe(true);
    expect(await client.hold(NS, 'silly-demo', 3)).toBe("rollout 'silly-demo' held at step 3/8");
    await client.command(NS, 'silly-demo', 'promote');
    // Step 2 (setWeight: 40) passes at once; step 3 is a 10 s pause, and the hold stops it there.
    const held = await eventually(async () => {
      const d = await client.rollout(NS, 'silly-demo');
      return d.state.stepIndex === 3 && d.view.status === 'Paused' ? d : undefined;
    }, 20_000);
    expect(held?.view.message).toBe('manually paused');
    await new Promise((r) => setTimeout(r, 1_500)); // 15 s simulated: past the 10 s pause
    expect(await step()).toBe(3);
    expect(await client.hold(NS, 'silly-demo', null)).toBe("rollout 'silly-demo' had no hold");
  });

  it('lists AnalysisRuns and VirtualServices as kubectl does', async () => {
    const { client } = live;
    const vs = await client.virtualServices(NS);
    expect(vs.map((v) => v.name)).toEqual(['silly-demo-1', 'silly-demo-2']);
    const now = (await client.status()).now;
    const text = renderGetVirtualServices(vs, now);
    expect(text.split('\n')[0]).toBe(
      'NAME           GATEWAYS                 HOSTS                             AGE',
    );
    expect(text.split('\n')[1]).toMatch(
      /^silly-demo-1 {3}\["silly-demo-gateway"\] {3}\["silly-demo\.127\.0\.0\.1\.nip\.io"\] {3}\d+(s|m\d*s?)$/,
    );
    await expect(client.virtualServices(NS, 'nope')).rejects.toThrow(
      'virtualservices.networking.istio.io "nope" not found',
    );
    expect(await client.analysisRuns(NS)).toEqual([]);
    expect(
      renderGetAnalysisRuns(
        [{ name: 'silly-demo-6b8f9c7d54-2-2', namespace: NS, phase: 'Successful', createdAt: 0 }],
        330_000,
      ),
    ).toBe('NAME                        STATUS       AGE\nsilly-demo-6b8f9c7d54-2-2   Successful   5m30s\n');
  });

  it('serves the page with its CSP and the event stream, to this machine only', async () => {
    const page = await peek(`${live.serve.api}/`, {}, 100);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.body).toMatch(/^<!doctype html>/);
    const events = await peek(`${live.serve.api}/canarysim/v1/events`, {}, 40);
    expect(events.headers['content-type']).toBe('text/event-stream');
    expect(events.body).toMatch(/^retry: 1000\n\nevent: state\ndata: \{"status":/);
    for (const path of ['/', '/canarysim/v1/events']) {
      expect((await peek(`${live.serve.api}${path}`, { host: 'evil.example:9090' })).status).toBe(403);
      expect((await peek(`${live.serve.api}${path}`, { origin: 'https://evil.example' })).status).toBe(403);
    }
  });

  it('reset starts a new world with every object as first applied', async () => {
    const { client, serve } = live;
    const before = serve.world;
    expect(await client.reset()).toMatch(/^reset: a new world, \d+ objects applied as first applied$/);
    expect(serve.world).not.toBe(before);
    const d = await eventually(async () => {
      const r = await client.rollout(NS, 'silly-demo');
      return r.view.status === 'Healthy' ? r : undefined;
    }, 20_000);
    // Back to the first image, one revision, no holds or faults.
    expect(d?.view.images.map((i) => i.image)).toEqual(['ghcr.io/vfarcic/silly-demo:1.4.126']);
    expect(d?.view.revisions).toHaveLength(1);
    expect(await client.faults()).toEqual([]);
  });
});
