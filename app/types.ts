import type { LatencyModel } from './latency.js';

/** The parts of an HTTP request an app looks at. */
export interface AppRequest {
  method: string;
  path: string;
  /** Decoded query parameters; the first value wins. */
  query: Readonly<Record<string, string>>;
  /** Request headers, names in lower case. */
  headers: Readonly<Record<string, string>>;
  /** The request body, when there is one. */
  body?: string;
}

/** What answering a request does to the app's process, beyond the answer. */
export type AppEffect =
  /** The process ends (podinfo's `/panic` exits 255): the container restarts with Kubernetes' back-off. */
  | { kind: 'exit'; code: number; reason: string }
  /** Process-local state the app's own handlers read later (podinfo's `POST /readyz/disable`). */
  | { kind: 'set'; key: string; value: string | number | boolean };

/**
 * One way an app may answer a request. An app gives every answer it can give to a request with a
 * relative `weight` (rollouts-demo's `bad-*` images: 500 with weight 85, 200 with weight 15), so a
 * batch of identical requests is split once, and live mode picks one with the same odds.
 */
export interface AppAnswer {
  weight: number;
  status: number;
  body: string;
  /** Content-Type; absent: the response has none (podinfo's random errors write only a status). */
  contentType?: string;
  /** Extra response headers (lower-case names). */
  headers?: Readonly<Record<string, string>>;
  /** The handler's own latency for this answer; absent: the app's usual latency. */
  latency?: LatencyModel;
  effect?: AppEffect;
  /**
   * The route as the app's own metrics name it (podinfo's `path` label); absent: the app's own
   * metrics do not count this request (podinfo counts only requests a route matched).
   */
  route?: string;
  /**
   * The request itself asked for this latency (podinfo's `/delay/3`, rollouts-demo's
   * `delayLength`): a scenario's latency model for the image does not replace it.
   */
  requestedLatency?: true;
  /**
   * The client gets no HTTP response: the process closes the connection after `latency` (a
   * handler panic net/http recovers, a write after the WriteTimeout, os.Exit). With a `route`,
   * the app's own metrics still count it with `status`.
   */
  noResponse?: true;
  /** The status the app's own metrics record when it differs from the one sent (podinfo's `/status/103`). */
  metricsStatus?: number;
}

/** What an app's handlers may read about the process answering: its environment and its own state. */
export interface AppProcessView {
  readonly env: Readonly<Record<string, string>>;
  /** The pod's name (podinfo's `hostname`). */
  readonly hostname: string;
  /** State set by `set` effects; empty at every container start. */
  readonly state: Readonly<Record<string, string | number | boolean>>;
  /** The simulated wall clock, epoch ms (podinfo dates its tokens); absent outside a run. */
  readonly nowMs?: number;
}

/** An app's own Prometheus metrics, beside the mesh's: a request counter and a latency histogram. */
export interface AppMetricsSpec {
  /** The scrape job's name (the `job` target label). */
  job: string;
  requests?: { name: string; help: string; labels: Readonly<Record<string, AppMetricLabel>> };
  duration?: {
    name: string;
    help: string;
    /** The histogram's unit; latencies are observed in it. */
    unit: 'seconds' | 'milliseconds';
    buckets: readonly number[];
    labels: Readonly<Record<string, AppMetricLabel>>;
  };
}

/** What an app metric's label holds: the status code, the method, or the app's route name. */
export type AppMetricLabel = 'status' | 'method' | 'path';

/** A container as the pod spec runs it: what an app reads at start. */
export interface ContainerConfig {
  image: string;
  env: Readonly<Record<string, string>>;
  /** `command` as written ([] for the image's entrypoint). */
  command: readonly string[];
  /** `args` as written ([] for the image's default arguments). */
  args: readonly string[];
  /** `ports[].containerPort`, in order. */
  ports: readonly number[];
}

/**
 * An image as canarysim runs it: a built-in demo app (silly-demo, Argo's rollouts-demo, podinfo) or
 * the generic HTTP service, configured by its container (env, args). Pure: answers are a function
 * of the request, the environment and the process state; randomness is expressed as weights.
 */
export interface AppImage {
  readonly kind: 'silly-demo' | 'rollouts-demo' | 'podinfo' | 'generic';
  /** The image as written in the pod spec. */
  readonly image: string;
  /** For notices and reports, e.g. `podinfo 6.14.1 (--random-error)`. */
  readonly description: string;
  /** The port it listens on unless told otherwise. */
  readonly port: number;
  /** Time from container start until it accepts connections, ms. */
  readonly startupMs: number;
  /** Its usual handler latency; absent: the mesh's default app hop (a fast Go handler). */
  readonly latency?: LatencyModel;
  /** How long it keeps serving after SIGTERM, ms; absent: the cluster's termination default. */
  readonly terminationDelayMs?: number;
  /** Its own metrics, when the image exports any. */
  readonly metrics?: AppMetricsSpec;
  /** A configuration the process refuses at start (podinfo with an unknown flag exits 2): a crash loop. */
  readonly exitAtStart?: { code: number; reason: string };
  /**
   * A configuration canarysim cannot simulate that would change what is observed (podinfo
   * `--backend-url`, rollouts-demo `-tls`): the message names the flag; a run refuses it.
   */
  readonly unsupported?: string;
  /** Why this one request cannot be answered as the real app would (a websocket upgrade), else undefined. */
  unsimulated?(req: AppRequest, proc?: AppProcessView): string | undefined;
  /** Whether a kubelet probe of `path` passes now (podinfo's /readyz and /healthz; others: the path answers 2xx/3xx). */
  probe(kind: 'readiness' | 'liveness', path: string, proc: AppProcessView): boolean;
  /** Every answer it may give to `req`, with relative weights. */
  respond(req: AppRequest, proc: AppProcessView): AppAnswer[];
  /**
   * True when `respond` reads only the request and the container's configuration — never the
   * process's state or clock — so the simulator may reuse its answers for the same request.
   */
  readonly statelessRespond?: boolean;
}

/** Whether a probe of `path` passes when the app answers it with only successful statuses. */
export function probeByAnswers(app: AppImage, path: string, proc: AppProcessView): boolean {
  const answers = app.respond({ method: 'GET', path, query: {}, headers: {} }, proc);
  return answers.length > 0 && answers.every((a) => a.weight <= 0 || (a.status >= 200 && a.status < 400));
}
