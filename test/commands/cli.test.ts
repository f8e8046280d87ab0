import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { handleControl } from '../../cli/live/controlHandler.js';
import { runCli } from '../../cli/runCli.js';
import { startHttpServer } from '../../cli/server/httpServer.js';
import type { World } from '../../sim/world.js';
import { bgRollout } from '../bluegreen/blueGreenScenario.js';
import { apply, rollout, SERVICES, until, world } from './worldHarness.js';

// `canarysim undo NAME [--to-revision N]` and `canarysim restart NAME [--in D]` against a control
// API serving a virtual-clock World over HTTP: the plugin's lines on stdout, bad input exit 2.

let w: World;
let server: Server;
let url: string;

beforeAll(async () => {
  w = world();
  for (const tag of ['1.4.126', '1.4.127']) {
    await apply(w, SERVICES + bgRollout('').replace('1.4.126', tag));
    await until(w, () => rollout(w).status.phase === 'Healthy' && rollout(w).status.stableRS !== '', 600_000);
    await w.clock.advance(60_000);
  }
  const status = () => ({ now: w.now(), speed: 1, ingress: '', api: url });
  ({ server, url } = await startHttpServer(
    async (method, pathname, _params, body) =>
      (await handleControl(method, pathname, body ?? {}, w, status)) ?? {
        status: 404,
        contentType: 'text/plain',
        body: 'not found',
      },
    { host: '127.0.0.1', port: 0 },
  ));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--server', url, '-n', 'a-team'], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

describe('canarysim undo / restart', () => {
  it('undo prints the plugin line, --to-revision the skip line when it already matches', async () => {
    expect(await cli('undo', 'silly-demo', '--to-revision', '2')).toEqual({
      code: 0,
      out: 'skipped rollback (current template already matches revision 2)\n',
      err: '',
    });
    expect(await cli('undo', 'silly-demo')).toEqual({ code: 0, out: "rollout 'silly-demo' undo\n", err: '' });
    expect(rollout(w).spec.template!.containers[0]!.image).toBe('ghcr.io/vfarcic/silly-demo:1.4.126');
  });

  it('restart --in 10s prints "restarts in 10s" and sets spec.restartAt 10 s ahead', async () => {
    const now = w.now();
    expect(await cli('restart', 'silly-demo', '--in', '10s')).toEqual({
      code: 0,
      out: "rollout 'silly-demo' restarts in 10s\n",
      err: '',
    });
    expect(rollout(w).spec.restartAt).toBe(Math.floor((now + 10_000) / 1000) * 1000);
  });

  it('bad input is one line and exit 2: an unknown revision, a bad --in, a bad --to-revision, no such rollout', async () => {
    expect(await cli('undo', 'silly-demo', '--to-revision', '9')).toEqual({
      code: 2,
      out: '',
      err: 'canarysim: unable to find specified revision 9 in history\n',
    });
    expect(await cli('restart', 'silly-demo', '--in', 'soon')).toEqual({
      code: 2,
      out: '',
      err: 'canarysim: invalid --in "soon": expected a duration such as 30s, 5m or 1h\n',
    });
    // The plugin reads --in with Go's time.ParseDuration: no sign, and a unit is required.
    for (const bad of ['-30s', '30'])
      expect(await cli('restart', 'silly-demo', '--in', bad)).toEqual({
        code: 2,
        out: '',
        err: `canarysim: invalid --in "${bad}": expected a duration such as 30s, 5m or 1h\n`,
      });
    expect(await cli('undo', 'silly-demo', '--to-revision', 'two')).toEqual({
      code: 2,
      out: '',
      err: 'canarysim: invalid --to-revision "two": expected a non-negative integer\n',
    });
    expect((await cli('undo', 'silly-demo', '--to-revision', '99999999999999999999999')).err).toMatch(
      /^canarysim: invalid --to-revision "9+": expected a non-negative integer\n$/,
    );
    expect(await cli('restart', 'nope')).toEqual({
      code: 2,
      out: '',
      err: 'canarysim: rollouts.argoproj.io "nope" not found\n',
    });
  });
});
