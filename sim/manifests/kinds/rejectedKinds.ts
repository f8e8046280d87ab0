import type { RejectedKind } from './KindEntry.js';

const ONLY_ISTIO =
  'only Istio traffic routing (VirtualService, DestinationRule) and a plain Ingress are simulated';

/**
 * Kinds a cluster accepts that would change what a rehearsal shows, refused by name with the
 * reason, so a team sees what its manifests need that canarysim cannot play.
 */
export const REJECTED_KINDS: readonly RejectedKind[] = [
  { kind: 'Experiment', groups: ['argoproj.io'], why: 'Experiments are not simulated' },
  {
    kind: 'AnalysisRun',
    groups: ['argoproj.io'],
    why: "an AnalysisRun applied directly is not simulated (canarysim creates AnalysisRuns from a Rollout's analysis)",
  },
  ...['Mapping', 'KubernetesEndpointResolver', 'Host', 'Listener'].map((kind) => ({
    kind,
    groups: ['getambassador.io'],
    why: `Ambassador's ${kind} is not simulated: ${ONLY_ISTIO}`,
  })),
  {
    kind: 'ApisixRoute',
    groups: ['apisix.apache.org'],
    why: `APISIX routes are not simulated: ${ONLY_ISTIO}`,
  },
  {
    kind: 'TrafficSplit',
    groups: ['split.smi-spec.io'],
    why: `SMI TrafficSplits are not simulated: ${ONLY_ISTIO}`,
  },
  ...['Mesh', 'VirtualNode', 'VirtualRouter', 'VirtualService', 'VirtualGateway', 'GatewayRoute'].map(
    (kind) => ({
      kind,
      groups: ['appmesh.k8s.aws'],
      why: `AWS App Mesh's ${kind} is not simulated: ${ONLY_ISTIO}`,
    }),
  ),
  {
    kind: 'TargetGroupBinding',
    groups: ['elbv2.k8s.aws'],
    why: `AWS Load Balancer Controller bindings are not simulated: ${ONLY_ISTIO}`,
  },
  ...['TraefikService', 'IngressRoute', 'Middleware'].map((kind) => ({
    kind,
    groups: ['traefik.io', 'traefik.containo.us'],
    why: `Traefik's ${kind} is not simulated: ${ONLY_ISTIO}`,
  })),
  ...['Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'].map(
    (kind) => ({
      kind,
      groups: ['gateway.networking.k8s.io'],
      why: `the Gateway API's ${kind} is not simulated: ${ONLY_ISTIO}`,
    }),
  ),
  {
    kind: 'NetworkPolicy',
    groups: ['networking.k8s.io'],
    why: 'NetworkPolicies are not simulated: every simulated pod accepts every request, so a policy that blocks traffic would go unnoticed',
  },
  { kind: 'Job', groups: ['batch'], why: 'Jobs are not simulated (only the pods of Rollouts run)' },
  { kind: 'CronJob', groups: ['batch'], why: 'CronJobs are not simulated (only the pods of Rollouts run)' },
  ...['StatefulSet', 'DaemonSet', 'ReplicaSet'].map((kind) => ({
    kind,
    groups: ['apps'],
    why: `${kind}s are not simulated (only the pods of Rollouts run; a Deployment only as a workloadRef with replicas: 0)`,
  })),
  { kind: 'Pod', groups: [''], why: 'bare Pods are not simulated (only the pods of Rollouts run)' },
];
