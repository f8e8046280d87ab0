import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiResponse } from './prometheusApi.js';

/** A request's method, path, query/form parameters, and its JSON body when it sent one. */
export type Handler = (
  method: string,
  path: string,
  params: ReadonlyMap<string, string[]>,
  json?: Record<string, unknown>,
) => Promise<ApiResponse>;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 1_000_000) throw new Error('request body too large');
  }
  return body;
}

/**
 * An HTTP server on `host:port` (127.0.0.1 unless told otherwise; port 0 picks a free one) that
 * passes GET query strings, POSTed forms (as Prometheus accepts both) and JSON bodies to `handler`.
 */
export async function startHttpServer(
  handler: Handler,
  opts: { host: string; port: number },
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const params = new Map<string, string[]>();
        const add = (k: string, v: string) => params.set(k, [...(params.get(k) ?? []), v]);
        for (const [k, v] of url.searchParams) add(k, v);
        const type = req.headers['content-type'] ?? '';
        let json: Record<string, unknown> | undefined;
        if (req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) {
          for (const [k, v] of new URLSearchParams(await readBody(req))) add(k, v);
        } else if (req.method === 'POST' && type.startsWith('application/json')) {
          try {
            const parsed: unknown = JSON.parse(await readBody(req));
            json =
              parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
                ? (parsed as Record<string, unknown>)
                : {};
          } catch {
            res.writeHead(400, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ error: 'invalid JSON body' }));
            return;
          }
        }
        const r = await handler(req.method ?? 'GET', url.pathname, params, json);
        res.writeHead(r.status, { 'Content-Type': r.contentType });
        res.end(r.body);
      } catch (e) {
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
