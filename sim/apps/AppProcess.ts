import {
  scaleLatency,
  sumOf,
  type AppAnswer,
  type AppImage,
  type AppProcessView,
  type AppRequest,
  type LatencyModel,
} from '../../app/index.js';
import type { Rng } from '../clock/index.js';
import { matchRequest } from '../mesh/httpMatch.js';
import { drawLatencies } from '../mesh/latencySample.js';
import type { MeshRequest } from '../mesh/Mesh.js';
import { allocate } from './allocate.js';
import { AppMetrics } from './AppMetrics.js';
import type { AppModels } from './AppModels.js';
import { behaviourAt, nextChangeAfter, overlay, type EffectiveBehaviour } from './effectiveBehaviour.js';
import type { AppModel, ErrorRule } from './spec.js';

/** `count` requests a process answered the same way. */
export interface ServedGroup {
  count: number;
  status: number;
  body: string;
  contentType?: string;
  headers?: Readonly<Record<string, string>>;
  /** The handler's latency; undefined: the mesh's default app hop (a fast Go handler). */
  latency?: LatencyModel;
  /** The route the app's own metrics name (absent: they do not count it). */
  route?: string;
  /** No HTTP response: the process closes the connection after `latency` (Envoy answers 503 `UC`). */
  noResponse?: true;
}

/** What a process did with a batch: answers, and requests it never answered (it had exited, or exited under them). */
export interface Served {
  groups: ServedGroup[];
  /** Requests that found no process listening (it had exited, or exited during the batch). */
  refused: number;
}

/** Which pod a process runs in. */
export interface ProcessHost {
  name: string;
  namespace: string;
}

const REASON: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The body of an error a model injects: the status line's words, as many frameworks answer. */
export function errorBody(status: number): string {
  return `${REASON[status] ?? `Error ${status}`}\n`;
}

interface Category {
  prob: number;
  key: string;
  status: number;
  body: string;
  contentType?: string;
  headers?: Readonly<Record<string, string>>;
  latency?: LatencyModel;
  route?: string;
  answer?: AppAnswer;
}

/**
 * One run of an app's container: from the moment it starts until it exits (a crash, a liveness
 * kill, podinfo's /panic) or the pod goes. It answers batches of identical requests — its image's
 * answers, overlaid with the scenario's model and any faults (errors, latency, cold start,
 * saturation, behaviour that changes over time) — counts them in its own metrics, and exits by
 * itself when its model says so. Every draw comes from the caller's seeded Rng.
 */
export class AppProcess implements AppProcessView {
  readonly state: Record<string, string | number | boolean> = {};
  readonly metrics?: AppMetrics;
  /** Requests answered so far. */
  served = 0;
  /** The simulated clock during the batch being served (AppProcessView's, for apps that date things). */
  nowMs?: number;
  exited?: { code: number; reason: string; at: number };
  private readonly carry = new Map<string, number>();
  private readonly appRequests = new WeakMap<MeshRequest, AppRequest>();
  private readonly categoryCache = new WeakMap<
    MeshRequest,
    { beh: EffectiveBehaviour; categories: Category[]; probs: number[]; keys: string[] }
  >();
  private windowStart = 0;
  private windowCount = 0;
  private lastWindowCount = 0;
  private cache?: { at: number; version: number; until: number | undefined; b: EffectiveBehaviour };

  constructor(
    readonly host: ProcessHost,
    readonly app: AppImage,
    readonly model: AppModel | undefined,
    private readonly models: AppModels,
    readonly image: string,
    readonly env: Readonly<Record<string, string>>,
    readonly startedAt: number,
    /** Called once when the process exits by itself (not when it is stopped). */
    private readonly onExit: (code: number, reason: string) => void,
    /** Called when the process's own state changes (a probe may now answer differently). */
    private readonly onStateChange: () => void = () => {},
  ) {
    const spec = model?.metrics ?? app.metrics;
    if (spec) this.metrics = new AppMetrics(spec);
  }

  get hostname(): string {
    return this.host.name;
  }

  /** The behaviour in force at `now`: the model's base and changes, then the faults on this pod. */
  behaviour(now: number): EffectiveBehaviour {
    const c = this.cache;
    if (
      c &&
      c.version === this.models.version &&
      (c.at === now || (now > c.at && (c.until === undefined || now < c.until)))
    )
      return c.b;
    const base: EffectiveBehaviour = { errors: [], ready: true, unhealthy: false };
    const m = this.model;
    let b = m ? overlay(base, m.behaviour) : base;
    if (m) b = behaviourAt(b, m.changes, now, this.startedAt, this.models.scenarioStartMs);
    for (const f of this.models.faultsFor(this.host, this.image)) b = overlay(b, f.set);
    const until = m
      ? nextChangeAfter(m.changes, now, this.startedAt, this.models.scenarioStartMs)
      : undefined;
    this.cache = { at: now, version: this.models.version, until, b };
    return b;
  }

  /**
   * Until when (epoch ms) this process answers a batch of requests as it would answer the same
   * requests spread over that time: infinity when no timed change is ahead, `now` when its answers
   * depend on when or how many requests come (an app with state, saturation by arrival rate, a
   * cold start, a crash after so many requests, a ramp in progress).
   */
  steadyUntil(now: number): number {
    if (this.exited) return Infinity;
    if (this.app.statelessRespond !== true) return now;
    const beh = this.behaviour(now);
    if (beh.saturation) return now;
    if (this.models.crashFor(this.host, this.image, this.model)?.afterRequests !== undefined) return now;
    const cs = beh.coldStart;
    if (
      cs &&
      ((cs.requests !== undefined && this.served < cs.requests) ||
        (cs.durationMs !== undefined && now < this.startedAt + cs.durationMs))
    )
      return now;
    return this.cache?.until ?? Infinity;
  }

  /** Whether a readiness probe of `path` (undefined: a TCP probe) passes now. */
  readinessPasses(now: number, path: string | undefined): boolean {
    if (this.exited || this.model?.neverReady) return false;
    if (!this.behaviour(now).ready) return false;
    return path === undefined || this.app.probe('readiness', path, this);
  }

  /** Whether a liveness probe of `path` (undefined: a TCP probe) passes now. */
  livenessPasses(now: number, path: string | undefined): boolean {
    if (this.exited) return false;
    if (this.behaviour(now).unhealthy) return false;
    return path === undefined || this.app.probe('liveness', path, this);
  }

  /** The process ends (a crash, a kill). `notify`: it ended by itself, so the kubelet must hear of it. */
  exit(now: number, code: number, reason: string, notify = true): void {
    if (this.exited) return;
    this.exited = { code, reason, at: now };
    if (notify) this.onExit(code, reason);
  }

  /** Requests per second this process is receiving (the larger of the last and current windows). */
  private noteArrivals(now: number, count: number): number {
    const w = this.models.rateWindowMs;
    if (now >= this.windowStart + w) {
      this.lastWindowCount = now >= this.windowStart + 2 * w ? 0 : this.windowCount;
      this.windowStart = now - ((now - this.startedAt) % w);
      this.windowCount = 0;
    }
    this.windowCount += count;
    return (Math.max(this.lastWindowCount, this.windowCount) * 1000) / w;
  }

  /**
   * Answers `count` identical requests at `now`. `rng` draws the split between answers (unless
   * the model is exact) and the latencies the app's own metrics record.
   */
  serve(req: MeshRequest, count: number, now: number, rng: Rng, opts: { metrics?: boolean } = {}): Served {
    if (this.exited || count <= 0) return { groups: [], refused: Math.max(count, 0) };
    const appReq = this.appRequest(req);
    this.nowMs = now;
    const why = this.app.unsimulated?.(appReq, this);
    if (why) this.models.notice(`${this.app.description}: ${why}`);
    const rate = this.noteArrivals(now, count);
    const beh = this.behaviour(now);
    const crash = this.models.crashFor(this.host, this.image, this.model);
    let servable = count;
    if (crash?.afterRequests !== undefined)
      servable = Math.max(0, Math.min(count, crash.afterRequests - this.served));
    const { categories, probs, keys } = this.categoriesFor(appReq, req, beh, rate);

    // Cold requests (the first of a new process) come first in the batch.
    const cs = beh.coldStart;
    let cold = 0;
    if (cs) {
      if (cs.requests !== undefined) cold = Math.max(0, Math.min(servable, cs.requests - this.served));
      if (cs.durationMs !== undefined && now < this.startedAt + cs.durationMs) cold = servable;
    }
    const groups: ServedGroup[] = [];
    let exitBy: AppAnswer | undefined;
    let answered = 0;
    const deal = (n: number, extra: LatencyModel | undefined) => {
      if (n <= 0) return;
      const counts = allocate(probs, n, rng, this.model?.exact ? { carry: this.carry, keys } : undefined);
      categories.forEach((c, i) => {
        const k = counts[i]!;
        if (k === 0) return;
        const effect = c.answer?.effect;
        if (effect?.kind === 'exit') {
          // The request that ends the process gets no answer (os.Exit before writing); the others
          // of the batch find nobody listening.
          if (!exitBy) {
            exitBy = c.answer;
            groups.push({
              count: 1,
              status: 502,
              body: '',
              noResponse: true,
              ...(c.latency ? { latency: c.latency } : {}),
            });
            answered += 1;
          }
          return;
        }
        if (effect?.kind === 'set' && this.state[effect.key] !== effect.value) {
          this.state[effect.key] = effect.value;
          this.onStateChange();
        }
        const latency = extra ? sumOf([c.latency ?? this.models.defaultAppLatency, extra]) : c.latency;
        groups.push({
          count: k,
          status: c.status,
          body: c.body,
          ...(c.contentType !== undefined ? { contentType: c.contentType } : {}),
          ...(c.headers !== undefined ? { headers: c.headers } : {}),
          ...(latency !== undefined ? { latency } : {}),
          ...(c.route !== undefined ? { route: c.route } : {}),
          ...(c.answer?.noResponse ? { noResponse: true as const } : {}),
        });
        answered += k;
        if (this.metrics && c.route !== undefined && opts.metrics !== false) {
          const lat = latency ?? this.models.defaultAppLatency;
          const status = c.answer?.metricsStatus ?? c.status;
          this.metrics.observe({ count: k, status, method: req.method, route: c.route }, (bounds) =>
            drawLatencies(lat, bounds, k, rng),
          );
        }
      });
    };
    deal(cold, cs?.extra);
    deal(servable - cold, undefined);
    this.served += answered;
    if (exitBy?.effect?.kind === 'exit') {
      // The rest of the batch finds nobody listening.
      this.exit(now, exitBy.effect.code, exitBy.effect.reason);
      return { groups, refused: count - answered };
    }
    if (crash?.afterRequests !== undefined && this.served >= crash.afterRequests)
      this.exit(now, crash.exitCode, 'Error');
    return { groups, refused: count - answered };
  }

  /** The app's view of a mesh request (one per request object: traffic sends the same one each tick). */
  private appRequest(req: MeshRequest): AppRequest {
    let a = this.appRequests.get(req);
    if (!a) {
      a = {
        method: req.method,
        path: req.url.path,
        query: req.url.query,
        headers: req.headers ?? {},
        ...(req.body !== undefined ? { body: req.body } : {}),
      };
      this.appRequests.set(req, a);
    }
    return a;
  }

  /**
   * The categories of a request, reused while nothing they depend on changes: the same request
   * object, the same behaviour (faults and timed changes make a new one), an app whose answers
   * depend on the request alone, and no saturation (its shares follow the arrival rate).
   */
  private categoriesFor(
    appReq: AppRequest,
    req: MeshRequest,
    beh: EffectiveBehaviour,
    rate: number,
  ): { categories: Category[]; probs: number[]; keys: string[] } {
    const cacheable = this.app.statelessRespond === true && !beh.saturation;
    const hit = cacheable ? this.categoryCache.get(req) : undefined;
    if (hit && hit.beh === beh) return hit;
    const categories = this.categories(appReq, req, beh, rate);
    const out = { beh, categories, probs: categories.map((c) => c.prob), keys: categories.map((c) => c.key) };
    if (cacheable) this.categoryCache.set(req, out);
    return out;
  }

  /**
   * Every way this request can end and its probability: the model's error rules in order (each
   * taking its share of what the previous left), saturation errors, then the app's own answers
   * sharing the rest by weight.
   */
  private categories(
    appReq: AppRequest,
    req: MeshRequest,
    beh: EffectiveBehaviour,
    rate: number,
  ): Category[] {
    const answers = this.app.respond(appReq, this).filter((a) => a.weight > 0);
    const route = answers.find((a) => a.route !== undefined)?.route;
    const out: Category[] = [];
    let left = 1;
    const fail = (rule: ErrorRule, tag: string) => {
      if (rule.share <= 0) return;
      if (rule.when && !rule.when.some((m) => matchRequest(m, req))) return;
      const p = left * Math.min(rule.share, 1);
      const total = rule.statuses.reduce((a, s) => a + s.weight, 0);
      for (const s of rule.statuses)
        out.push({
          prob: (p * s.weight) / total,
          key: `${tag}|${s.status}`,
          status: s.status,
          body: errorBody(s.status),
          contentType: 'text/plain; charset=utf-8',
          latency: beh.latency ?? this.app.latency,
          route,
        });
      left -= p;
    };
    beh.errors.forEach((r, i) => fail(r, `e${i}`));
    const sat = beh.saturation;
    let factor = 1;
    if (sat && rate > sat.rate) {
      fail(
        { share: (sat.errorShare * (rate - sat.rate)) / rate, statuses: [{ status: sat.status, weight: 1 }] },
        's',
      );
      if (sat.latencyFactor !== 1) factor = Math.pow(rate / sat.rate, Math.log2(sat.latencyFactor));
    }
    const total = answers.reduce((a, x) => a + x.weight, 0);
    answers.forEach((a, i) => {
      const own = a.latency ?? this.app.latency;
      const requested = a.requestedLatency === true;
      out.push({
        prob: (left * a.weight) / total,
        key: `a${i}|${a.status}`,
        status: a.status,
        body: a.body,
        ...(a.contentType !== undefined ? { contentType: a.contentType } : {}),
        ...(a.headers !== undefined ? { headers: a.headers } : {}),
        latency: requested ? own : (beh.latency ?? own),
        route: a.route,
        answer: a,
      });
    });
    if (factor !== 1)
      for (const c of out) c.latency = scaleLatency(c.latency ?? this.models.defaultAppLatency, factor);
    return out.filter((c) => c.prob > 0);
  }
}
