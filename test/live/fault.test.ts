import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { statusCommand } from '../../cli/commands/live.js';
import { HttpControlClient } from '../../cli/live/HttpControlClient.js';
import type { PodInfo } from '../../cli/live/controlApi.js';
import { runCli } from '../../cli/runCli.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { eventually, get, liveServe } from './liveLoad.js';
import { localManifests } from '../../cli/commands/live.js';

// Faults in live mode: real replicas answer with the faulted model's statuses, delays and
// crashes, so the proxy, the Istio metrics and the analysis see what the virtual world sees.

const BLOG = path.join(REPO_ROOT, 'scenarios/blog');
const HOST = 'silly-demo.127.0.0.1.nip.io';
const STABLE = 'ghcr.io/vfarcic/silly-demo:1.4.126';
const CANARY = 'ghcr.io/vfarcic/silly-demo:1.4.127';

interface Answer {
  /** Date.now() when the request was sent. */
  at: number;
  /** 0: no HTTP answer (the connection failed or was reset). */
  status: number;
  body: string;
}

/**
 * Closed-loop load through the ingress that keeps every answer (and every failure, as status 0)
 * with its start time, so a test can ask what requests sent after some moment got.
 */
function recordingLoad(url: string, host: string, workers: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  const answers: Answer[] = [];
  let stopping = false;
  const one = () =>
    new Promise<void>((ok) => {
      const at = Date.now();
      let done = false;
      const finish = (status: number, body: string) => {
        if (done) return;
        done = true;
        answers.push({ at, status, body });
        ok();
      };
      const req = request(url, { agent, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.once('end', () => finish(res.statusCode ?? 0, body));
        res.once('error', () => finish(0, ''));
      });
      req.once('error', () => finish(0, ''));
      req.end();
    });
  const loops = Array.from({ length: workers }, async () => {
    while (!stopping) {
      await one();
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  return {
    answers,
    since: (t: number) => answers.filter((a) => a.at >= t),
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

function sink() {
  let text = '';
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
  };
}

async function cli(server: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runCli([...argv, '--server', server], { stdout: out, stderr: err });
  return { code, out: out.text, err: err.text };
}

/** The value of an instant query against serve's embedded Prometheus (0 for an empty vector). */
async function promValue(api: string, query: string): Promise<number> {
  const body = (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

describe('a fault on the canary image, live (serve at 30×)', () => {
  const live = liveServe(30);

  it('50% 503s: real replicas answer 503, istio_requests_total counts them, Argo aborts; cleared, the canary is healthy again', async () => {
    await live.client.apply({
      objects: localManifests({ kustomize: path.join(BLOG, 'kustomize/overlays/istio-prometheus') }),
      namespace: 'a-team',
    });
    await live.client.apply({
      objects: localManifests({ filename: path.join(BLOG, 'cluster-analysis-template.yaml') }),
      namespace: 'a-team',
    });
    const healthy = await eventually(async () => {
      const d = await live.client.rollout('a-team', 'silly-demo');
      return d.view.status === 'Healthy' || undefined;
    }, 20_000);
    expect(healthy).toBe(true);

    // Ordinary traffic first, as in the blog, so the canary has 2xx series when the fault starts.
    const load = recordingLoad(`${live.serve.ingress}/`, HOST, 3);
    try {
      await live.client.setImage('a-team', 'silly-demo', 'silly-demo', CANARY);
      const paused = await eventually(async () => {
        const d = await live.client.rollout('a-team', 'silly-demo');
        return d.view.status === 'Paused' && d.view.actualWeight === '20' ? d : undefined;
      }, 10_000);
      expect(paused).toBeDefined();
      await new Promise((r) => setTimeout(r, 500));

      // The trainer turns the canary bad, mid-pause.
      const set = await cli(
        live.serve.api,
        'fault',
        'set',
        '--image',
        CANARY,
        '--errors',
        '50%',
        '--status',
        '503',
      );
      expect(set).toEqual({
        code: 0,
        out: `fault set on image ${CANARY}: 1 running pod affected\n`,
        err: '',
      });
      const faultAt = Date.now();
      // The 503s are the replica's own answers (its body), not the proxy's UH/UF.
      const replica503 = await eventually(async () => {
        const n = load
          .since(faultAt)
          .filter((a) => a.status === 503 && a.body === 'Service Unavailable\n').length;
        return n >= 20 ? n : undefined;
      }, 10_000);
      expect(replica503).toBeDefined();
      expect(
        load.since(faultAt).filter((a) => a.status === 503 && a.body !== 'Service Unavailable\n'),
      ).toEqual([]);
      const rose = await eventually(async () => {
        const v = await promValue(
          live.serve.api,
          'sum(istio_requests_total{reporter="source",response_code="503",destination_service="silly-demo-canary.a-team.svc.cluster.local"})',
        );
        return v > 0 ? v : undefined;
      }, 10_000);
      expect(rose).toBeGreaterThan(0);
      expect((await cli(live.serve.api, 'fault', 'list')).out).toBe(
        'TARGET                                     WHAT\n' +
          `image ${CANARY}   errors: {share: 50%, status: 503}\n`,
      );

      // The background analysis (from setWeight 40) measures the canary's success rate: Failed.
      const status = sink();
      const errs = sink();
      const rc = await statusCommand(
        live.client,
        'silly-demo',
        { namespace: 'a-team', watch: true, timeout: '30s', pollMs: 100 },
        status,
        errs,
      );
      expect(rc).toBe(1);
      const expected =
        'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: ' +
        'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)';
      expect(errs.text).toBe(`Error: The rollout is in a degraded state with message: ${expected}\n`);

      // Cleared and retried: the canary serves again, and every answer is a 200.
      expect(await cli(live.serve.api, 'fault', 'clear', '--image', CANARY)).toEqual({
        code: 0,
        out: '1 fault cleared\n',
        err: '',
      });
      expect((await cli(live.serve.api, 'retry', 'rollout', 'silly-demo', '-n', 'a-team')).code).toBe(0);
      const again = await eventually(async () => {
        const d = await live.client.rollout('a-team', 'silly-demo');
        return d.view.status === 'Paused' && d.view.actualWeight === '20' ? d : undefined;
      }, 10_000);
      expect(again).toBeDefined();
      const healedAt = Date.now();
      await new Promise((r) => setTimeout(r, 1500));
      const healed = load.since(healedAt);
      expect(healed.filter((a) => a.status !== 200)).toEqual([]);
      expect(
        healed.filter((a) => a.body === 'This is a silly demo version 1.4.127\n').length,
      ).toBeGreaterThan(0);
    } finally {
      await load.stop();
    }

    // A malformed fault over real HTTP: 400 naming the field and the value.
    const res = await fetch(`${live.serve.api}/canarysim/v1/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: CANARY, latency: { p50: 'slow', p99: '2s' } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'fault: latency.p50: invalid duration "slow": expected a Go duration such as 30s, 5m or 1h30m',
    });
  });
});

describe('crash: now on one pod, live (serve at 2×)', () => {
  const live = liveServe(2);

  it("the pod's server stops, the pod shows Error, then Running with a restart; the ingress sends traffic elsewhere meanwhile", async () => {
    await live.client.apply({
      objects: localManifests({ kustomize: path.join(BLOG, 'kustomize/overlays/istio') }),
      namespace: 'a-team',
    });
    const up = await eventually(async () => {
      const pods = await live.client.pods();
      return pods.length === 5 && pods.every((p) => p.ready && p.url) ? pods : undefined;
    }, 15_000);
    expect(up).toBeDefined();
    const victim = up![0]!;
    expect(victim).toMatchObject({ status: 'Running', restarts: 0, image: STABLE });

    const workers = 4;
    const load = recordingLoad(`${live.serve.ingress}/`, HOST, workers);
    let crashedAt: number | undefined;
    try {
      await new Promise((r) => setTimeout(r, 300));
      const set = await live.client.setFault({ pod: victim.name, namespace: 'a-team', crash: 'now' });
      crashedAt = Date.now();
      expect(set).toBe(`fault set on pod a-team/${victim.name}: 1 running pod affected, 1 crashed`);
      // The kubelet restarts a first crash after a 1 s sync: 500 ms here.
      const crashed = (await live.client.pods()).find((p) => p.name === victim.name);
      expect(crashed).toMatchObject({ status: 'Error', ready: false, restarts: 0, url: null });
      await expect(get(victim.url!)).rejects.toThrow(/ECONNREFUSED/);

      const back = await eventually(async () => {
        const p = (await live.client.pods()).find((x: PodInfo) => x.name === victim.name);
        return p && p.status === 'Running' && p.ready && p.url && p.restarts >= 1 ? p : undefined;
      }, 10_000);
      expect(back).toMatchObject({ status: 'Running', ready: true, restarts: 1, image: STABLE });
      expect(back!.url).not.toBe(victim.url);
      expect((await get(back!.url!)).body).toBe('This is a silly demo version 1.4.126\n');
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await load.stop();
    }
    // Only requests in flight on the crashed pod can fail (its sidecar answers them 503 UC, as
    // Envoy does for a reset upstream); everything sent after the crash went to the other pods.
    const failed = load.answers.filter((a) => a.status !== 200);
    expect(failed.length).toBeLessThanOrEqual(workers);
    for (const f of failed) expect(f).toMatchObject({ status: 503 });
    expect(load.since(crashedAt!).filter((a) => a.status !== 200)).toEqual([]);
    expect(load.since(crashedAt!).length).toBeGreaterThan(50);
  });
});

describe('canarysim serve --apps FILE (the CLI, as its own process)', () => {
  let child: ChildProcess | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-apps-'));
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (child && child.exitCode === null) {
      const exited = new Promise((ok) => child!.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('a model with a fixed 300 ms latency: a real request through the ingress takes at least 300 ms', async () => {
    const apps = path.join(dir, 'apps.yaml');
    writeFileSync(apps, `- image: ${STABLE}\n  latency: 300ms\n`);
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'cli/main.ts',
        'serve',
        '--apps',
        apps,
        '--port',
        '0',
        '--api-port',
        '0',
        '--speed',
        '20',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const banner = await new Promise<string>((ok, fail) => {
      let out = '';
      child!.stdout!.setEncoding('utf8');
      child!.stdout!.on('data', (c: string) => {
        out += c;
        if (out.includes('\n')) ok(out);
      });
      child!.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${out}`)));
    });
    expect(banner).toContain(`1 app model from ${apps}`);
    const [, ingress, api] = /ingress gateway (\S+), API (\S+) /.exec(banner)!;
    const remote = new HttpControlClient(api!);
    await remote.apply({
      objects: localManifests({ kustomize: path.join(BLOG, 'kustomize/overlays/istio') }),
      namespace: 'a-team',
    });
    const up = await eventually(async () => {
      const pods = await remote.pods();
      return (pods.length === 5 && pods.every((p) => p.ready && p.url)) || undefined;
    }, 15_000);
    expect(up).toBe(true);
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await get(`${ingress!}/`, HOST);
      const ms = performance.now() - t0;
      expect(r.body).toBe('This is a silly demo version 1.4.126\n');
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(ms).toBeLessThan(2000);
    }
  });
});
