import type { Pod } from '../cluster/index.js';

/** The cluster name Istio reports (`source_cluster` / `destination_cluster`). */
export const CLUSTER_NAME = 'Kubernetes';

/** A workload as Istio's telemetry names it: one side of a request. */
export interface WorkloadIdentity {
  workload: string;
  namespace: string;
  principal: string;
  app: string;
  version: string;
  canonicalService: string;
  canonicalRevision: string;
  cluster: string;
}

/** The side of a request Istio knows nothing about (`unknown` everywhere). */
export const UNKNOWN_IDENTITY: WorkloadIdentity = {
  workload: 'unknown',
  namespace: 'unknown',
  principal: 'unknown',
  app: 'unknown',
  version: 'unknown',
  canonicalService: 'unknown',
  canonicalRevision: 'unknown',
  cluster: 'unknown',
};

/**
 * Istio's canonical service and revision of a workload from its pod labels, as the injector
 * stamps them at pod creation (injection-template.yaml, pkg/kube/labels): name from
 * `service.istio.io/canonical-name`, `app.kubernetes.io/name`, `app`, else the workload;
 * revision from `service.istio.io/canonical-revision`, `app.kubernetes.io/version`, `version`,
 * else `latest`.
 */
export function canonical(
  labels: Readonly<Record<string, string>>,
  workload: string,
): { service: string; revision: string } {
  return {
    service:
      labels['service.istio.io/canonical-name'] ??
      labels['app.kubernetes.io/name'] ??
      labels['app'] ??
      workload,
    revision:
      labels['service.istio.io/canonical-revision'] ??
      labels['app.kubernetes.io/version'] ??
      labels['version'] ??
      'latest',
  };
}

/**
 * A pod's identity as its istio-proxy reports it — from the labels the pod was created with,
 * which pilot-agent reads once at start (labels Argo changes in place later, such as
 * canaryMetadata swapped for stableMetadata at promotion, route traffic but are not reported).
 * The workload is the Rollout: Istio strips the `rollouts-pod-template-hash` suffix from the
 * ReplicaSet's name (pkg/kube/util.go, "Heuristic for ArgoCD Rollout").
 */
export function podIdentity(pod: Pod): WorkloadIdentity {
  const labels = pod.createdLabels;
  const ns = pod.meta.namespace;
  const workload = pod.rs.replace(/-[a-z0-9]+$/, '');
  const c = canonical(labels, workload);
  return {
    workload,
    namespace: ns,
    principal: `spiffe://cluster.local/ns/${ns}/sa/default`,
    app: labels['app'] ?? 'unknown',
    version: labels['version'] ?? 'unknown',
    canonicalService: c.service,
    canonicalRevision: c.revision,
    cluster: CLUSTER_NAME,
  };
}

/** The ingress gateway's identity (the Helm `gateway` chart release). */
export function gatewayIdentity(workload: string, namespace: string): WorkloadIdentity {
  return {
    workload,
    namespace,
    principal: `spiffe://cluster.local/ns/${namespace}/sa/${workload}`,
    app: workload,
    version: 'unknown',
    canonicalService: workload,
    canonicalRevision: 'latest',
    cluster: CLUSTER_NAME,
  };
}

/** A client workload inside the mesh (east-west traffic's source), from what the scenario says of it. */
export function clientIdentity(s: {
  namespace: string;
  workload: string;
  app?: string;
  version?: string;
}): WorkloadIdentity {
  const app = s.app ?? s.workload;
  return {
    workload: s.workload,
    namespace: s.namespace,
    principal: `spiffe://cluster.local/ns/${s.namespace}/sa/default`,
    app,
    version: s.version ?? 'unknown',
    canonicalService: app,
    canonicalRevision: s.version ?? 'latest',
    cluster: CLUSTER_NAME,
  };
}
