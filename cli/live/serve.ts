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
import type { ServerStatus } from './controlApi.js';
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
  world: World<RealClock>;
  ingress: string;
  api: string;
  stop(): Promise<void>;
}

/**
 * `canarysim serve`: the same World — controller, mesh, metrics, analysis — on the real clock
 * (sped up by `speed`), with every pod a real silly-demo server on loopback, an ingress proxy that
 * routes by the mesh's plan, and one API port for the control API, the Prometheus API and /metrics.
 */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = new RealClock(opts.speed);
  const world = new World<RealClock>(
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
  const servers = new Map<Pod, Server>();
  const appRng = world.rng.fork('live-apps');
  const stop = (pod: Pod) => {
    pod.endpoint = undefined;
    const s = servers.get(pod);
    servers.delete(pod);
    s?.closeAllConnections();
    s?.close();
  };
  world.cluster.setPodHooks({
    started: (pod) => {
      const process = pod.process;
      if (!process) return;
      void startAppServer(process, {
        host: '127.0.0.1',
        rng: appRng,
        now: () => world.now(),
        log,
      }).then(
        ({ server, port }) => {
          // The process may have exited, or the pod gone, while the server was starting.
          if (pod.process !== process || process.exited || pod.terminating) {
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
  const ingress = await startIngressProxy(world, {
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
    speed: opts.speed,
    ingress: ingress.url,
    api: apiUrl,
  });
  const promDeps = worldPrometheusApi(world);
  const api = await startHttpServer(
    async (method, pathname, params, body) =>
      (await handleControl(method, pathname, body ?? {}, world, status, opts.namespace)) ??
      handlePrometheusApi(method, pathname, params, promDeps),
    { host: opts.host, port: opts.apiPort },
  ).catch((e: unknown) => abandon(listenError(e, opts.apiPort, opts.host, '--api-port'), [ingress.close]));
  guardServer(api.server, 'control API', log);
  apiUrl = httpUrl(api.server.address() as AddressInfo);
  return {
    world,
    ingress: ingress.url,
    api: apiUrl,
    stop: async () => {
      clock.close();
      for (const r of world.rollouts.values()) r.actor.stop();
      await ingress.close();
      api.server.closeAllConnections();
      await new Promise<void>((ok) => api.server.close(() => ok()));
      for (const s of servers.values()) {
        s.closeAllConnections();
        s.close();
      }
      servers.clear();
    },
  };
}
