import type { AppMetricsSpec, LatencyModel } from '../../app/index.js';
import type { SourcePos } from '../errors.js';
import type { HttpMatchRequest } from '../mesh/objects.js';

/** Which images a model describes: a repository and a tag pattern (`*` matches any run of characters). */
export interface ImagePattern {
  repository: string;
  /** `*` for every tag. */
  tag: string;
  /** As written, for messages. */
  text: string;
}

/** A status an error rule answers with, and its relative weight among the rule's statuses. */
export interface StatusWeight {
  status: number;
  weight: number;
}

/**
 * A share of requests that fail: with probability `share` a matching request is answered with
 * one of `statuses` (by weight). Several rules apply in order, each to what the previous left.
 */
export interface ErrorRule {
  /** In [0, 1], parsed from an exact decimal such as "2%" or "0.125%". */
  share: number;
  statuses: StatusWeight[];
  /** Istio HTTPMatchRequests: the rule applies to requests any of them matches; absent: to all. */
  when?: HttpMatchRequest[];
}

/** Errors and latency that grow once a pod serves more than `rate` requests a second. */
export interface Saturation {
  /** Requests per second one pod serves before it saturates. */
  rate: number;
  /** The share of the requests above `rate` that fail. */
  errorShare: number;
  status: number;
  /** Latency is multiplied by this for every doubling of the rate above `rate` (1: unchanged). */
  latencyFactor: number;
}

/** Extra latency for a new process's first requests (a cold JIT, empty caches). */
export interface ColdStart {
  /** The first this many requests are cold… */
  requests?: number;
  /** …or those within this long after the process started, ms. */
  durationMs?: number;
  /** Added to their latency. */
  extra: LatencyModel;
}

/** How a version behaves while it serves; each field replaces the app's own when given. */
export interface Behaviour {
  errors?: ErrorRule[];
  latency?: LatencyModel;
  coldStart?: ColdStart;
  saturation?: Saturation;
  /** false: the readiness probe fails (the pod leaves its Services' endpoints after failureThreshold probes). */
  ready?: boolean;
  /** true: the liveness probe fails (a container with a livenessProbe is killed and restarted). */
  unhealthy?: boolean;
}

/**
 * A change of behaviour over time: from `atMs` after the scenario start, or `afterStartMs` after
 * each process starts (the bug that shows after five minutes), reached linearly over `rampMs`.
 */
export interface BehaviourChange {
  atMs?: number;
  afterStartMs?: number;
  rampMs: number;
  set: Behaviour;
  pos: SourcePos;
}

/** A process that exits by itself: some time after it starts, or after serving some requests. */
export interface CrashSpec {
  afterMs?: number;
  afterRequests?: number;
  exitCode: number;
}

/** A declared app model: how the images it matches behave, per version. */
export interface AppModel {
  match: ImagePattern;
  behaviour: Behaviour;
  changes: BehaviourChange[];
  /** Time from container start until the app serves (and passes readiness), ms; default: the image's. */
  readyAfterMs?: number;
  /** The readiness probe never passes. */
  neverReady: boolean;
  crash?: CrashSpec;
  /** The image does not exist: pods stay in ErrImagePull / ImagePullBackOff. */
  pullFails: boolean;
  /** The app's own metrics (podinfo-style or the user's names); default: the image's own, if any. */
  metrics?: AppMetricsSpec;
  /** Error shares are dealt deterministically (every k-th request), not drawn: for CI. */
  exact: boolean;
  pos: SourcePos;
}

/**
 * A fault set at run time (a timeline action, `canarysim fault`, the control API): a behaviour
 * that overrides the models of the pods it targets until it is cleared.
 */
export interface Fault {
  /** Images it applies to; absent: every image of the targeted pods. */
  image?: ImagePattern;
  /** A pod by name (in `namespace`); absent: every pod running a matching image. */
  pod?: string;
  namespace?: string;
  set: Behaviour;
  /** Crash the matching running processes now (once; the kubelet restarts them). */
  crashNow?: boolean;
  /**
   * Each matching process crashes this long after it started (at once if it has run longer), or
   * after serving this many requests — a crash loop until the fault is cleared.
   */
  crash?: CrashSpec;
}
