import type { IncomingMessage, ServerResponse } from 'node:http';
import { stepString } from '../../sim/rollout/index.js';
import type { Pod } from '../../sim/cluster/index.js';
import type { AnyWorld } from '../../sim/world.js';
import type { FaultInfo, PodInfo, RolloutDetail, ServerStatus } from './controlApi.js';
import { faultInfos, podInfos, rolloutDetail } from './controlHandler.js';

/** How many browsers may watch at once (each costs a connection and a write per tick). */
export const MAX_LIVE_VIEWERS = 32;
/** How often the view hears of requests, wall ms. */
export const LIVE_TICK_MS = 100;
/** Bubbles drawn per tick at most: 400 a second; above that they are a sample, the counters stay exact. */
export const MAX_BUBBLES_PER_TICK = 40;
/** A viewer that has this much unsent is too slow: it is dropped, and its browser reconnects. */
const MAX_BACKLOG_BYTES = 1024 * 1024;

/** The gateway's answers by version so far: `[requests, 5xx]`, exact (every answer is counted). */
export type VersionCounts = Record<string, [number, number]>;

/** One rollout as the browser view draws it. */
export interface LiveRollout extends RolloutDetail {
  namespace: string;
  name: string;
  /** Each canary step as the plugin writes it (`setWeight: 20`, `pause: {duration: 10s}`). */
  steps: string[];
  /** The first container's name (what `set image` changes). */
  container: string | null;
  /** The step a trainer holds it at, if any. */
  holdAt: number | null;
  /** The Services the canary's VirtualService routes to (a weight's colour is its version's). */
  canaryService: string | null;
  stableService: string | null;
}

/** What the browser view shows, besides the requests: sent whole whenever it changed. */
export interface LiveState {
  status: ServerStatus;
  rollouts: LiveRollout[];
  pods: PodInfo[];
  faults: FaultInfo[];
  /** Version key (`namespace/replicaSet`, or `gateway` for Envoy's own answers) → what it runs. */
  versions: Record<string, { image: string | null; revision: number | null; rollout: string | null }>;
}

/** One tick of requests: a sample of answers as `[version index, status]`, and the exact totals. */
export interface LiveTick {
  now: number;
  /** Versions by index for `bubbles` (new keys are appended, never reordered). */
  keys: string[];
  bubbles: [number, number][];
  counts: VersionCounts;
  /** Answers in this tick (of which `bubbles` is a sample). */
  answered: number;
}

const versionKey = (pod: Pod | undefined) => (pod ? `${pod.meta.namespace}/${pod.rs}` : 'gateway');

/**
 * The browser view's feed: server-sent events (`text/event-stream`, which EventSource reads and
 * reconnects by itself) to every open page. Every answer the ingress gateway reports is counted
 * by version as it is reported, so the counters are exact at any load; the bubbles are a sample
 * of at most MAX_BUBBLES_PER_TICK per tick, taken by stride so every version keeps its share.
 * The state (rollouts, steps, weights, pods, analysis runs, faults, the clock) is sent when it
 * changed and to each page as it connects. Ticks run on the wall clock in the CLI layer; the
 * simulated world only reports answers.
 */
export class LiveFeed {
  private readonly viewers = new Set<ServerResponse>();
  private counts: VersionCounts = {};
  private keys: string[] = [];
  private index = new Map<string, number>();
  private sample: [number, number][] = [];
  private seen = 0;
  private stride = 1;
  private unobserve: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastStamp = '';
  private lastState = '';

  constructor(
    private world: AnyWorld,
    private readonly status: () => ServerStatus,
    private readonly holdsOf: () => ReadonlyMap<string, number>,
  ) {
    this.attach(world);
  }

  /** Follows `world` (again after a reset: the counters start from zero with it). */
  attach(world: AnyWorld): void {
    this.unobserve?.();
    this.world = world;
    this.counts = {};
    this.keys = [];
    this.index = new Map();
    this.sample = [];
    this.seen = 0;
    this.lastStamp = '';
    this.unobserve = world.mesh.telemetry.observeGateway((pod, status, count) => {
      const key = versionKey(pod);
      let i = this.index.get(key);
      if (i === undefined) {
        i = this.keys.push(key) - 1;
        this.index.set(key, i);
      }
      const c = (this.counts[key] ??= [0, 0]);
      c[0] += count;
      if (status >= 500) c[1] += count;
      for (let n = 0; n < count; n++)
        if (this.seen++ % this.stride === 0 && this.sample.length < MAX_BUBBLES_PER_TICK)
          this.sample.push([i, status]);
    });
  }

  /** The state the page draws, now. */
  state(): LiveState {
    const world = this.world;
    const holds = this.holdsOf();
    const versions: LiveState['versions'] = {};
    const rollouts: LiveRollout[] = [];
    for (const r of world.rollouts.values()) {
      const { namespace, name } = r.ro.meta;
      const detail = rolloutDetail(world, namespace, name)!;
      const { speed, paused, offsetMs } = this.status();
      rollouts.push({
        ...detail,
        namespace,
        name,
        clock: { speed, paused, offsetMs },
        steps: (r.ro.spec.strategy.canary?.steps ?? []).map(stepString),
        container:
          world.cluster.listReplicaSets(namespace, name).at(-1)?.template.containers[0]?.name ?? null,
        holdAt: holds.get(`${namespace}/${name}`) ?? null,
        canaryService: r.ro.spec.strategy.canary?.canaryService ?? null,
        stableService: r.ro.spec.strategy.canary?.stableService ?? null,
      });
      for (const rev of detail.view.revisions)
        for (const rs of rev.replicaSets)
          versions[`${namespace}/${rs.name}`] = { image: null, revision: rev.revision, rollout: name };
    }
    const pods = podInfos(world);
    for (const p of pods) {
      const v = (versions[`${p.namespace}/${p.replicaSet}`] ??= {
        image: null,
        revision: null,
        rollout: null,
      });
      v.image ??= p.image;
    }
    return { status: this.status(), rollouts, pods, faults: faultInfos(world), versions };
  }

  /** Opens an event stream to a page; false when MAX_LIVE_VIEWERS are already watching. */
  connect(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.viewers.size >= MAX_LIVE_VIEWERS) return false;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // EventSource reconnects after this many ms when the stream breaks (a reset, a restart).
    res.write(`retry: 1000\n\n`);
    this.viewers.add(res);
    this.send(res, 'state', this.stateJson());
    const gone = () => this.viewers.delete(res);
    req.socket.setNoDelay(true);
    res.once('close', gone);
    this.timer ??= setInterval(() => this.tick(), LIVE_TICK_MS);
    return true;
  }

  private stateJson(): string {
    this.lastState = JSON.stringify(this.state());
    this.lastStamp = this.stamp();
    return this.lastState;
  }

  /** What changes the state: the world's own stamp, the faults, the clock and the holds. */
  private stamp(): string {
    const s = this.status();
    const holds = [...this.holdsOf()].join();
    return `${this.world.changeStamp()}/${this.world.apps.activeFaults().length}/${s.speed}/${s.paused}/${holds}/${this.world.cluster.allPods().filter((p) => p.endpoint).length}`;
  }

  /** Sends the requests of the last tick to every page, and the state when it changed. */
  tick(): void {
    if (this.viewers.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const tick: LiveTick = {
      now: this.world.now(),
      keys: this.keys,
      bubbles: this.sample,
      counts: this.counts,
      answered: this.seen,
    };
    // The next tick samples at the stride this one's volume called for.
    this.stride = Math.max(1, Math.ceil(this.seen / MAX_BUBBLES_PER_TICK));
    this.sample = [];
    this.seen = 0;
    const data = JSON.stringify(tick);
    let state: string | undefined;
    if (this.stamp() !== this.lastStamp) {
      const json = JSON.stringify(this.state());
      this.lastStamp = this.stamp();
      if (json !== this.lastState) state = this.lastState = json;
    }
    for (const res of this.viewers) {
      if (res.writableLength > MAX_BACKLOG_BYTES) {
        res.destroy();
        this.viewers.delete(res);
        continue;
      }
      if (state !== undefined) this.send(res, 'state', state);
      this.send(res, 'tick', data);
    }
  }

  private send(res: ServerResponse, event: string, data: string): void {
    res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Ends every stream (shutdown, or a reset: the pages reconnect to the new world). */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const res of this.viewers) res.end();
    this.viewers.clear();
  }

  /** The gateway's answers by version since the world started (a copy): what the pages count. */
  totals(): VersionCounts {
    return Object.fromEntries(Object.entries(this.counts).map(([k, [n, e]]) => [k, [n, e]]));
  }

  /** How many pages are watching. */
  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Stops hearing of answers (shutdown). */
  stop(): void {
    this.unobserve?.();
    this.close();
  }
}
