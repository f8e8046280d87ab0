import type { HttpRoute } from '../../mesh/index.js';
import type { ManifestNode } from '../ManifestNode.js';

export interface VirtualServiceSpec {
  hosts: string[];
  gateways: string[];
  http: HttpRoute[];
  rawSpec: Record<string, unknown>;
}

/** networking.istio.io VirtualService: hosts, gateways, and weighted HTTP routes without match rules. */
export function parseVirtualService(spec: ManifestNode): VirtualServiceSpec {
  spec.only(['hosts', 'gateways', 'http', 'exportTo'], ['tcp', 'tls']);
  const hosts = spec
    .req('hosts')
    .list()
    .map((h) => h.nonEmptyStr());
  const gateways = spec.child('gateways').exists
    ? spec
        .child('gateways')
        .list()
        .map((g) => g.nonEmptyStr())
    : [];
  if (gateways.includes('mesh'))
    throw spec
      .child('gateways')
      .error('not supported by canarysim: the "mesh" gateway (only ingress traffic is simulated)');
  const http = spec.child('http').exists
    ? spec
        .child('http')
        .list()
        .map((r): HttpRoute => {
          r.only(
            ['name', 'route'],
            [
              'match',
              'rewrite',
              'redirect',
              'retries',
              'timeout',
              'fault',
              'mirror',
              'mirrorPercentage',
              'mirror_percent',
              'headers',
              'corsPolicy',
              'delegate',
              'directResponse',
            ],
          );
          const route = r
            .req('route')
            .list()
            .map((d) => {
              d.only(['destination', 'weight'], ['headers']);
              const dest = d.req('destination');
              dest.only(['host', 'port'], ['subset']);
              const port = dest.child('port');
              let portNumber: number | undefined;
              if (port.exists) {
                port.only(['number']);
                portNumber = port.req('number').int({ min: 1, max: 65535 });
              }
              const weight = d.optInt('weight', { min: 0, max: 100 });
              return { destination: { host: dest.req('host').nonEmptyStr(), port: portNumber }, weight };
            });
          if (route.length === 0) throw r.child('route').error('expected at least one destination');
          return { name: r.optStr('name'), route };
        })
    : [];
  return { hosts, gateways, http, rawSpec: structuredClone(spec.map()) };
}
