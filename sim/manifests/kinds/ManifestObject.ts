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
};
