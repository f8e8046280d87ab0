import type { ManifestNode } from '../ManifestNode.js';

/** A validated manifest: its identity, its typed spec, and the node it came from (for positions). */
export interface ManifestObject<K extends string = string, S = unknown> {
  kind: K;
  apiVersion: string;
  name: string;
  /** As written; kustomize or `kubectl -n` fill it in for namespaced kinds. */
  namespace?: string;
  namespaced: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: S;
  /** The whole document as written, after kustomize transforms (compared on re-apply). */
  raw: Record<string, unknown>;
  node: ManifestNode;
  /**
   * A kind a cluster accepts and a rehearsal cannot observe (Secret, ConfigMap, RBAC, HPA…):
   * applied and printed as kubectl does, otherwise ignored by the world.
   */
  inert?: true;
  /**
   * Only from lint's collecting mode: the object had problems (reported as findings), and what
   * could not be read was left out or defaulted. Never simulated; lint resolves references to it
   * but does not judge its contents further.
   */
  partial?: true;
}

/** kubectl's resource name for a kind, as printed by `apply`: `deployment.apps`, `rollout.argoproj.io`. */
export const KUBECTL_RESOURCE: Readonly<Record<string, string>> = {
  Namespace: 'namespace',
  Deployment: 'deployment.apps',
  Service: 'service',
  Rollout: 'rollout.argoproj.io',
  AnalysisTemplate: 'analysistemplate.argoproj.io',
  ClusterAnalysisTemplate: 'clusteranalysistemplate.argoproj.io',
  VirtualService: 'virtualservice.networking.istio.io',
  Gateway: 'gateway.networking.istio.io',
  DestinationRule: 'destinationrule.networking.istio.io',
  Ingress: 'ingress.networking.k8s.io',
  Secret: 'secret',
  ConfigMap: 'configmap',
  ServiceAccount: 'serviceaccount',
  Role: 'role.rbac.authorization.k8s.io',
  RoleBinding: 'rolebinding.rbac.authorization.k8s.io',
  ClusterRole: 'clusterrole.rbac.authorization.k8s.io',
  ClusterRoleBinding: 'clusterrolebinding.rbac.authorization.k8s.io',
  HorizontalPodAutoscaler: 'horizontalpodautoscaler.autoscaling',
  PodDisruptionBudget: 'poddisruptionbudget.policy',
  LimitRange: 'limitrange',
  ResourceQuota: 'resourcequota',
  PodMonitor: 'podmonitor.monitoring.coreos.com',
  ServiceMonitor: 'servicemonitor.monitoring.coreos.com',
  PrometheusRule: 'prometheusrule.monitoring.coreos.com',
};
