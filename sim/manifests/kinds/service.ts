import type { ServicePort } from '../../cluster/index.js';
import type { ManifestNode } from '../ManifestNode.js';

export interface ServiceSpec {
  selector: Record<string, string>;
  ports: ServicePort[];
}

/** v1 Service of type ClusterIP: a selector and ports. */
export function parseService(spec: ManifestNode): ServiceSpec {
  spec.only(
    [
      'selector',
      'ports',
      'type',
      'clusterIP',
      'clusterIPs',
      'sessionAffinity',
      'ipFamilies',
      'ipFamilyPolicy',
      'internalTrafficPolicy',
    ],
    ['externalName', 'externalTrafficPolicy', 'loadBalancerIP', 'externalIPs'],
  );
  const type = spec.optStr('type') ?? 'ClusterIP';
  if (type !== 'ClusterIP')
    throw spec
      .child('type')
      .error(`not supported by canarysim: Service type ${JSON.stringify(type)} (expected ClusterIP)`);
  const aff = spec.optStr('sessionAffinity');
  if (aff !== undefined && aff !== 'None')
    throw spec
      .child('sessionAffinity')
      .error(`not supported by canarysim: sessionAffinity ${JSON.stringify(aff)}`);
  const selector = spec.child('selector').exists ? spec.child('selector').stringMap() : {};
  const ports = spec
    .req('ports')
    .list()
    .map((p): ServicePort => {
      p.only(['name', 'port', 'targetPort', 'protocol', 'appProtocol'], ['nodePort']);
      const port = p.req('port').int({ min: 1, max: 65535 });
      const t = p.child('targetPort');
      const protocol = p.optStr('protocol') ?? 'TCP';
      if (protocol !== 'TCP')
        throw p
          .child('protocol')
          .error(`not supported by canarysim: protocol ${JSON.stringify(protocol)} (expected TCP)`);
      return {
        name: p.optStr('name'),
        port,
        targetPort: t.exists
          ? typeof t.value === 'number'
            ? t.int({ min: 1, max: 65535 })
            : t.nonEmptyStr()
          : port,
        protocol,
      };
    });
  return { selector, ports };
}
