import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusCommand } from '../../cli/commands/live.js';
import { HttpControlClient } from '../../cli/live/HttpControlClient.js';
import { startServe, type ServeHandle } from '../../cli/live/serve.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { eventually, get, startLoad } from './liveLoad.js';
import { localManifests } from '../../cli/commands/live.js';

const run = promisify(execFile);
const HOST = 'silly-demo.127.0.0.1.nip.io';

/**
 * Exact accounting in live mode: every request a client sent through the ingress is one more in
 * `istio_requests_total{reporter="source"}` as the embedded Prometheus scraped it — no more, no
 * less. (`.ci/run` checks the same with Debian's hey and our `canarysim hey`.)
 */
describe('live accounting', () => {
  let serve: ServeHandle;
  let client: HttpControlClient;
  const totalSource = async (): Promise<number> => {
    const q = encodeURIComponent('sum(istio_requests_total{reporter="source"})');
    const body = (await (await fetch(`${serve.api}/api/v1/query?query=${q}`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    return Number(body.data.result[0]?.value[1] ?? 0);
  };
  /** The scraped total once it reaches `want` (or whatever it is after 5 s). */
  const settle = async (want: number) =>
    (await eventually(async () => ((await totalSource()) === want ? want : undefined), 5000)) ??
    (await totalSource());

  beforeAll(async () => {
    serve = await startServe({
      host: '127.0.0.1',
      port: 0,
      apiPort: 0,
      speed: 30,
      seed: 2,
      namespaces: ['default', 'a-team'],
      namespace: 'a-team',
    });
    client = new HttpControlClient(serve.api);
    await client.apply({
      objects: localManifests({ kustomize: path.join(REPO_ROOT, 'scenarios/blog/kustomize/overlays/istio') }),
      namespace: 'a-team',
    });
    const sinkText = { write: () => 0 };
    await statusCommand(
      client,
      'silly-demo',
      { namespace: 'a-team', watch: true, timeout: '20s', pollMs: 100 },
      sinkText,
      sinkText,
    );
    await client.setImage('a-team', 'silly-demo', 'silly-demo', 'ghcr.io/vfarcic/silly-demo:1.4.129');
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('counts every request of a concurrent keep-alive load, successes and errors alike', async () => {
    const before = await totalSource();
    const a = startLoad(`${serve.ingress}/`, HOST, 4);
    const b = startLoad(`${serve.ingress}/?fail=true`, HOST, 2);
    await new Promise((r) => setTimeout(r, 1500));
    const [ra, rb] = await Promise.all([a.stop(), b.stop()]);
    const sent = ra.sent + rb.sent;
    expect(sent).toBeGreaterThan(100);
    expect(rb.byStatus.get(500) ?? 0).toBeGreaterThan(0); // some reached 1.4.129
    expect(await settle(before + sent)).toBe(before + sent);
  });

  it('counts curl requests one by one (new connection each)', async () => {
    const before = await totalSource();
    let curl = true;
    try {
      await run('curl', ['--version']);
    } catch {
      curl = false;
    }
    const n = 20;
    for (let i = 0; i < n; i++) {
      if (curl) await run('curl', ['-s', '-H', `Host: ${HOST}`, `${serve.ingress}/`]);
      else await get(`${serve.ingress}/`, HOST);
    }
    expect(await settle(before + n)).toBe(before + n);
  });

  it('answers 404 NR to a name no VirtualService matches, and counts it; a bare address is routed', async () => {
    const before = await totalSource();
    const r = await get(`${serve.ingress}/`, 'nowhere.example');
    expect(r.status).toBe(404);
    expect(r.headers.server).toBe('istio-envoy');
    const bare = await get(`${serve.ingress}/`);
    expect(bare.status).toBe(200);
    expect(bare.body).toMatch(/^This is a silly demo version 1\.4\.12[69]\n$/);
    expect(await settle(before + 2)).toBe(before + 2);
    const q = encodeURIComponent('istio_requests_total{reporter="source",response_code="404"}');
    const body = (await (await fetch(`${serve.api}/api/v1/query?query=${q}`)).json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    expect(body.data.result).toHaveLength(1);
    expect(body.data.result[0]!.metric.response_flags).toBe('NR');
    expect(body.data.result[0]!.value[1]).toBe('1');
  });
});
