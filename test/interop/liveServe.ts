// `canarysim serve` from the build, as its own process (what a trainer runs), for the live
// interop checks and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { HttpControlClient } from '../../cli/live/HttpControlClient.js';
import { freePort } from './common.js';
import { localManifests } from '../../cli/commands/live.js';

export const BLOG_HOST = 'silly-demo.127.0.0.1.nip.io';

export interface LiveServe {
  ingress: string;
  api: string;
  client: HttpControlClient;
  child: ChildProcess;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `node dist/cli/main.js serve`, applies a blog overlay in a-team and waits until Healthy. */
export async function startServeProcess(root: string, overlay = 'istio', speed = 30): Promise<LiveServe> {
  const port = await freePort();
  const apiPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'dist/cli/main.js'),
      'serve',
      '--port',
      String(port),
      '--api-port',
      String(apiPort),
      '--speed',
      String(speed),
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const api = `http://127.0.0.1:${apiPort}`;
  const client = new HttpControlClient(api);
  for (let i = 0; ; i++) {
    try {
      await client.status();
      break;
    } catch (e) {
      if (i > 200 || child.exitCode !== null) throw e;
      await sleep(50);
    }
  }
  await client.apply({
    objects: localManifests({ kustomize: path.join(root, 'scenarios/blog/kustomize/overlays', overlay) }),
    namespace: 'a-team',
  });
  for (let i = 0; ; i++) {
    const d = await client.rollout('a-team', 'silly-demo');
    const pods = await client.pods();
    if (d.view.status === 'Healthy' && pods.length > 0 && pods.every((p) => p.url)) break;
    if (i > 400) throw new Error('serve: the rollout did not become Healthy in 20 s');
    await sleep(50);
  }
  return {
    ingress: `http://127.0.0.1:${port}`,
    api,
    client,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** `sum(istio_requests_total{reporter="source"})` as the embedded Prometheus has it now. */
export async function sourceTotal(api: string): Promise<number> {
  const q = encodeURIComponent('sum(istio_requests_total{reporter="source"})');
  const body = (await (await fetch(`${api}/api/v1/query?query=${q}`)).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

/** The scraped total once it equals `want`, or whatever it is after `timeoutMs`. */
export async function settledTotal(api: string, want: number, timeoutMs = 6000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await sourceTotal(api);
    if (v === want || Date.now() > deadline) return v;
    await sleep(100);
  }
}
