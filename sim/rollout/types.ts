import type { ObjectMeta, PodTemplate } from '../cluster/index.js';

/** An int or a percentage string such as "25%", as maxSurge / maxUnavailable accept. */
export type IntOrPercent = number | string;

/** `setHeaderRoute` match: a header equal to / matching / prefixed with a value. */
export interface HeaderRouteMatch {
  headerName: string;
  headerValue: { exact?: string; regex?: string; prefix?: string };
}

/** A string match as Istio's StringMatch (one of exact, regex, prefix). */
export interface StringMatch {
  exact?: string;
  regex?: string;
  prefix?: string;
}

/** `setMirrorRoute` match: all of method, path and headers that are given must match. */
export interface MirrorRouteMatch {
  method?: StringMatch;
  path?: StringMatch;
  headers?: Record<string, StringMatch>;
}

export type CanaryStep =
  | { kind: 'setWeight'; setWeight: number }
  | {
      kind: 'pause';
      /** undefined = indefinite */ durationSeconds?: number;
      /** the value as written, for step strings */ raw?: number | string;
    }
  | { kind: 'analysis'; analysis: RolloutAnalysis }
  | {
      kind: 'setCanaryScale';
      /** exactly one of the three */
      replicas?: number;
      weight?: number;
      matchTrafficWeight?: boolean;
    }
  | {
      kind: 'setHeaderRoute';
      name: string;
      /** undefined or empty: remove the route */
      match?: HeaderRouteMatch[];
    }
  | {
      kind: 'setMirrorRoute';
      name: string;
      /** 0–100, default 100 */
      percentage: number;
      /** undefined: remove the route */
      match?: MirrorRouteMatch[];
    };

export interface AnalysisTemplateRef {
  templateName: string;
  clusterScope: boolean;
}

/** A Rollout-side analysis arg: a value, or one taken from the rollout at run creation. */
export interface AnalysisArg {
  name: string;
  value?: string;
  valueFrom?: { podTemplateHashValue: 'Stable' | 'Latest' } | { fieldRef: { fieldPath: string } };
}

/** `dryRun[]` / `measurementRetention[]` rules: metricName is an unanchored Go regexp. */
export interface DryRunRule {
  metricName: string;
}

export interface RetentionRule {
  metricName: string;
  limit: number;
}

/** A background analysis (`strategy.canary.analysis`) or an inline `analysis` step. */
export interface RolloutAnalysis {
  templates: AnalysisTemplateRef[];
  args: AnalysisArg[];
  /** 0-based step index at which a background run starts; default 0 (unused for steps). */
  startingStep: number;
  dryRun: DryRunRule[];
  measurementRetention: RetentionRule[];
}

export interface IstioVirtualServiceRef {
  /** `name` or `name.namespace`. */
  name: string;
  routes: string[];
}

/** `canaryMetadata` / `stableMetadata` (and blue-green's preview/active): put on the pods while they have that role. */
export interface PodMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** `trafficRouting.istio.destinationRule`: subset-level splitting (spec/argo-rollouts.md Appendix C). */
export interface IstioDestinationRuleRef {
  /** The rule's name, looked up as written in the Rollout's namespace. */
  name: string;
  canarySubsetName: string;
  stableSubsetName: string;
  additionalSubsetNames: string[];
}

export interface CanaryStrategy {
  canaryService?: string;
  stableService?: string;
  canaryMetadata?: PodMetadata;
  stableMetadata?: PodMetadata;
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  steps: CanaryStep[];
  trafficRouting?: {
    istio: { virtualServices: IstioVirtualServiceRef[]; destinationRule?: IstioDestinationRuleRef };
    maxTrafficWeight: number;
    /** `managedRoutes[].name`, in order: the routes setHeaderRoute / setMirrorRoute may create. */
    managedRoutes: string[];
  };
  analysis?: RolloutAnalysis;
  scaleDownDelaySeconds: number;
  abortScaleDownDelaySeconds: number;
  /** Traffic routing only: the stable shrinks as traffic leaves it. */
  dynamicStableScale: boolean;
  /** Traffic routing only: non-zero canary/stable counts are raised to at least this. */
  minPodsPerReplicaSet?: number;
  /** A step may advance once this many canary pods are available (default: all). */
  replicaProgressThreshold?: { type: 'Percent' | 'Pods'; value: number };
}

/** `strategy.blueGreen` (spec/argo-rollouts.md §1.5). */
export interface BlueGreenStrategy {
  activeService: string;
  previewService?: string;
  /** undefined: the full replica count. */
  previewReplicaCount?: number;
  autoPromotionEnabled: boolean;
  autoPromotionSeconds: number;
  prePromotionAnalysis?: RolloutAnalysis;
  postPromotionAnalysis?: RolloutAnalysis;
  scaleDownDelaySeconds: number;
  abortScaleDownDelaySeconds: number;
  maxUnavailable: IntOrPercent;
  previewMetadata?: PodMetadata;
  activeMetadata?: PodMetadata;
}

export interface RolloutSpec {
  replicas: number;
  /**
   * `selector.matchLabels`. With a workloadRef Argo lets it be omitted (`selectorFromWorkload`):
   * the referenced Deployment's selector is used instead, filled in when the Rollout is applied.
   */
  selector: Record<string, string>;
  selectorFromWorkload?: boolean;
  /** Inline template, or undefined when workloadRef supplies it. */
  template?: PodTemplate;
  workloadRef?: {
    apiVersion: string;
    kind: 'Deployment';
    name: string;
    scaleDown: 'never' | 'onsuccess' | 'progressively';
  };
  minReadySeconds: number;
  revisionHistoryLimit: number;
  paused: boolean;
  /** Default 600. */
  progressDeadlineSeconds: number;
  /** A progress-deadline timeout also aborts the update. */
  progressDeadlineAbort: boolean;
  /** `restart` sets it: pods created before it are replaced. Simulated ms. */
  restartAt?: number;
  /** Exactly one strategy is set. */
  strategy: { canary?: CanaryStrategy; blueGreen?: BlueGreenStrategy };
}

export type PauseReason = 'CanaryPauseStep' | 'InconclusiveAnalysisRun' | 'BlueGreenPause';

export interface PauseCondition {
  reason: PauseReason;
  startTime: number;
}

export interface WeightDestination {
  weight: number;
  podTemplateHash: string;
  serviceName: string;
}

export interface RunStatusRef {
  name: string;
  status: string;
  message: string;
}

export interface RolloutCondition {
  type: 'Progressing' | 'Available' | 'Healthy' | 'Completed' | 'InvalidSpec' | 'Paused';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: number;
}

export interface RolloutStatus {
  currentPodHash: string;
  stableRS: string;
  currentStepIndex?: number;
  currentStepHash: string;
  pauseConditions: PauseCondition[];
  controllerPause: boolean;
  abort: boolean;
  abortedAt?: number;
  promoteFull: boolean;
  canary: {
    weights?: { canary: WeightDestination; stable: WeightDestination };
    currentBackgroundAnalysisRunStatus?: RunStatusRef;
    currentStepAnalysisRunStatus?: RunStatusRef;
  };
  blueGreen: {
    activeSelector?: string;
    previewSelector?: string;
    scaleUpPreviewCheckPoint?: boolean;
    prePromotionAnalysisRunStatus?: RunStatusRef;
    postPromotionAnalysisRunStatus?: RunStatusRef;
  };
  /** When the rollout last made progress (for progressDeadlineSeconds), simulated ms. */
  lastProgressAt?: number;
  /** Pods started before this were replaced by `restart` (simulated ms). */
  restartedAt?: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  phase: 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';
  message: string;
  conditions: RolloutCondition[];
  observedGeneration: number;
  collisionCount: number;
}

export interface Rollout {
  meta: ObjectMeta;
  spec: RolloutSpec;
  status: RolloutStatus;
}

export function emptyRolloutStatus(): RolloutStatus {
  return {
    currentPodHash: '',
    stableRS: '',
    currentStepHash: '',
    pauseConditions: [],
    controllerPause: false,
    abort: false,
    promoteFull: false,
    canary: {},
    blueGreen: {},
    replicas: 0,
    updatedReplicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    phase: 'Progressing',
    message: '',
    conditions: [],
    observedGeneration: 0,
    collisionCount: 0,
  };
}
