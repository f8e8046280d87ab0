import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { podinfo, PODINFO_RELEASES, PODINFO_STATE, urlToLabel } from '../../app/builtins/index.js';
import { lookupImage } from '../../app/catalogue.js';
import { PODINFO_METRICS } from '../../app/metricsSpecs.js';
import type { AppRequest, ContainerConfig } from '../../app/types.js';
import { container, only, probability, proc, req } from './appHelpers.js';

const IMAGE = 'ghcr.io/stefanprodan/podinfo';
const REV = 'eec06d1ea459af4cb4e10e806f8be7c7bd58b361';
const JSON_TYPE = 'application/json; charset=utf-8';
const NOSNIFF = { 'x-content-type-options': 'nosniff' };

function app(flags: string[] = [], over: Partial<ContainerConfig> = {}, tag = '6.14.1') {
  const a = podinfo(tag, container(`${IMAGE}:${tag}`, { command: ['./podinfo', ...flags], ...over }));
  if (!a) throw new Error(`no podinfo ${tag}`);
  return a;
}

type State = Record<string, string | number | boolean>;
const call = (path: string, r: Partial<AppRequest> = {}, flags: string[] = [], state: State = {}) =>
  app(flags).respond(req(path, r), proc({ state }));
const one = (path: string, r: Partial<AppRequest> = {}, flags: string[] = [], state: State = {}) =>
  only(call(path, r, flags, state));

describe('podinfo images', () => {
  it('has every 6.x release from 6.0.0, with its commit, and latest = 6.14.1', () => {
    expect(PODINFO_RELEASES.size).toBe(54);
    expect(PODINFO_RELEASES.get('6.0.0')).toBe('627d5c4bb67b77185f37e31d734b085019ff2951');
    expect(PODINFO_RELEASES.get('6.14.1')).toBe(REV);
    const v = (tag: string) => JSON.parse(only(app([], {}, tag).respond(req('/version'), proc())).body);
    expect(v('latest')).toEqual({ commit: REV, version: '6.14.1' });
    expect(v('6.0.0')).toEqual({ commit: '627d5c4bb67b77185f37e31d734b085019ff2951', version: '6.0.0' });
    expect(JSON.parse(one('/api/info').body).message).toBe('greetings from podinfo v6.14.1');
    expect(JSON.parse(only(app([], {}, '6.5.0').respond(req('/'), proc())).body).message).toBe(
      'greetings from podinfo v6.5.0',
    );
  });

  it.each(['v6.14.1', '6.0.5', '6.14.2', '5.2.1', '6.14', 'main', 'sha-eec06d1e'])('has no tag %s', (tag) => {
    expect(podinfo(tag, container(`${IMAGE}:${tag}`))).toBeUndefined();
  });

  it('is registered under ghcr.io and Docker Hub', async () => {
    await import('../../app/builtins/index.js');
    for (const image of [
      `${IMAGE}:6.14.1`,
      'stefanprodan/podinfo:6.14.1',
      'docker.io/stefanprodan/podinfo',
      'index.docker.io/stefanprodan/podinfo:6.1.0',
    ]) {
      const found = lookupImage(container(image));
      expect(found.kind).toBe('builtin');
      if (found.kind === 'builtin') expect(found.app.kind).toBe('podinfo');
    }
  });

  it('listens on 9898, starts in 100 ms, serves 3 s after SIGTERM, exports its own metrics', () => {
    const a = app();
    expect([
      a.kind,
      a.port,
      a.startupMs,
      a.terminationDelayMs,
      a.metrics,
      a.exitAtStart,
      a.unsupported,
    ]).toEqual(['podinfo', 9898, 100, 3000, PODINFO_METRICS, undefined, undefined]);
    expect(a.description).toBe('podinfo 6.14.1');
    expect(app(['--level=debug']).terminationDelayMs).toBe(0);
    expect(app(['--port=8080']).port).toBe(8080);
  });
});

describe('podinfo routes', () => {
  it('answers / and /api/info with the runtime info, every value a string, keys in struct order', () => {
    const expected = [
      '{',
      '  "hostname": "pod-1",',
      '  "version": "6.14.1",',
      `  "revision": "${REV}",`,
      '  "color": "#34577c",',
      '  "logo": "https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif",',
      '  "message": "greetings from podinfo v6.14.1",',
      '  "goos": "linux",',
      '  "goarch": "amd64",',
      '  "runtime": "go1.26.0",',
      '  "num_goroutine": "8",',
      '  "num_cpu": "4"',
      '}',
    ].join('\n');
    for (const path of ['/', '/api/info']) {
      const a = one(path, { headers: { 'user-agent': 'curl/8.5.0' } });
      expect(a).toEqual({
        weight: 1,
        status: 200,
        body: expected,
        contentType: JSON_TYPE,
        headers: NOSNIFF,
        route: path === '/' ? 'root' : 'api_info',
      });
    }
  });

  it('escapes HTML in JSON strings as Go does', () => {
    const a = one('/api/info', {}, ['--ui-message=<b>&"\u2028']);
    expect(a.body).toContain('"message": "\\u003cb\\u003e\\u0026\\"\\u2028"');
  });

  it('serves its UI to browsers at / only', () => {
    const a = one('/', { headers: { 'user-agent': 'Mozilla/5.0 (X11)' } }, [
      '--ui-color=#ff0000',
      '--ui-message=hi <there>',
    ]);
    expect([a.status, a.contentType, a.route]).toEqual([200, 'text/html; charset=utf-8', 'root']);
    expect(a.body).toContain('<title>pod-1</title>');
    expect(a.body).toContain('background: #ff0000');
    expect(a.body).toContain('<h1 id="message">hi &lt;there&gt;</h1>');
    expect(a.body).toContain("fetch(prefix + '/api/info')");
    expect(() => new Script(/<script>\n([\s\S]*)<\/script>/.exec(a.body)![1]!)).not.toThrow();
    expect(one('/api/info', { headers: { 'user-agent': 'Mozilla/5.0' } }).contentType).toBe(JSON_TYPE);
    expect(one('/', { headers: { 'user-agent': 'mozilla/5.0' } }).contentType).toBe(JSON_TYPE);
  });

  it('answers 500 with the template error when --ui-path has no vue.html', () => {
    const a = one('/', { headers: { 'user-agent': 'Mozilla/5.0' } }, ['--ui-path=/web']);
    expect(a).toEqual({
      weight: 1,
      status: 500,
      body: '/web/vue.htmlopen /web/vue.html: no such file or directory',
      contentType: 'text/plain; charset=utf-8',
      route: 'root',
    });
    expect(one('/', { headers: { 'user-agent': 'Mozilla/5.0' } }, ['--ui-path=/home/app/ui/']).status).toBe(
      200,
    );
  });

  it('lists the environment: PATH, HOSTNAME, the container env, HOME', () => {
    const a = app().respond(
      req('/env', { method: 'POST' }),
      proc({ env: { PODINFO_UI_COLOR: '#000', HOME: '/root' } }),
    );
    expect(JSON.parse(only(a).body)).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOSTNAME=pod-1',
      'PODINFO_UI_COLOR=#000',
      'HOME=/root',
    ]);
  });

  it('echoes request headers with canonical names, plus the version headers, without Host', () => {
    const a = one('/headers', {
      headers: {
        host: 'podinfo:9898',
        'user-agent': 'curl/8',
        'x-request-id': 'abc',
        'transfer-encoding': 'chunked',
        'x weird': '1',
      },
    });
    expect(a.body).toBe(
      [
        '{',
        '  "User-Agent": [',
        '    "curl/8"',
        '  ],',
        `  "X-Api-Revision": [`,
        `    "${REV}"`,
        '  ],',
        '  "X-Api-Version": [',
        '    "6.14.1"',
        '  ],',
        '  "X-Request-Id": [',
        '    "abc"',
        '  ],',
        '  "x weird": [',
        '    "1"',
        '  ]',
        '}',
      ].join('\n'),
    );
  });

  it.each(['/echo', '/echo/a/b', '/api/echo', '/api/echo/x'])(
    'echoes the body of any method on %s with 202',
    (path) => {
      for (const method of ['POST', 'PUT', 'GET', 'PATCH']) {
        const a = one(path, { method, body: '{"x":1}' }, ['--ui-color=#123456']);
        expect(a).toEqual({
          weight: 1,
          status: 202,
          body: '{"x":1}',
          contentType: 'application/octet-stream',
          headers: { ...NOSNIFF, 'content-security-policy': "default-src 'none'", 'x-color': '#123456' },
          route: path.startsWith('/api') ? 'api_echo' : 'echo',
        });
      }
      expect(one(path, { method: 'HEAD', body: 'x' }).body).toBe('');
    },
  );

  it('refuses a body over 10 MiB with its 200-coded ErrorResponse', () => {
    const a = one('/echo', { method: 'POST', body: 'x'.repeat((10 << 20) + 1) });
    expect([a.status, a.body]).toEqual([200, '{\n  "code": 413,\n  "message": "request body too large"\n}']);
  });

  it('sleeps as asked on /delay/{n}, a latency the request asked for', () => {
    const a = one('/delay/3');
    expect(a).toEqual({
      weight: 1,
      status: 200,
      body: '{\n  "delay": 3\n}',
      contentType: JSON_TYPE,
      headers: NOSNIFF,
      latency: { medianMs: 0, sigma: 0, shiftMs: 3000 },
      requestedLatency: true,
      route: 'delay',
    });
    expect(one('/delay/0').latency).toBeUndefined();
    expect(one('/delay/abc').status).toBe(404);
    expect(one('/delay/99999999999999999999').body).toBe(
      '{\n  "code": 400,\n  "message": "strconv.Atoi: parsing \\"99999999999999999999\\": value out of range"\n}',
    );
  });

  it('loses the response of a handler that writes after the 30 s WriteTimeout, but counts it', () => {
    const a = one('/delay/30');
    expect([a.status, a.noResponse, a.route, a.latency?.shiftMs]).toEqual([200, true, 'delay', 30_000]);
    expect(one('/delay/29').noResponse).toBeUndefined();
    expect(one('/delay/40', {}, ['--http-server-timeout=1m']).noResponse).toBeUndefined();
    expect(one('/delay/40', {}, ['--http-server-timeout=0']).noResponse).toBeUndefined();
  });

  it('reports health and readiness, and switches readiness', () => {
    expect(one('/healthz')).toEqual({
      weight: 1,
      status: 200,
      body: '{\n  "status": "OK"\n}',
      contentType: JSON_TYPE,
      headers: NOSNIFF,
      route: 'healthz',
    });
    expect(one('/healthz', {}, ['--unhealthy'])).toEqual({
      weight: 1,
      status: 503,
      body: '',
      route: 'healthz',
    });
    expect(one('/readyz', {}, ['--unready'])).toEqual({ weight: 1, status: 503, body: '', route: 'readyz' });
    expect(one('/readyz', {}, ['--unready'], { [PODINFO_STATE.ready]: true }).status).toBe(200);
    expect(one('/readyz', {}, [], { [PODINFO_STATE.ready]: false }).status).toBe(503);
    expect(one('/readyz/enable', { method: 'POST' })).toEqual({
      weight: 1,
      status: 202,
      body: '',
      effect: { kind: 'set', key: 'podinfo.ready', value: true },
      route: 'readyz_enable',
    });
    expect(one('/readyz/disable', { method: 'POST' }).effect).toEqual({
      kind: 'set',
      key: 'podinfo.ready',
      value: false,
    });
  });

  it('switches fault injection, which fails everything but probes, metrics, pprof and its own switch', () => {
    expect(one('/fault_injection/enable', { method: 'POST' })).toEqual({
      weight: 1,
      status: 202,
      body: '{\n  "fault_injection": "enabled"\n}',
      contentType: JSON_TYPE,
      headers: NOSNIFF,
      effect: { kind: 'set', key: 'podinfo.faultInjection', value: true },
      route: 'fault_injection_enable',
    });
    const on = { [PODINFO_STATE.faultInjection]: true };
    const faulted = (path: string, method = 'GET') =>
      one(path, { method }, ['--random-error', '--random-delay'], on);
    expect(faulted('/api/info')).toEqual({
      weight: 1,
      status: 500,
      body: '{"status":"fault injection enabled"}\n',
      contentType: 'text/plain; charset=utf-8',
      headers: NOSNIFF,
      route: 'api_info',
    });
    for (const [path, method] of [
      ['/', 'GET'],
      ['/readyz/enable', 'POST'],
      ['/panic', 'GET'],
      ['/echo', 'POST'],
      ['/healthz/', 'GET'],
    ])
      expect(call(path!, { method }, [], on).map((a) => a.status)).toEqual(
        path === '/healthz/' ? [404] : [500],
      );
    for (const path of ['/healthz', '/readyz', '/metrics', '/fault_injection/status', '/debug/pprof/'])
      expect(one(path, {}, [], on).status).toBe(200);
    expect(one('/fault_injection/status', {}, [], on).body).toBe('{\n  "fault_injection": "enabled"\n}');
    expect(one('/fault_injection/disable', { method: 'POST' }, [], on).effect).toEqual({
      kind: 'set',
      key: 'podinfo.faultInjection',
      value: false,
    });
  });

  it('exits 255 on /panic without answering or counting', () => {
    expect(one('/panic')).toEqual({
      weight: 1,
      status: 502,
      body: '',
      noResponse: true,
      effect: { kind: 'exit', code: 255, reason: 'GET /panic: os.Exit(255)' },
    });
    // A random error answers before the handler runs.
    const answers = call('/panic', {}, ['--random-error']);
    expect(probability(answers, (a) => a.effect?.kind === 'exit')).toBeCloseTo(2 / 3, 12);
  });

  it.each([
    ['GET', '418', 418, '{\n  "status": 418\n}', undefined],
    ['POST', '500', 500, '{\n  "status": 500\n}', undefined],
    ['PUT', '201', 201, '{\n  "status": 201\n}', undefined],
    ['GET', '204', 204, '', undefined],
    ['GET', '304', 304, '', undefined],
    ['GET', '101', 101, '', undefined],
    ['GET', '103', 200, '{\n  "status": 103\n}', 103],
    ['GET', '999', 999, '{\n  "status": 999\n}', undefined],
  ])('%s /status/%s answers %d', (method, code, status, body, metricsStatus) => {
    const a = one(`/status/${code}`, { method });
    expect([a.status, a.body, a.contentType, a.route, a.metricsStatus]).toEqual([
      status,
      body,
      JSON_TYPE,
      'status',
      metricsStatus,
    ]);
  });

  it.each(['0', '42', '99', '1000', '0001000'])(
    'drops the connection on /status/%s (WriteHeader panics)',
    (code) => {
      expect(one(`/status/${code}`)).toEqual({ weight: 1, status: 502, body: '', noResponse: true });
    },
  );

  it('answers 404 and 405 outside the middlewares (never counted, never failed at random)', () => {
    const flags = ['--random-error', '--random-delay'];
    expect(one('/nope', {}, flags)).toEqual({
      weight: 1,
      status: 404,
      body: '404 page not found\n',
      contentType: 'text/plain; charset=utf-8',
      headers: NOSNIFF,
    });
    for (const [path, method] of [
      ['/healthz', 'POST'],
      ['/', 'POST'],
      ['/status/200', 'DELETE'],
      ['/cache/k', 'PATCH'],
      ['/version', 'HEAD'],
    ])
      expect(one(path!, { method }, flags)).toEqual({ weight: 1, status: 405, body: '' });
    expect(one('/healthz/', {}, flags).status).toBe(404);
    expect(one('/status/abc', {}, flags).status).toBe(404);
  });

  it('redirects an unclean path before routing', () => {
    expect(one('/api//info', { query: { a: 'b' } })).toEqual({
      weight: 1,
      status: 301,
      body: '',
      headers: { location: '/api/info?a=b' },
    });
    expect(one('/x/../healthz')).toEqual({
      weight: 1,
      status: 301,
      body: '',
      headers: { location: '/healthz' },
    });
  });

  it.each([
    ['GET', '/', 'root'],
    ['GET', '/api/info', 'api_info'],
    ['GET', '/version', 'version'],
    ['GET', '/env', 'env'],
    ['POST', '/headers', 'headers'],
    ['POST', '/echo', 'echo'],
    ['POST', '/echo/x/y', 'echo'],
    ['POST', '/api/echo', 'api_echo'],
    ['GET', '/delay/1', 'delay'],
    ['GET', '/healthz', 'healthz'],
    ['GET', '/readyz', 'readyz'],
    ['POST', '/readyz/enable', 'readyz_enable'],
    ['POST', '/readyz/disable', 'readyz_disable'],
    ['POST', '/fault_injection/enable', 'fault_injection_enable'],
    ['GET', '/fault_injection/status', 'fault_injection_status'],
    ['GET', '/status/200', 'status'],
    ['POST', '/store', 'store'],
    ['GET', '/store/abc', 'store'],
    ['GET', '/cache/k', 'cache'],
    ['POST', '/cache/k', 'cache_key'],
    ['DELETE', '/cache/k', 'cache_key'],
    ['GET', '/configs', 'configs'],
    ['POST', '/token', 'token'],
    ['GET', '/token/validate', 'token_validate'],
    ['GET', '/ws/echo', 'ws_echo'],
    ['GET', '/chunked/1', 'chunked_wait_0_9'],
    ['GET', '/metrics', 'metrics'],
    ['GET', '/debug/pprof/', 'debug_pprof'],
    ['GET', '/debug/pprof/heap', 'debug_pprof'],
    ['GET', '/swagger/index.html', 'swagger'],
    ['GET', '/swagger.json', 'swagger_json'],
  ])('%s %s is counted as path="%s"', (method, path, label) => {
    const answers = call(path, { method });
    expect(answers.length).toBeGreaterThan(0);
    for (const a of answers) expect(a.route).toBe(label);
  });

  it("labels with podinfo's urlToLabel", () => {
    expect(
      ['/', '', '/readyz/enable', '/chunked/{wait:[0-9]+}', '/API--Echo/', '__x__'].map(urlToLabel),
    ).toEqual(['root', 'root', 'readyz_enable', 'chunked_wait_0_9', 'api_echo', 'x']);
  });

  it('stores and reads back bodies by SHA-1', () => {
    const hash = createHash('sha1').update('hello').digest('hex');
    const w = one('/store', { method: 'PUT', body: 'hello' });
    expect(w).toEqual({
      weight: 1,
      status: 202,
      body: `{\n  "hash": "${hash}"\n}`,
      contentType: JSON_TYPE,
      headers: NOSNIFF,
      effect: { kind: 'set', key: `podinfo.store/${hash}`, value: 'hello' },
      route: 'store',
    });
    const r = one(`/store/${hash}`, {}, [], { [`podinfo.store/${hash}`]: 'hello' });
    expect([r.status, r.body, r.contentType]).toEqual([202, 'hello', 'application/octet-stream']);
    expect(JSON.parse(one(`/store/${hash}`).body)).toEqual({ code: 500, message: 'reading file failed' });
    expect(JSON.parse(one('/store/XYZ').body)).toEqual({ code: 400, message: 'invalid hash' });
  });

  it('has no cache server and no config files', () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'])
      expect(JSON.parse(one('/cache/k', { method }).body)).toEqual({
        code: 400,
        message: 'cache server is offline',
      });
    expect(one('/configs').body).toBe('{}');
  });

  it('says when it cannot simulate a request', () => {
    const a = app();
    expect(a.unsimulated!(req('/token', { method: 'POST' }))).toContain('reads the clock');
    expect(a.unsimulated!(req('/token', { method: 'POST' }), proc({ nowMs: 1 }))).toBeUndefined();
    const ws = {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    };
    expect(a.unsimulated!(req('/ws/echo', { headers: ws }))).toContain('websocket');
    expect(a.unsimulated!(req('/api/info'))).toBeUndefined();
    expect(one('/ws/echo', { headers: ws })).toEqual({
      weight: 1,
      status: 101,
      body: '',
      metricsStatus: 200,
      route: 'ws_echo',
    });
  });

  it('refuses a websocket handshake that is not one, as gorilla/websocket does', () => {
    const refused = (status: number, text: string) => ({
      weight: 1,
      status,
      body: `${text}\n`,
      contentType: 'text/plain; charset=utf-8',
      headers: { ...NOSNIFF, 'sec-websocket-version': '13' },
      route: 'ws_echo',
    });
    expect(one('/ws/echo')).toEqual(refused(400, 'Bad Request'));
    const ws = {
      connection: 'keep-alive, Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    };
    expect(one('/ws/echo', { method: 'POST', headers: ws })).toEqual(refused(405, 'Method Not Allowed'));
    expect(one('/ws/echo', { headers: { ...ws, origin: 'http://evil', host: 'podinfo' } })).toEqual(
      refused(403, 'Forbidden'),
    );
    expect(one('/ws/echo', { headers: { ...ws, 'sec-websocket-key': 'short' } })).toEqual(
      refused(400, 'Bad Request'),
    );
  });

  it('streams /chunked after a wait: asked for, or 10–29 s at random', () => {
    const a = one('/chunked/2', { method: 'POST' });
    expect(a).toEqual({
      weight: 1,
      status: 200,
      body: '{\n  "delay": 2\n}',
      headers: NOSNIFF,
      latency: { medianMs: 0, sigma: 0, shiftMs: 2000 },
      requestedLatency: true,
      route: 'chunked_wait_0_9',
    });
    const r = call('/chunked');
    expect(r.map((x) => x.latency?.shiftMs)).toEqual(Array.from({ length: 20 }, (_, i) => (10 + i) * 1000));
    expect(
      r.every((x) => x.weight === 1 && x.route === 'chunked' && !x.requestedLatency && !x.noResponse),
    ).toBe(true);
    expect(call('/chunked', {}, ['--http-server-timeout=5s']).map((x) => x.latency?.shiftMs)).toEqual([
      10_000, 11_000,
    ]);
    // A wait Atoi cannot read falls back to the random one.
    const overflow = call('/chunked/99999999999999999999');
    expect(overflow.map((x) => [x.route, x.latency?.shiftMs])).toEqual(
      r.map((x) => ['chunked_wait_0_9', x.latency?.shiftMs]),
    );
  });

  it('answers /metrics with the exposition type, outside fault injection', () => {
    const a = one('/metrics', { method: 'POST' });
    expect([a.status, a.contentType, a.route]).toEqual([
      200,
      'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
      'metrics',
    ]);
  });

  it('serves pprof under /debug/pprof/', () => {
    expect(one('/debug/pprof/').contentType).toBe('text/html; charset=utf-8');
    expect(one('/debug/pprof/cmdline').body).toBe('./podinfo');
    expect(app(['--port=9898']).respond(req('/debug/pprof/cmdline'), proc())[0]!.body).toBe(
      './podinfo\0--port=9898',
    );
    expect(one('/debug/pprof/nope')).toMatchObject({ status: 404, body: 'Unknown profile\n' });
    expect(one('/debug/pprof/profile')).toMatchObject({
      status: 400,
      body: "profile duration exceeds server's WriteTimeout\n",
    });
    expect(one('/debug/pprof/profile', { query: { seconds: '5' } })).toMatchObject({
      status: 200,
      contentType: 'application/octet-stream',
      latency: { shiftMs: 5000 },
      requestedLatency: true,
    });
    expect(one('/debug/pprof/heap')).toMatchObject({
      status: 200,
      headers: { 'content-disposition': 'attachment; filename="heap"' },
    });
    expect(one('/debug/pprof/trace')).toMatchObject({ status: 200, latency: { shiftMs: 1000 } });
    expect(one('/debug/pprof/trace').requestedLatency).toBeUndefined();
    expect(one('/debug/pprof/heap', { query: { seconds: '2' } })).toMatchObject({
      latency: { shiftMs: 2000 },
      requestedLatency: true,
    });
    expect(one('/debug/pprof/heap', { query: { seconds: '-1' } })).toMatchObject({
      status: 400,
      body: 'invalid value for "seconds"\n',
    });
  });

  it('serves its API documentation', () => {
    const doc = JSON.parse(one('/swagger/doc.json').body);
    expect([doc.swagger, doc.info.title, doc.basePath]).toEqual(['2.0', 'Podinfo API', '/']);
    expect(Object.keys(doc.paths)).toContain('/delay/{seconds}');
    expect(one('/swagger.json').contentType).toBe('text/plain; charset=utf-8');
    expect(one('/swagger/')).toMatchObject({ status: 301, headers: { location: '/swagger/index.html' } });
    expect(one('/swagger/index.html').contentType).toBe('text/html; charset=utf-8');
    expect(one('/swagger/index.html', { method: 'POST' })).toMatchObject({
      status: 405,
      body: 'Method not allowed\n',
    });
    expect(one('/swagger/nope.txt').status).toBe(404);
    expect(one('/swagger').status).toBe(404);
  });
});
