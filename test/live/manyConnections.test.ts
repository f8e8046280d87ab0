import { describe, expect, it } from 'vitest';
import { connectionBudget, openFileLimit } from '../../cli/live/serverLimits.js';
import { countsSettled, istioCounts, openMany, probe, quantile } from '../interop/connectionLoad.js';
import { liveServe } from './liveLoad.js';

// Many connections at once through the live gateway: the control API keeps answering, every
// answered request is counted once with its status, and every request whose client hung up
// before the answer is counted as Envoy counts it — response_code "0", response_flags "DC" —
// by the gateway and by the pod's sidecar. 2,000 connections here (this process holds both
// ends: ~5 open files each); `node dist/test/interop/manyConnections.js` runs 10,000 against
// serve as its own process.

const HOST = 'silly-demo.127.0.0.1.nip.io';
const LATENCY_MS = 500;

describe('2,000 connections at once (serve at 30×, apps answering after 500 ms)', () => {
  const live = liveServe(30, {
    seed: 5,
    apps: `- image: ghcr.io/vfarcic/silly-demo:*\n  latency: {fixed: ${LATENCY_MS}ms}\n`,
    blog: true,
  });
  // Both ends live in this process: a client socket, the gateway's end, and two to the pod.
  const connections = Math.min(2000, Math.floor(((openFileLimit() ?? 65_536) - 1000) / 5));

  it('the open-file budget takes them: the gateway holds more connections than this test opens', () => {
    expect(connections).toBeGreaterThanOrEqual(500);
    expect(connectionBudget().clients).toBeGreaterThan(connections);
  });

  it('answers and counts them exactly while the control API answers', async () => {
    const [source, destination] = [
      await istioCounts(live.serve.api, 'source'),
      await istioCounts(live.serve.api, 'destination'),
    ];
    const hangUps = Math.floor(connections / 4);
    const prober = probe(`${live.serve.api}/canarysim/v1/status`, 50);
    const r = await openMany(`${live.serve.ingress}/`, HOST, {
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
    const atGateway = await countsSettled(live.serve.api, 'source', source, want);
    expect(atGateway.now).toEqual(atGateway.expected);
    const atSidecar = await countsSettled(live.serve.api, 'destination', destination, want);
    expect(atSidecar.now).toEqual(atSidecar.expected);

    // The control API answered all along, and promptly (its p99 through the burst).
    expect(api.failures).toEqual([]);
    expect(api.ms.length).toBeGreaterThan(5);
    expect(quantile(api.ms, 0.99)).toBeLessThan(2000);
  }, 90_000);
});
