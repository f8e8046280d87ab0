import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemotePrometheusProvider } from '../../cli/providers/RemotePrometheusProvider.js';

// A fake Prometheus and token endpoint on loopback that record what they were sent.
const seen: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += String(c)));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/token')
        res.end(JSON.stringify({ access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 }));
      else
        res.end(
          JSON.stringify({
            status: 'success',
            data: { resultType: 'vector', result: [{ metric: {}, value: [0, '0.99'] }] },
          }),
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("the remote provider sends a metric's headers and authentication as Argo does", () => {
  it('headers on every query, a later one of the same name winning', async () => {
    seen.length = 0;
    const p = new RemotePrometheusProvider();
    const r = await p.measure(base, 'up', 0, {
      headers: [
        { key: 'X-Scope-OrgID', value: 'first' },
        { key: 'x-scope-orgid', value: 'team-a' },
        { key: 'X-Extra', value: '1' },
      ],
    });
    expect(r).toEqual({
      value: [0.99],
      valueString: '[0.99]',
      answer: { resultType: 'vector', series: [{ labels: {}, value: 0.99 }] },
    });
    expect(seen[0]!.headers['x-scope-orgid']).toBe('team-a');
    expect(seen[0]!.headers['x-extra']).toBe('1');
  });

  it('basicAuth as an Authorization header; a missing password is the measurement error Argo gives', async () => {
    seen.length = 0;
    const p = new RemotePrometheusProvider();
    await p.measure(base, 'up', 0, { authentication: { basicAuth: { username: 'u', password: 'p' } } });
    expect(seen[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(await p.measure(base, 'up', 0, { authentication: { basicAuth: { username: 'u' } } })).toEqual({
      error: 'missing mandatory parameter in metric for basic auth setup: password',
    });
  });

  it('oauth2 client credentials: one token request, then Bearer on every query', async () => {
    seen.length = 0;
    const p = new RemotePrometheusProvider();
    const auth = {
      oauth2: { tokenUrl: `${base}/token`, clientId: 'id', clientSecret: 'secret', scopes: ['read'] },
    };
    await p.measure(base, 'up', 0, { authentication: auth });
    await p.measure(base, 'up', 0, { authentication: auth });
    expect(seen.map((s) => s.path)).toEqual(['/token', '/api/v1/query', '/api/v1/query']);
    expect(seen[0]!.body).toBe('grant_type=client_credentials&scope=read');
    expect(seen[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`);
    expect(seen[1]!.headers['authorization']).toBe('Bearer tok-1');
    expect(
      await p.measure(base, 'up', 0, {
        authentication: { oauth2: { tokenUrl: `${base}/token`, scopes: [] } },
      }),
    ).toEqual({
      error: 'missing mandatory parameter in metric for OAuth2 setup',
    });
  });

  it('SigV4 against Amazon Managed Prometheus is refused, naming the field', async () => {
    const p = new RemotePrometheusProvider();
    const r = await p.measure('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1', 'up', 0, {
      authentication: { sigv4: { region: 'eu-west-1' } },
    });
    expect(r).toEqual({ error: expect.stringContaining('authentication.sigv4') as unknown as string });
  });
});
