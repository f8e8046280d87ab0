import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppBehaviour } from './catalogue.js';
import { handleRequest, type AppEnv } from './handler.js';

/**
 * A real silly-demo replica for live mode: an express 5 app that answers every request from the
 * pure handler (so live and virtual answers are the same function), on 127.0.0.1 and a free port.
 */
export async function startAppServer(
  app: AppBehaviour,
  env: AppEnv,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  const web = express();
  web.disable('x-powered-by');
  web.disable('etag');
  web.use((req, res) => {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (typeof first === 'string') query[k] = first;
    }
    const r = handleRequest(app, env, { method: req.method, path: req.path, query });
    res.status(r.status).type(r.contentType).send(r.body);
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = web.listen(0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.keepAliveTimeout = 65_000;
  return { server, port: (server.address() as AddressInfo).port };
}
