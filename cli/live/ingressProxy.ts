import {
  Agent,
  createServer,
  request,
  type ClientRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Rng } from '../../sim/clock/index.js';
import { hostMatches, UPSTREAM_RESET, type MeshRequest, type PlanTarget } from '../../sim/mesh/index.js';
import type { AnyWorld } from '../../sim/world.js';
import { isValidAuthority, parseRequestTarget } from './requestTarget.js';
import { connectionBudget, ENVOY_LIMITS, guardServer, listen } from './serverLimits.js';

const UPSTREAM_FAILURE =
  'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

/** An answer up to this size is relayed in one write with its head. */
const SMALL_BODY = 64 * 1024;

type PodTarget = Extract<PlanTarget, { kind: 'pod' }>;

/** The reason phrases of Envoy's own answers (its local replies carry the phrase as the body). */
const PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  426: 'Upgrade Required',
  431: 'Request Header Fields Too Large',
};

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
 *
 * What a client sends cannot take it down; malformed requests get Envoy's answers and are counted
 * as Envoy's stats filter counts them (it logs early errors too: the HTTP connection manager
 * builds the filter chain for a local reply "to ensure access logging"):
 *
 * - a request Envoy's HTTP/1 codec refuses — a bad request line or target (`GET http://[`),
 *   a bad header, a Host that is not an authority, no Host, a malformed body, chunked garbage —
 *   gets 400 `Bad Request` and `connection: close`, counted as 400 `DPE`; headers over 60 KiB or
 *   more than 100 of them get 431 `DPE`; HTTP/1.0 gets 426 `Upgrade Required` `DPE` (Istio
 *   leaves Envoy's `accept_http_10` off: istio/istio#13085);
 * - an absolute-form target (`GET http://host/path`) is routed by its authority, which replaces
 *   the Host header (RFC 9112 §3.2.2), and forwarded in origin-form; `CONNECT` matches no route
 *   (Istio's routes match paths) and gets 404 `NR`; `OPTIONS *` gets 404 (Envoy's
 *   `absolute_path_rejected`);
 * - a client that hangs up before its answer is counted `response_code="0"`,
 *   `response_flags="DC"` (downstream connection termination) by the gateway, and by the pod's
 *   sidecar when the app had not answered yet: Envoy resets the upstream request, and so does
 *   this proxy.
 */
export async function startIngressProxy(
  /** The world to route in; a function when it may be replaced (serve's reset). */
  world: AnyWorld | (() => AnyWorld),
  opts: {
    host: string;
    port: number;
    rng: Rng;
    namespace: string;
    /** Client connections at once, and connections to pods (see connectionBudget). */
    budget?: { clients: number; upstream: number };
    log?: (line: string) => void;
  },
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const budget = opts.budget ?? connectionBudget();
  const agent = new Agent({
    keepAlive: true,
    maxSockets: Infinity,
    maxTotalSockets: budget.upstream,
    keepAliveMsecs: 10_000,
    // The most recently used idle connection to a pod first: under a light load a few warm
    // connections carry everything and the others idle out. Only the order changes: no request
    // waits, fails or is counted differently.
    scheduling: 'lifo',
  });
  const current = typeof world === 'function' ? world : () => world;

  const resolve = (hostHeader: string): { host: string; port: number } | undefined => {
    const w = current();
    const mesh = w.mesh;
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    // A VirtualService host may be a wildcard (Argo's rollouts-demo uses `*`): it takes any name.
    for (const vs of mesh.virtualServices.values())
      for (const h of vs.hosts) if (hostMatches(h, host)) return { host: host || 'localhost', port: 80 };
    const svc = mesh.resolveService(host, opts.namespace);
    if (svc) return { host, port: svc.ports[0]?.port ?? 80 };
    // A name that matches nothing gets Envoy's 404 NR; only an address (no name at all) falls back.
    if (!isAddress(host)) return undefined;
    const vsHosts = [...mesh.virtualServices.values()].flatMap((vs) => vs.hosts);
    const distinct = [...new Set(vsHosts)].filter((h) => !h.includes('*'));
    if (distinct.length === 1) return { host: distinct[0]!, port: 80 };
    const withPods = w.cluster
      .listServices()
      .filter((s) => s.meta.namespace === opts.namespace && w.cluster.endpoints(s).length > 0);
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

  /**
   * The requests in flight on each client connection, oldest first, so a protocol error found
   * while reading a connection's bytes (a `clientError`) ends the request it belongs to.
   */
  const inFlight = new WeakMap<Socket, Exchange[]>();

  /** One request and its answer: settles exactly once, and is counted when it settles. */
  class Exchange {
    private started = process.hrtime.bigint();
    private settled = false;
    /** Routed yet: Envoy reads a connection's next request only once the one before is answered. */
    private begun = false;
    private turn: (() => void) | undefined;
    upstream: ClientRequest | undefined;
    /** The pod the request was forwarded to. */
    pod: PodTarget | undefined;
    /** The pod's status once its answer arrived (its sidecar counted it). */
    podStatus: number | undefined;
    /** The mesh of the world the request arrived in: it is counted there even if serve resets meanwhile. */
    readonly mesh = current().mesh;

    constructor(
      readonly req: IncomingMessage,
      readonly res: ServerResponse,
    ) {
      let list = inFlight.get(req.socket);
      if (!list) {
        const exchanges: Exchange[] = (list = []);
        inFlight.set(req.socket, list);
        // A pipelined request queued behind others gets no 'close' of its own when the client leaves.
        req.socket.once('close', () => {
          for (const ex of [...exchanges]) ex.gone();
        });
      }
      list.push(this);
      res.once('close', () => this.gone());
    }

    /** Runs `route` now, or once the requests before it on the connection are answered. */
    begin(route: () => void) {
      if (inFlight.get(this.req.socket)?.[0] !== this) {
        this.turn = route;
        return;
      }
      this.begun = true;
      this.started = process.hrtime.bigint();
      route();
    }

    /**
     * The client left before the whole answer went out: Envoy's 0 DC (or the status it had
     * sent). A pipelined request Envoy had not read yet is not counted at all.
     */
    gone() {
      if (this.settled) return;
      if (this.begun) this.cut(this.res.headersSent ? this.res.statusCode : 0, 'DC');
      else this.settle();
    }

    get done(): boolean {
      return this.settled;
    }

    elapsedMs(): number {
      return Number(process.hrtime.bigint() - this.started) / 1e6;
    }

    private settle(): boolean {
      if (this.settled) return false;
      this.settled = true;
      const list = inFlight.get(this.req.socket);
      const i = list?.indexOf(this) ?? -1;
      if (i >= 0) list!.splice(i, 1);
      this.req.resume();
      const next = list?.[0];
      const turn = next?.turn;
      if (next && turn) {
        next.turn = undefined;
        setImmediate(() => !next.settled && next.begin(turn));
      }
      return true;
    }

    /** Envoy's own answer, counted with its flags; `close` ends the connection after it (a codec error). */
    local(
      status: number,
      body: string,
      flags: string,
      opts: { close?: boolean; svc?: PodTarget['svc'] } = {},
    ) {
      if (!this.settle()) return;
      this.send(status, body, opts.close);
      const target = { kind: 'local' as const, status, body, flags, ...(opts.svc ? { svc: opts.svc } : {}) };
      this.mesh.recordOne(target, status, this.elapsedMs());
    }

    /** The pod's answer went out whole. */
    answered(status: number) {
      if (this.pod && this.settle()) this.mesh.recordOne(this.pod, status, this.elapsedMs());
    }

    /** The pod refused the connection or closed it unanswered: 503 from its sidecar, or from the gateway. */
    lost(how: 'refused' | 'reset') {
      const pod = this.pod;
      if (!pod || !this.settle()) return;
      this.send(503, how === 'refused' ? UPSTREAM_FAILURE : UPSTREAM_RESET);
      const latencies = { count: 1 as const, measuredMs: this.elapsedMs() };
      this.mesh.recordLost(pod, how, latencies, latencies);
    }

    /**
     * The exchange ended without the pod's whole answer reaching the client — it hung up (`DC`),
     * its request turned out malformed (`DPE`, answered with `body` while nothing was sent yet),
     * the pod died mid-answer (`UR`). The gateway counts `status`/`flags`; the pod's sidecar its
     * answer if it had one, else 0 DC, as Envoy resets the upstream request.
     */
    cut(status: number, flags: string, body?: string) {
      if (!this.settle()) return;
      if (this.upstream && !this.upstream.destroyed) this.upstream.destroy();
      const answering = body !== undefined && !this.res.headersSent && !this.res.destroyed;
      if (answering) this.send(status, body, true);
      else if (!this.res.destroyed) this.res.destroy();
      const ms = this.elapsedMs();
      const pod = this.pod;
      const gateway = {
        kind: 'local' as const,
        status,
        body: body ?? '',
        flags,
        ...(pod ? { svc: pod.svc } : {}),
      };
      this.mesh.recordOne(gateway, status, ms);
      if (!pod) return;
      const sidecar = {
        kind: 'shadow' as const,
        pod: pod.pod,
        svc: pod.svc,
        ...(pod.source ? { source: pod.source } : {}),
      };
      if (this.podStatus === undefined) this.mesh.recordOne(sidecar, 0, ms, 'DC');
      else this.mesh.recordOne(sidecar, this.podStatus, ms);
    }

    private send(status: number, body: string, close = false) {
      if (this.res.headersSent || this.res.destroyed) this.res.destroy();
      else answer(this.res, status, body, close ? { connection: 'close' } : {});
    }
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const ex = new Exchange(req, res);
    ex.begin(() => route(ex));
  };

  /** Envoy's codec checks, then the mesh's plan: a local answer, or the request on its way to a pod. */
  const route = (ex: Exchange) => {
    const { req, mesh } = ex;
    const reject = (status: number, flags = 'DPE') =>
      ex.local(status, PHRASES[status] ?? '', flags, { close: true });
    // Envoy's codec, before any routing: HTTP/1.1 only, at most 100 headers, a valid target and Host.
    if (req.httpVersion !== '1.1') return reject(426);
    if (req.rawHeaders.length > 2 * ENVOY_LIMITS.maxHeadersCount) return reject(431);
    const target = parseRequestTarget(req.method ?? 'GET', req.url ?? '/');
    if (target.form === 'invalid' || target.form === 'authority') return reject(400);
    const authority = target.form === 'absolute' ? target.authority : req.headers.host;
    if (authority === undefined || !isValidAuthority(authority)) return reject(400);
    if (target.form === 'asterisk') return ex.local(404, '', '-');

    const dest = resolve(authority);
    const meshReq: MeshRequest | undefined = dest && {
      method: req.method ?? 'GET',
      url: {
        scheme: 'http',
        host: dest.host,
        port: dest.port,
        path: target.path,
        query: target.query,
        raw: `http://${dest.host}${target.pathAndQuery}`,
      },
      headers: meshHeaders(req, dest.host),
    };
    const plan = meshReq ? mesh.plan(meshReq, 1, opts.rng, opts.namespace) : [];
    let chosen: PlanTarget = plan.find((p) => p.target.kind !== 'shadow')?.target ?? {
      kind: 'local',
      status: 404,
      body: '',
      flags: 'NR',
    };
    if (chosen.kind === 'error' || chosen.kind === 'shadow')
      chosen = { kind: 'local', status: 404, body: '', flags: 'NR' };
    if (chosen.kind === 'local')
      return ex.local(chosen.status, chosen.body, chosen.flags, chosen.svc ? { svc: chosen.svc } : {});
    const podTarget = chosen;
    const endpoint = podTarget.pod.endpoint;
    ex.pod = podTarget;
    // A pod that closes the connection without answering (an app's crash): Envoy's `UC`; one
    // that is not listening: `UF`.
    const failed = (e?: NodeJS.ErrnoException) => ex.lost(e?.code === 'ECONNRESET' ? 'reset' : 'refused');
    if (!endpoint) return failed();
    // Origin-form to the pod; an absolute-form request's authority becomes its Host.
    const path = target.form === 'absolute' ? target.pathAndQuery : (req.url ?? '/');
    const host = target.form === 'absolute' ? authority : undefined;
    let upstream: ClientRequest;
    try {
      upstream = request({ ...forwarded(req, endpoint, path, host), agent }, (up) => {
        if (ex.done) {
          up.resume();
          return;
        }
        ex.podStatus = up.statusCode ?? 502;
        relay(ex, up);
      });
    } catch {
      // Node refuses to send what it parsed (a character it will not write): Envoy's codec would
      // have refused it first.
      return reject(400);
    }
    ex.upstream = upstream;
    upstream.on('error', failed);
    // Envoy mirrors once the primary is on its way: fire and forget, the client never waits.
    const shadows = plan.flatMap((p) => (p.target.kind === 'shadow' ? [p.target] : []));
    const mirrored = shadows.map((t) => sendShadow(t, req, path, host));
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

  /** The pod's answer to the client, with Envoy's headers; counted once it went out whole. */
  const relay = (ex: Exchange, up: IncomingMessage) => {
    const status = up.statusCode ?? 502;
    // The pod's headers as Node parsed them (this exchange's own object), with Envoy's.
    const headers = up.headers as Record<string, string | string[] | number | undefined>;
    headers['server'] = 'istio-envoy';
    headers['x-envoy-upstream-service-time'] = String(Math.round(ex.elapsedMs()));
    // The pod died mid-answer: Envoy, which had passed the headers on, resets the client's stream.
    up.once('close', () => {
      if (!up.complete && !ex.done) ex.cut(status, 'UR');
    });
    if (up.headers['content-length'] === undefined) {
      // Unknown length: stream it through.
      ex.res.writeHead(status, headers);
      up.pipe(ex.res);
      up.once('end', () => ex.answered(status));
      return;
    }
    // silly-demo's answers are small and sized: one write for headers and body.
    const chunks: Buffer[] = [];
    up.on('data', (c: Buffer) => chunks.push(c));
    up.once('end', () => {
      if (ex.done || ex.res.destroyed) return;
      ex.res.writeHead(status, headers);
      // As a latin1 string (byte for byte the same), Node sends the head and the body in one write.
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      ex.res.end(body.length <= SMALL_BODY ? body.toString('latin1') : body, 'latin1');
      ex.answered(status);
    });
  };

  /**
   * A mirrored copy of `req` to a pod, as Envoy's shadow: the same request with `-shadow`
   * appended to its Host, whose answer is read and dropped. Only the pod's sidecar counts it
   * (reporter="destination", the labels of any request from the gateway); a failed shadow is
   * not counted anywhere in the Istio metrics. See Mesh.record.
   */
  const sendShadow = (
    target: Extract<PlanTarget, { kind: 'shadow' }>,
    req: IncomingMessage,
    path: string,
    host: string | undefined,
  ) => {
    const endpoint = target.pod.endpoint;
    if (!endpoint) return undefined;
    const started = process.hrtime.bigint();
    const shadow = request(
      {
        ...forwarded(req, endpoint, path, `${host ?? req.headers.host ?? target.svc.meta.name}-shadow`),
        agent,
      },
      (up) => {
        up.resume();
        up.once('end', () =>
          current().mesh.recordOne(
            target,
            up.statusCode ?? 502,
            Number(process.hrtime.bigint() - started) / 1e6,
          ),
        );
      },
    );
    shadow.on('error', () => {});
    return shadow;
  };

  /**
   * Bytes Node's HTTP parser refuses (a bad request line, header or chunk; headers over the
   * limit; a request that took too long): the request they belong to gets Envoy's local reply
   * and is counted; a request still to come on the connection is answered after those before it.
   */
  const onClientError = (err: NodeJS.ErrnoException, socket: Socket) => {
    const list = inFlight.get(socket) ?? [];
    // The client left mid-request (or sent nothing at all): Envoy's 0 DC for the request it was
    // sending, when it had sent its headers; nothing to answer.
    if (!socket.writable || err.code === 'ECONNRESET' || err.code === 'HPE_INVALID_EOF_STATE') {
      socket.destroy();
      for (const ex of [...list]) ex.gone();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    // Envoy's stream idle timeout is SI; everything else the codec refuses is DPE.
    const flags = status === 408 ? 'SI' : 'DPE';
    const last = list.at(-1);
    if (last && !last.req.complete) {
      last.cut(status, flags, PHRASES[status]);
      return;
    }
    // A request not yet handed over: a raw local reply once the answers before it went out.
    const started = process.hrtime.bigint();
    const reply = () => {
      const body = PHRASES[status] ?? '';
      socket.end(
        `HTTP/1.1 ${status} ${body}\r\ncontent-length: ${body.length}\r\ncontent-type: text/plain\r\n` +
          `date: ${new Date().toUTCString()}\r\nserver: istio-envoy\r\nconnection: close\r\n\r\n${body}`,
      );
      current().mesh.recordOne(
        { kind: 'local', status, body, flags },
        status,
        Number(process.hrtime.bigint() - started) / 1e6,
      );
    };
    if (list.length === 0) return reply();
    // Pipelined behind requests still in flight: after them (the parser stops here anyway).
    let waiting = list.length;
    for (const ex of list) ex.res.once('close', () => --waiting === 0 && !socket.destroyed && reply());
  };

  const server = createServer(
    { maxHeaderSize: ENVOY_LIMITS.maxHeaderBytes, requireHostHeader: false, ...ENVOY_LIMITS.timeouts },
    handle,
  );
  server.on('clientError', onClientError);
  // Envoy passes an Expect other than 100-continue on (Node would answer 417 itself).
  server.on('checkExpectation', handle);
  // CONNECT: Istio's routes match paths, and a CONNECT has none: 404 NR, and the tunnel is never opened.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const valid =
      parseRequestTarget('CONNECT', req.url ?? '').form === 'authority' && req.httpVersion === '1.1';
    const status = valid ? 404 : 400;
    const body = valid ? '' : 'Bad Request';
    socket.on('error', () => {});
    socket.end(
      `HTTP/1.1 ${status} ${PHRASES[status]}\r\ncontent-length: ${body.length}\r\n` +
        `date: ${new Date().toUTCString()}\r\nserver: istio-envoy\r\nconnection: close\r\n\r\n${body}`,
    );
    current().mesh.recordOne({ kind: 'local', status, body, flags: valid ? 'NR' : 'DPE' }, status, 0);
  });
  server.maxHeadersCount = ENVOY_LIMITS.maxHeadersCount + 1;
  server.maxConnections = budget.clients;
  let dropped = -Infinity;
  server.on('drop', () => {
    if (Date.now() - dropped < 60_000) return;
    dropped = Date.now();
    (opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(
      `canarysim serve: the ingress gateway holds ${budget.clients} connections, its most (from ulimit -n); closing new ones until some end`,
    );
  });
  await listen(server, opts.port, opts.host, '--port');
  guardServer(server, 'ingress gateway', opts.log);
  return {
    server,
    url: httpUrl(server.address() as AddressInfo),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
        agent.destroy();
      }),
  };
}

/** `req` as Envoy forwards it to a pod, in origin-form `path` (a shadow copy or an absolute-form target: its own Host). */
function forwarded(
  req: IncomingMessage,
  endpoint: { host: string; port: number },
  path: string,
  host?: string,
) {
  const headers: Record<string, string | string[] | undefined> = {};
  for (const k in req.headers) headers[k] = req.headers[k];
  if (host !== undefined) headers['host'] = host;
  headers['x-forwarded-proto'] = 'http';
  headers['x-envoy-external-address'] = req.socket.remoteAddress ?? '';
  return { host: endpoint.host, port: endpoint.port, method: req.method, path, headers };
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

/** The base URL of a listening address (an IPv6 address in brackets). */
export function httpUrl(addr: AddressInfo): string {
  return `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
}

/** `127.0.0.1`, `[::1]`, `localhost`: a Host header that names no service. */
function isAddress(host: string): boolean {
  return host === '' || host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');
}
