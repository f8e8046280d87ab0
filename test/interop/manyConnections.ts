// In .ci/run (it needs `ulimit -n` of about 18,000 for serve and 11,000 here; with less, 2,000):
// 10,000 connections at once through `canarysim serve`, run as its own process, with apps that
// answer after a fixed delay; a fifth of the clients hang up halfway. Checks that every answered
// request is counted once as 200, every abandoned one as 0 DC (gateway and sidecar), and times the
// control API throughout.
//
//   npm run build && node dist/test/interop/manyConnections.js [connections] [latency ms]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { openFileLimit } from '../../cli/live/serverLimits.js';
import { freePort, stop } from './common.js';
import { countsSettled, istioCounts, openMany, probe, quantile, sameCounts } from './connectionLoad.js';

// The control API's prober runs in a worker thread, so 10,000 clients in this thread do not
// delay its timing: it sees what serve answers.
if (!isMainThread) {
  const { url, everyMs } = workerData as { url: string; everyMs: number };
  const p = probe(url, everyMs);
  parentPort!.once('message', () => void p.stop().then((r) => parentPort!.postMessage(r)));
} else await main();

function probeInWorker(url: string, everyMs = 50): { stop(): Promise<{ ms: number[]; failures: string[] }> } {
  const w = new Worker(fileURLToPath(import.meta.url), { workerData: { url, everyMs } });
  return {
    stop: () =>
      new Promise((ok) => {
        w.once('message', (r: { ms: number[]; failures: string[] }) => void w.terminate().then(() => ok(r)));
        w.postMessage('stop');
      }),
  };
}

async function main(): Promise<void> {
  const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const HOST = 'silly-demo.127.0.0.1.nip.io';
  const connections = Number(process.argv[2] ?? 10_000);
  const latencyMs = Number(process.argv[3] ?? 2000);
  const hangUps = Math.floor(connections / 5);

  const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-many-'));
  const apps = path.join(dir, 'apps.yaml');
  writeFileSync(apps, `- image: ghcr.io/vfarcic/silly-demo:*\n  latency: {fixed: ${latencyMs}ms}\n`);
  const [port, apiPort] = [await freePort(), await freePort()];
  const cli = path.join(ROOT, 'dist/cli/main.js');
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--port', String(port), '--api-port', String(apiPort), '--speed', '30', '--apps', apps],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const api = `http://127.0.0.1:${apiPort}`;
  const run = (...args: string[]) =>
    new Promise<number>((ok) =>
      spawn(process.execPath, [cli, ...args, '--server', api], { stdio: 'inherit' }).once('exit', (c) =>
        ok(c ?? 1),
      ),
    );
  let failures = 0;
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures++;
  };
  try {
    for (let i = 0; ; i++) {
      try {
        await fetch(`${api}/canarysim/v1/status`);
        break;
      } catch (e) {
        if (i > 200) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await run('apply', '-n', 'a-team', '-k', path.join(ROOT, 'scenarios/blog/kustomize/overlays/istio'));
    check(
      (await run('status', 'silly-demo', '-n', 'a-team', '-t', '60s')) === 0,
      'the blog rollout is Healthy',
    );

    console.log(
      `${connections} connections at once (this process: ulimit -n ${openFileLimit() ?? '?'}), ${hangUps} hung up after ${latencyMs / 2} ms, apps answer after ${latencyMs} ms`,
    );
    const [source, destination] = [await istioCounts(api, 'source'), await istioCounts(api, 'destination')];
    const quiet = probeInWorker(`${api}/canarysim/v1/status`);
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await quiet.stop();
    const prober = probeInWorker(`${api}/canarysim/v1/status`);
    const r = await openMany(`http://127.0.0.1:${port}/`, HOST, {
      connections,
      hangUps,
      hangUpMs: latencyMs / 2,
      timeoutMs: 120_000,
    });
    const busy = await prober.stop();
    const fmt = (ms: number[]) =>
      `p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (${ms.length} probes)`;
    console.log(`all ended in ${r.ms} ms; answered ${JSON.stringify([...r.answered])}, hung up ${r.hungUp}`);
    console.log(`control API idle: ${fmt(idle.ms)}`);
    console.log(`control API under the load: ${fmt(busy.ms)}`);
    check(
      r.failed.count === 0,
      `no connection failed (${r.failed.count}${r.failed.first ? `; first: ${r.failed.first}` : ''})`,
    );
    check(
      busy.failures.length === 0,
      `the control API answered every probe (${busy.failures.length} failed)`,
    );
    const want = { '200 -': connections - hangUps, '0 DC': hangUps };
    check(
      (r.answered.get(200) ?? 0) === connections - hangUps && r.hungUp === hangUps,
      `clients: ${connections - hangUps} answered 200, ${hangUps} hung up`,
    );
    for (const [reporter, before] of [
      ['source', source],
      ['destination', destination],
    ] as const) {
      const c = await countsSettled(api, reporter, before, want, 20_000);
      check(
        sameCounts(c.now, c.expected),
        `istio_requests_total{reporter="${reporter}"}: ${JSON.stringify(c.now)} (expected ${JSON.stringify(c.expected)})`,
      );
    }
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    failures === 0 ? 'many connections: all checks passed' : `many connections: ${failures} failed`,
  );
  process.exit(failures === 0 ? 0 : 1);
}
