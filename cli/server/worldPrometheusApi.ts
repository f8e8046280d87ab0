import type { AnyWorld } from '../../sim/world.js';
import { DEFAULT_QUERY_TIMEOUT_MS } from './cooperativeQuery.js';
import { renderExposition } from './exposition.js';
import type { PrometheusApiDeps } from './prometheusApi.js';

/**
 * What the Prometheus API serves of a simulation: its TSDB, engine and clock, and every proxy's
 * metrics. Queries share the process (the simulation, the ingress, the control API go on while
 * one runs) and are abandoned after Prometheus's default `--query.timeout` of 2 minutes.
 */
export function worldPrometheusApi(world: AnyWorld): PrometheusApiDeps {
  return {
    storage: world.storage,
    engine: world.engine,
    now: () => world.now(),
    exposition: () => renderExposition(world.scrapeTargets()),
    cooperation: { timeoutMs: DEFAULT_QUERY_TIMEOUT_MS, wallClock: () => Date.now() },
  };
}
