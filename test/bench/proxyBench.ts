// Live mode's ingress proxy against going straight to one replica: capacity (requests/s, closed
// loop, autocannon) and the latency the proxy adds at half its capacity (hey with -q, 0.1 ms
// resolution). Beside it, in the same run, the same measurements for the floor any Node proxy
// has on this machine: a bare node:http keep-alive proxy in front of a bare node:http replica in
// one process — the arrangement `canarysim serve` has, minus routing, metrics and the app model.
// (An express replica, as this baseline had before, is ~2× slower to reach directly, which
// flatters the ratio: median 0.66× with express against 0.33× with a node:http replica, the kind
// canarysim runs, in runs on the same loaded 2-core machine.)
import autocannon from 'autocannon';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BLOG_HOST, type LiveServe } from '../interop/liveServe.js';

const run = promisify(execFile);

/** Closed-loop capacity: requests/s with `connections` keep-alive connections for `seconds`. */
export async function capacity(url: string, host: string | undefined, seconds: number, connections = 32) {
  const r = await autocannon({ url, connections, duration: seconds, headers: host ? { host } : {} });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.total / seconds;
}

/** Which hey measures latency: Debian's when installed (Go, light on the CPU it shares), else ours. */
export function latencyTool(root: string): { name: string; cmd: string; pre: string[] } {
  if (spawnSync('hey', ['-n', '1', 'http://127.0.0.1:1/'], { stdio: 'ignore' }).error === undefined)
    return { name: 'hey 0.1.4', cmd: 'hey', pre: [] };
  return { name: 'canarysim hey', cmd: process.execPath, pre: [path.join(root, 'dist/cli/main.js'), 'hey'] };
}

/** p50 and p99 (ms) at `rate` requests/s: 10 workers at rate/10 each, for `seconds`. */
export async function latencyAt(
  tool: { cmd: string; pre: string[] },
  url: string,
  host: string | undefined,
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number }> {
  const args = [
    ...tool.pre,
    '-z',
    `${seconds}s`,
    '-c',
    '10',
    '-q',
    String(Math.max(1, Math.round(rate / 10))),
  ];
  if (host) args.push('-host', host);
  const out = (await run(tool.cmd, [...args, url], { maxBuffer: 1 << 24 })).stdout;
  const pct = (p: number) => Number(new RegExp(`${p}% in ([\\d.]+) secs`).exec(out)?.[1] ?? NaN) * 1000;
  return { p50: pct(50), p99: pct(99) };
}

export interface Target {
  direct: string;
  proxy: string;
  host?: string;
}

export interface ProxyBenchRun {
  directRps: number;
  proxyRps: number;
  rate: number;
  directP50: number;
  proxyP50: number;
  directP99: number;
  proxyP99: number;
}

/** One run: capacity both ways, then latency both ways at half the proxy's capacity. */
export async function proxyBenchRun(
  t: Target,
  tool: { cmd: string; pre: string[] },
  seconds: number,
): Promise<ProxyBenchRun> {
  const directRps = await capacity(t.direct, undefined, seconds);
  const proxyRps = await capacity(t.proxy, t.host, seconds);
  const rate = Math.round(proxyRps / 2);
  const d = await latencyAt(tool, t.direct, undefined, rate, seconds);
  const p = await latencyAt(tool, t.proxy, t.host, rate, seconds);
  return { directRps, proxyRps, rate, directP50: d.p50, proxyP50: p.p50, directP99: d.p99, proxyP99: p.p99 };
}

/** `canarysim serve`'s proxy and one of its replicas. */
export async function serveTarget(serve: LiveServe): Promise<Target> {
  const pod = (await serve.client.pods()).find((p) => p.url)!.url!;
  return { direct: `${pod}/`, proxy: `${serve.ingress}/`, host: BLOG_HOST };
}

/**
 * The baseline: a node:http replica answering silly-demo's text and a bare node:http proxy in one process of their own, the
 * replica on the proxy's thread (`same`, as `canarysim serve` has them) or on a worker thread of
 * its own (`worker`: what giving the proxy a core to itself can gain).
 */
export async function startBare(
  root: string,
  thread: 'same' | 'worker' = 'same',
): Promise<{ target: Target; child: ChildProcess }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./bareProxy.js', import.meta.url)), thread], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [replica, proxy] = await new Promise<number[]>((ok, fail) => {
    child.stdout!.once('data', (d: Buffer) => ok(String(d).trim().split(' ').map(Number)));
    child.once('exit', (c) => fail(new Error(`bare proxy exited ${c}`)));
  });
  return { target: { direct: `http://127.0.0.1:${replica}/`, proxy: `http://127.0.0.1:${proxy}/` }, child };
}
