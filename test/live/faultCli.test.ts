import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleControl } from '../../cli/live/controlHandler.js';
import { runCli } from '../../cli/runCli.js';
import { startHttpServer } from '../../cli/server/httpServer.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

// `canarysim fault set|clear|list` against a control API serving a virtual-clock World over
// HTTP (serve's default namespace a-team); bad flags and files are one line and exit 2.

const ISTIO = path.join(REPO_ROOT, 'scenarios/blog/kustomize/overlays/istio');
const STABLE = 'ghcr.io/vfarcic/silly-demo:1.4.126';

let w: World;
let server: Server;
let url: string;
const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-fault-'));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(async () => {
  w = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { 'a-team': { istioInjection: true } } });
  ({ server, url } = await startHttpServer(
    async (method, pathname, _params, body) =>
      (await handleControl(
        method,
        pathname,
        body ?? {},
        w,
        () => ({ now: w.now(), speed: 1, ingress: '', api: url }),
        'a-team',
      )) ?? {
        status: 404,
        contentType: 'text/plain',
        body: 'not found',
      },
    { host: '127.0.0.1', port: 0 },
  ));
  await runCli(['apply', '-n', 'a-team', '-k', ISTIO, '--server', url], {
    stdout: { write: () => true },
    stderr: { write: () => true },
  });
  await w.clock.advance(60_000);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--server', url], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

describe('canarysim fault', () => {
  it('set builds the scenario shape from flags; list shows a table; clear takes the exact target', async () => {
    expect(
      await cli(
        'fault',
        'set',
        '--image',
        STABLE,
        '--errors',
        '10%',
        '--status',
        '500=3,503=1',
        '--latency',
        'p50=200ms,p99=2s',
      ),
    ).toEqual({ code: 0, out: `fault set on image ${STABLE}: 5 running pods affected\n`, err: '' });
    const f = w.apps.activeFaults()[0]!;
    expect(f.set.errors).toEqual([
      {
        share: 0.1,
        statuses: [
          { status: 500, weight: 3 },
          { status: 503, weight: 1 },
        ],
      },
    ]);
    expect(f.set.latency).toMatchObject({ medianMs: 200 });

    const pod = w.cluster.allPods()[0]!.meta.name;
    expect(
      await cli(
        'fault',
        'set',
        '--pod',
        pod,
        '--latency',
        'uniform=10ms..50ms',
        '--ready',
        'false',
        '--crash',
        '30s',
      ),
    ).toEqual({
      code: 0,
      out: `fault set on pod a-team/${pod}: 1 running pod affected\n`,
      err: '',
    });
    expect(w.apps.activeFaults()[1]).toMatchObject({
      pod,
      namespace: 'a-team',
      set: { ready: false, latency: { shiftMs: 10, widthMs: 40 } },
      crash: { afterMs: 30_000, exitCode: 1 },
    });
    expect(
      await cli('fault', 'set', '--image', 'ghcr.io/vfarcic/silly-demo:*', '-n', 'default', '--unhealthy'),
    ).toMatchObject({
      code: 0,
      out: 'fault set on image ghcr.io/vfarcic/silly-demo:*: 0 running pods affected\n',
    });

    expect(await cli('fault', 'list')).toEqual({
      code: 0,
      out:
        'TARGET                                          WHAT\n' +
        `image ${STABLE}        errors: {share: 10%, status: {500: 3, 503: 1}}, latency: {p50: 200ms, p99: 2s}\n` +
        `${`pod a-team/${pod}`.padEnd(45)}   latency: {uniform: [10ms, 50ms]}, ready: false, crash: {after: 30s}\n` +
        'image ghcr.io/vfarcic/silly-demo:* in default   unhealthy: true\n',
      err: '',
    });

    expect(await cli('fault', 'clear', '--image', 'ghcr.io/vfarcic/silly-demo:*')).toMatchObject({
      code: 0,
      out: '0 faults cleared\n',
    });
    expect(
      await cli('fault', 'clear', '--image', 'ghcr.io/vfarcic/silly-demo:*', '-n', 'default'),
    ).toMatchObject({
      code: 0,
      out: '1 fault cleared\n',
    });
    expect(await cli('fault', 'clear', '--pod', pod)).toMatchObject({ code: 0, out: '1 fault cleared\n' });
    expect(await cli('fault', 'clear', '--all')).toMatchObject({ code: 0, out: '1 fault cleared\n' });
    expect(await cli('fault', 'list')).toEqual({ code: 0, out: 'No faults set.\n', err: '' });
  });

  it('set -f FILE takes the whole shape (when: rules, saturation, coldStart) and names its line:col', async () => {
    const good = file(
      'slow-api.yaml',
      [
        `image: ${STABLE}`,
        'errors:',
        '  - share: 20%',
        '    status: 503',
        '    when: [{uri: {prefix: /api}}]',
        'saturation: {rate: 50/s, errors: 50%, latency: 2x}',
        'coldStart: {requests: 10, latency: 500ms}',
        '',
      ].join('\n'),
    );
    expect(await cli('fault', 'set', '-f', good)).toMatchObject({
      code: 0,
      out: `fault set on image ${STABLE}: 5 running pods affected\n`,
    });
    expect(w.apps.activeFaults()[0]!.set).toMatchObject({
      errors: [{ share: 0.2, statuses: [{ status: 503, weight: 1 }], when: [expect.anything()] }],
      saturation: { rate: 50, errorShare: 0.5, status: 503, latencyFactor: 2 },
      coldStart: { requests: 10 },
    });
    const shown = (await cli('fault', 'list')).out;
    expect(shown).toContain('errors: [{share: 20%, status: 503, when: [{uri: {prefix: /api}}]}]');
    await cli('fault', 'clear', '--all');

    const bad = file('bad.yaml', `image: ${STABLE}\nsaturation:\n  rate: fast\n`);
    const r = await cli('fault', 'set', '-f', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^canarysim: .*bad\.yaml:3:9: fault: saturation\.rate: invalid rate "fast": expected /,
    );
    expect(w.apps.activeFaults()).toEqual([]);
  });

  it('bad flags are one line naming the flag and value, exit 2, and nothing is sent', async () => {
    const cases: [string[], string][] = [
      [
        ['--image', STABLE, '--errors', '2'],
        'invalid --errors "2": expected a percentage such as 2% or 12.5%',
      ],
      [['--errors', '2%'], 'fault set: expected --image IMAGE or --pod POD (or both), or -f FILE'],
      [
        ['--image', STABLE],
        'fault set: expected something to change: --errors, --latency, --ready, --unhealthy or --crash',
      ],
      [
        ['--image', STABLE, '--status', '503'],
        'fault set: --status needs --errors (the share of requests that fail)',
      ],
      [
        ['--image', STABLE, '--errors', '5%', '--status', '700'],
        'invalid --status "700": expected a final HTTP status from 200 to 599 (1xx are informational)',
      ],
      [
        ['--image', STABLE, '--errors', '5%', '--status', '500:3'],
        'invalid --status "500:3": expected a status such as 503, or a mix such as 500=3,503=1',
      ],
      [
        ['--image', STABLE, '--errors', '5%', '--status', '500=3,700=1'],
        'invalid --status "500=3,700=1": invalid status "700": expected a final HTTP status from 200 to 599 (1xx are informational)',
      ],
      [
        ['--image', STABLE, '--latency', '2'],
        'invalid --latency "2": expected a Go duration such as 30s, 5m or 1h30m',
      ],
      [
        ['--image', STABLE, '--latency', 'p50=2s,p99=1s'],
        'invalid --latency "p50=2s,p99=1s": p99 "1s" is below p50',
      ],
      [
        ['--image', STABLE, '--latency', 'p90=1s'],
        'invalid --latency "p90=1s": unknown field "p90" (expected one of: p50, p99, fixed, uniform)',
      ],
      [
        ['--image', STABLE, '--latency', 'uniform=10ms'],
        'invalid --latency "uniform=10ms": expected a duration such as 2s, p50=200ms,p99=2s, fixed=2s or uniform=10ms..50ms',
      ],
      [['--image', STABLE, '--ready', 'no'], 'invalid --ready "no": expected true or false'],
      [
        ['--image', STABLE, '--crash', 'soon'],
        'invalid --crash "soon": expected now or a duration such as 30s',
      ],
      [['--image', STABLE, '--crash', '0s'], 'invalid --crash "0s": expected more than 0s'],
      [['-f', 'x.yaml', '--image', STABLE], 'fault set: -f FILE holds the whole fault; drop --image'],
      [
        ['-f', path.join(dir, 'missing.yaml')],
        `-f ${path.relative(process.cwd(), path.join(dir, 'missing.yaml'))}: no such file`,
      ],
    ];
    for (const [args, err] of cases)
      expect(await cli('fault', 'set', ...args), args.join(' ')).toEqual({
        code: 2,
        out: '',
        err: `canarysim: ${err}\n`,
      });
    expect(await cli('fault', 'clear')).toEqual({
      code: 2,
      out: '',
      err: 'canarysim: fault clear: expected --image IMAGE, --pod POD (with -n NS) or --all\n',
    });
    expect(await cli('fault', 'clear', '--all', '--pod', 'x')).toMatchObject({ code: 2 });
    expect(w.apps.activeFaults()).toEqual([]);
    const away = await runCli(['fault', 'list', '--server', 'http://127.0.0.1:1'], {
      stdout: { write: () => true },
      stderr: { write: () => true },
    });
    expect(away).toBe(2);
  });
});

describe('canarysim serve --apps', () => {
  it('a bad file is one line at its line:col, exit 2, before anything listens', async () => {
    const bad = file('apps.yaml', `apps:\n  - image: ${STABLE}\n    latency: {fixed: 300}\n`);
    const port = await freePort();
    let err = '';
    const code = await runCli(['serve', '--apps', bad, '--port', String(port), '--api-port', '0'], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s) },
    });
    expect(code).toBe(2);
    expect(err).toMatch(
      /^canarysim serve: .*apps\.yaml:3:22: app models: apps\[0\]\.latency\.fixed: invalid duration 300: expected a unit, such as 300ms or 300s\n$/,
    );
    expect(await listening(port)).toBe(false);
    const notList = file('apps2.yaml', 'apps: {image: x}\n');
    let err2 = '';
    const code2 = await runCli(['serve', '--apps', notList, '--port', String(port)], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err2 += s) },
    });
    expect(code2).toBe(2);
    expect(err2).toMatch(/apps2\.yaml:1:7: app models: apps: expected a list, got a mapping\n$/);
  });
});

async function freePort(): Promise<number> {
  const { server: s, url: u } = await startHttpServer(() => Promise.reject(new Error('unused')), {
    host: '127.0.0.1',
    port: 0,
  });
  await new Promise<void>((ok) => s.close(() => ok()));
  return Number(new URL(u).port);
}

function listening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      ok(true);
    });
    sock.once('error', () => ok(false));
  });
}
