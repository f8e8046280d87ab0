import { fromPercentiles, type LatencyModel } from '../latency.js';
import type { AppImage, ContainerConfig } from '../types.js';

/** The generic service's latency: a modest web handler, 5 ms median, 25 ms at the 99th percentile. */
export const GENERIC_LATENCY: LatencyModel = fromPercentiles(5, 25);

/**
 * Any image canarysim has no model of: a healthy HTTP service that answers 200 on every path and
 * method, after a modest latency, ready a second after its container starts. A scenario's app
 * models (and faults) give it errors, latency, start-up and crashes of its own.
 */
export function genericApp(c: ContainerConfig): AppImage {
  const body = 'OK\n';
  return {
    kind: 'generic',
    image: c.image,
    description: 'a generic HTTP service (200 on every path, 5 ms median, 25 ms p99)',
    port: c.ports[0] ?? 8080,
    startupMs: 1000,
    statelessRespond: true,
    latency: GENERIC_LATENCY,
    probe: () => true,
    respond: () => [{ weight: 1, status: 200, body, contentType: 'text/plain; charset=utf-8', route: 'any' }],
  };
}
