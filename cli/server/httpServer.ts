import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_YAML_DEPTH } from '../../sim/manifests/yamlDepth.js';
import { formatBytes } from '../io/NodeFileSystem.js';
import { requestGuard } from './localOnly.js';
import type { ApiResponse } from './prometheusApi.js';

/** A request's method, path, query/form parameters, and its JSON body when it sent one. */
export type Handler = (
  method: string,
  path: string,
  params: ReadonlyMap<string, string[]>,
  json?: Record<string, unknown>,
) => Promise<ApiResponse>;

/**
 * The largest request body the API reads: a build of manifests as JSON for apply (each file a
 * command reads is at most 4 MiB, and all of them 16 MiB together), a form or a fault. Larger
 * is answered 413 without reading it.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

/**
 * How deep a JSON body may nest: a manifest's YAML limit plus the `{"objects": [...]}` around it.
 * Every reader after JSON.parse recurses over the values; 100,000 brackets overflowed its stack.
 */
export const MAX_JSON_DEPTH = MAX_YAML_DEPTH + 2;

/** Whether a parsed JSON value nests deeper than `max` arrays and objects. Iterative. */
function nestsDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An HTTP server on `host:port` (127.0.0.1 unless told otherwise; port 0 picks a free one) that
 * passes GET query strings, POSTed forms (as Prometheus accepts both) and JSON bodies to `handler`.
 * Requests a web page elsewhere could send (a foreign Host or Origin: see requestGuard) are
 * answered 403, bodies over `maxBodyBytes` (default MAX_BODY_BYTES) 413, both before the body is read.
 */
export async function startHttpServer(
  handler: Handler,
  opts: {
    host: string;
    port: number;
    maxBodyBytes?: number;
    /**
     * Takes a GET that answers with a stream (server-sent events) once the request passed the
     * guard: true when it answered it.
     */
    stream?: (path: string, req: IncomingMessage, res: ServerResponse) => boolean;
  },
): Promise<{ server: Server; url: string }> {
  const guard = requestGuard(opts.host);
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const fail = (res: ServerResponse, status: number, error: string) => {
    // The body may be unread: the connection closes after this answer.
    res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
    res.end(JSON.stringify({ error }));
  };
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const refused = guard({ host: req.headers.host, origin: req.headers.origin });
        if (refused) return fail(res, 403, refused);
        let url: URL;
        try {
          url = new URL(req.url ?? '/', 'http://localhost');
        } catch {
          return fail(res, 400, `invalid request target ${JSON.stringify(req.url)}`);
        }
        if (req.method === 'GET' && opts.stream?.(url.pathname, req, res)) return;
        const params = new Map<string, string[]>();
        const add = (k: string, v: string) => params.set(k, [...(params.get(k) ?? []), v]);
        for (const [k, v] of url.searchParams) add(k, v);
        const type = req.headers['content-type'] ?? '';
        let json: Record<string, unknown> | undefined;
        if (req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) {
          for (const [k, v] of new URLSearchParams(await readBody(req, limit))) add(k, v);
        } else if (req.method === 'POST' && type.startsWith('application/json')) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(await readBody(req, limit));
          } catch (e) {
            if (e instanceof BodyTooLarge) throw e;
            return fail(res, 400, 'invalid JSON body');
          }
          if (nestsDeeper(parsed, MAX_JSON_DEPTH))
            return fail(
              res,
              400,
              `JSON body nested more than ${MAX_JSON_DEPTH} levels deep (canarysim's limit)`,
            );
          json =
            parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
              ? (parsed as Record<string, unknown>)
              : {};
        }
        const r = await handler(req.method ?? 'GET', url.pathname, params, json);
        res.writeHead(r.status, { 'Content-Type': r.contentType, ...r.headers });
        res.end(r.body);
      } catch (e) {
        if (e instanceof BodyTooLarge)
          return fail(res, 413, `request body over the ${formatBytes(limit)} limit of the API`);
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`${(e as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return { server, url: `http://${addr.address}:${addr.port}` };
}
