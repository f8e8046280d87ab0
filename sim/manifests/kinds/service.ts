import type { ServicePort } from '../../cluster/index.js';
import type { ManifestNode } from '../ManifestNode.js';

export interface ServiceSpec {
  selector: Record<string, string>;
  ports: ServicePort[];
}

/**
 * Fields that only matter to traffic from outside the cluster through a node or a cloud load
 * balancer. Simulated requests enter at the gateway or an Ingress and reach the Service inside the
 * cluster, so these change nothing a rehearsal observes.
 */
const EXTERNAL_ONLY = [
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'loadBalancerClass',
  'allocateLoadBalancerNodePorts',
  'externalTrafficPolicy',
  'healthCheckNodePort',
  'externalIPs',
];

/** Fields with no effect on which ready pod serves a request in the simulation. */
const INERT = [
  'type',
  'clusterIP',
  'clusterIPs',
  'ipFamilies',
  'ipFamilyPolicy',
  'internalTrafficPolicy',
  'sessionAffinity',
  'sessionAffinityConfig',
  'trafficDistribution',
  ...EXTERNAL_ONLY,
];

/** NodePort and LoadBalancer Services route inside the cluster exactly like ClusterIP ones. */
const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'];

function port(p: ManifestNode): ServicePort {
  // nodePort: the node-level port of a NodePort / LoadBalancer Service, outside the simulated path.
  p.only(['name', 'port', 'targetPort', 'protocol', 'appProtocol', 'nodePort']);
  const number = p.req('port').int({ min: 1, max: 65535 });
  if (p.child('nodePort').exists) p.guard(() => p.child('nodePort').int({ min: 1, max: 65535 }), 0);
  const t = p.child('targetPort');
  const protocol = p.optStr('protocol') ?? 'TCP';
  if (protocol !== 'TCP')
    throw p.child('protocol').notSimulated(`protocol ${JSON.stringify(protocol)} (only TCP is simulated)`);
  return {
    name: p.optStr('name'),
    port: number,
    targetPort: t.exists
      ? typeof t.value === 'number'
        ? t.int({ min: 1, max: 65535 })
        : t.nonEmptyStr()
      : number,
    protocol,
  };
}

/**
 * v1 Service: a selector and ports, routed like ClusterIP whatever its type. ExternalName,
 * `sessionAffinity: ClientIP` (one client IP — a load generator — would stick to one pod) and
 * `publishNotReadyAddresses` (unready pods would get traffic) are refused.
 */
export function parseService(spec: ManifestNode): ServiceSpec {
  spec.only(['selector', 'ports', ...INERT], ['externalName', 'publishNotReadyAddresses']);
  const type = spec.child('type').exists
    ? spec.guard(() => spec.child('type').str(), 'ClusterIP')
    : 'ClusterIP';
  if (!TYPES.includes(type))
    spec.report(
      type === 'ExternalName'
        ? spec
            .child('type')
            .notSimulated('Service type "ExternalName" (a DNS alias to outside the simulation)')
        : spec
            .child('type')
            .error(
              `Unsupported value: ${JSON.stringify(type)}: supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
            ),
    );
  const aff = spec.child('sessionAffinity').exists
    ? spec.guard(() => spec.child('sessionAffinity').str(), 'None')
    : 'None';
  if (aff === 'ClientIP')
    spec.report(
      spec
        .child('sessionAffinity')
        .notSimulated(
          'sessionAffinity "ClientIP": every request from one client IP would go to one pod, and a load generator is one client',
        ),
    );
  else if (aff !== 'None')
    spec.report(
      spec
        .child('sessionAffinity')
        .error(`Unsupported value: ${JSON.stringify(aff)}: supported values: "ClientIP", "None"`),
    );
  const selector = spec.child('selector').exists
    ? spec.guard(() => spec.child('selector').stringMap(), {})
    : {};
  const ports = spec
    .req('ports')
    .list()
    .flatMap((p) => p.guard(() => [port(p)], []));
  return { selector, ports };
}
