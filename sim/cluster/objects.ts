import type { AppProcess, ResolvedContainer } from '../apps/index.js';

/** Label key Argo Rollouts adds to the ReplicaSets, pods and Service selectors it manages. */
export const ROLLOUTS_POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';
/** Annotation carrying a ReplicaSet's revision number. */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
/** Annotation carrying the RFC 3339 time after which an old ReplicaSet is scaled down. */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  /** Simulated ms since the epoch. */
  creationTimestamp: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generation: number;
}

export interface Probe {
  /** httpGet (absent: http), tcpSocket, exec or grpc. */
  kind?: 'http' | 'tcp' | 'exec' | 'grpc';
  path: string;
  port: number | string;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold: number;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
}

export interface Container {
  name: string;
  image: string;
  env: Record<string, string>;
  /** `command` as written (the image's entrypoint when absent). */
  command: string[];
  /** `args` as written (the image's default arguments when absent). */
  args: string[];
  ports: ContainerPort[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

/** A pod template: what the pod-template hash is computed over (`raw`) and what the simulator reads. */
export interface PodTemplate {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  containers: Container[];
  minReadySeconds?: number;
  /** The template as written (after kustomize), canonicalised for hashing. */
  raw: unknown;
}

export interface Deployment {
  meta: ObjectMeta;
  replicas: number;
  selector: Record<string, string>;
  template: PodTemplate;
}

export interface ReplicaSet {
  meta: ObjectMeta;
  /** Name of the Rollout that owns it. */
  owner: string;
  podTemplateHash: string;
  template: PodTemplate;
  minReadySeconds: number;
  /** spec.replicas */
  replicas: number;
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
}

/** A ReplicaSet's revision number (its `rollout.argoproj.io/revision` annotation; 0 when unset). */
export const revisionOf = (rs: ReplicaSet): number => Number(rs.meta.annotations[REVISION_ANNOTATION] ?? '0');

/**
 * The plugin's pod status strings we produce (info/pod_info.go: a waiting reason, else a
 * terminated reason, else the phase; Terminating while deleted).
 */
export type PodStatus =
  | 'ContainerCreating'
  | 'Running'
  | 'ImagePullBackOff'
  | 'ErrImagePull'
  | 'Terminating'
  | 'Error'
  | 'Completed'
  | 'CrashLoopBackOff';

export interface Pod {
  meta: ObjectMeta;
  rs: string;
  ip: string;
  status: PodStatus;
  /** Containers in the pod: the template's plus the istio-proxy sidecar when injected. */
  containerCount: number;
  readyContainers: number;
  /** Simulated ms when the pod became Ready (all containers ready), or undefined. */
  readyAt?: number;
  /** What the app container (the template's first) runs; `app` undefined when its image does not exist. */
  resolved: ResolvedContainer;
  /** The app container's current process, from its start until it exits (undefined before and between runs). */
  process?: AppProcess;
  /** The app container's restarts (the plugin's `restarts:N`). */
  restarts: number;
  /**
   * The labels the pod was created with: what its istio-proxy reports for the rest of its life
   * (pilot-agent reads them once at start), while routing follows `meta.labels` as they change.
   */
  createdLabels: Readonly<Record<string, string>>;
  env: Record<string, string>;
  sidecar: boolean;
  terminating: boolean;
  /** Live mode: where the pod's app really listens (set by the runtime when its containers start). */
  endpoint?: { host: string; port: number };
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort: number | string;
  protocol: string;
}

export interface Service {
  meta: ObjectMeta;
  /** Selector as the manifest wrote it. */
  selector: Record<string, string>;
  /** Extra selector terms set by a controller (Argo's `rollouts-pod-template-hash`). */
  managedSelector: Record<string, string>;
  ports: ServicePort[];
}

/** Ready, non-terminating pods count for Service endpoints and as "available" after minReadySeconds. */
export function isPodReady(p: Pod): boolean {
  return p.readyAt !== undefined && !p.terminating;
}

export function selectorMatches(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/** The full selector of a Service: the manifest's plus the controller-managed terms. */
export function effectiveSelector(s: Service): Record<string, string> {
  return { ...s.selector, ...s.managedSelector };
}
