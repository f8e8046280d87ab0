import type { AnyWorld } from '../../sim/world.js';
import { renderExposition } from './exposition.js';
import type { PrometheusApiDeps } from './prometheusApi.js';

/** What the Prometheus API serves of a simulation: its TSDB, engine and clock, and every proxy's metrics. */
export function worldPrometheusApi(world: AnyWorld): PrometheusApiDeps {
  return {
    storage: world.storage,
    engine: world.engine,
    now: () => world.now(),
    exposition: () => renderExposition(world.scrapeTargets()),
  };
}
