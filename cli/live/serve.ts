import { RealClock } from '../../sim/clock/index.js';
import { startAppServer } from './appServer.js';
import type { Server } from 'node:http';
import type { AppModel } from '../../sim/apps/index.js';
import type { Pod } from '../../sim/cluster/index.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { RemotePrometheusProvider } from '../providers/RemotePrometheusProvider.js';
import { worldPrometheusApi } from '../server/worldPrometheusApi.js';
import { startHttpServer } from '../server/httpServer.js';
import { handlePrometheusApi } from '../server/prometheusApi.js';
import { CONTROL_PREFIX, type ServerStatus } from './controlApi.js';
import { LiveFeed, MAX_LIVE_VIEWERS } from './liveFeed.js';
import { LIVE_PAGE, LIVE_PAGE_CSP } from './livePage.js';
import { StepHolds } from './stepHolds.js';
import { handleTrainer, type Trainer } from './trainerRoutes.js';
import { handleControl } from './controlHandler.js';
import { httpUrl, startIngressProxy } from './ingressProxy.js';
import { connectionBudget, guardServer, listenError, openFileLimit } from './serverLimits.js';
import type { AddressInfo } from 'node:net';

export interface ServeOptions {
  /** Address every server binds (127.0.0.1 unless told otherwise). */
  host: string;
  /** The ingress gateway's port (0: a free one). */
  port: number;
  /** The control + Prometheus API's port (0: a free one). */
  apiPort: number;
  /** Simulated seconds per real second. */
  speed: number;
  seed: number;
  /** Namespaces that exist, each with istio-injection enabled (pods get a sidecar). */
  namespaces: string[];
  /** kubectl's default namespace for Host-header routing. */
  namespace: string;
  scrapeIntervalMs?: number;
  allowRemote?: boolean;
  /** Where analysis reaches the embedded Prometheus (default: kube-prometheus-stack's address). */
  prometheusAddresses?: string[];
  /** App models (`serve --apps`): how the images they match behave, first match wins. */
  apps?: readonly AppModel[];
  /** Where warnings go (a server out of open files): stderr unless told otherwise. */
  log?: (line: string) => void;
}

export interface ServeHandle {
  /** The world now (a reset replaces it). */
  readonly world: World<RealClock>;
  clock: RealClock;
  ingress: string;
  api: string;
  /** The browser view's feed (how many pages watch, the exact counters). */
  feed: LiveFeed;
  stop(): Promise<void>;
}

/** The key under which reset remembers an object as first applied. */
function objectKey(o: Record<string, unknown>, namespace: string): string {
  const meta = (o['metadata'] ?? {}) as Record<string, unknown>;
  return `${String(o['apiVersion'])}/${String(o['kind'])}/${String(meta['namespace'] ?? namespace)}/${String(meta['name'])}`;
}

/**
 * `canarysim serve`: the same World — controller, mesh, metrics, analysis — on the real clock
 * (sped up by `speed`), with every pod a real silly-demo server on loopback, an ingress proxy that
 * routes by the mesh's plan, and one API port for the control API, the Prometheus API, /metrics
 * and the browser view at `/`.
 *
 * Reset (a trainer's "from the top"): the world is replaced by a new one with the same options —
 * no pods, metrics, analysis runs, faults or holds — and every object is applied again as it was
 * *first* applied (a Rollout comes back with its first image, and goes straight to it as a new
 * Rollout does). Objects deleted since are not. The clock keeps its speed and pause; simulated
 * time runs on from where it is, so ages start again at zero.
 */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = new RealClock(opts.speed);
  const servers = new Map<Pod, Server>();
  const closeServers = () => {
    for (const [pod, s] of servers) {
      pod.endpoint = undefined;
      s.closeAllConnections();
      s.close();
    }
    servers.clear();
  };
  const makeWorld = (): World<RealClock> => {
    const w = new World<RealClock>(
      {
        ...DEFAULT_WORLD_OPTIONS,
        seed: opts.seed,
        startMs: clock.now(),
        namespaces: Object.fromEntries(opts.namespaces.map((n) => [n, { istioInjection: true }])),
        scrapeIntervalMs: opts.scrapeIntervalMs ?? DEFAULT_WORLD_OPTIONS.scrapeIntervalMs,
        prometheusAddresses: opts.prometheusAddresses ?? DEFAULT_WORLD_OPTIONS.prometheusAddresses,
        remoteProvider: opts.allowRemote ? new RemotePrometheusProvider() : undefined,
        apps: opts.apps,
      },
      clock,
    );
    const appRng = w.rng.fork('live-apps');
    const stop = (pod: Pod) => {
      pod.endpoint = undefined;
      const s = servers.get(pod);
      servers.delete(pod);
      s?.closeAllConnections();
      s?.close();
    };
    w.cluster.setPodHooks({
      started: (pod) => {
        const process = pod.process;
        if (!process) return;
        void startAppServer(process, {
          host: '127.0.0.1',
          rng: appRng,
          now: () => w.now(),
          log,
        }).then(
          ({ server, port }) => {
            // The process may have exited, the pod gone or the world been reset while the server was starting.
            if (pod.process !== process || process.exited || pod.terminating || w !== world) {
              server.close();
              return;
            }
            servers.set(pod, server);
            pod.endpoint = { host: '127.0.0.1', port };
          },
          // No port for it (out of open files): the pod runs without a server, and the gateway's
          // requests to it fail as to a container that does not listen (503 UF).
          (e: Error) => log(`canarysim serve: pod ${pod.meta.name} has no server: ${e.message}`),
        );
      },
      stopped: stop,
      removed: stop,
    });
    return w;
  };
  let world = makeWorld();
  const budget = connectionBudget();
  const files = openFileLimit();
  if (budget.clients < 10_000)
    log(
      `canarysim serve: open-file limit ${files ?? '?'} (ulimit -n): the ingress gateway takes ${budget.clients} connections at once; 10,000 need ulimit -n 18000 or more`,
    );
  const abandon = async (e: unknown, closing: (() => Promise<void>)[]) => {
    clock.close();
    for (const c of closing) await c();
    throw e;
  };
  const ingress = await startIngressProxy(() => world, {
    host: opts.host,
    port: opts.port,
    rng: world.rng.fork('live-routing'),
    namespace: opts.namespace,
    budget,
    log,
  }).catch((e: unknown) => abandon(e, []));
  let apiUrl = '';
  const status = (): ServerStatus => ({
    now: world.now(),
    speed: clock.speed,
    paused: clock.isPaused,
    offsetMs: Math.round(world.now() - Date.now()),
    ingress: ingress.url,
    api: apiUrl,
  });
  const holds = new StepHolds();
  holds.attach(world);
  const feed = new LiveFeed(world, status, () => holds.list());
  /** Objects as first applied, in that order, with the namespace they were applied to (for reset). */
  const firstApplied = new Map<string, { object: Record<string, unknown>; namespace: string }>();
  const remember = (path: string, body: Record<string, unknown>) => {
    const ns = typeof body['namespace'] === 'string' ? body['namespace'] : 'default';
    for (const o of body['objects'] as Record<string, unknown>[]) {
      const k = objectKey(o, ns);
      if (path.endsWith('/apply')) {
        if (!firstApplied.has(k)) firstApplied.set(k, { object: o, namespace: ns });
      } else firstApplied.delete(k);
    }
  };
  const reset = async (): Promise<string> => {
    for (const r of world.rollouts.values()) r.actor.stop();
    clock.clearAll();
    closeServers();
    world = makeWorld();
    holds.attach(world);
    feed.attach(world);
    // Consecutive objects of one namespace go in one apply, as one `apply -k` sent them.
    const batches: { objects: Record<string, unknown>[]; namespace: string }[] = [];
    for (const { object, namespace } of firstApplied.values()) {
      const last = batches.at(-1);
      if (last?.namespace === namespace) last.objects.push(object);
      else batches.push({ objects: [object], namespace });
    }
    for (const b of batches) {
      const r = await handleControl('POST', `${CONTROL_PREFIX}/apply`, b, world, status, opts.namespace);
      if (r && r.status !== 200) log(`canarysim serve: reset: ${r.body}`);
    }
    return `reset: a new world, ${firstApplied.size} object${firstApplied.size === 1 ? '' : 's'} applied as first applied`;
  };
  const trainer: Trainer = { clock, holds, reset, status };
  const promDeps = () => worldPrometheusApi(world);
  const api = await startHttpServer(
    async (method, pathname, params, body) => {
      if (method === 'GET' && (pathname === '/' || pathname === '/index.html'))
        return {
          status: 200,
          contentType: 'text/html; charset=utf-8',
          body: LIVE_PAGE,
          headers: { 'Content-Security-Policy': LIVE_PAGE_CSP, 'Cache-Control': 'no-store' },
        };
      if (method === 'GET' && pathname === `${CONTROL_PREFIX}/live`)
        return { status: 200, contentType: 'application/json', body: JSON.stringify(feed.state()) };
      const w = world;
      const answer =
        (await handleTrainer(method, pathname, body ?? {}, w, trainer)) ??
        (await handleControl(method, pathname, body ?? {}, w, status, opts.namespace)) ??
        handlePrometheusApi(method, pathname, params, promDeps());
      const r = await answer;
      if (
        r.status === 200 &&
        method === 'POST' &&
        /\/(apply|delete)$/.test(pathname) &&
        pathname.startsWith(CONTROL_PREFIX)
      )
        remember(pathname, body ?? {});
      return r;
    },
    {
      host: opts.host,
      port: opts.apiPort,
      stream: (path, req, res) => {
        if (path !== `${CONTROL_PREFIX}/events`) return false;
        if (!feed.connect(req, res)) {
          res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '5' });
          res.end(
            JSON.stringify({
              error: `${MAX_LIVE_VIEWERS} browser views are open already (canarysim's limit); close one`,
            }),
          );
        }
        return true;
      },
    },
  ).catch((e: unknown) => abandon(listenError(e, opts.apiPort, opts.host, '--api-port'), [ingress.close]));
  guardServer(api.server, 'control API', log);
  apiUrl = httpUrl(api.server.address() as AddressInfo);
  return {
    get world() {
      return world;
    },
    clock,
    ingress: ingress.url,
    api: apiUrl,
    feed,
    stop: async () => {
      feed.stop();
      clock.close();
      for (const r of world.rollouts.values()) r.actor.stop();
      await ingress.close();
      api.server.closeAllConnections();
      await new Promise<void>((ok) => api.server.close(() => ok()));
      closeServers();
    },
  };
}
