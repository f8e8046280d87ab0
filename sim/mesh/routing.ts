import type { Rng } from '../clock/index.js';
import type { RouteDestination } from './objects.js';

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
