import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand, statusCommand } from '../../cli/commands/live.js';
import { HttpControlClient } from '../../cli/live/HttpControlClient.js';
import { loadAppsFile } from '../../cli/live/loadAppsFile.js';
import { startServe, type ServeHandle } from '../../cli/live/serve.js';
import { connectionBudget, openFileLimit } from '../../cli/live/serverLimits.js';
import { countsSettled, istioCounts, openMany, probe, quantile } from '../interop/connectionLoad.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

// Many connections at once through the live gateway: the control API keeps answering, every
// answered request is counted once with its status, and every request whose client hung up
// before the answer is counted as Envoy counts it — response_code "0", response_flags "DC" —
// by the gateway and by the pod's sidecar. 2,000 connections here (this process holds both
// ends: ~5 open files each); `node dist/test/interop/manyConnections.js` runs 10,000 against
// serve as its own process.

const HOST = 'silly-demo.127.0.0.1.nip.io';
const LATENCY_MS = 500;

describe('2,000 connections at once (serve at 30×, apps answering after 500 ms)', () => {
  let serve: ServeHandle;
  let dir: string;
  // Both ends live in this process: a client socket, the gateway's end, and two to the pod.
  const connections = Math.min(2000, Math.floor(((openFileLimit() ?? 65_536) - 1000) / 5));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'canarysim-many-'));
    const apps = path.join(dir, 'apps.yaml');
    writeFileSync(apps, `- image: ghcr.io/vfarcic/silly-demo:*\n  latency: {fixed: ${LATENCY_MS}ms}\n`);
    serve = await startServe({
      host: '127.0.0.1',
      port: 0,
      apiPort: 0,
      speed: 30,
      seed: 5,
      namespaces: ['default', 'a-team'],
      namespace: 'a-team',
      apps: loadAppsFile(apps),
    });
    const client = new HttpControlClient(serve.api);
    const quiet = { write: () => 0 };
    await applyCommand(
      client,
      'apply',
      { kustomize: path.join(REPO_ROOT, 'scenarios/blog/kustomize/overlays/istio'), namespace: 'a-team' },
      quiet,
    );
    const rc = await statusCommand(
      client,
      'silly-demo',
      { namespace: 'a-team', watch: true, timeout: '30s', pollMs: 100 },
      quiet,
      quiet,
    );
    expect(rc).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the open-file budget takes them: the gateway holds more connections than this test opens', () => {
    expect(connections).toBeGreaterThanOrEqual(500);
    expect(connectionBudget().clients).toBeGreaterThan(connections);
  });

  it('answers and counts them exactly while the control API answers', async () => {
    const [source, destination] = [
      await istioCounts(serve.api, 'source'),
      await istioCounts(serve.api, 'destination'),
    ];
    const hangUps = Math.floor(connections / 4);
    const prober = probe(`${serve.api}/canarysim/v1/status`, 50);
    const r = await openMany(`${serve.ingress}/`, HOST, {
      connections,
      hangUps,
      hangUpMs: LATENCY_MS / 5,
      timeoutMs: 30_000,
    });
    const api = await prober.stop();

    expect(r.failed).toEqual({ count: 0 });
    expect(r.hungUp).toBe(hangUps);
    expect([...r.answered]).toEqual([[200, connections - hangUps]]);
    const want = { '200 -': connections - hangUps, '0 DC': hangUps };
    const atGateway = await countsSettled(serve.api, 'source', source, want);
    expect(atGateway.now).toEqual(atGateway.expected);
    const atSidecar = await countsSettled(serve.api, 'destination', destination, want);
    expect(atSidecar.now).toEqual(atSidecar.expected);

    // The control API answered all along, and promptly (its p99 through the burst).
    expect(api.failures).toEqual([]);
    expect(api.ms.length).toBeGreaterThan(5);
    expect(quantile(api.ms, 0.99)).toBeLessThan(2000);
  }, 90_000);
});
