/**
 * What `kubectl argo rollouts get rollout` shows, as plain data: the view model that
 * sim state is projected into and that renderers (text, TUI) read. Times are simulated
 * milliseconds since the epoch; ages are computed against a `now` given to the renderer.
 */
export interface RolloutView {
  name: string;
  namespace: string;
  /** Healthy | Progressing | Paused | Degraded (plus Error/Unknown for the plugin's icon table). */
  status: string;
  /** Empty when Healthy: the Message line is then omitted. */
  message: string;
  strategy: 'Canary' | 'BlueGreen';
  /** `currentStepIndex/len(steps)`, e.g. "1/8"; empty when there are no steps (and for blue-green). */
  step: string;
  setWeight: string;
  actualWeight: string;
  /** One entry per distinct image of the ReplicaSets that have pods; tags like stable, canary. */
  images: ImageView[];
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
  createdAt: number;
  /** Newest revision first. */
  revisions: RevisionView[];
}

export interface ImageView {
  image: string;
  tags: string[];
}

export interface RevisionView {
  revision: number;
  replicaSets: ReplicaSetView[];
  analysisRuns: AnalysisRunView[];
}

export interface ReplicaSetView {
  name: string;
  /** Healthy | Progressing | ScaledDown | ReplicaFailure */
  status: string;
  createdAt: number;
  stable: boolean;
  canary: boolean;
  /** Blue-green: the active Service selects it (status.blueGreen.activeSelector). */
  active?: boolean;
  /** Blue-green: the preview Service selects it and the active one does not. */
  preview?: boolean;
  /** Simulated ms of the `scale-down-deadline` annotation, when the RS carries one. */
  scaleDownDeadline?: number;
  /** Oldest first, as the plugin lists them. */
  pods: PodView[];
}

export interface PodView {
  name: string;
  /** Running | ContainerCreating | Pending | Terminating | ... (the plugin's pod status string) */
  status: string;
  createdAt: number;
  /** `<ready containers>/<containers>`, e.g. "2/2". */
  ready: string;
  restarts: number;
}

export interface AnalysisRunView {
  name: string;
  /** Successful | Failed | Error | Inconclusive | Running | Pending, or "" before the first sync. */
  status: string;
  createdAt: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
}
