import { DEFAULT_HOPS, type HopLatencies } from '../app/index.js';
import {
  AnalysisController,
  EmbeddedPrometheusProvider,
  RoutingProvider,
  type MetricProvider,
  type PrometheusFault,
} from './analysis/index.js';
import { Rng, VirtualClock, type Clock } from './clock/index.js';
import {
  Cluster,
  DEFAULT_POD_TIMINGS,
  type NamespaceConfig,
  type Pod,
  type PodTemplate,
  type PodTimings,
  type Service,
} from './cluster/index.js';
import { AppModels, faultTargets, unsupportedContainers, type AppModel, type Fault } from './apps/index.js';
import { InputError } from './errors.js';
import { EventLog } from './EventLog.js';
import type {
  AnalysisTemplateSpec,
  DeploymentSpec,
  DestinationRuleSpec,
  GatewaySpec,
  IngressSpec,
  ManifestObject,
  ServiceSpec,
  VirtualServiceSpec,
} from './manifests/index.js';
import { KUBECTL_RESOURCE } from './manifests/index.js';
import { checkTotalReplicas } from './manifests/limits.js';
import { IstioRouter, Mesh, type MeshRequest, type Outcome } from './mesh/index.js';
import { Engine, type QueryResult } from './promql/index.js';
import {
  ARGO_PROFILES,
  emptyRolloutStatus,
  RolloutController,
  rolloutCommands,
  startRolloutActor,
  type ArgoProfile,
  RolloutHistory,
  type AnsweredCounts,
  type RolloutActor,
  type RolloutSpec,
  type Rollout,
} from './rollout/index.js';
import { BlueGreenController } from './rollout/BlueGreenController.js';
import type { RolloutReconciler } from './rollout/machine.js';
import { planUndo } from './rollout/undo.js';
import { Scraper, Storage, type ScrapeSource } from './tsdb/index.js';
import { canonicalJson } from './cluster/index.js';

/** Everything that shapes a simulation; a scenario fills it in. */
export interface WorldOptions {
  seed: number | string;
  /** Simulated epoch ms at which the run starts. */
  startMs: number;
  argo: ArgoProfile;
  namespaces: Record<string, NamespaceConfig>;
  podTimings: PodTimings;
  scrapeIntervalMs: number;
  /** Addresses (scheme://host:port) at which analysis reaches the embedded Prometheus. */
  prometheusAddresses: string[];
  /** Granularity of simulated load, ms. */
  trafficTickMs: number;
  hops: HopLatencies;
  /** How long the embedded Prometheus keeps samples (undefined: all of them). */
  retentionMs?: number;
  /** Where measurements for addresses other than the embedded Prometheus go (a real one over HTTP); none: they fail as a DNS miss. */
  remoteProvider?: MetricProvider;
  /** The scenario's app models: how the images they match behave, per version (first match wins). */
  apps?: readonly AppModel[];
  /** Keep each AnalysisRun's measurement trace (default true; the bench weighs it by turning it off). */
  traceAnalysis?: boolean;
}

export const DEFAULT_WORLD_OPTIONS: WorldOptions = {
  seed: 1,
  startMs: Date.UTC(2024, 10, 11, 12, 0, 0),
  argo: '1.9',
  namespaces: { default: { istioInjection: false } },
  podTimings: DEFAULT_POD_TIMINGS,
  scrapeIntervalMs: 30_000,
  prometheusAddresses: ['http://kube-prometheus-stack-prometheus.monitoring:9090'],
  trafficTickMs: 1000,
  hops: DEFAULT_HOPS,
};

interface RolloutRuntime {
  ro: Rollout;
  ctrl: RolloutReconciler;
  actor: RolloutActor;
  /** The last applied manifest set spec.paused (kubectl's three-way merge then owns the field). */
  manifestPaused?: boolean;
  /** Phase transitions and the latest abort since the object was applied. */
  history: RolloutHistory;
}

const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;

/**
 * The composition root: one clock and one seeded RNG wired into the cluster, the mesh, the
 * embedded Prometheus, the analysis controller and one XState-driven controller per Rollout.
 * Everything the simulation does happens through `apply`, commands and load, and on the clock.
 */
/** A World on any clock (what views and reports accept). */
export type AnyWorld = World<Clock>;

export class World<C extends Clock = VirtualClock> {
  readonly clock: C;
  readonly rng: Rng;
  readonly events: EventLog;
  readonly cluster: Cluster;
  readonly mesh: Mesh;
  readonly storage: Storage;
  readonly scraper: Scraper;
  readonly engine = new Engine();
  readonly analysis: AnalysisController;
  /** The embedded Prometheus as Argo's provider queries it (faults are set on it). */
  readonly prometheus: EmbeddedPrometheusProvider;
  readonly rollouts = new Map<string, RolloutRuntime>();
  readonly templates = new Map<string, ManifestObject<string, AnalysisTemplateSpec>>();
  /** How each image behaves: the scenario's app models, the built-in apps, and faults set at run time. */
  readonly apps: AppModels;
  /** What the run said once (images run as the generic service, models a manifest defeats), in order. */
  readonly notices: string[] = [];
  /** Hears each notice as it is made. */
  onNotice?: (text: string) => void;
  private readonly namespaces: Map<string, NamespaceConfig>;
  private readonly lastApplied = new Map<string, string>();
  private readonly routingRng: Rng;

  /** `clock` defaults to a VirtualClock at `options.startMs`; live mode passes a RealClock. */
  constructor(
    readonly options: WorldOptions,
    clock?: C,
  ) {
    this.clock = clock ?? (new VirtualClock(options.startMs) as unknown as C);
    this.storage = new Storage({ retentionMs: options.retentionMs });
    this.rng = new Rng(options.seed);
    const clusterRng = this.rng.fork('cluster');
    this.routingRng = this.rng.fork('routing');
    const ingressRng = this.rng.fork('ingress');
    this.events = new EventLog(this.clock);
    this.namespaces = new Map(Object.entries(options.namespaces));
    this.apps = new AppModels(
      options.apps ?? [],
      options.startMs,
      Math.max(1000, options.trafficTickMs),
      options.hops.app,
    );
    this.apps.onNotice = (text) => {
      this.notices.push(text);
      this.onNotice?.(text);
    };
    this.cluster = new Cluster(
      this.clock,
      clusterRng,
      this.events,
      this.namespaces,
      options.podTimings,
      this.apps,
    );
    this.mesh = new Mesh(
      this.cluster,
      {
        namespace: 'istio-system',
        workload: 'istio-ingress',
        pod: `istio-ingress-${ingressRng.k8sSuffix(10)}-${ingressRng.k8sSuffix(5)}`,
        ip: '10.244.0.2',
      },
      options.hops,
      () => this.clock.now(),
      options.seed,
    );
    this.scraper = new Scraper(
      this.clock,
      this.storage,
      () => this.scrapeTargets(),
      options.scrapeIntervalMs,
    );
    this.prometheus = new EmbeddedPrometheusProvider(
      this.engine,
      this.storage,
      this.clock,
      options.prometheusAddresses,
    );
    this.analysis = new AnalysisController({
      clock: this.clock,
      trace: options.traceAnalysis ?? true,
      events: this.events,
      template: (ns, ref) =>
        this.templates.get(
          key(
            ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate',
            ref.clusterScope ? undefined : ns,
            ref.templateName,
          ),
        ),
      provider: new RoutingProvider(this.prometheus, options.remoteProvider),
      onRunChanged: (ns, rollout) => this.rollouts.get(key('Rollout', ns, rollout))?.ctrl.enqueue(),
      conditionErrors: ARGO_PROFILES[options.argo].conditionErrors,
    });
    this.cluster.onChange((c) => {
      if (
        c.kind === 'Pod' &&
        !this.cluster.allPods().some((p) => p.meta.name === c.name && p.meta.namespace === c.namespace)
      ) {
        this.mesh.dropSidecar(c.name);
      }
      if (c.owner) this.rollouts.get(key('Rollout', c.namespace, c.owner))?.ctrl.enqueue();
      if (c.kind === 'Deployment') {
        for (const r of this.rollouts.values()) {
          if (r.ro.meta.namespace === c.namespace && r.ro.spec.workloadRef?.name === c.name) r.ctrl.enqueue();
        }
      }
    });
    // Prometheus spreads targets over the interval; one fixed offset keeps runs reproducible.
    this.scraper.start(Math.floor(this.rng.fork('scrape').next() * options.scrapeIntervalMs));
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * What Prometheus scrapes now: every Envoy's Istio metrics (job `envoy-stats`), then each
   * running app process with metrics of its own, labelled as Prometheus's example
   * `kubernetes-pods` job does — the pod's labels (names sanitised: `rollouts-pod-template-hash`
   * becomes `rollouts_pod_template_hash`), `namespace` and `pod` — under the model's job name.
   */
  scrapeTargets(): ScrapeSource[] {
    const out: ScrapeSource[] = this.mesh
      .scrapeTargets()
      .map((s) => ({ metrics: s.metrics, target: { ...s.target } }));
    for (const p of this.cluster.allPods()) {
      const proc = p.process;
      if (!proc?.metrics || proc.exited || p.terminating) continue;
      const target: ScrapeSource['target'] = {
        job: proc.metrics.spec.job,
        instance: `${p.ip}:${proc.app.port}`,
      };
      for (const [k, v] of Object.entries(p.meta.labels)) target[k.replace(/[^a-zA-Z0-9_]/g, '_')] = v;
      target['namespace'] = p.meta.namespace;
      target['pod'] = p.meta.name;
      target['job'] = proc.metrics.spec.job;
      target['instance'] = `${p.ip}:${proc.app.port}`;
      out.push({ metrics: proc.metrics.metrics, target });
    }
    return out;
  }

  hasNamespace(ns: string): boolean {
    return this.namespaces.has(ns);
  }

  // ---- kubectl apply / delete ----------------------------------------------------------------

  /**
   * `kubectl apply`: creates or updates each object, printing kubectl's line for it
   * (`deployment.apps/silly-demo created|configured|unchanged`). Objects without a namespace take
   * `defaultNamespace` (kubectl's `--namespace`).
   */
  apply(objects: readonly ManifestObject[], defaultNamespace: string): string[] {
    // A built-in app configured beyond what is simulated is refused before anything changes.
    for (const o of objects) {
      const bad = unsupportedContainers(o)[0];
      if (bad) throw bad.node.error(bad.message);
    }
    checkTotalReplicas(
      objects
        .filter((o) => o.kind === 'Rollout')
        .map((o) => ({
          key: key('Rollout', o.namespace ?? defaultNamespace, o.name),
          replicas: (o.spec as RolloutSpec).replicas,
          node: o.node,
        })),
      new Map([...this.rollouts].map(([k, r]) => [k, r.ro.spec.replicas])),
    );
    const lines: string[] = [];
    for (const o of objects) {
      const ns = o.namespaced ? (o.namespace ?? defaultNamespace) : undefined;
      if (
        ns !== undefined &&
        !this.namespaces.has(ns) &&
        !objects.some((x) => x.kind === 'Namespace' && x.name === ns)
      ) {
        throw new InputError(`Error from server (NotFound): namespaces "${ns}" not found`, o.node.pos());
      }
      const k = key(o.kind, ns, o.name);
      const text = canonicalJson(o.raw);
      const prev = this.lastApplied.get(k);
      const res = `${KUBECTL_RESOURCE[o.kind] ?? o.kind.toLowerCase()}/${o.name}`;
      if (prev === text) {
        lines.push(`${res} unchanged`);
        continue;
      }
      this.lastApplied.set(k, text);
      this.applyOne(o, ns, prev !== undefined);
      lines.push(`${res} ${prev === undefined ? 'created' : 'configured'}`);
    }
    return lines;
  }

  private applyOne(o: ManifestObject, ns: string | undefined, exists: boolean): void {
    const c = this.cluster;
    switch (o.kind) {
      case 'Namespace':
        this.namespaces.set(o.name, { istioInjection: o.labels['istio-injection'] === 'enabled' });
        return;
      case 'Deployment': {
        const spec = o.spec as DeploymentSpec;
        const old = c.getDeployment(ns!, o.name);
        c.putDeployment({
          meta: old?.meta ?? c.newMeta(ns!, o.name, o.labels, o.annotations),
          replicas: spec.replicas,
          selector: spec.selector,
          template: spec.template,
        });
        return;
      }
      case 'Service': {
        const spec = o.spec as ServiceSpec;
        const old = c.getService(ns!, o.name);
        const svc: Service = {
          meta: old?.meta ?? c.newMeta(ns!, o.name, o.labels, o.annotations),
          selector: spec.selector,
          managedSelector: old?.managedSelector ?? {},
          ports: spec.ports,
        };
        c.putService(svc);
        return;
      }
      case 'VirtualService': {
        const spec = o.spec as VirtualServiceSpec;
        const k = `${ns}/${o.name}`;
        const old = this.mesh.virtualServices.get(k);
        this.mesh.virtualServices.set(k, {
          meta: old?.meta ?? c.newMeta(ns!, o.name, o.labels, o.annotations),
          apiVersion: o.apiVersion,
          hosts: spec.hosts,
          gateways: spec.gateways,
          http: structuredClone(spec.http),
          rawSpec: structuredClone(spec.rawSpec),
        });
        for (const r of this.rollouts.values())
          if (r.ro.meta.namespace === ns && r.ro.spec.strategy.canary?.trafficRouting) r.ctrl.enqueue();
        return;
      }
      case 'Gateway': {
        const spec = o.spec as GatewaySpec;
        const k = `${ns}/${o.name}`;
        this.mesh.gateways.set(k, {
          meta: this.mesh.gateways.get(k)?.meta ?? c.newMeta(ns!, o.name, o.labels, o.annotations),
          ...spec,
        });
        return;
      }
      case 'DestinationRule': {
        const spec = o.spec as DestinationRuleSpec;
        const k = `${ns}/${o.name}`;
        const old = this.mesh.destinationRules.get(k);
        this.mesh.destinationRules.set(k, {
          meta: old?.meta ?? c.newMeta(ns!, o.name, o.labels, o.annotations),
          apiVersion: o.apiVersion,
          host: spec.host,
          subsets: structuredClone(spec.subsets),
          rawSpec: structuredClone(spec.rawSpec),
        });
        this.mesh.changed();
        // Argo writes the hashes into the subsets on its next sync; a rollout waiting for the rule recovers.
        for (const r of this.rollouts.values())
          if (r.ro.meta.namespace === ns && r.ro.spec.strategy.canary?.trafficRouting) r.ctrl.enqueue();
        return;
      }
      case 'Ingress': {
        const spec = o.spec as IngressSpec;
        const k = `${ns}/${o.name}`;
        this.mesh.ingresses.set(k, {
          meta: this.mesh.ingresses.get(k)?.meta ?? c.newMeta(ns!, o.name, o.labels, o.annotations),
          rules: structuredClone(spec.rules),
          ...(spec.defaultBackend ? { defaultBackend: { ...spec.defaultBackend } } : {}),
        });
        return;
      }
      case 'AnalysisTemplate':
      case 'ClusterAnalysisTemplate':
        this.templates.set(key(o.kind, ns, o.name), o as ManifestObject<string, AnalysisTemplateSpec>);
        // Rollouts that may reference it validate again (one that was InvalidSpec for want of it
        // recovers), as Argo's next resync of them would.
        for (const r of this.rollouts.values())
          if (ns === undefined || r.ro.meta.namespace === ns) r.ctrl.enqueue();
        return;
      case 'Rollout':
        this.applyRollout(o as ManifestObject<string, RolloutSpec>, ns!, exists);
        return;
    }
  }

  private applyRollout(o: ManifestObject<string, RolloutSpec>, ns: string, exists: boolean): void {
    const k = key('Rollout', ns, o.name);
    const spec = structuredClone(o.spec);
    const current = this.rollouts.get(k);
    const manifestPaused = (o.raw as { spec?: { paused?: unknown } } | undefined)?.spec?.paused !== undefined;
    let ro: Rollout | undefined;
    if (current && exists) {
      // kubectl apply's three-way merge leaves what no manifest sets as it is live: spec.paused set
      // by `pause`/`promote` (unless a manifest set it before: then dropping it resets it), and
      // spec.restartAt set by `restart`.
      if (!manifestPaused && !current.manifestPaused) spec.paused = current.ro.spec.paused;
      spec.restartAt = current.ro.spec.restartAt;
      current.manifestPaused = manifestPaused;
      const wasBlueGreen = current.ro.spec.strategy.blueGreen !== undefined;
      current.ro.spec = spec;
      current.ro.meta.generation++;
      if (wasBlueGreen === (spec.strategy.blueGreen !== undefined)) {
        current.ctrl.enqueue();
        return;
      }
      // A change of strategy: the other controller takes over the same Rollout and its ReplicaSets.
      current.actor.stop();
      current.ctrl.sendSync = () => {};
      ro = current.ro;
      ro.status.currentStepIndex = undefined;
      ro.status.pauseConditions = [];
      ro.status.controllerPause = false;
    }
    ro ??= {
      meta: this.cluster.newMeta(ns, o.name, o.labels, o.annotations),
      spec,
      status: emptyRolloutStatus(),
    };
    const c = spec.strategy.canary;
    const router = c?.trafficRouting
      ? new IstioRouter(this.mesh, {
          namespace: ns,
          rollout: o.name,
          ...(c.canaryService !== undefined ? { canaryService: c.canaryService } : {}),
          ...(c.stableService !== undefined ? { stableService: c.stableService } : {}),
          ...(c.trafficRouting.istio.destinationRule
            ? { destinationRule: c.trafficRouting.istio.destinationRule }
            : {}),
          virtualServices: c.trafficRouting.istio.virtualServices,
          managedRoutes: c.trafficRouting.managedRoutes,
        })
      : undefined;
    const deps = {
      clock: this.clock,
      cluster: this.cluster,
      events: this.events,
      analysis: this.analysis,
      profile: this.options.argo,
    };
    const ctrl: RolloutReconciler = spec.strategy.blueGreen
      ? new BlueGreenController(ro, deps)
      : new RolloutController(ro, { ...deps, router });
    // A command that changes a spec field the manifest sets makes the next apply of it a change.
    const specPatched = () => {
      if (this.rollouts.get(k)?.manifestPaused) this.patchedLive(k);
    };
    const history = current?.history ?? new RolloutHistory();
    const live = ro;
    ctrl.onSynced = () =>
      history.observe(live, this.clock.now(), {
        canary: () => this.canaryAnswered(live),
        all: () => this.answeredByReplicaSets(live),
      });
    const actor = startRolloutActor(
      ctrl,
      rolloutCommands(ro, this.clock, this.events, specPatched),
      this.clock,
    );
    ctrl.sendSync = () => actor.send({ type: 'SYNC' });
    this.rollouts.set(k, { ro, ctrl, actor, manifestPaused, history });
  }

  /** The current (canary) ReplicaSet of a Rollout and the user requests its pods have answered. */
  private canaryAnswered(ro: Rollout): { replicaSet: string; answered: AnsweredCounts } {
    const ns = ro.meta.namespace;
    const rs = this.cluster
      .listReplicaSets(ns, ro.meta.name)
      .find((r) => r.podTemplateHash === ro.status.currentPodHash);
    if (!rs) return { replicaSet: '', answered: { requests: 0, errors: 0 } };
    return { replicaSet: rs.meta.name, answered: this.mesh.telemetry.answeredBy(ns, rs.meta.name) };
  }

  /** What each ReplicaSet of a Rollout has answered users, by name. */
  private answeredByReplicaSets(ro: Rollout): Map<string, AnsweredCounts> {
    const ns = ro.meta.namespace;
    return new Map(
      this.cluster
        .listReplicaSets(ns, ro.meta.name)
        .map((rs) => [rs.meta.name, this.mesh.telemetry.answeredBy(ns, rs.meta.name)]),
    );
  }

  /** `kubectl delete`: removes each object (a Rollout takes its ReplicaSets, pods and runs with it). */
  delete(objects: readonly ManifestObject[], defaultNamespace: string): string[] {
    const lines: string[] = [];
    for (const o of [...objects].reverse()) {
      const ns = o.namespaced ? (o.namespace ?? defaultNamespace) : undefined;
      const k = key(o.kind, ns, o.name);
      const res = `${KUBECTL_RESOURCE[o.kind] ?? o.kind.toLowerCase()} "${o.name}"`;
      if (!this.lastApplied.delete(k)) {
        lines.push(`Error from server (NotFound): ${res.replace(/ ".*/, '')} "${o.name}" not found`);
        continue;
      }
      this.deleteOne(o, ns);
      lines.push(`${res} deleted`);
    }
    return lines.reverse();
  }

  private deleteOne(o: ManifestObject, ns: string | undefined): void {
    const c = this.cluster;
    switch (o.kind) {
      case 'Namespace':
        this.namespaces.delete(o.name);
        return;
      case 'Deployment':
        c.deleteDeployment(ns!, o.name);
        return;
      case 'Service':
        c.deleteService(ns!, o.name);
        return;
      case 'VirtualService':
        this.mesh.virtualServices.delete(`${ns}/${o.name}`);
        return;
      case 'Gateway':
        this.mesh.gateways.delete(`${ns}/${o.name}`);
        return;
      case 'DestinationRule':
        this.mesh.destinationRules.delete(`${ns}/${o.name}`);
        this.mesh.changed();
        return;
      case 'Ingress':
        this.mesh.ingresses.delete(`${ns}/${o.name}`);
        return;
      case 'AnalysisTemplate':
      case 'ClusterAnalysisTemplate':
        this.templates.delete(key(o.kind, ns, o.name));
        for (const r of this.rollouts.values())
          if (ns === undefined || r.ro.meta.namespace === ns) r.ctrl.enqueue();
        return;
      case 'Rollout': {
        const k = key('Rollout', ns, o.name);
        const r = this.rollouts.get(k);
        if (!r) return;
        r.actor.stop();
        r.ctrl.sendSync = () => {};
        this.rollouts.delete(k);
        this.analysis.deleteRunsOf(ns!, o.name);
        for (const rs of c.listReplicaSets(ns!, o.name)) c.deleteReplicaSet(rs);
        return;
      }
    }
  }

  /**
   * `kubectl argo rollouts set image ROLLOUT CONTAINER=IMAGE` (`*` for every container): patches
   * the referenced Deployment's template (workloadRef) or the Rollout's own; a new revision follows.
   * Returns the plugin's output, or throws InputError naming what is missing.
   */
  setImage(ns: string, rollout: string, container: string, image: string): string {
    const r = this.rollout(ns, rollout);
    if (!r) throw new InputError(`rollouts.argoproj.io "${rollout}" not found`);
    const patch = (t: PodTemplate): PodTemplate => {
      const names = t.containers.map((c) => c.name);
      if (container !== '*' && !names.includes(container)) {
        throw new InputError(
          `unable to find container named "${container}" (containers: ${names.join(', ')})`,
        );
      }
      const raw = structuredClone(t.raw) as { spec?: { containers?: { name?: string; image?: string }[] } };
      for (const c of raw.spec?.containers ?? [])
        if (container === '*' || c.name === container) c.image = image;
      return {
        ...t,
        containers: t.containers.map((c) =>
          container === '*' || c.name === container ? { ...c, image } : c,
        ),
        raw,
      };
    };
    const ref = r.ro.spec.workloadRef;
    if (ref) {
      const d = this.cluster.getDeployment(ns, ref.name);
      if (!d) throw new InputError(`deployments.apps "${ref.name}" not found`);
      this.cluster.putDeployment({ ...d, template: patch(d.template) });
      this.patchedLive(key('Deployment', ns, ref.name));
      // The plugin updates the referenced Deployment and names it (set_image.go).
      return `deployment "${ref.name}" image updated`;
    }
    this.patchedLive(key('Rollout', ns, rollout));
    r.ro.spec = { ...r.ro.spec, template: patch(r.ro.spec.template!) };
    r.ro.meta.generation++;
    r.ctrl.enqueue();
    return `rollout "${rollout}" image updated`;
  }

  /**
   * `kubectl argo rollouts undo ROLLOUT [--to-revision N]`: copies the pod template of revision N
   * (0: the one before the newest) back — into the Rollout, or with a workloadRef into the
   * referenced Deployment, as the plugin's JSON patch of `/spec/template` does. Returns the
   * plugin's output (`rollout 'NAME' undo`, or the skip message); throws InputError with the
   * plugin's error when there is no such revision.
   */
  undo(ns: string, rollout: string, toRevision = 0): string {
    const r = this.rollout(ns, rollout);
    if (!r) throw new InputError(`rollouts.argoproj.io "${rollout}" not found`);
    const ref = r.ro.spec.workloadRef;
    const plan = planUndo(rollout, this.cluster.listReplicaSets(ns, rollout), r.ro.spec.template, toRevision);
    if (plan.kind === 'error') throw new InputError(plan.message);
    if (plan.kind === 'skip') return plan.message;
    if (ref) {
      const d = this.cluster.getDeployment(ns, ref.name);
      if (!d)
        throw new InputError(
          `failed restoring revision ${toRevision}: deployments.apps "${ref.name}" not found`,
        );
      this.cluster.putDeployment({ ...d, template: plan.template });
      this.patchedLive(key('Deployment', ns, ref.name));
    } else {
      this.patchedLive(key('Rollout', ns, rollout));
      r.ro.spec = { ...r.ro.spec, template: plan.template };
      r.ro.meta.generation++;
      r.ctrl.enqueue();
    }
    return `rollout '${rollout}' undo`;
  }

  /**
   * `kubectl argo rollouts restart ROLLOUT [--in D]`: sets spec.restartAt to now + D (RFC 3339,
   * whole seconds); the controller then replaces the pods created before it, a few at a time.
   * `inRaw` is the flag as given, echoed as the plugin does (`0s` when absent).
   */
  restart(ns: string, rollout: string, inMs = 0, inRaw = ''): string {
    const r = this.rollout(ns, rollout);
    if (!r) throw new InputError(`rollouts.argoproj.io "${rollout}" not found`);
    r.ro.spec = { ...r.ro.spec, restartAt: Math.floor((this.clock.now() + inMs) / 1000) * 1000 };
    r.ro.meta.generation++;
    r.ctrl.enqueue();
    return `rollout '${rollout}' restarts in ${inRaw || '0s'}`;
  }

  /**
   * Sets a fault (a timeline's `fault`, `canarysim fault set`, the control API): the behaviour it
   * gives overrides the models of the pods it targets until cleared; `crash: now` kills their
   * running processes at once (the kubelet restarts them with its back-off). Returns a line to
   * print, naming how many running pods it hits now.
   */
  setFault(f: Fault): string {
    this.apps.setFault(f);
    const hits = (pod: Pod) => pod.process !== undefined && faultTargets(f, pod.meta, pod.process.image);
    const running = this.cluster.allPods().filter((p) => !p.terminating && p.process && !p.process.exited);
    const n = running.filter(hits).length;
    const killed = f.crashNow ? this.cluster.kubelet.crashNow(hits) : 0;
    const target = [
      f.image ? `image ${f.image.text}` : '',
      f.pod ? `pod ${f.namespace ? `${f.namespace}/` : ''}${f.pod}` : '',
    ]
      .filter((x) => x)
      .join(', ');
    return `fault set on ${target}: ${n} running pod${n === 1 ? '' : 's'} affected${killed > 0 ? `, ${killed} crashed` : ''}`;
  }

  /**
   * The embedded Prometheus goes down or slow (`undefined`: healthy again): measurements against
   * it fail as Argo's provider would see it. Returns a line to print.
   */
  setPrometheusFault(fault: PrometheusFault | undefined): string {
    this.prometheus.fault = fault;
    return fault === undefined ? 'prometheus answers again' : `prometheus is ${fault}`;
  }

  /** The ingress gateway's Envoy restarts in place: its Istio counters start again from zero. */
  restartGateway(): string {
    this.mesh.restartGateway();
    return 'istio-ingress: envoy restarted (counters reset)';
  }

  /** Clears the faults with this target (every fault without one). Returns a line to print. */
  clearFaults(target?: Pick<Fault, 'image' | 'pod' | 'namespace'>): string {
    const n = this.apps.clearFaults(target);
    return `${n} fault${n === 1 ? '' : 's'} cleared`;
  }

  /**
   * The live object no longer matches its last-applied manifest (a patch such as set image), so
   * re-applying that manifest is a change, as kubectl's three-way merge sees it: `configured`.
   */
  private patchedLive(k: string): void {
    if (this.lastApplied.has(k)) this.lastApplied.set(k, '\u0000patched');
  }

  // ---- reading ---------------------------------------------------------------------------------

  /**
   * Changes whenever anything observable might have: cluster objects, events, analysis runs,
   * rollout syncs. Observers that poll (waits on conditions) skip work while it stands still.
   */
  changeStamp(): string {
    let syncs = 0;
    for (const r of this.rollouts.values()) syncs += r.ctrl.changes;
    return `${this.cluster.version}/${this.events.events.length}/${this.analysis.version}/${syncs}/${this.rollouts.size}/${this.mesh.virtualServices.size}`;
  }

  /**
   * Until when (epoch ms) every running app answers requests as it does now, between the clock's
   * events: `now` if one does not (load then ticks), infinity when no timed change is ahead.
   * Routing and readiness change only at events (timers, commands), which load catches up before.
   */
  steadyUntil(): number {
    const now = this.clock.now();
    let until = Infinity;
    for (const p of this.cluster.allPods()) {
      if (!p.process) continue;
      until = Math.min(until, p.process.steadyUntil(now));
      if (until <= now) return now;
    }
    return until;
  }

  rollout(ns: string, name: string): RolloutRuntime | undefined {
    return this.rollouts.get(key('Rollout', ns, name));
  }

  /** An instant PromQL query against the embedded Prometheus, now. */
  query(expr: string): QueryResult {
    return this.engine.instantQuery(this.storage, expr, this.clock.now());
  }

  /** Sends `count` identical requests through the mesh now (routing draws from the routing stream). */
  dispatch(req: MeshRequest, count: number, defaultNamespace: string): Outcome[] {
    return this.mesh.dispatch(req, count, this.routingRng, defaultNamespace);
  }
}
