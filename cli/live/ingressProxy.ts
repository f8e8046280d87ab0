import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Rng } from '../../sim/clock/index.js';
import { hostMatches, type MeshRequest, type PlanTarget } from '../../sim/mesh/index.js';
import type { AnyWorld } from '../../sim/world.js';

const UPSTREAM_FAILURE =
  'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

/**
 * The Istio-like ingress gateway of live mode: a node:http proxy that routes each request as the
 * simulated mesh plans it (VirtualService weights, or a Service's ready pods), forwards it to the
 * chosen pod's real server over keep-alive connections, and records it in the Istio metrics with
 * the latency it measured. Envoy's own answers keep Envoy's codes and flags: 503 `UH` with no
 * ready upstream, 503 `UF` when the pod refuses the connection, 404 `NR` without a route.
 *
 * Requests are routed by their Host header, as by a Gateway with `hosts: ["*"]`: a name that no
 * VirtualService or Service matches gets 404 `NR`. A Host that is only an address (say `curl
 * http://127.0.0.1:8080/`) goes to the only VirtualService host, or else to the only Service
 * with ready pods in the default namespace, so a workshop needs no DNS tricks.
 */
export async function startIngressProxy(
  world: AnyWorld,
  opts: { host: string; port: number; rng: Rng; namespace: string },
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });
  const mesh = world.mesh;

  const resolve = (hostHeader: string): { host: string; port: number } | undefined => {
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    const vsHosts = [...mesh.virtualServices.values()].flatMap((vs) => vs.hosts);
    // A VirtualService host may be a wildcard (Argo's rollouts-demo uses `*`): it takes any name.
    if (vsHosts.some((h) => hostMatches(h, host))) return { host: host || 'localhost', port: 80 };
    const svc = mesh.resolveService(host, opts.namespace);
    if (svc) return { host, port: svc.ports[0]?.port ?? 80 };
    // A name that matches nothing gets Envoy's 404 NR; only an address (no name at all) falls back.
    if (!isAddress(host)) return undefined;
    const distinct = [...new Set(vsHosts)].filter((h) => !h.includes('*'));
    if (distinct.length === 1) return { host: distinct[0]!, port: 80 };
    const withPods = world.cluster
      .listServices()
      .filter((s) => s.meta.namespace === opts.namespace && world.cluster.endpoints(s).length > 0);
    if (withPods.length === 1)
      return { host: withPods[0]!.meta.name, port: withPods[0]!.ports[0]?.port ?? 80 };
    return undefined;
  };

  const answer = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(body),
      server: 'istio-envoy',
      ...extra,
    });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
    const url = new URL(req.url ?? '/', 'http://ingress');
    const dest = resolve(req.headers.host ?? '');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    const meshReq: MeshRequest | undefined = dest && {
      method: req.method ?? 'GET',
      url: {
        scheme: 'http',
        host: dest.host,
        port: dest.port,
        path: url.pathname,
        query,
        raw: `http://${dest.host}${req.url ?? '/'}`,
      },
      headers: meshHeaders(req, dest.host),
    };
    const plan = meshReq ? mesh.plan(meshReq, 1, opts.rng, opts.namespace) : [];
    let target: PlanTarget = plan.find((p) => p.target.kind !== 'shadow')?.target ?? {
      kind: 'local',
      status: 404,
      body: '',
      flags: 'NR',
    };
    if (target.kind === 'error' || target.kind === 'shadow')
      target = { kind: 'local', status: 404, body: '', flags: 'NR' };
    if (target.kind === 'local') {
      const local = target;
      req.resume();
      answer(res, local.status, local.body);
      mesh.recordOne(local, local.status, elapsedMs());
      return;
    }
    const shadows = plan.flatMap((p) => (p.target.kind === 'shadow' ? [p.target] : []));
    const podTarget = target;
    const endpoint = podTarget.pod.endpoint;
    const failed = () => {
      const local = {
        kind: 'local' as const,
        status: 503,
        body: UPSTREAM_FAILURE,
        flags: 'UF',
        svc: podTarget.svc,
      };
      if (!res.headersSent) answer(res, 503, UPSTREAM_FAILURE);
      else res.destroy();
      mesh.recordOne(local, 503, elapsedMs());
    };
    if (!endpoint) {
      req.resume();
      failed();
      return;
    }
    const upstream = request(
      {
        ...forwarded(req, endpoint),
        agent,
      },
      (up) => {
        const upstreamMs = elapsedMs();
        const headers = {
          ...up.headers,
          server: 'istio-envoy',
          'x-envoy-upstream-service-time': String(Math.round(upstreamMs)),
        };
        const status = up.statusCode ?? 502;
        if (up.headers['content-length'] === undefined) {
          // Unknown length: stream it through.
          res.writeHead(status, headers);
          up.pipe(res);
          up.once('end', () => mesh.recordOne(podTarget, status, elapsedMs()));
          return;
        }
        // silly-demo's answers are small and sized: one write for headers and body.
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.once('end', () => {
          res.writeHead(status, headers);
          res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
          mesh.recordOne(podTarget, status, elapsedMs());
        });
      },
    );
    upstream.once('error', failed);
    // Envoy mirrors once the primary is on its way: fire and forget, the client never waits.
    const mirrored = shadows.map((t) => sendShadow(t, req));
    const bodyless =
      req.headers['transfer-encoding'] === undefined &&
      (req.headers['content-length'] === undefined || req.headers['content-length'] === '0');
    if (bodyless) {
      // GET and friends: headers in one write, no stream plumbing.
      req.resume();
      upstream.end();
      for (const m of mirrored) m?.end();
    } else {
      req.pipe(upstream);
      for (const m of mirrored) if (m) req.pipe(m);
    }
  };

  /**
   * A mirrored copy of `req` to a pod, as Envoy's shadow: the same request with `-shadow`
   * appended to its Host, whose answer is read and dropped. Only the pod's sidecar counts it
   * (reporter="destination", the labels of any request from the gateway); a failed shadow is
   * not counted anywhere in the Istio metrics. See Mesh.record.
   */
  const sendShadow = (target: Extract<PlanTarget, { kind: 'shadow' }>, req: IncomingMessage) => {
    const endpoint = target.pod.endpoint;
    if (!endpoint) return undefined;
    const started = process.hrtime.bigint();
    const shadow = request(
      {
        ...forwarded(req, endpoint, `${req.headers.host ?? target.svc.meta.name}-shadow`),
        agent,
      },
      (up) => {
        up.resume();
        up.once('end', () =>
          mesh.recordOne(target, up.statusCode ?? 502, Number(process.hrtime.bigint() - started) / 1e6),
        );
      },
    );
    shadow.once('error', () => {});
    return shadow;
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host, () => ok());
  });
  const addr = server.address() as AddressInfo;
  return {
    server,
    url: `http://${addr.address}:${addr.port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
        agent.destroy();
      }),
  };
}

/** `req` as Envoy forwards it to a pod (a shadow copy gets its own Host). */
function forwarded(req: IncomingMessage, endpoint: { host: string; port: number }, host?: string) {
  return {
    host: endpoint.host,
    port: endpoint.port,
    method: req.method,
    path: req.url,
    headers: {
      ...req.headers,
      ...(host === undefined ? {} : { host }),
      'x-forwarded-proto': 'http',
      'x-envoy-external-address': req.socket.remoteAddress ?? '',
    },
  };
}

/**
 * The request's headers for VirtualService `match` rules: lower-case names, repeated values
 * joined. A bare-address Host routed to the only VirtualService host reads as that host.
 */
function meshHeaders(req: IncomingMessage, routedHost: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  if ((out['host'] ?? '').replace(/:\d+$/, '').toLowerCase() !== routedHost) out['host'] = routedHost;
  return out;
}

/** `127.0.0.1`, `[::1]`, `localhost`: a Host header that names no service. */
function isAddress(host: string): boolean {
  return host === '' || host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');
}
