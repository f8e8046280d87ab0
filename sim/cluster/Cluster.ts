import type { ContainerConfig } from '../../app/index.js';
import { AppModels } from '../apps/index.js';
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
  type Container,
  type Pod,
  type PodTemplate,
  type ReplicaSet,
  type Service,
} from './objects.js';
import { DEFAULT_POD_TIMINGS, Kubelet, type PodHooks, type PodTimings } from './Kubelet.js';

export interface NamespaceConfig {
  /** `istio-injection=enabled`: pods get an istio-proxy sidecar (2/2 containers) and report Istio metrics. */
  istioInjection: boolean;
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
  private readonly listeners: ((c: ClusterChange) => void)[] = [];
  private readonly endpointCache = new WeakMap<Service, { version: number; pods: Pod[] }>();
  private uidSeq = 0;
  private ipSeq = 10;
  /** Bumped on any change that can move Service endpoints; the mesh caches on it. */
  version = 0;

  readonly kubelet: Kubelet;

  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
    private readonly events: EventLog,
    private readonly namespaces: ReadonlyMap<string, NamespaceConfig>,
    readonly timings: PodTimings = DEFAULT_POD_TIMINGS,
    /** How each image behaves: the scenario's app models, the built-in apps, faults. */
    readonly apps: AppModels = new AppModels(),
  ) {
    this.kubelet = new Kubelet(clock, events, apps, timings, {
      exists: (pod) => this.pods.get(key(pod.meta.namespace, pod.meta.name)) === pod,
      podChanged: (pod) => {
        const rs = this.replicaSets.get(key(pod.meta.namespace, pod.rs));
        this.emit({ kind: 'Pod', namespace: pod.meta.namespace, name: pod.meta.name, owner: rs?.owner });
        if (rs) this.refreshStatus(rs);
      },
      bumpVersion: () => {
        this.version++;
      },
      jittered: (ms) => this.jittered(ms),
      hooks: () => this.podHooks,
    });
  }

  /** Live mode: called when a pod's app process starts or stops and when the pod is gone. */
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
      this.kubelet.podRemoved(p);
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
    const resolved = app ? this.apps.resolve(containerConfig(app)) : { defaulted: false };
    if (
      app &&
      !app.readinessProbe &&
      (resolved.model?.neverReady || resolved.model?.behaviour.ready === false)
    )
      this.apps.notice(
        `the app model for ${JSON.stringify(app.image)} says it is never ready, but container ${JSON.stringify(app.name)} has no readinessProbe: Kubernetes counts it ready and sends it traffic (add a readinessProbe to rehearse an unready pod)`,
      );
    const labels = { ...rs.meta.labels, ...rs.template.labels };
    const pod: Pod = {
      meta: this.newMeta(ns, name, labels),
      rs: rs.meta.name,
      ip: `10.244.${(n >> 8) & 255}.${n & 255}`,
      status: 'ContainerCreating',
      containerCount: rs.template.containers.length + (sidecar ? 1 : 0),
      readyContainers: 0,
      resolved,
      restarts: 0,
      createdLabels: { ...labels },
      env: { ...(app?.env ?? {}) },
      sidecar,
      terminating: false,
    };
    this.pods.set(key(ns, name), pod);
    this.podsByRs.get(key(ns, rs.meta.name))!.add(pod);
    this.events.record('ReplicaSet', ns, rs.meta.name, 'SuccessfulCreate', `Created pod: ${name}`);

    const image = app?.image ?? '';
    const pull = this.jittered(
      this.kubelet.hasPulled(image) ? this.timings.cachedPullMs : this.timings.pullMs,
    );
    this.kubelet.podCreated(pod, rs, pull);
  }

  /**
   * Argo's ephemeral metadata: labels set on a ReplicaSet's pod template after it was created
   * (canaryMetadata / stableMetadata), written to the template and to its running pods in place.
   * `remove` are keys injected before and no longer wanted. Returns whether anything changed.
   */
  setPodTemplateLabels(
    rs: ReplicaSet,
    set: Readonly<Record<string, string>>,
    remove: readonly string[],
  ): boolean {
    let changed = false;
    const apply = (labels: Record<string, string>) => {
      for (const k of remove)
        if (!(k in set) && k in labels) {
          delete labels[k];
          changed = true;
        }
      for (const [k, v] of Object.entries(set))
        if (labels[k] !== v) {
          labels[k] = v;
          changed = true;
        }
    };
    rs.template = { ...rs.template, labels: { ...rs.template.labels } };
    apply(rs.template.labels);
    if (rs.replicas > 0) for (const p of this.podsOf(rs)) if (!p.terminating) apply(p.meta.labels);
    if (changed) {
      this.version++;
      this.emit({ kind: 'ReplicaSet', namespace: rs.meta.namespace, name: rs.meta.name, owner: rs.owner });
    }
    return changed;
  }

  private terminatePod(pod: Pod): void {
    const rsKey = key(pod.meta.namespace, pod.rs);
    pod.terminating = true;
    pod.status = 'Terminating';
    this.kubelet.podTerminating(pod);
    this.version++;
    this.events.record(
      'ReplicaSet',
      pod.meta.namespace,
      pod.rs,
      'SuccessfulDelete',
      `Deleted pod: ${pod.meta.name}`,
    );
    // An app that keeps serving after SIGTERM (rollouts-demo's 10 s termination delay) keeps its pod Terminating as long.
    const grace = Math.max(
      this.jittered(this.timings.terminationMs),
      pod.resolved.app?.terminationDelayMs ?? 0,
    );
    this.clock.setTimeout(() => {
      this.pods.delete(key(pod.meta.namespace, pod.meta.name));
      this.podsByRs.get(rsKey)?.delete(pod);
      this.kubelet.podRemoved(pod);
      this.podHooks.removed?.(pod);
      const rs = this.replicaSets.get(rsKey);
      this.emit({ kind: 'Pod', namespace: pod.meta.namespace, name: pod.meta.name, owner: rs?.owner });
    }, grace);
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

/** What an app reads of its container at start. */
export function containerConfig(c: Container): ContainerConfig {
  return {
    image: c.image,
    env: c.env,
    command: c.command,
    args: c.args,
    ports: c.ports.map((p) => p.containerPort),
  };
}
