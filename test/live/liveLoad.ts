import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { applyCommand, statusCommand } from '../../cli/commands/live.js';
import { HttpControlClient } from '../../cli/live/HttpControlClient.js';
import { loadAppsFile } from '../../cli/live/loadAppsFile.js';
import { startServe, type ServeHandle } from '../../cli/live/serve.js';
import type { AppModel } from '../../sim/apps/index.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

/**
 * A small closed-loop load for the live tests: `workers` keep-alive clients each sending GETs to
 * `url` (with a Host header) until `stop()` is called; every answer, whatever its status, counts.
 * It waits for in-flight requests when stopped, as hey does, so `sent` is exact.
 */
export function startLoad(
  url: string,
  host: string,
  workers = 4,
): { stop(): Promise<{ sent: number; byStatus: Map<number, number> }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  let stopping = false;
  let sent = 0;
  const byStatus = new Map<number, number>();
  const one = () =>
    new Promise<void>((ok, fail) => {
      const req = request(url, { agent, headers: { host } }, (res) => {
        res.resume();
        res.once('end', () => {
          sent++;
          byStatus.set(res.statusCode ?? 0, (byStatus.get(res.statusCode ?? 0) ?? 0) + 1);
          ok();
        });
      });
      req.once('error', fail);
      req.end();
    });
  const loops = Array.from({ length: workers }, async () => {
    while (!stopping) {
      await one();
      // ~200 requests/s per worker at most: enough signal, little CPU.
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
      agent.destroy();
      return { sent, byStatus };
    },
  };
}

/** Polls `check` every `everyMs` until it returns a value or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined || Date.now() >= deadline) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One GET with a Host header (fetch cannot set Host), answering status, headers and body. */
export function get(
  url: string,
  host?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.once('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', fail);
    req.end();
  });
}

/**
 * `canarysim serve` on free loopback ports for the tests of one describe block (namespaces
 * default and a-team, seed 1), started before them and stopped after: `live.serve` and
 * `live.client` read the running instance. `apps` (YAML, as `serve --apps` reads it) models the
 * images; `blog` applies the blog's istio overlay in a-team and waits until it is Healthy.
 */
export function liveServe(
  speed: number,
  opts: { seed?: number; apps?: string; blog?: boolean } = {},
): {
  readonly serve: ServeHandle;
  readonly client: HttpControlClient;
} {
  let serve: ServeHandle | undefined;
  let client: HttpControlClient | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    let apps: AppModel[] | undefined;
    if (opts.apps !== undefined) {
      dir = mkdtempSync(path.join(tmpdir(), 'canarysim-live-'));
      writeFileSync(path.join(dir, 'apps.yaml'), opts.apps);
      apps = loadAppsFile(path.join(dir, 'apps.yaml'));
    }
    serve = await startServe({
      host: '127.0.0.1',
      port: 0,
      apiPort: 0,
      speed,
      seed: opts.seed ?? 1,
      namespaces: ['default', 'a-team'],
      namespace: 'a-team',
      ...(apps ? { apps } : {}),
    });
    client = new HttpControlClient(serve.api);
    if (!opts.blog) return;
    const quiet = { write: () => 0 };
    await applyCommand(
      client,
      'apply',
      { kustomize: path.join(REPO_ROOT, 'scenarios/blog/kustomize/overlays/istio'), namespace: 'a-team' },
      quiet,
    );
    const rc = await statusCommand(
      client,
      'silly-demo',
      { namespace: 'a-team', watch: true, timeout: '30s', pollMs: 100 },
      quiet,
      quiet,
    );
    if (rc !== 0) throw new Error('the blog rollout did not become Healthy in 30 s');
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get serve() {
      return serve!;
    },
    get client() {
      return client!;
    },
  };
}
