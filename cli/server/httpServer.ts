import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiResponse } from './prometheusApi.js';

export type Handler = (
  method: string,
  path: string,
  params: ReadonlyMap<string, string[]>,
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
 * passes GET query strings and POSTed forms to `handler`, as Prometheus accepts both.
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
        if (
          req.method === 'POST' &&
          (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
        ) {
          for (const [k, v] of new URLSearchParams(await readBody(req))) add(k, v);
        }
        const r = await handler(req.method ?? 'GET', url.pathname, params);
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
