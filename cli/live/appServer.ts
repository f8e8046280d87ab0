import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { hasWidth, sampleAt } from '../../app/index.js';
import type { AppProcess } from '../../sim/apps/index.js';
import type { Rng } from '../../sim/clock/index.js';
import { UPSTREAM_FAILURE, type MeshRequest } from '../../sim/mesh/index.js';
import { promRegistry } from './promRegistry.js';
import { parseRequestTarget } from './requestTarget.js';
import { guardServer, listen } from './serverLimits.js';

/** Bodies larger than this are refused (413): a replica is a model, not a file store. */
const MAX_BODY = 1_000_000;

/**
 * Answers whose delay ended, sent a batch per turn of the event loop: thousands of requests
 * with the same modelled delay come due in the same instant, and sending them all in one timer
 * phase would hold up everything else in the process (the control API) for a second or more.
 */
const due: (() => void)[] = [];
let next = 0;
const BATCH = 100;

function answerSoon(send: () => void): void {
  due.push(send);
  if (due.length === 1) setImmediate(drain);
}

function drain(): void {
  const end = Math.min(due.length, next + BATCH);
  while (next < end) due[next++]!();
  if (next < due.length) setImmediate(drain);
  else {
    due.length = 0;
    next = 0;
  }
}

/** Go's http.DefaultMaxHeaderBytes: what the gateway passes on (up to 60 KiB) always fits. */
const MAX_HEADER_BYTES = 1 << 20;

/**
 * A real replica for live mode: a node:http server on loopback whose every answer comes from the
 * pod's app process — the same model the virtual world uses — with the modelled status, body and
 * a real delay drawn from the modelled latency; `/metrics` serves the app's own metrics when it
 * has any. When the process exits (a crash, podinfo's /panic) the server drops its connections
 * and closes; the kubelet restarts the container with a new process and a new server.
 */
export async function startAppServer(
  process: AppProcess,
  opts: { host: string; rng: Rng; now: () => number; log?: (line: string) => void },
): Promise<{ server: Server; port: number }> {
  /** prom-client's view of the app's metrics, made on the first `/metrics` (prom-client loads then). */
  let registry: Promise<Registry> | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const started = performance.now();
    const target = parseRequestTarget(req.method ?? 'GET', req.url ?? '/');
    if (target.form !== 'origin' && target.form !== 'absolute') {
      // Go's server: a request-target it cannot parse is a 400 before any handler runs.
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end('400 Bad Request');
      return;
    }
    const { query } = target;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    if (target.path === '/metrics' && process.metrics && process.app.kind === 'podinfo') {
      void (registry ??= promRegistry(process.metrics.metrics)).then(async (r) => {
        const text = await r.metrics();
        res.writeHead(200, { 'content-type': r.contentType });
        res.end(text);
      });
      return;
    }
    const meshReq: MeshRequest = {
      method: req.method ?? 'GET',
      url: {
        scheme: 'http',
        host: headers['host'] ?? 'app',
        port: 80,
        path: target.path,
        query,
        raw: req.url ?? '/',
      },
      headers,
      ...(body !== '' ? { body } : {}),
    };
    const served = process.serve(meshReq, 1, opts.now(), opts.rng, { metrics: false });
    const g = served.groups[0];
    if (!g) {
      // The process is gone (or went with this request): no answer, as a dead process gives none.
      req.socket.destroy();
      return;
    }
    const ms = g.latency
      ? sampleAt(g.latency, opts.rng.normal(), hasWidth(g.latency) ? opts.rng.next() : 0)
      : 0;
    const send = () => {
      if (res.destroyed) return;
      if (g.noResponse) {
        // The app closes the connection without answering (a handler panic, os.Exit).
        req.socket.destroy();
        return;
      }
      const h: Record<string, string | number> = { ...(g.headers ?? {}) };
      if (g.contentType !== undefined) h['content-type'] = g.contentType;
      h['content-length'] = Buffer.byteLength(g.body);
      // A modelled 1xx is no final answer: Go's net/http sends it as informational and the body
      // as 200 (Node's client would wait for ever for the final one).
      res.writeHead(g.status < 200 && g.status !== 101 ? 200 : g.status, h);
      res.end(req.method === 'HEAD' ? undefined : g.body);
      if (process.metrics && g.route !== undefined)
        process.metrics.observeOne(
          { status: g.status, method: meshReq.method, route: g.route },
          performance.now() - started,
        );
    };
    // A modelled delay of a millisecond or more is really waited; less is what handling costs anyway.
    if (ms >= 1) setTimeout(() => answerSoon(send), ms);
    else send();
  };
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    if (process.exited) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.once('end', () => {
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'text/plain' });
        res.end('request body too large\n');
        return;
      }
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.keepAliveTimeout = 65_000;
  await listen(server, 0, opts.host, 'a free port');
  guardServer(server, `replica of ${process.image}`, opts.log);
  return { server, port: (server.address() as AddressInfo).port };
}

export { UPSTREAM_FAILURE };
