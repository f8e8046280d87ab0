// The control API answers this machine only (issue 9): a foreign Host (DNS rebinding) or Origin (a
// web page's fetch) is 403, a body over the limit 413, a path to read on the server 400 — over
// real HTTP against canarysim serve, and the guard's rules as a table.
import { request } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/runCli.js';
import { isLoopback, requestGuard } from '../../cli/server/localOnly.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH, startHttpServer } from '../../cli/server/httpServer.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { liveServe } from './liveLoad.js';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One request with exactly these headers (fetch would not let a test set Host). */
function send(
  base: string,
  p: string,
  o: {
    method?: string;
    headers?: Record<string, string | number>;
    body?: string;
    /** The request target as sent, when it is not a path (`http://[`). */
    target?: string;
  } = {},
): Promise<Answer> {
  const u = new URL(p, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: o.target ?? u.pathname,
        method: o.method ?? 'GET',
        headers: o.headers ?? {},
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += String(c)));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

const json = (body: unknown, extra: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...extra },
    body: text,
  };
};

describe('canarysim serve: the control API answers this machine only', () => {
  const live = liveServe(1);
  const port = () => new URL(live.serve.api).port;

  it('answers a request to 127.0.0.1, localhost or [::1], and a loopback page', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`]) {
      const r = await send(live.serve.api, '/canarysim/v1/status', { headers: { Host: host } });
      expect(r.status, host).toBe(200);
    }
    const page = await send(live.serve.api, '/canarysim/v1/status', {
      headers: { Origin: 'http://localhost:3000' },
    });
    expect(page.status).toBe(200);
  });

  it('refuses a non-loopback Host (a DNS-rebound page), with a JSON error', async () => {
    const r = await send(live.serve.api, '/canarysim/v1/status', {
      headers: { Host: `attacker.example:${port()}` },
    });
    expect(r).toEqual({
      status: 403,
      body: {
        error: `refused: Host "attacker.example:${port()}" is not a loopback address (the API answers requests to 127.0.0.1, localhost or [::1]; serve --host ADDRESS adds an address)`,
      },
    });
    // The Prometheus API on the same port too.
    const q = await send(live.serve.api, '/api/v1/query?query=up', { headers: { Host: 'attacker.example' } });
    expect(q.status).toBe(403);
  });

  it('refuses a request from a web page elsewhere (Origin), before acting on it', async () => {
    for (const origin of ['https://attacker.example', 'http://192.168.1.10:8080', 'null']) {
      const r = await send(
        live.serve.api,
        '/canarysim/v1/faults',
        json({ image: 'ghcr.io/vfarcic/silly-demo:*', crash: 'now' }, { Origin: origin }),
      );
      expect(r.status, origin).toBe(403);
      expect(r.body['error']).toBe(
        `refused: Origin ${JSON.stringify(origin)} is not a loopback page (the API takes requests from web pages only at http://127.0.0.1, http://localhost or http://[::1])`,
      );
    }
    expect(await live.client.faults()).toEqual([]);
  });

  it('reads no file a request names: {"file": "/proc/self/environ"} is 400, its content nowhere', async () => {
    for (const body of [{ file: '/proc/self/environ' }, { kustomize: '/etc', namespace: 'a-team' }]) {
      const r = await send(live.serve.api, '/canarysim/v1/apply', json(body));
      expect(r.status).toBe(400);
      expect(String(r.body['error'])).toMatch(
        /^the control API reads no files: send the manifests themselves/,
      );
      expect(JSON.stringify(r.body)).not.toMatch(/PATH=|HOME=/);
    }
  });

  it('answers 413 to a body over the limit without reading it', async () => {
    const r = await send(live.serve.api, '/canarysim/v1/apply', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': MAX_BODY_BYTES + 1 },
    });
    expect(r).toEqual({
      status: 413,
      body: { error: 'request body over the 16 MiB (16777216 bytes) limit of the API' },
    });
  });

  it('canarysim apply -k builds on the client and sends the objects; a file outside its sandbox is refused there', async () => {
    let out = '';
    const io = { write: (s: string) => (out += s) };
    const code = await runCli(
      [
        'apply',
        '-n',
        'a-team',
        '-k',
        path.join(REPO_ROOT, 'scenarios/blog/kustomize/overlays/istio'),
        '--server',
        live.serve.api,
      ],
      { stdout: io, stderr: io },
    );
    expect(code).toBe(0);
    expect(out).toContain('rollout.argoproj.io/silly-demo created');
    out = '';
    const refused = await runCli(['apply', '-f', '/proc/self/environ', '--server', live.serve.api], {
      stdout: io,
      stderr: io,
    });
    expect(refused).toBe(2);
    expect(out).toMatch(
      /^canarysim: \S*proc\/self\/environ: is in \/proc, a kernel file system, not an input file\n$/,
    );
  });
});

describe('the guard, by bind address', () => {
  it.each([
    // bind, Host, Origin, refused?
    ['127.0.0.1', '127.0.0.1:9090', undefined, false],
    ['127.0.0.1', '127.8.9.1:9090', undefined, false],
    ['127.0.0.1', 'LOCALHOST.:9090', undefined, false],
    ['127.0.0.1', '[::1]:9090', undefined, false],
    ['127.0.0.1', undefined, undefined, false],
    ['127.0.0.1', 'evil.example:9090', undefined, true],
    ['127.0.0.1', '127.0.0.1.evil.example', undefined, true],
    ['127.0.0.1', '10.0.0.7:9090', undefined, true],
    ['127.0.0.1', '127.0.0.1:9090', 'http://127.0.0.1:8080', false],
    ['127.0.0.1', '127.0.0.1:9090', 'http://[::1]', false],
    ['127.0.0.1', '127.0.0.1:9090', 'http://localhost.evil.example', true],
    ['127.0.0.1', '127.0.0.1:9090', 'file://', true],
    ['10.0.0.7', '10.0.0.7:9090', undefined, false],
    ['10.0.0.7', '10.0.0.7:9090', 'http://10.0.0.7:8080', false],
    ['10.0.0.7', 'evil.example:9090', undefined, true],
    ['10.0.0.7', '10.0.0.7:9090', 'http://evil.example', true],
    ['fe80::1', '[fe80::1]:9090', undefined, false],
    ['0.0.0.0', 'anything.example:9090', undefined, false],
    ['0.0.0.0', 'anything.example:9090', 'http://anything.example:9090', true],
    ['::', '10.1.2.3:9090', 'http://localhost:3000', false],
  ] as const)('bind %s, Host %s, Origin %s: refused %s', (bind, host, origin, refused) => {
    const h: { host?: string; origin?: string } = {};
    if (host !== undefined) h.host = host;
    if (origin !== undefined) h.origin = origin;
    expect(requestGuard(bind)(h) !== undefined).toBe(refused);
  });

  it('loopback addresses', () => {
    expect(['localhost', '127.0.0.1:1', '[::1]:2', '::1', '[::ffff:127.0.0.1]'].every(isLoopback)).toBe(true);
    expect(['localhost.example', '128.0.0.1', '[::2]', '0.0.0.0'].some(isLoopback)).toBe(false);
  });

  it('a body over maxBodyBytes sent in chunks is 413 too', async () => {
    const { server, url } = await startHttpServer(
      async () => ({ status: 200, contentType: 'application/json', body: '{}' }),
      { host: '127.0.0.1', port: 0, maxBodyBytes: 1000 },
    );
    try {
      const r = await send(url, '/x', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        body: JSON.stringify({ pad: 'x'.repeat(5000) }),
      });
      expect(r).toEqual({
        status: 413,
        body: { error: 'request body over the 1000 bytes limit of the API' },
      });
    } finally {
      server.close();
    }
  });

  it('a request target that is no URL, or JSON nested past the limit, is 400 (both were 500)', async () => {
    const { server, url } = await startHttpServer(
      async (_m, _p, _q, body) => ({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(body ?? {}),
      }),
      { host: '127.0.0.1', port: 0 },
    );
    try {
      for (const target of ['http://[', '//[']) {
        expect(await send(url, '/', { target })).toEqual({
          status: 400,
          body: { error: `invalid request target ${JSON.stringify(target)}` },
        });
      }
      const nested = (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;
      const deep = { method: 'POST', headers: { 'Content-Type': 'application/json' } };
      expect(await send(url, '/x', { ...deep, body: nested(100_000) })).toEqual({
        status: 400,
        body: { error: `JSON body nested more than ${MAX_JSON_DEPTH} levels deep (canarysim's limit)` },
      });
      expect((await send(url, '/x', { ...deep, body: nested(MAX_JSON_DEPTH - 1) })).status).toBe(200);
      expect((await send(url, '/x', { ...deep, body: nested(MAX_JSON_DEPTH) })).status).toBe(400);
    } finally {
      server.close();
    }
  });
});
