// Live mode's ingress proxy against going straight to one replica: capacity (requests/s, closed
// loop, autocannon) and the latency the proxy adds at half its capacity (open loop, a fixed
// arrival rate, µs timestamps). `canarysim serve` runs as its own process, as a trainer runs it.
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { BLOG_HOST as HOST, type LiveServe } from '../interop/liveServe.js';

/** Closed-loop capacity: requests/s with `connections` keep-alive connections for `seconds`. */
export async function capacity(url: string, host: string | undefined, seconds: number, connections = 32) {
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: host ? { host } : {},
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.total / seconds;
}

/**
 * Open loop: `rate` requests/s for `seconds`, sent on schedule whatever the answers do (so a slow
 * server is not hidden by a waiting client), each latency from its scheduled send time, in ms.
 */
export async function openLoopLatency(
  url: string,
  host: string | undefined,
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; sent: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const lat: number[] = [];
  const total = Math.floor(rate * seconds);
  const t0 = process.hrtime.bigint();
  const intervalNs = 1e9 / rate;
  let issued = 0;
  let done = 0;
  await new Promise<void>((finish, fail) => {
    const tick = () => {
      const now = Number(process.hrtime.bigint() - t0);
      while (issued < total && issued * intervalNs <= now) {
        const scheduled = issued * intervalNs;
        issued++;
        const req = request(url, { agent, headers: host ? { host } : {} }, (res) => {
          res.resume();
          res.once('end', () => {
            lat.push((Number(process.hrtime.bigint() - t0) - scheduled) / 1e6);
            if (++done === total) finish();
          });
        });
        req.once('error', fail);
        req.end();
      }
      if (issued < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  return { p50: q(0.5), p99: q(0.99), sent: total };
}

export interface ProxyBenchRun {
  directRps: number;
  proxyRps: number;
  rate: number;
  directP99: number;
  proxyP99: number;
  directP50: number;
  proxyP50: number;
}

/** One run: capacity both ways, then latency both ways at half the proxy's capacity. */
export async function proxyBenchRun(serve: LiveServe, seconds: number): Promise<ProxyBenchRun> {
  const pod = (await serve.client.pods()).find((p) => p.url)!.url!;
  const directRps = await capacity(`${pod}/`, undefined, seconds);
  const proxyRps = await capacity(`${serve.ingress}/`, HOST, seconds);
  const rate = Math.round(proxyRps / 2);
  const d = await openLoopLatency(`${pod}/`, undefined, rate, seconds);
  const p = await openLoopLatency(`${serve.ingress}/`, HOST, rate, seconds);
  return {
    directRps,
    proxyRps,
    rate,
    directP99: d.p99,
    proxyP99: p.p99,
    directP50: d.p50,
    proxyP50: p.p50,
  };
}
