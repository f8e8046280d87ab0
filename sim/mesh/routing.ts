import type { Rng } from '../clock/index.js';
import type { HttpRoute, MirrorDestination, RouteDestination } from './objects.js';

/** Istio host matching: exact, or a leading `*.` wildcard; `*` matches everything. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return host.endsWith(p.slice(1));
  return p === host;
}

/** Effective weight of each destination: an omitted weight is 100 when alone, else 0. */
export function destinationWeights(route: readonly RouteDestination[]): number[] {
  if (route.length === 1) return [route[0]!.weight ?? 100];
  return route.map((d) => d.weight ?? 0);
}

/**
 * Splits `n` requests over weighted destinations: each request independently picks a destination
 * with probability weight/Σweights, as Envoy's weighted clusters do. Returns counts per destination.
 */
export function splitByWeight(weights: readonly number[], n: number, rng: Rng): number[] {
  return rng.multinomial(n, weights);
}

/** Splits `n` requests uniformly over `k` endpoints. */
export function splitUniform(k: number, n: number, rng: Rng): number[] {
  return rng.multinomial(n, new Array<number>(k).fill(1));
}

/**
 * A route's mirror policies (`mirror` + `mirrorPercentage`, or each of `mirrors`) with the
 * fraction of requests each copies. Istio writes the percentage as Envoy's runtime fraction
 * `value × 10000` per million (so 0.00001 % is nothing); an absent percentage is 100 %.
 */
export function mirrorPolicies(
  r: HttpRoute,
): { host: string; port?: number; subset?: string; fraction: number }[] {
  const out: { host: string; port?: number; subset?: string; fraction: number }[] = [];
  const add = (d: MirrorDestination, value: number | undefined) =>
    out.push({
      host: d.host,
      ...(d.port !== undefined ? { port: d.port } : {}),
      ...(d.subset !== undefined ? { subset: d.subset } : {}),
      fraction: value === undefined ? 1 : Math.floor(value * 10_000) / 1_000_000,
    });
  if (r.mirror) add(r.mirror, r.mirrorPercentage);
  for (const m of r.mirrors ?? []) add(m.destination, m.percentage);
  return out;
}
