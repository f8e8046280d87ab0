// Shared pieces of the interop checks (run by .ci/run after it installs Debian's prometheus).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once its output matches `ready` (or rejects after `timeoutMs`). */
export function startUntil(
  cmd: string,
  args: string[],
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} did not become ready in ${timeoutMs} ms:\n${out.slice(-2000)}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += String(d);
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited with ${code} before it was ready:\n${out.slice(-2000)}`));
    });
  });
}

/** Stops a child by PID and waits for it. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** An instant query through Prometheus's HTTP API (ours or a real one). */
export async function apiQuery(base: string, query: string, tMs: number): Promise<Sample[]> {
  const res = await fetch(`${base}/api/v1/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, time: (tMs / 1000).toFixed(3) }).toString(),
  });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data: { resultType: string; result: unknown };
  };
  if (body.status !== 'success') throw new Error(`${base}: ${query}: ${body.error}`);
  const d = body.data;
  if (d.resultType === 'scalar') return [{ metric: {}, value: Number((d.result as [number, string])[1]) }];
  if (d.resultType !== 'vector') throw new Error(`${query}: unexpected ${d.resultType}`);
  return (d.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({
    metric: s.metric,
    value: Number(s.value[1]),
  }));
}

const key = (m: Record<string, string>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join(',');

/** Differences between two results (label sets and values, relative tolerance `tol`). */
export function diff(a: Sample[], b: Sample[], tol = 1e-9): string[] {
  const out: string[] = [];
  const bm = new Map(b.map((s) => [key(s.metric), s.value]));
  for (const s of a) {
    const k = key(s.metric);
    const v = bm.get(k);
    if (v === undefined) out.push(`only in first: {${k}} ${s.value}`);
    else {
      const same =
        (Number.isNaN(v) && Number.isNaN(s.value)) ||
        v === s.value ||
        Math.abs(v - s.value) <= tol * Math.max(Math.abs(v), Math.abs(s.value));
      if (!same) out.push(`{${k}}: ${s.value} vs ${v}`);
      bm.delete(k);
    }
  }
  for (const [k, v] of bm) out.push(`only in second: {${k}} ${v}`);
  return out;
}

/** Queries the interop checks compare: the seed's, the analysis template's, and a dozen from the subset. */
export const QUERIES = [
  'sum(irate(istio_requests_total{reporter="source",destination_service=~"silly-demo-stable.a-team.svc.cluster.local"}[5m]))',
  'sum(irate(istio_requests_total{reporter="source",destination_service=~"silly-demo-stable.a-team.svc.cluster.local",response_code!~"5.*"}[5m]))',
  'sum(irate(istio_requests_total{reporter="source",destination_service=~"silly-demo-stable.a-team.svc.cluster.local",response_code!~"5.*"}[5m])) / sum(irate(istio_requests_total{reporter="source",destination_service=~"silly-demo-stable.a-team.svc.cluster.local"}[5m]))',
  'sum(irate(istio_requests_total{reporter="source",destination_service="silly-demo-canary.a-team.svc.cluster.local",response_code!~"5.*"}[5m])) / sum(irate(istio_requests_total{reporter="source",destination_service="silly-demo-canary.a-team.svc.cluster.local"}[5m]))',
  'sum by (response_code) (rate(istio_requests_total{reporter="source"}[5m]))',
  'sum by (destination_service_name) (increase(istio_requests_total{reporter="source"}[10m]))',
  'histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="source"}[5m])))',
  'histogram_quantile(0.5, sum by (le, destination_service_name) (rate(istio_request_duration_milliseconds_bucket{reporter="source"}[5m])))',
  'max_over_time(istio_requests_total{reporter="source",response_code="200"}[15m])',
  'topk(2, sum by (destination_service_name, response_code) (rate(istio_requests_total{reporter="source"}[5m])))',
  'sum by (destination_service_name) (rate(istio_requests_total{reporter="source"}[5m])) / on() group_left sum(rate(istio_requests_total{reporter="source"}[5m]))',
  'rate(istio_request_duration_milliseconds_sum{reporter="source"}[5m]) / rate(istio_request_duration_milliseconds_count{reporter="source"}[5m])',
  'quantile(0.5, rate(istio_requests_total{reporter="source"}[5m]))',
  'stddev(rate(istio_requests_total{reporter="source"}[5m]))',
  'count(istio_requests_total{reporter="source"} offset 5m) by (response_code)',
  'clamp_max(sum(rate(istio_requests_total{reporter="source"}[5m])), 5000)',
  'absent(istio_requests_total{reporter="waypoint"})',
  'sum(rate(istio_requests_total{reporter="source"}[5m])) > bool 1000',
];
