import { Rng } from '../clock/index.js';
import type { Pod, Service } from '../cluster/index.js';
import {
  clientIdentity,
  gatewayIdentity,
  podIdentity,
  UNKNOWN_IDENTITY,
  type WorkloadIdentity,
} from './istioIdentity.js';
import { IstioStats, type IstioLabels, type ScrapeTarget } from './IstioStats.js';
import type { Latencies } from './latencySample.js';

/** Identity of the ingress gateway workload (the Helm `gateway` chart release `istio-ingress`). */
export interface IngressIdentity {
  namespace: string;
  workload: string;
  pod: string;
  ip: string;
}

/**
 * A client inside the mesh: requests start in this workload's sidecar (east-west traffic), which
 * routes them by the VirtualServices that apply to the mesh and reports them with
 * `reporter="source"` and this workload's identity. The workload itself need not be simulated.
 */
export interface MeshSource {
  namespace: string;
  workload: string;
  /** The client pods' `app` label (Istio's source_app); default: the workload name. */
  app?: string;
  /** The client pods' `version` label (source_version); default unknown. */
  version?: string;
}

/** Who reports a request at its source: the ingress gateway, a client's sidecar, or nobody (outside the mesh). */
export type SourceReporter = { kind: 'gateway' } | { kind: 'client'; source: MeshSource } | { kind: 'none' };

const fqdn = (svc: Service) => `${svc.meta.name}.${svc.meta.namespace}.svc.cluster.local`;

/** The key of an absent pod or Service in the label cache. */
const NONE: object = {};

/** Labels by source identity, pod (or NONE), Service (or NONE), then status (flags "-") or status|flags. */
type LabelCache = WeakMap<
  WorkloadIdentity,
  WeakMap<object, WeakMap<object, { plain: Map<number, IstioLabels>; flagged: Map<string, IstioLabels> }>>
>;

/** A deterministic pod name and address for a client workload that is not simulated. */
function clientPod(s: MeshSource, seq: number): { pod: string; ip: string } {
  let h = 2166136261;
  for (const ch of `${s.namespace}/${s.workload}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const alpha = 'bcdfghjklmnpqrstvwxz2456789';
  let suffix = '';
  for (let i = 0; i < 15; i++) {
    suffix += alpha[h % alpha.length];
    h = Math.floor(h / alpha.length) || Math.imul(h + i + 1, 2654435761) >>> 0;
  }
  return {
    pod: `${s.workload}-${suffix.slice(0, 10)}-${suffix.slice(10)}`,
    ip: `10.245.${(seq >> 8) & 255}.${seq & 255}`,
  };
}

/** An answer the ingress gateway reported: the pod that gave it (none: Envoy's own), its status, how many. */
export type GatewayObserver = (pod: Pod | undefined, status: number, count: number) => void;

/**
 * Istio's telemetry in the simulated mesh: the ingress gateway's metrics, each injected pod's
 * sidecar, and the sidecars of client workloads that send east-west traffic — each an IstioStats
 * registry Prometheus scrapes — and the labels of every report.
 */
export class MeshTelemetry {
  readonly ingressStats: IstioStats;
  private readonly sidecars = new Map<string, IstioStats>();
  private readonly clients = new Map<string, IstioStats>();
  /**
   * Labels by reporter, then by source identity, pod and Service (object identity), then status
   * and flags: the hot path builds no strings (a batch per pod per tick records here).
   */
  private readonly sourceLabels: LabelCache = new WeakMap();
  private readonly destinationLabels: LabelCache = new WeakMap();
  /** User requests answered by each ReplicaSet's pods, by `namespace/replicaSet` (see `answeredBy`). */
  private readonly answered = new Map<string, { requests: number; errors: number }>();
  private readonly answeredByPod = new WeakMap<Pod, { requests: number; errors: number }>();
  /** Client workloads' identities, one object per workload (the label cache keys on it). */
  private readonly clientIdentities = new Map<string, WorkloadIdentity>();
  private readonly gateway: WorkloadIdentity;
  /** Who hears of each answer the ingress gateway reports (live mode's browser view). */
  private readonly gatewayObservers: GatewayObserver[] = [];

  constructor(
    readonly ingress: IngressIdentity,
    /** Seeds each proxy's latency stream (by its pod name, so one proxy's draws never shift another's). */
    private readonly seed: string,
  ) {
    this.ingressStats = this.stats({
      job: 'envoy-stats',
      instance: `${ingress.ip}:15090`,
      namespace: ingress.namespace,
      pod: ingress.pod,
    });
    this.gateway = gatewayIdentity(ingress.workload, ingress.namespace);
  }

  private stats(target: ScrapeTarget): IstioStats {
    return new IstioStats(target, new Rng(`${this.seed}/${target.namespace}/${target.pod}`));
  }

  /** The sidecar metrics of a pod (created on first use), or undefined for pods without istio-proxy. */
  sidecarStats(pod: Pod): IstioStats | undefined {
    if (!pod.sidecar) return undefined;
    let s = this.sidecars.get(pod.meta.name);
    if (!s) {
      s = this.stats({
        job: 'envoy-stats',
        instance: `${pod.ip}:15090`,
        namespace: pod.meta.namespace,
        pod: pod.meta.name,
      });
      this.sidecars.set(pod.meta.name, s);
    }
    return s;
  }

  /** The sidecar of a client workload (one simulated pod of it), created on first use. */
  clientStats(s: MeshSource): IstioStats {
    const k = `${s.namespace}/${s.workload}`;
    let stats = this.clients.get(k);
    if (!stats) {
      const p = clientPod(s, this.clients.size + 2);
      stats = this.stats({
        job: 'envoy-stats',
        instance: `${p.ip}:15090`,
        namespace: s.namespace,
        pod: p.pod,
      });
      this.clients.set(k, stats);
    }
    return stats;
  }

  /** Client workloads' sidecars, in the order they first sent traffic. */
  clientTargets(): IstioStats[] {
    return [...this.clients.values()];
  }

  /**
   * User requests a ReplicaSet's pods (or their sidecars) answered so far, and those answered
   * with a 5xx: the requests reported at their source (`reporter="source"`, by the gateway or a
   * client's sidecar) — so neither mirrored copies, which only the destination reports, nor
   * requests from outside the mesh count, and the numbers are what `istio_requests_total
   * {reporter="source"}` adds up to for those pods, before any scrape.
   */
  answeredBy(namespace: string, replicaSet: string): { requests: number; errors: number } {
    const n = this.answered.get(`${namespace}/${replicaSet}`);
    return { requests: n?.requests ?? 0, errors: n?.errors ?? 0 };
  }

  /**
   * Calls `observer` with every answer the ingress gateway reports from now on (the pod that
   * answered, or none for Envoy's own answers), as it reports it; returns the unsubscribe.
   */
  observeGateway(observer: GatewayObserver): () => void {
    this.gatewayObservers.push(observer);
    return () => {
      const i = this.gatewayObservers.indexOf(observer);
      if (i >= 0) this.gatewayObservers.splice(i, 1);
    };
  }

  private toObservers(pod: Pod | undefined, status: number, count: number): void {
    for (const o of this.gatewayObservers) o(pod, status, count);
  }

  /** Forgets a deleted pod's sidecar. */
  dropSidecar(podName: string): void {
    this.sidecars.delete(podName);
  }

  private sourceStats(r: SourceReporter): IstioStats | undefined {
    return r.kind === 'gateway'
      ? this.ingressStats
      : r.kind === 'client'
        ? this.clientStats(r.source)
        : undefined;
  }

  private sourceIdentity(r: SourceReporter): WorkloadIdentity {
    return r.kind === 'gateway'
      ? this.gateway
      : r.kind === 'client'
        ? this.clientIdentity(r.source)
        : UNKNOWN_IDENTITY;
  }

  private clientIdentity(s: MeshSource): WorkloadIdentity {
    const k = `${s.namespace}/${s.workload}/${s.app ?? ''}/${s.version ?? ''}`;
    let id = this.clientIdentities.get(k);
    if (!id) this.clientIdentities.set(k, (id = clientIdentity(s)));
    return id;
  }

  /**
   * An answer Envoy made itself (404 NR, 503 NC/UH/UF): reported by the proxy that made it — the
   * gateway or the client's sidecar — with `svc` as destination_service when it knew one.
   */
  recordLocal(
    r: SourceReporter,
    svc: Service | undefined,
    status: number,
    flags: string,
    latencies: Latencies,
  ): void {
    const stats = this.sourceStats(r);
    if (!stats) return;
    const src = this.sourceIdentity(r);
    stats.record(this.labels('source', r, src, undefined, svc, status, flags), latencies);
    if (r.kind === 'gateway' && this.gatewayObservers.length > 0)
      this.toObservers(undefined, status, latencies.count);
  }

  /**
   * Requests a pod's app answered: the source side reports them (the gateway or the client's
   * sidecar) unless they came from outside the mesh, and the pod's sidecar reports them as the
   * destination. `shadow` copies (mirroring) are reported by the destination only (see
   * Mesh.record). `flags` differ where Envoy's differ (a refused connection: `UF,URX` inbound).
   */
  recordUpstream(
    r: SourceReporter,
    pod: Pod,
    svc: Service,
    status: number,
    source: Latencies,
    destination: Latencies,
    opts: { shadow?: boolean; sourceFlags?: string; destinationFlags?: string } = {},
  ): void {
    const src = this.sourceIdentity(r);
    const stats = opts.shadow ? undefined : this.sourceStats(r);
    if (stats) {
      stats.record(this.labels('source', r, src, pod, svc, status, opts.sourceFlags ?? '-'), source);
      let n = this.answeredByPod.get(pod);
      if (!n) {
        const k = `${pod.meta.namespace}/${pod.rs}`;
        n = this.answered.get(k);
        if (!n) this.answered.set(k, (n = { requests: 0, errors: 0 }));
        this.answeredByPod.set(pod, n);
      }
      n.requests += source.count;
      if (status >= 500) n.errors += source.count;
      if (r.kind === 'gateway' && this.gatewayObservers.length > 0)
        this.toObservers(pod, status, source.count);
    }
    const side = this.sidecarStats(pod);
    if (side)
      side.record(
        this.labels('destination', r, src, pod, svc, status, opts.destinationFlags ?? '-'),
        destination,
      );
  }

  /**
   * Istio's labels for one report. Choices where Istio varies (documented in the README): the
   * workload is the Rollout (Istio strips Argo's hash suffix), versions are the pod's `version`
   * label or `unknown`, and the sidecar reports the same destination_service as the caller routed to.
   */
  private labels(
    reporter: 'source' | 'destination',
    r: SourceReporter,
    src: WorkloadIdentity,
    pod: Pod | undefined,
    svc: Service | undefined,
    status: number,
    flags: string,
  ): IstioLabels {
    const bySrc = reporter === 'source' ? this.sourceLabels : this.destinationLabels;
    let byPod = bySrc.get(src);
    if (!byPod) bySrc.set(src, (byPod = new WeakMap()));
    const podKey: object = pod ?? NONE;
    let bySvc = byPod.get(podKey);
    if (!bySvc) byPod.set(podKey, (bySvc = new WeakMap()));
    const svcKey: object = svc ?? NONE;
    let codes = bySvc.get(svcKey);
    if (!codes) bySvc.set(svcKey, (codes = { plain: new Map(), flagged: new Map() }));
    let cached: IstioLabels | undefined;
    if (flags === '-') {
      cached = codes.plain.get(status);
      if (!cached)
        codes.plain.set(status, (cached = this.makeLabels(reporter, src, pod, svc, status, flags, r)));
    } else {
      const k = `${status}|${flags}`;
      cached = codes.flagged.get(k);
      if (!cached)
        codes.flagged.set(k, (cached = this.makeLabels(reporter, src, pod, svc, status, flags, r)));
    }
    return cached;
  }

  private makeLabels(
    reporter: 'source' | 'destination',
    src: WorkloadIdentity,
    pod: Pod | undefined,
    svc: Service | undefined,
    status: number,
    flags: string,
    r: SourceReporter,
  ): IstioLabels {
    const mtls = r.kind !== 'none';
    const dst = pod ? podIdentity(pod) : UNKNOWN_IDENTITY;
    const l: IstioLabels = {
      reporter,
      source_workload: src.workload,
      source_workload_namespace: src.namespace,
      source_principal: src.principal,
      source_app: src.app,
      source_version: src.version,
      source_canonical_service: src.canonicalService,
      source_canonical_revision: src.canonicalRevision,
      source_cluster: src.cluster,
      destination_workload: dst.workload,
      destination_workload_namespace: dst.namespace,
      destination_principal: dst.principal,
      destination_app: dst.app,
      destination_version: dst.version,
      destination_service: svc ? fqdn(svc) : 'unknown',
      destination_service_name: svc?.meta.name ?? 'unknown',
      destination_service_namespace: svc?.meta.namespace ?? 'unknown',
      destination_canonical_service: dst.canonicalService,
      destination_canonical_revision: dst.canonicalRevision,
      destination_cluster: dst.cluster,
      request_protocol: 'http',
      response_code: String(status),
      grpc_response_status: '',
      response_flags: flags,
      connection_security_policy: reporter === 'source' ? 'unknown' : mtls ? 'mutual_tls' : 'none',
    };
    return l;
  }
}
