import { lookupImage } from '../../app/index.js';
import type { Clock } from '../clock/index.js';
import type { Rng } from '../clock/index.js';
import type { EventLog } from '../EventLog.js';
import {
  effectiveSelector,
  isPodReady,
  REVISION_ANNOTATION,
  ROLLOUTS_POD_TEMPLATE_HASH,
  selectorMatches,
  type Deployment,
  type ObjectMeta,
  type Pod,
  type PodTemplate,
  type ReplicaSet,
  type Service,
} from './objects.js';

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

export interface NamespaceConfig {
  /** `istio-injection=enabled`: pods get an istio-proxy sidecar (2/2 containers) and report Istio metrics. */
  istioInjection: boolean;
}

/** Live mode's hooks into the kubelet: start a pod's real server, stop it. */
export interface PodHooks {
  started?(pod: Pod): void;
  removed?(pod: Pod): void;
}

/** What changed, so controllers can enqueue the owner. */
export interface ClusterChange {
  kind: 'ReplicaSet' | 'Pod' | 'Service' | 'Deployment';
  namespace: string;
  name: string;
  /** For ReplicaSets and their pods: the owning Rollout. */
  owner?: string;
}

const key = (ns: string, name: string) => `${ns}/${name}`;

/**
 * The simulated Kubernetes API plus the ReplicaSet controller and kubelet: stores Deployments,
 * Services, ReplicaSets and pods; creates and deletes pods to match each ReplicaSet's replicas;
 * walks each pod through image pull, start, readiness and termination on the injected clock.
 */
export class Cluster {
  private readonly deployments = new Map<string, Deployment>();
  private readonly services = new Map<string, Service>();
  private readonly replicaSets = new Map<string, ReplicaSet>();
  private readonly pods = new Map<string, Pod>();
  private readonly podsByRs = new Map<string, Set<Pod>>();
  private readonly pulledImages = new Set<string>();
  private readonly listeners: ((c: ClusterChange) => void)[] = [];
  private readonly endpointCache = new WeakMap<Service, { version: number; pods: Pod[] }>();
  private uidSeq = 0;
  private ipSeq = 10;
  /** Bumped on any change that can move Service endpoints; the mesh caches on it. */
  version = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
    private readonly events: EventLog,
    private readonly namespaces: ReadonlyMap<string, NamespaceConfig>,
    readonly timings: PodTimings = DEFAULT_POD_TIMINGS,
  ) {}

  /** Live mode: called when a pod's app container starts and when the pod is gone. */
  private podHooks: PodHooks = {};

  setPodHooks(hooks: PodHooks): void {
    this.podHooks = hooks;
  }

  onChange(listener: (c: ClusterChange) => void): void {
    this.listeners.push(listener);
  }

  newMeta(
    namespace: string,
    name: string,
    labels: Record<string, string> = {},
    annotations: Record<string, string> = {},
  ): ObjectMeta {
    return {
      name,
      namespace,
      uid: `uid-${++this.uidSeq}`,
      creationTimestamp: this.clock.now(),
      labels: { ...labels },
      annotations: { ...annotations },
      generation: 1,
    };
  }

  namespaceConfig(ns: string): NamespaceConfig {
    return this.namespaces.get(ns) ?? { istioInjection: false };
  }

  // ---- Deployments -------------------------------------------------------------------------

  putDeployment(d: Deployment): void {
    this.deployments.set(key(d.meta.namespace, d.meta.name), d);
    this.emit({ kind: 'Deployment', namespace: d.meta.namespace, name: d.meta.name });
  }

  getDeployment(ns: string, name: string): Deployment | undefined {
    return this.deployments.get(key(ns, name));
  }

  deleteDeployment(ns: string, name: string): void {
    if (this.deployments.delete(key(ns, name))) this.emit({ kind: 'Deployment', namespace: ns, name });
  }

  // ---- Services ----------------------------------------------------------------------------

  putService(s: Service): void {
    this.services.set(key(s.meta.namespace, s.meta.name), s);
    this.version++;
    this.emit({ kind: 'Service', namespace: s.meta.namespace, name: s.meta.name });
  }

  getService(ns: string, name: string): Service | undefined {
    return this.services.get(key(ns, name));
  }

  deleteService(ns: string, name: string): void {
    if (this.services.delete(key(ns, name))) {
      this.version++;
      this.emit({ kind: 'Service', namespace: ns, name });
    }
  }

  /** Sets (or with `undefined`, removes) a controller-managed selector term. Returns true when it changed. */
  setManagedSelector(s: Service, label: string, value: string | undefined): boolean {
    if (s.managedSelector[label] === value) return false;
    if (value === undefined) delete s.managedSelector[label];
    else s.managedSelector[label] = value;
    this.version++;
    this.emit({ kind: 'Service', namespace: s.meta.namespace, name: s.meta.name });
    return true;
  }

  /** Ready pods behind a Service, in creation order (cached until anything that moves endpoints changes). */
  endpoints(s: Service): Pod[] {
    const cached = this.endpointCache.get(s);
    if (cached && cached.version === this.version) return cached.pods;
    const pods = this.computeEndpoints(s);
    this.endpointCache.set(s, { version: this.version, pods });
    return pods;
  }

  private computeEndpoints(s: Service): Pod[] {
    const sel = effectiveSelector(s);
    const out: Pod[] = [];
    for (const p of this.pods.values()) {
      if (p.meta.namespace === s.meta.namespace && isPodReady(p) && selectorMatches(sel, p.meta.labels))
        out.push(p);
    }
    return out;
  }

  listServices(): Service[] {
    return [...this.services.values()];
  }

  // ---- ReplicaSets -------------------------------------------------------------------------

  createReplicaSet(args: {
    namespace: string;
    owner: string;
    hash: string;
    template: PodTemplate;
    revision: number;
    minReadySeconds: number;
  }): ReplicaSet {
    const name = `${args.owner}-${args.hash}`;
    const labels = { ...args.template.labels, [ROLLOUTS_POD_TEMPLATE_HASH]: args.hash };
    const rs: ReplicaSet = {
      meta: this.newMeta(args.namespace, name, labels, { [REVISION_ANNOTATION]: String(args.revision) }),
      owner: args.owner,
      podTemplateHash: args.hash,
      template: args.template,
      minReadySeconds: args.minReadySeconds,
      replicas: 0,
      status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
    };
    this.replicaSets.set(key(args.namespace, name), rs);
    this.podsByRs.set(key(args.namespace, name), new Set());
    this.emit({ kind: 'ReplicaSet', namespace: args.namespace, name, owner: args.owner });
    return rs;
  }

  listReplicaSets(ns: string, owner: string): ReplicaSet[] {
    return [...this.replicaSets.values()].filter((rs) => rs.meta.namespace === ns && rs.owner === owner);
  }

  /** Sets spec.replicas and lets the ReplicaSet controller create or delete pods right away. */
  scaleReplicaSet(rs: ReplicaSet, replicas: number): void {
    if (rs.replicas === replicas) return;
    rs.replicas = replicas;
    rs.meta.generation++;
    this.reconcileReplicaSet(rs);
  }

  setAnnotation(rs: ReplicaSet, name: string, value: string | undefined): void {
    if (rs.meta.annotations[name] === value) return;
    if (value === undefined) delete rs.meta.annotations[name];
    else rs.meta.annotations[name] = value;
    this.emit({ kind: 'ReplicaSet', namespace: rs.meta.namespace, name: rs.meta.name, owner: rs.owner });
  }

  /** Deletes a ReplicaSet and (cascading) its pods at once. */
  deleteReplicaSet(rs: ReplicaSet): void {
    const k = key(rs.meta.namespace, rs.meta.name);
    for (const p of this.podsByRs.get(k) ?? []) {
      this.pods.delete(key(p.meta.namespace, p.meta.name));
      this.podHooks.removed?.(p);
    }
    this.podsByRs.delete(k);
    this.replicaSets.delete(k);
    this.version++;
    this.emit({ kind: 'ReplicaSet', namespace: rs.meta.namespace, name: rs.meta.name, owner: rs.owner });
  }

  /** Pods of a ReplicaSet (including Terminating ones), oldest first. */
  podsOf(rs: ReplicaSet): Pod[] {
    const set = this.podsByRs.get(key(rs.meta.namespace, rs.meta.name));
    return set ? [...set].sort(byCreation) : [];
  }

  allPods(): Pod[] {
    return [...this.pods.values()];
  }

  // ---- the ReplicaSet controller and the kubelet ------------------------------------------

  private reconcileReplicaSet(rs: ReplicaSet): void {
    const active = this.podsOf(rs).filter((p) => !p.terminating);
    if (active.length < rs.replicas) {
      for (let i = active.length; i < rs.replicas; i++) this.createPod(rs);
    } else if (active.length > rs.replicas) {
      // Kubernetes' deletion ranking: not-ready before ready, then most recently ready, then newest.
      const ranked = [...active].sort((a, b) => {
        const ra = a.readyAt !== undefined ? 1 : 0;
        const rb = b.readyAt !== undefined ? 1 : 0;
        if (ra !== rb) return ra - rb;
        if (a.readyAt !== b.readyAt) return (b.readyAt ?? 0) - (a.readyAt ?? 0);
        return b.meta.creationTimestamp - a.meta.creationTimestamp || (a.meta.name < b.meta.name ? 1 : -1);
      });
      for (const p of ranked.slice(0, active.length - rs.replicas)) this.terminatePod(p);
    }
    this.refreshStatus(rs);
  }

  private jittered(ms: number): number {
    const j = this.timings.jitter;
    return Math.round(ms * (1 + j * (2 * this.rng.next() - 1)));
  }

  private createPod(rs: ReplicaSet): void {
    const ns = rs.meta.namespace;
    let name = `${rs.meta.name}-${this.rng.k8sSuffix(5)}`;
    while (this.pods.has(key(ns, name))) name = `${rs.meta.name}-${this.rng.k8sSuffix(5)}`;
    const app = rs.template.containers[0];
    const sidecar = this.namespaceConfig(ns).istioInjection;
    const n = this.ipSeq++;
    const pod: Pod = {
      meta: this.newMeta(ns, name, { ...rs.meta.labels }),
      rs: rs.meta.name,
      ip: `10.244.${(n >> 8) & 255}.${n & 255}`,
      status: 'ContainerCreating',
      containerCount: rs.template.containers.length + (sidecar ? 1 : 0),
      readyContainers: 0,
      app: app ? lookupImage(app.image) : undefined,
      env: { ...(app?.env ?? {}) },
      sidecar,
      terminating: false,
    };
    this.pods.set(key(ns, name), pod);
    this.podsByRs.get(key(ns, rs.meta.name))!.add(pod);
    this.events.record('ReplicaSet', ns, rs.meta.name, 'SuccessfulCreate', `Created pod: ${name}`);

    const image = app?.image ?? '';
    const pull = this.jittered(
      this.pulledImages.has(image) ? this.timings.cachedPullMs : this.timings.pullMs,
    );
    this.clock.setTimeout(() => this.containersStarted(pod, rs, image), pull);
  }

  private containersStarted(pod: Pod, rs: ReplicaSet, image: string): void {
    if (pod.terminating || !this.pods.has(key(pod.meta.namespace, pod.meta.name))) return;
    if (!pod.app) {
      pod.status = 'ErrImagePull';
      this.events.record(
        'Pod',
        pod.meta.namespace,
        pod.meta.name,
        'Failed',
        `Failed to pull image "${image}": not found`,
        'Warning',
      );
      this.clock.setTimeout(() => {
        if (!pod.terminating) {
          pod.status = 'ImagePullBackOff';
          this.podChanged(pod, rs);
        }
      }, this.jittered(this.timings.firstProbeMs));
      this.podChanged(pod, rs);
      return;
    }
    this.pulledImages.add(image);
    pod.status = 'Running';
    this.podHooks.started?.(pod);
    const probe = rs.template.containers[0]?.readinessProbe;
    const firstProbe =
      probe && probe.initialDelaySeconds > 0
        ? probe.initialDelaySeconds * 1000
        : this.jittered(this.timings.firstProbeMs);
    const period = (probe?.periodSeconds ?? 10) * 1000;
    // The app container is ready at the first probe that comes after the process listens.
    let appReady = firstProbe;
    while (appReady < pod.app.startupMs) appReady += period;
    const waits = [appReady];
    if (pod.sidecar) waits.push(this.jittered(this.timings.sidecarReadyMs));
    // Containers beyond the app and the sidecar have no readiness probe here: ready at start.
    pod.readyContainers = pod.containerCount - waits.length;
    for (const w of waits) {
      this.clock.setTimeout(() => {
        if (pod.terminating) return;
        pod.readyContainers++;
        if (pod.readyContainers >= pod.containerCount && pod.readyAt === undefined) {
          pod.readyAt = this.clock.now();
          this.version++;
          if (rs.minReadySeconds > 0) {
            this.clock.setTimeout(() => this.podChanged(pod, rs), rs.minReadySeconds * 1000);
          }
        }
        this.podChanged(pod, rs);
      }, w);
    }
    this.podChanged(pod, rs);
  }

  private terminatePod(pod: Pod): void {
    const rsKey = key(pod.meta.namespace, pod.rs);
    pod.terminating = true;
    pod.status = 'Terminating';
    this.version++;
    this.events.record(
      'ReplicaSet',
      pod.meta.namespace,
      pod.rs,
      'SuccessfulDelete',
      `Deleted pod: ${pod.meta.name}`,
    );
    this.clock.setTimeout(() => {
      this.pods.delete(key(pod.meta.namespace, pod.meta.name));
      this.podsByRs.get(rsKey)?.delete(pod);
      this.podHooks.removed?.(pod);
      const rs = this.replicaSets.get(rsKey);
      this.emit({ kind: 'Pod', namespace: pod.meta.namespace, name: pod.meta.name, owner: rs?.owner });
    }, this.jittered(this.timings.terminationMs));
  }

  private podChanged(pod: Pod, rs: ReplicaSet): void {
    this.emit({ kind: 'Pod', namespace: pod.meta.namespace, name: pod.meta.name, owner: rs.owner });
    if (this.replicaSets.get(key(rs.meta.namespace, rs.meta.name)) === rs) this.refreshStatus(rs);
  }

  private refreshStatus(rs: ReplicaSet): void {
    const now = this.clock.now();
    let replicas = 0;
    let ready = 0;
    let available = 0;
    for (const p of this.podsOf(rs)) {
      if (p.terminating) continue;
      replicas++;
      if (p.readyAt !== undefined) {
        ready++;
        if (p.readyAt + rs.minReadySeconds * 1000 <= now) available++;
      }
    }
    const s = rs.status;
    if (s.replicas !== replicas || s.readyReplicas !== ready || s.availableReplicas !== available) {
      rs.status = { replicas, readyReplicas: ready, availableReplicas: available };
      this.version++;
    }
    this.emit({ kind: 'ReplicaSet', namespace: rs.meta.namespace, name: rs.meta.name, owner: rs.owner });
  }

  private emit(c: ClusterChange): void {
    for (const l of this.listeners) l(c);
  }
}

function byCreation(a: Pod, b: Pod): number {
  return (
    a.meta.creationTimestamp - b.meta.creationTimestamp ||
    (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0)
  );
}
