import type { RolloutState, AnalysisRunState } from '../scenario/state.js';
import type { RolloutView } from '../views/RolloutView.js';

/**
 * The control API of `canarysim serve` (JSON over HTTP on the API port, beside the Prometheus
 * API). Paths are under /canarysim/v1. Errors: HTTP 4xx with `{ "error": "<one line>" }`.
 *
 *   GET  /canarysim/v1/status                             → ServerStatus
 *   GET  /canarysim/v1/rollouts                           → { rollouts: { namespace, name }[] }
 *   GET  /canarysim/v1/pods                               → { pods: PodInfo[] }
 *   GET  /canarysim/v1/rollouts/<ns>/<name>               → RolloutDetail
 *   POST /canarysim/v1/apply     { objects: [<Kubernetes object>, …], namespace }  → { lines: string[] }
 *   POST /canarysim/v1/delete    { objects: [<Kubernetes object>, …], namespace }  → { lines: string[] }
 *        the objects as `kustomize build` or a manifest file gives them (the client reads and
 *        builds its files: the server reads none — a `file` or `kustomize` path is refused, 400)
 *   POST /canarysim/v1/rollouts/<ns>/<name>/promote  { full?: boolean }         → { message }
 *   POST /canarysim/v1/rollouts/<ns>/<name>/abort | retry | pause               → { message }
 *   POST /canarysim/v1/rollouts/<ns>/<name>/undo     { toRevision?: number }   → { message }
 *   POST /canarysim/v1/rollouts/<ns>/<name>/restart  { in?: "10s" }            → { message }
 *   POST /canarysim/v1/rollouts/<ns>/<name>/image    { container, image }       → { message }
 *   GET  /canarysim/v1/faults                             → { faults: FaultInfo[] }
 *   POST /canarysim/v1/faults        a fault, as a scenario's `fault:` writes it   → { message }
 *        e.g. { "image": "ghcr.io/vfarcic/silly-demo:1.4.127", "errors": { "share": "50%", "status": 503 } }
 *             { "pod": "silly-demo-6b8f9c7d54-x2x4z", "namespace": "a-team", "crash": "now" }
 *        (parsed by the scenario's parser: the same fields, the same messages; one with the same
 *        target — image pattern, pod, namespace — replaces the earlier one)
 *   POST /canarysim/v1/faults/clear  { image?, pod?, namespace? }, or {} for every fault  → { message }
 *
 * Trainer controls (serve only):
 *   POST /canarysim/v1/clock     { speed?: number, paused?: boolean }          → ServerStatus
 *   POST /canarysim/v1/rollouts/<ns>/<name>/hold  { step: number | null }     → { message }
 *        pauses the rollout (as `pause`) when it reaches `Step: N/M`; null clears the hold
 *   POST /canarysim/v1/reset                              → { message }   (a new world, see serve.ts)
 *   GET  /canarysim/v1/analysisruns/<ns>[/<name>]         → { items: AnalysisRunRow[] }
 *   GET  /canarysim/v1/virtualservices/<ns>[/<name>]      → { items: VirtualServiceRow[] }
 *   GET  /canarysim/v1/live                               → the live view's state (LiveState)
 *   GET  /canarysim/v1/events                             → server-sent events for the browser view
 *   GET  /                                                → the browser view (one HTML page)
 *
 * A pod without a namespace means serve's default namespace, as in kubectl.
 *
 * Every request must come from this machine as a browser would say it: a Host that is not a
 * loopback address (or the address serve was told to bind) or an Origin that is not a loopback
 * page is answered 403 (DNS rebinding, a web page's fetch); a body over 16 MiB 413.
 */
export const CONTROL_PREFIX = '/canarysim/v1';

export interface ServerStatus {
  /** Simulated ms now. */
  now: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** Whether the simulated clock stands still (a trainer paused it); absent where the clock is virtual. */
  paused?: boolean;
  /** Simulated time minus the wall clock, ms (0 while it has run at 1× from the start); absent where the clock is virtual. */
  offsetMs?: number;
  /** Where the ingress gateway listens, e.g. http://127.0.0.1:8080. */
  ingress: string;
  /** Where this API (and the Prometheus API) listens. */
  api: string;
}

/** One pod, as `kubectl get pods -o wide` would list it, with where its real server listens. */
export interface PodInfo {
  namespace: string;
  name: string;
  replicaSet: string;
  /** The simulated pod IP (as in the Istio metrics' instance labels). */
  ip: string;
  status: string;
  ready: boolean;
  /** The pod's app server on loopback, or null while it is not running. */
  url: string | null;
  /** The app container's restarts (a crash, a liveness kill). */
  restarts: number;
  /** The app container's image (its ReplicaSet's template). */
  image: string | null;
}

/**
 * A fault in force, as it was set: its target and the behaviour fields as given (`errors`,
 * `latency`, `coldStart`, `saturation`, `ready`, `unhealthy`, `crash`) — POSTing the same fields
 * back sets it again.
 */
export interface FaultInfo {
  /** The image pattern as written (`repo:tag`, the tag may use `*`). */
  image?: string;
  pod?: string;
  namespace?: string;
  set: Record<string, unknown>;
}

/** Which faults `clearFaults` clears: those with exactly this target (none given: every fault). */
export interface FaultTarget {
  image?: string;
  pod?: string;
  namespace?: string;
}

/** Everything a `get rollout` or the dashboard shows about one rollout, at one instant. */
export interface RolloutDetail {
  now: number;
  /** The simulated clock's pace (live mode; absent where the clock is virtual). */
  clock?: { speed: number; paused?: boolean; offsetMs?: number };
  view: RolloutView;
  state: RolloutState;
  /** The analysis runs with their latest measurements (newest last). */
  runs: (AnalysisRunState & {
    measurements: { metric: string; phase: string; value: string; at: number }[];
  })[];
  /** VirtualService weights as routed now: route name → host → weight. */
  weights: {
    virtualService: string;
    route: string | null;
    destinations: { host: string; weight: number }[];
  }[];
}

/**
 * What `apply` and `delete` send: the objects the client built from its files (kustomize's
 * output, or a manifest file's documents) and the namespace for those that name none.
 */
export interface ApplyRequest {
  objects: Record<string, unknown>[];
  namespace: string;
}

/** The plugin commands the control API takes (`undo` and `restart` patch the spec). */
export type RolloutAction = 'promote' | 'abort' | 'retry' | 'pause' | 'undo' | 'restart';

/** One row of `kubectl get analysisrun`: the CRD's printer columns (Status, Age) and its name. */
export interface AnalysisRunRow {
  name: string;
  namespace: string;
  /** `.status.phase`: Pending, Running, Successful, Failed, Error, Inconclusive ("" before the first reconcile). */
  phase: string;
  /** `.metadata.creationTimestamp`, simulated ms. */
  createdAt: number;
}

/** One row of `kubectl get virtualservice`: Istio's printer columns (Gateways, Hosts, Age). */
export interface VirtualServiceRow {
  name: string;
  namespace: string;
  gateways: string[];
  hosts: string[];
  createdAt: number;
}

/** A change of the simulated clock's pace (either or both). */
export interface ClockChange {
  speed?: number;
  paused?: boolean;
}

/** A client of the control API, as the CLI commands and the TUI use it. */
export interface ControlClient {
  status(): Promise<ServerStatus>;
  rollouts(): Promise<{ namespace: string; name: string }[]>;
  pods(): Promise<PodInfo[]>;
  rollout(namespace: string, name: string): Promise<RolloutDetail>;
  apply(req: ApplyRequest): Promise<string[]>;
  delete(req: ApplyRequest): Promise<string[]>;
  /** A plugin command; resolves to its output line (`rollout 'NAME' promoted`, `... undo`, ...). */
  command(
    namespace: string,
    name: string,
    action: RolloutAction,
    body?: { full?: boolean; toRevision?: number; in?: string },
  ): Promise<string>;
  setImage(namespace: string, name: string, container: string, image: string): Promise<string>;
  /** Sets a fault (a scenario's `fault:` fields); resolves to the server's line. */
  setFault(fault: Record<string, unknown>): Promise<string>;
  /** Clears the faults with this target, or every fault when it names none. */
  clearFaults(target: FaultTarget): Promise<string>;
  faults(): Promise<FaultInfo[]>;
  /** Changes the live clock's speed and/or pauses or resumes it; resolves to the new status. */
  clock(change: ClockChange): Promise<ServerStatus>;
  /** Holds the rollout at `Step: step/M` (pauses it there); null clears the hold. */
  hold(namespace: string, name: string, step: number | null): Promise<string>;
  /** Starts the world again (see serve's reset). */
  reset(): Promise<string>;
  /** `kubectl get analysisrun [NAME]` rows (all in the namespace when no name). */
  analysisRuns(namespace: string, name?: string): Promise<AnalysisRunRow[]>;
  /** `kubectl get virtualservice [NAME]` rows. */
  virtualServices(namespace: string, name?: string): Promise<VirtualServiceRow[]>;
  /** A Prometheus range query against the simulation's embedded Prometheus (for charts). */
  queryRange(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Promise<{ metric: Record<string, string>; values: [number, number][] }[]>;
}
