import type { ObjectMeta, PodTemplate } from '../cluster/index.js';

/** An int or a percentage string such as "25%", as maxSurge / maxUnavailable accept. */
export type IntOrPercent = number | string;

export type CanaryStep =
  | { kind: 'setWeight'; setWeight: number }
  | {
      kind: 'pause';
      /** undefined = indefinite */ durationSeconds?: number;
      /** the value as written, for step strings */ raw?: number | string;
    };

export interface AnalysisTemplateRef {
  templateName: string;
  clusterScope: boolean;
}

export interface AnalysisArg {
  name: string;
  value?: string;
}

export interface RolloutAnalysis {
  templates: AnalysisTemplateRef[];
  args: AnalysisArg[];
  /** 0-based step index at which a background run starts; default 0. */
  startingStep: number;
}

export interface IstioVirtualServiceRef {
  /** `name` or `name.namespace`. */
  name: string;
  routes: string[];
}

export interface CanaryStrategy {
  canaryService?: string;
  stableService?: string;
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  steps: CanaryStep[];
  trafficRouting?: { istio: { virtualServices: IstioVirtualServiceRef[] }; maxTrafficWeight: number };
  analysis?: RolloutAnalysis;
  scaleDownDelaySeconds: number;
  abortScaleDownDelaySeconds: number;
}

export interface RolloutSpec {
  replicas: number;
  selector: Record<string, string>;
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
  progressDeadlineSeconds: number;
  strategy: { canary: CanaryStrategy };
}

export type PauseReason = 'CanaryPauseStep' | 'InconclusiveAnalysisRun';

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
  };
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
