import type { PodTemplate, ReplicaSet } from '../cluster/index.js';
import type { PauseContext } from './pauseContext.js';

/** The status counters and markers whose change counts as progress (`RolloutProgressing`). */
export interface ProgressMarks {
  replicas: number;
  updated: number;
  ready: number;
  available: number;
  step: number | undefined;
  stable: string;
}

/** What one canary sync carries from stage to stage (RolloutController.sync). */
export interface SyncCtx {
  now: number;
  /** The status as the previous sync left it, for progress detection. */
  before: ProgressMarks;
  /** This sync found the rollout past its progress deadline. */
  timedOut?: string;
  template: PodTemplate;
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
  others: ReplicaSet[];
  pause: PauseContext;
  requeueAt: number[];
}
