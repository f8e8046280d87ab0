import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { kustomizeBuild, parseManifest, parseYamlFile } from '../../sim/manifests/index.js';
import { IstioRouter, type IstioStats, type IstioLabels } from '../../sim/mesh/index.js';
import { parseRequestUrl, type MeshRequest, type Outcome } from '../../sim/mesh/index.js';
import { DEFAULT_WORLD_OPTIONS, World, type AnyWorld } from '../../sim/world.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

export const NS = 'a-team';
export const HOST = 'silly-demo.127.0.0.1.nip.io';

/**
 * The blog's Istio canary on the virtual clock, paused at step 1/8: 1.4.126 stable behind
 * silly-demo-stable, one 1.4.127 pod behind silly-demo-canary, route "primary" at 80/20.
 */
export async function blogWorldAtCanary(seed: number | string = 1): Promise<World> {
  const world = new World({ ...DEFAULT_WORLD_OPTIONS, seed, namespaces: { [NS]: { istioInjection: true } } });
  const fs = new NodeFileSystem(REPO_ROOT);
  world.apply(kustomizeBuild(fs, 'scenarios/blog/kustomize/overlays/istio'), NS);
  await world.clock.advance(120_000);
  world.setImage(NS, 'silly-demo', 'silly-demo', 'ghcr.io/vfarcic/silly-demo:1.4.127');
  await world.clock.advance(120_000);
  return world;
}

/** An IstioRouter like the blog Rollout's, owning `managedRoutes`. */
export function blogRouter(world: AnyWorld, managedRoutes: string[], routes = true): IstioRouter {
  return new IstioRouter(world.mesh, {
    namespace: NS,
    canaryService: 'silly-demo-canary',
    stableService: 'silly-demo-stable',
    virtualServices: [
      { name: 'silly-demo-1', routes: routes ? ['primary'] : [] },
      { name: 'silly-demo-2', routes: routes ? ['secondary'] : [] },
    ],
    managedRoutes,
  });
}

/** Applies manifests written inline (as `kubectl apply -f -`). */
export function applyYaml(world: World, yaml: string): string[] {
  return world.apply(
    parseYamlFile('inline.yaml', yaml).map((d) => parseManifest(d)),
    NS,
  );
}

/** A request through the gateway to `url` (default: the blog's host) with these headers. */
export function request(
  headers: Record<string, string> = {},
  opts: { method?: string; url?: string } = {},
): MeshRequest {
  const url = parseRequestUrl(opts.url ?? `http://${HOST}/`);
  if (typeof url === 'string') throw new Error(url);
  return { url, method: opts.method ?? 'GET', headers };
}

/** Responses by the app version that answered ("1.4.126", "1.4.127", or the status for Envoy's own). */
export function byVersion(outcomes: readonly Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes) {
    const k = /version (\S+)/.exec(o.body)?.[1] ?? `${o.status}`;
    out[k] = (out[k] ?? 0) + o.count;
  }
  return out;
}

/** istio_requests_total samples of one proxy, as a scrape would read them. */
export async function requestsTotal(stats: IstioStats): Promise<{ labels: IstioLabels; value: number }[]> {
  return stats.metrics
    .samples()
    .filter((s) => s.name === 'istio_requests_total' && s.value > 0)
    .map((s) => ({ labels: s.labels as IstioLabels, value: s.value }));
}

/** Every sidecar's istio_requests_total samples. */
export async function sidecarTotals(
  world: AnyWorld,
): Promise<{ labels: IstioLabels; value: number; pod: string }[]> {
  const out: { labels: IstioLabels; value: number; pod: string }[] = [];
  for (const s of world.mesh.scrapeTargets()) {
    if (s === world.mesh.ingressStats) continue;
    for (const v of await requestsTotal(s)) out.push({ ...v, pod: s.target.pod });
  }
  return out;
}

export const sum = (xs: readonly { value: number }[]) => xs.reduce((a, x) => a + x.value, 0);
