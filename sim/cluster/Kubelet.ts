import { AppProcess, type AppModels } from '../apps/index.js';
import type { Clock } from '../clock/index.js';
import type { EventLog } from '../EventLog.js';
import type { Container, Pod, Probe, ReplicaSet } from './objects.js';

/** How pods come to life in the simulated cluster. */
export interface PodTimings {
  /** Image pull + container create the first time a node sees an image, ms. */
  pullMs: number;
  /** The same once the image is cached, ms. */
  cachedPullMs: number;
  /** istio-proxy readiness after container start, ms. */
  sidecarReadyMs: number;
  /** Delay before the kubelet's first readiness probe when the probe sets no initialDelaySeconds, ms. */
  firstProbeMs: number;
  /** How long a deleted pod shows as Terminating (istio-proxy drains), ms. */
  terminationMs: number;
  /** ± relative jitter applied to each of the above, e.g. 0.2. */
  jitter: number;
}

export const DEFAULT_POD_TIMINGS: PodTimings = {
  pullMs: 3000,
  cachedPullMs: 600,
  sidecarReadyMs: 1500,
  firstProbeMs: 1000,
  terminationMs: 5000,
  jitter: 0.2,
};

/** Live mode's hooks into the kubelet: a pod's app process starts, stops (it exited), or the pod is gone. */
export interface PodHooks {
  started?(pod: Pod): void;
  stopped?(pod: Pod): void;
  removed?(pod: Pod): void;
}

/** What the kubelet needs from the cluster it runs in. */
export interface KubeletHost {
  /** Whether the pod still exists (not deleted). */
  exists(pod: Pod): boolean;
  /** Something about the pod changed: refresh its ReplicaSet and tell listeners. */
  podChanged(pod: Pod): void;
  /** Endpoints may have moved (readiness changed). */
  bumpVersion(): void;
  jittered(ms: number): number;
  hooks(): PodHooks;
}

/** Kubernetes' back-off for crashed containers and failed pulls (kubelet.go): 10 s, doubling, at most 300 s. */
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/** A back-off entry older than this (2 × max) has expired: the next failure counts as the first. */
const BACKOFF_EXPIRY_MS = 600_000;
/** How long after a failure the kubelet's next pod sync shows the back-off reason (PLEG relists every second). */
const SYNC_MS = 1000;

interface BackOff {
  backoffMs: number;
  lastUpdate: number;
}

/** The kubelet's own bookkeeping for one pod. */
interface PodRuntime {
  rs: ReplicaSet;
  container?: Container;
  /** Timers to cancel when the pod goes. */
  timers: Set<number>;
  sidecarReady: boolean;
  /** The app container passes readiness (or has no probe and listens). */
  appReady: boolean;
  /** The first readiness probe of the current process; later probes follow every period. */
  probeAnchor: number;
  /** A readiness change waiting for its probes to confirm it. */
  pendingReady?: { target: boolean; timer: number };
  /** A liveness kill on its way. */
  pendingKill?: number;
  /** A planned crash (`crash.after`) of the current process, and when. */
  pendingCrash?: { timer: number; at: number };
  crashBackOff?: BackOff;
  pullBackOff?: BackOff;
}

/** The probe the kubelet runs for readiness: the container's, or the defaults the first probe delay stands in for. */
function probeTimes(p: Probe | undefined): { periodMs: number; failures: number; successes: number } {
  return {
    periodMs: (p?.periodSeconds ?? 10) * 1000,
    failures: p?.failureThreshold ?? 3,
    successes: p?.successThreshold ?? 1,
  };
}

/**
 * The kubelet of the simulated cluster: walks each pod through image pull (and, for an image that
 * does not exist, ErrImagePull and ImagePullBackOff with Kubernetes' back-off), container start,
 * readiness (the app's answer to its readiness probe, re-probed every period, changing after
 * failureThreshold/successThreshold probes), liveness kills, crashes and restarts with the
 * crash-loop back-off (the first restart at once, then 10 s doubling to 300 s; reset after ten
 * minutes of running), and termination — all on the injected clock.
 */
export class Kubelet {
  private readonly runtime = new WeakMap<Pod, PodRuntime>();
  private readonly pulledImages = new Set<string>();
  private readonly running = new Set<Pod>();

  constructor(
    private readonly clock: Clock,
    private readonly events: EventLog,
    private readonly apps: AppModels,
    readonly timings: PodTimings,
    private readonly host: KubeletHost,
  ) {
    // A fault can change readiness, health or crash plans of running pods at once.
    apps.onChange(() => {
      for (const pod of [...this.running]) this.reconsider(pod);
    });
  }

  private rt(pod: Pod): PodRuntime | undefined {
    return this.runtime.get(pod);
  }

  private later(pod: Pod, ms: number, fn: () => void): number {
    const r = this.rt(pod)!;
    const id = this.clock.setTimeout(() => {
      r.timers.delete(id);
      if (!this.host.exists(pod) || pod.terminating) return;
      fn();
    }, ms);
    r.timers.add(id);
    return id;
  }

  private cancel(pod: Pod, id: number | undefined): void {
    if (id === undefined) return;
    this.clock.clearTimeout(id);
    this.rt(pod)?.timers.delete(id);
  }

  /** Whether the node has pulled this image before (a second pull takes the cached time). */
  hasPulled(image: string): boolean {
    return this.pulledImages.has(image);
  }

  /** A new pod: its image is pulled in `pullMs`, then its containers start. */
  podCreated(pod: Pod, rs: ReplicaSet, pullMs: number): void {
    const container = rs.template.containers[0];
    this.runtime.set(pod, {
      rs,
      container,
      timers: new Set(),
      sidecarReady: false,
      appReady: false,
      probeAnchor: 0,
    });
    this.later(pod, pullMs, () => this.pulled(pod));
  }

  private pulled(pod: Pod): void {
    const r = this.rt(pod)!;
    const image = r.container?.image ?? '';
    if (!pod.resolved.app) {
      this.pullFailed(pod, image, true);
      return;
    }
    this.pulledImages.add(image);
    this.containersStarted(pod);
  }

  /** ErrImagePull, then ImagePullBackOff until the next attempt (10 s, 20 s, … 300 s later). */
  private pullFailed(pod: Pod, image: string, first: boolean): void {
    const r = this.rt(pod)!;
    const now = this.clock.now();
    pod.status = 'ErrImagePull';
    this.events.record(
      'Pod',
      pod.meta.namespace,
      pod.meta.name,
      'Failed',
      `Failed to pull image "${image}": not found`,
      'Warning',
    );
    r.pullBackOff = nextBackOff(r.pullBackOff, now);
    // The first failure's switch to ImagePullBackOff keeps its historical (jittered) timing.
    const toBackOff = first ? this.host.jittered(this.timings.firstProbeMs) : SYNC_MS;
    this.later(pod, toBackOff, () => {
      pod.status = 'ImagePullBackOff';
      this.events.record(
        'Pod',
        pod.meta.namespace,
        pod.meta.name,
        'BackOff',
        `Back-off pulling image "${image}"`,
      );
      this.host.podChanged(pod);
    });
    this.later(pod, Math.max(r.pullBackOff.backoffMs, toBackOff + 1), () =>
      this.pullFailed(pod, image, false),
    );
    this.host.podChanged(pod);
  }

  /** The containers start: the app's process begins; readiness follows its probe. */
  private containersStarted(pod: Pod): void {
    const r = this.rt(pod)!;
    const app = pod.resolved.app!;
    const now = this.clock.now();
    pod.status = 'Running';
    const process = new AppProcess(
      { name: pod.meta.name, namespace: pod.meta.namespace },
      app,
      pod.resolved.model,
      this.apps,
      r.container?.image ?? '',
      pod.env,
      now,
      (code, reason) => this.processExited(pod, code, reason),
      () => this.reconsider(pod),
    );
    pod.process = process;
    this.running.add(pod);
    this.host.hooks().started?.(pod);
    if (app.exitAtStart) {
      process.exit(now, app.exitAtStart.code, app.exitAtStart.code === 0 ? 'Completed' : 'Error');
      return;
    }
    const probe = r.container?.readinessProbe;
    const firstProbe =
      probe && probe.initialDelaySeconds > 0
        ? probe.initialDelaySeconds * 1000
        : this.host.jittered(this.timings.firstProbeMs);
    const { periodMs } = probeTimes(probe);
    const startup = pod.resolved.model?.readyAfterMs ?? app.startupMs;
    // The app container is ready at the first probe that comes after the process listens.
    let appReady = firstProbe;
    while (appReady < startup) appReady += periodMs;
    r.probeAnchor = now + appReady;
    if (pod.sidecar && !r.sidecarReady) {
      const sidecarMs = this.host.jittered(this.timings.sidecarReadyMs);
      this.later(pod, sidecarMs, () => {
        r.sidecarReady = true;
        this.readinessChanged(pod);
      });
    }
    this.later(pod, appReady, () => {
      if (pod.process !== process || process.exited) return;
      if (this.readinessPasses(pod)) {
        r.appReady = true;
        this.readinessChanged(pod);
      } else this.reconsider(pod);
    });
    this.planExits(pod, process);
    this.readinessChanged(pod);
  }

  private readinessPasses(pod: Pod): boolean {
    const r = this.rt(pod)!;
    const p = pod.process;
    if (!p) return false;
    const probe = r.container?.readinessProbe;
    // Without a readiness probe Kubernetes counts a running container as ready, whatever the app says.
    if (!probe) return !p.exited;
    return p.readinessPasses(this.clock.now(), probePath(probe));
  }

  /**
   * Crash timers (`crash.after`), liveness kills, and probes of readiness or health at the times
   * the model's behaviour changes them.
   */
  private planExits(pod: Pod, process: AppProcess): void {
    for (const c of process.model?.changes ?? []) {
      if (c.set.ready === undefined && c.set.unhealthy === undefined) continue;
      const from =
        c.atMs !== undefined ? this.apps.scenarioStartMs + c.atMs : process.startedAt + (c.afterStartMs ?? 0);
      const due = from + c.rampMs;
      if (due >= this.clock.now())
        this.later(pod, due - this.clock.now(), () => {
          if (pod.process === process) this.reconsider(pod);
        });
    }
    this.planCrash(pod, process);
    this.planLiveness(pod, process);
  }

  /** A crash `after` the process started (its model's, or a fault's set later): one timer, moved when the plan changes. */
  private planCrash(pod: Pod, process: AppProcess): void {
    const r = this.rt(pod)!;
    const crash = this.apps.crashFor(process.host, process.image, process.model);
    const due = crash?.afterMs !== undefined ? process.startedAt + crash.afterMs : undefined;
    if (r.pendingCrash && r.pendingCrash.at === due) return;
    if (r.pendingCrash) this.cancel(pod, r.pendingCrash.timer);
    r.pendingCrash = undefined;
    if (due === undefined || crash === undefined) return;
    const timer = this.later(pod, Math.max(0, due - this.clock.now()), () => {
      r.pendingCrash = undefined;
      if (pod.process === process) process.exit(this.clock.now(), crash.exitCode, 'Error');
    });
    r.pendingCrash = { timer, at: due };
  }

  /** A failing liveness probe kills the container after failureThreshold probes (exit 137). */
  private planLiveness(pod: Pod, process: AppProcess): void {
    const r = this.rt(pod)!;
    const probe = r.container?.livenessProbe;
    if (!probe || process.exited) return;
    const now = this.clock.now();
    if (process.livenessPasses(now, probePath(probe))) {
      this.cancel(pod, r.pendingKill);
      r.pendingKill = undefined;
      return;
    }
    if (r.pendingKill !== undefined) return;
    const period = probe.periodSeconds * 1000;
    const first = process.startedAt + probe.initialDelaySeconds * 1000;
    const next = now <= first ? first : first + Math.ceil((now - first) / period) * period;
    const at = next + (probe.failureThreshold - 1) * period;
    r.pendingKill = this.later(pod, at - now, () => {
      r.pendingKill = undefined;
      if (pod.process !== process || process.exited) return;
      if (process.livenessPasses(this.clock.now(), probePath(probe))) return;
      this.events.record(
        'Pod',
        pod.meta.namespace,
        pod.meta.name,
        'Killing',
        `Container ${r.container?.name ?? 'app'} failed liveness probe, will be restarted`,
      );
      process.exit(this.clock.now(), 137, 'Error');
    });
  }

  /**
   * Something the app's readiness or health depends on changed (a fault, its own state, time):
   * probes notice on their schedule — failureThreshold failures to go unready, successThreshold
   * successes to come back.
   */
  private reconsider(pod: Pod): void {
    const r = this.rt(pod);
    const p = pod.process;
    if (!r || !p || p.exited || !this.host.exists(pod) || pod.terminating) return;
    this.planCrash(pod, p);
    this.planLiveness(pod, p);
    const now = this.clock.now();
    if (now < r.probeAnchor) return; // the first probe has not run yet: it will look then
    const want = this.readinessPasses(pod);
    if (want === r.appReady) {
      if (r.pendingReady) this.cancel(pod, r.pendingReady.timer);
      r.pendingReady = undefined;
      return;
    }
    if (r.pendingReady?.target === want) return;
    if (r.pendingReady) this.cancel(pod, r.pendingReady.timer);
    const probe = r.container?.readinessProbe;
    const { periodMs, failures, successes } = probeTimes(probe);
    const k = Math.ceil((now - r.probeAnchor) / periodMs);
    const next = r.probeAnchor + k * periodMs;
    const at = next + ((want ? successes : failures) - 1) * periodMs;
    const timer = this.later(pod, at - now, () => {
      r.pendingReady = undefined;
      if (pod.process !== p || p.exited) return;
      if (this.readinessPasses(pod) !== want) {
        this.reconsider(pod);
        return;
      }
      if (!want)
        this.events.record(
          'Pod',
          pod.meta.namespace,
          pod.meta.name,
          'Unhealthy',
          'Readiness probe failed: HTTP probe failed with statuscode: 503',
          'Warning',
        );
      r.appReady = want;
      this.readinessChanged(pod);
    });
    r.pendingReady = { target: want, timer };
  }

  /** Recomputes the pod's ready containers and Ready time. */
  private readinessChanged(pod: Pod): void {
    const r = this.rt(pod)!;
    if (pod.terminating) return;
    const others = pod.containerCount - 1 - (pod.sidecar ? 1 : 0);
    pod.readyContainers = others + (pod.sidecar && r.sidecarReady ? 1 : 0) + (r.appReady ? 1 : 0);
    const ready = pod.readyContainers >= pod.containerCount;
    if (ready && pod.readyAt === undefined) {
      pod.readyAt = this.clock.now();
      this.host.bumpVersion();
      const minReady = r.rs.minReadySeconds;
      if (minReady > 0) this.later(pod, minReady * 1000, () => this.host.podChanged(pod));
    } else if (!ready && pod.readyAt !== undefined) {
      pod.readyAt = undefined;
      this.host.bumpVersion();
    }
    this.host.podChanged(pod);
  }

  /** The app's process exited by itself: the container restarts, at once the first time, then after the back-off. */
  private processExited(pod: Pod, code: number, reason: string): void {
    const r = this.rt(pod);
    if (!r || pod.terminating) return;
    this.running.delete(pod);
    this.host.hooks().stopped?.(pod);
    if (r.pendingReady) this.cancel(pod, r.pendingReady.timer);
    r.pendingReady = undefined;
    this.cancel(pod, r.pendingKill);
    r.pendingKill = undefined;
    if (r.pendingCrash) this.cancel(pod, r.pendingCrash.timer);
    r.pendingCrash = undefined;
    r.appReady = false;
    pod.status = code === 0 ? 'Completed' : 'Error';
    void reason;
    this.readinessChanged(pod);
    const now = this.clock.now();
    const b = r.crashBackOff;
    const inBackOff = b !== undefined && now - b.lastUpdate <= BACKOFF_EXPIRY_MS;
    if (!inBackOff) {
      // The first failure (or the first after ten quiet minutes) restarts at the next sync.
      r.crashBackOff = { backoffMs: BACKOFF_INITIAL_MS, lastUpdate: now + SYNC_MS };
      this.later(pod, SYNC_MS, () => this.restart(pod));
      return;
    }
    const wait = b.backoffMs;
    const name = r.container?.name ?? 'app';
    this.later(pod, SYNC_MS, () => {
      if (pod.process?.exited === undefined) return;
      pod.status = 'CrashLoopBackOff';
      this.events.record(
        'Pod',
        pod.meta.namespace,
        pod.meta.name,
        'BackOff',
        `Back-off restarting failed container ${name} in pod ${pod.meta.name}`,
        'Warning',
      );
      this.host.podChanged(pod);
    });
    r.crashBackOff = { backoffMs: Math.min(2 * wait, BACKOFF_MAX_MS), lastUpdate: now + wait };
    this.later(pod, wait, () => this.restart(pod));
  }

  private restart(pod: Pod): void {
    pod.restarts++;
    this.containersStarted(pod);
  }

  /** Kills the app processes of running pods that `match` accepts now (a fault's `crash: now`); returns how many. */
  crashNow(match: (pod: Pod) => boolean): number {
    let n = 0;
    for (const pod of [...this.running]) {
      const p = pod.process;
      if (!p || p.exited || pod.terminating || !match(pod)) continue;
      p.exit(this.clock.now(), 137, 'Error');
      n++;
    }
    return n;
  }

  /** The pod is being deleted: its process stops (SIGTERM), nothing restarts. */
  podTerminating(pod: Pod): void {
    const r = this.rt(pod);
    if (!r) return;
    for (const id of r.timers) this.clock.clearTimeout(id);
    r.timers.clear();
    this.running.delete(pod);
  }

  /** The pod is gone. */
  podRemoved(pod: Pod): void {
    this.podTerminating(pod);
    pod.process?.exit(this.clock.now(), 0, 'Completed', false);
  }
}

/** Kubernetes' flowcontrol.Backoff `Next`: a new or expired entry starts at 10 s, else it doubles (at most 300 s). */
function nextBackOff(b: BackOff | undefined, now: number): BackOff {
  if (!b || now - b.lastUpdate > BACKOFF_EXPIRY_MS) return { backoffMs: BACKOFF_INITIAL_MS, lastUpdate: now };
  return { backoffMs: Math.min(2 * b.backoffMs, BACKOFF_MAX_MS), lastUpdate: now };
}

/** The path an httpGet probe requests (undefined for a TCP or exec probe: they pass while the process runs). */
function probePath(p: Probe): string | undefined {
  return p.kind === undefined || p.kind === 'http' ? p.path : undefined;
}
