import type { HeaderRouteMatch, MirrorRouteMatch, RolloutAnalysis } from './types.js';

/** What the controller needs to know about an AnalysisRun. */
export interface RunInfo {
  name: string;
  /** "" until the analysis controller first reconciles it, then Running / Successful / Failed / Error / Inconclusive. */
  phase: string;
  message: string;
}

/** Which rollout feature created a run (Argo's `rollout-type` label). */
export type RunKind = 'Background' | 'Step' | 'PrePromotion' | 'PostPromotion';

/** What the rollout controller asks of the analysis side when it creates a run. */
export interface CreateRunRequest {
  kind: RunKind;
  namespace: string;
  rollout: string;
  /** The rollout's current (latest) revision's pod-template hash. */
  podHash: string;
  /** The stable ReplicaSet's hash ("" when none): `valueFrom.podTemplateHashValue: Stable`. */
  stablePodHash: string;
  revision: number;
  /** Step runs: the step index (name infix `-<i>` and label `step-index`). */
  stepIndex?: number;
  analysis: RolloutAnalysis;
  /** The Rollout as JSON (`{metadata, spec, status}`), for `valueFrom.fieldRef.fieldPath`. */
  rolloutJson: unknown;
}

/** The analysis side, as the rollout controller sees it (sim/analysis implements it). */
export interface AnalysisApi {
  /**
   * `invalidSpec: true` marks errors Argo's Rollout validation catches before any run exists (an
   * unbounded metric or an unresolvable placeholder in a step / pre- / post-promotion template):
   * the rollout then goes Degraded with `InvalidSpec: <error>` instead of aborting.
   *
   * Creates a run named `<rollout>-<podHash>-<revision>[-<stepIndex>|-pre|-post]` (`.1`, `.2` on a
   * collision). An error string when it cannot be created (template missing, args unresolved).
   */
  createRun(
    req: CreateRunRequest,
  ):
    | { name: string }
    | { error: string; invalidSpec?: false }
    | { error: string; fieldError: string; invalidSpec: true };
  /**
   * Argo's Rollout validation of one analysis (background, step, pre/post-promotion), run on
   * every sync: `fieldError` is what the InvalidSpec condition shows after
   * `The Rollout "<name>" is invalid: `. Undefined when valid.
   */
  validate(req: {
    kind: RunKind;
    namespace: string;
    stepIndex?: number;
    analysis: RolloutAnalysis;
    rolloutJson: unknown;
  }): { error: string; fieldError: string } | undefined;
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
  /**
   * `setHeaderRoute`: puts (or, with `match` undefined or empty, removes) the managed HTTP route
   * `name` that sends requests matching the headers to the canary Service, in every listed
   * VirtualService, kept at the top of `spec.http` in `managedRoutes` order.
   */
  setHeaderRoute(name: string, match: HeaderRouteMatch[] | undefined): { changed: string[]; error?: string };
  /**
   * `setMirrorRoute`: puts (or, with `match` undefined, removes) the managed route `name`: matching
   * requests follow the weighted route and `percentage`% of them are mirrored to the canary.
   */
  setMirrorRoute(
    name: string,
    match: MirrorRouteMatch[] | undefined,
    percentage: number,
  ): { changed: string[]; error?: string };
  /** Removes every managed route (full promotion, abort, no available canary). */
  removeManagedRoutes(): { changed: string[]; error?: string };
  /**
   * Subset-level splitting: points the DestinationRule's canary and stable subsets at these
   * pod-template hashes (Argo's `UpdateHash`). `error` ends the reconcile (it is retried);
   * `warning` is the event to record with it.
   */
  updateHash?(
    canaryHash: string,
    stableHash: string,
    rss: readonly { name: string; hash: string; replicas: number; available: number }[],
    canaryOut: boolean,
  ): {
    updated?: { rule: string; message: string };
    error?: string;
    warning?: { reason: string; message: string };
  };
}

/** What differs, visibly, between the Argo Rollouts releases canarysim reproduces. */
export interface ArgoProfileTraits {
  /**
   * v1.9+ (commit ac7491e): an abort for a failed analysis names it (`Background analysis phase
   * error/failed: …`, `Step-based …`, `Blue/green pre-promotion …`).
   */
  analysisAbortPrefix: boolean;
  /**
   * v1.10+ (argo-rollouts#4680): a condition that cannot be evaluated is worded `could not
   * evaluate successCondition "<expr>": …` (the no-data text on an empty result); before, the
   * expression engine's error alone (expr v1.15.5: `reflect: slice index out of range`).
   */
  conditionErrors: 'expr' | 'explained';
}

/**
 * Every Argo Rollouts release whose user-visible behaviour canarysim reproduces, by the
 * `argoRollouts:` value that selects it. 1.10 follows v1.10.0-rc1, the newest tag of the
 * reference snapshot (no v1.10.0 release in it).
 */
export const ARGO_PROFILES = {
  '1.7': { analysisAbortPrefix: false, conditionErrors: 'expr' },
  '1.8': { analysisAbortPrefix: false, conditionErrors: 'expr' },
  '1.9': { analysisAbortPrefix: true, conditionErrors: 'expr' },
  '1.10': { analysisAbortPrefix: true, conditionErrors: 'explained' },
} as const satisfies Record<string, ArgoProfileTraits>;

/** Which Argo Rollouts release's user-visible behaviour to reproduce. */
export type ArgoProfile = keyof typeof ARGO_PROFILES;

export const DEFAULT_ARGO_PROFILE: ArgoProfile = '1.9';

/** Whether `v` names a profile (`argoRollouts:`, `lint --argo-version`). */
export const isArgoProfile = (v: string): v is ArgoProfile => Object.hasOwn(ARGO_PROFILES, v);
