import type { Gateway } from '../../mesh/index.js';
import type { ManifestNode } from '../ManifestNode.js';

export type GatewaySpec = Pick<Gateway, 'selector' | 'servers'>;

/**
 * networking.istio.io Gateway: accepted and used only to bind VirtualServices to the simulated
 * ingress (its TLS settings are not simulated).
 */
export function parseGateway(spec: ManifestNode): GatewaySpec {
  spec.only(['selector', 'servers']);
  const selector = spec.child('selector').exists ? spec.child('selector').stringMap() : {};
  const servers = spec
    .req('servers')
    .list()
    .map((s) => {
      s.only(['port', 'hosts', 'name'], ['tls', 'bind', 'defaultEndpoint']);
      const port = s.req('port');
      port.only(['number', 'name', 'protocol', 'targetPort']);
      return {
        port: {
          number: port.req('number').int({ min: 1, max: 65535 }),
          name: port.optStr('name'),
          protocol: port.req('protocol').str(),
        },
        hosts: s
          .req('hosts')
          .list()
          .map((h) => h.nonEmptyStr()),
      };
    });
  return { selector, servers };
}
