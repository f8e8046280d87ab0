import type { RolloutAnalysis } from './types.js';

/** What the controller needs to know about an AnalysisRun. */
export interface RunInfo {
  name: string;
  /** "" until the analysis controller first reconciles it, then Running / Successful / Failed / Error / Inconclusive. */
  phase: string;
  message: string;
}

/** The analysis side, as the rollout controller sees it (sim/analysis implements it). */
export interface AnalysisApi {
  /** Creates a background AnalysisRun for the rollout's current revision; an error string when its args do not resolve. */
  createBackgroundRun(req: {
    namespace: string;
    rollout: string;
    podHash: string;
    revision: number;
    analysis: RolloutAnalysis;
  }): { name: string } | { error: string };
  get(namespace: string, name: string): RunInfo | undefined;
  /** Sets `spec.terminate`: in-flight measurements stop, unmeasured metrics count as Successful. */
  terminate(namespace: string, name: string): void;
  /** Names of the runs owned by a rollout. */
  namesOf(namespace: string, rollout: string): string[];
  deleteRunsOf(namespace: string, rollout: string): void;
}

/** A traffic router (Istio VirtualServices) as the controller drives it. */
export interface TrafficRouter {
  /** Writes canary weight `w` (stable 100 − w) to every managed route; returns the routes it changed. */
  setWeight(w: number): { changed: string[]; error?: string };
}

/** Which Argo Rollouts release's user-visible behaviour to reproduce. */
export type ArgoProfile = '1.7' | '1.8' | '1.9';

export const DEFAULT_ARGO_PROFILE: ArgoProfile = '1.9';
