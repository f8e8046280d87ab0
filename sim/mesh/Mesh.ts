import { DEFAULT_HOPS, sumOf, type HopLatencies, type LatencyModel } from '../../app/index.js';
import type { Rng } from '../clock/index.js';
import { selectorMatches, type Cluster, type Pod, type Service } from '../cluster/index.js';
import { routeMatches } from './httpMatch.js';
import type { IstioStats } from './IstioStats.js';
import type { Latencies } from './latencySample.js';
import {
  MeshTelemetry,
  type IngressIdentity,
  type MeshSource,
  type SourceReporter,
} from './MeshTelemetry.js';
import type { DestinationRule, Gateway, HttpRoute, Ingress, IngressPath, VirtualService } from './objects.js';
import { rawHttpRoute } from './rawHttpRoute.js';
import type { RequestUrl } from './requestUrl.js';
import { destinationWeights, hostMatches, mirrorPolicies, splitByWeight, splitUniform } from './routing.js';

export type { IngressIdentity, MeshSource } from './MeshTelemetry.js';

export interface MeshRequest {
  /** Where it goes; `url.host` is the Host the gateway routes by. */
  url: RequestUrl;
  method: string;
  /** Absent: a client outside the mesh (through the ingress gateway, an Ingress, or straight to a Service). */
  source?: MeshSource;
  /** The request body (hey -d, a POST the app reads), if any. */
  body?: string;
  /**
   * The request's headers, names in lower case (values of repeated headers joined with ", ").
   * A `host` entry is the `:authority` VirtualService `match` rules see (default: from `url`).
   */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Where a planned group of requests goes. `shadow` is a mirrored copy (VirtualService `mirror`):
 * Envoy sends it to a pod and drops the answer; the client never sees it, and only the pod's
 * sidecar counts it (see `record`). `source` marks east-west traffic (a client's sidecar routed
 * and reports it); `ingress` marks traffic through a Kubernetes Ingress (outside the mesh).
 */
export type PlanTarget =
  | { kind: 'pod'; pod: Pod; svc: Service; viaGateway: boolean; source?: MeshSource; ingress?: boolean }
  | {
      kind: 'local';
      status: number;
      body: string;
      flags: string;
      svc?: Service;
      source?: MeshSource;
      /** An answer no Istio proxy made (an Ingress controller's): nobody reports it. */
      unreported?: boolean;
    }
  | { kind: 'error'; error: string; viaGateway: boolean }
  | { kind: 'shadow'; pod: Pod; svc: Service; source?: MeshSource };

export interface Planned {
  count: number;
  target: PlanTarget;
}

/** `count` requests that ended the same way. */
export interface Outcome {
  count: number;
  /** HTTP status; 0 with `error` set for a transport error (no response). */
  status: number;
  body: string;
  /** Content-Length of the response, bytes. */
  bytes: number;
  /** What the client measures, end to end. */
  clientLatency: LatencyModel;
  /** Transport error text as Go's http client prints it (hey's Error distribution), when status is 0. */
  error?: string;
  /** The pod that answered, when one did. */
  pod?: string;
}

/** Envoy's answer when it cannot connect to the app behind a sidecar (its inbound local reply). */
export const UPSTREAM_FAILURE =
  'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

/** Envoy's answer when the app closes the connection without answering. */
export const UPSTREAM_RESET =
  'upstream connect error or disconnect/reset before headers. reset reason: connection termination';

/** The client-side compositions of the hops for one app latency. */
interface Paths {
  viaGateway: LatencyModel;
  viaGatewayUpstream: LatencyModel;
  atPod: LatencyModel;
  direct: LatencyModel;
}

const reporterOf = (t: Exclude<PlanTarget, { kind: 'error' }>): SourceReporter => {
  if (t.source) return { kind: 'client', source: t.source };
  if (t.kind === 'pod') return t.viaGateway ? { kind: 'gateway' } : { kind: 'none' };
  if (t.kind === 'local') return t.unreported ? { kind: 'none' } : { kind: 'gateway' };
  return { kind: 'gateway' };
};

/**
 * The Istio-like data plane. Requests from outside enter through the ingress gateway (the first
 * VirtualService route bound to a Gateway whose `match` holds, split by weight to a Service —
 * or a DestinationRule subset of it — then to one of its ready pods, mirrored when the route
 * says so), through a Kubernetes Ingress (host and path rules to a Service), or straight to a
 * Service (kube-proxy: uniform over ready pods). Requests from a client workload inside the mesh
 * (east-west) are routed by that workload's sidecar with the VirtualServices that apply to the
 * mesh. Each request is answered by the pod's app process and recorded in Istio's metrics by the
 * proxy at each end (see MeshTelemetry).
 */
export class Mesh {
  readonly virtualServices = new Map<string, VirtualService>();
  readonly gateways = new Map<string, Gateway>();
  readonly destinationRules = new Map<string, DestinationRule>();
  readonly ingresses = new Map<string, Ingress>();
  readonly telemetry: MeshTelemetry;
  private readonly paths = new WeakMap<LatencyModel, Paths>();
  private readonly defaultPaths: Paths;
  private readonly gatewayOnly: LatencyModel;
  private readonly sidecarOnly: LatencyModel;

  constructor(
    private readonly cluster: Cluster,
    readonly ingress: IngressIdentity,
    private readonly hops: HopLatencies = DEFAULT_HOPS,
    private readonly now: () => number = () => 0,
    /** Seeds the proxies' latency draws (the scenario's seed, so another seed draws other latencies). */
    seed: string | number = 0,
  ) {
    this.telemetry = new MeshTelemetry(ingress, `${String(seed)}/istio-telemetry`);
    this.defaultPaths = this.compose(hops.app);
    this.paths.set(hops.app, this.defaultPaths);
    this.gatewayOnly = sumOf([hops.client, hops.gateway]);
    this.sidecarOnly = sumOf([hops.sidecar]);
  }

  private compose(app: LatencyModel): Paths {
    const h = this.hops;
    return {
      viaGateway: sumOf([h.client, h.gateway, h.sidecar, app]),
      viaGatewayUpstream: sumOf([h.gateway, h.sidecar, app]),
      atPod: sumOf([h.sidecar, app]),
      direct: sumOf([h.client, h.sidecar, app]),
    };
  }

  /** The mesh's latency compositions for an app latency (the default app hop when undefined). */
  private pathsFor(app: LatencyModel | undefined): Paths {
    if (!app) return this.defaultPaths;
    let p = this.paths.get(app);
    if (!p) this.paths.set(app, (p = this.compose(app)));
    return p;
  }

  get ingressStats(): IstioStats {
    return this.telemetry.ingressStats;
  }

  /**
   * The ingress gateway's Envoy restarts in place (OOM-killed, say): same pod, same labels, every
   * counter from zero — the counter reset `rate` and `irate` must see through.
   */
  restartGateway(): void {
    this.telemetry.ingressStats.metrics.reset();
  }

  /** The sidecar metrics of a pod (created on first use), or undefined for pods without istio-proxy. */
  sidecarStats(pod: Pod): IstioStats | undefined {
    return this.telemetry.sidecarStats(pod);
  }

  /** Scrape targets that exist right now: the gateway, every running pod with a sidecar, and client workloads' sidecars. */
  scrapeTargets(): IstioStats[] {
    const out = [this.telemetry.ingressStats];
    for (const p of this.cluster.allPods()) {
      if (
        !p.sidecar ||
        p.status === 'ContainerCreating' ||
        p.status === 'ErrImagePull' ||
        p.status === 'ImagePullBackOff'
      )
        continue;
      out.push(this.telemetry.sidecarStats(p)!);
    }
    out.push(...this.telemetry.clientTargets());
    return out;
  }

  /**
   * Writes the typed routes back into the VirtualService's echoed spec (what `get -o yaml` shows):
   * after Argo Rollouts rewrote weights or added / removed managed routes.
   */
  syncRawSpec(vs: VirtualService): void {
    if (vs.http.length === 0 && vs.rawSpec['http'] === undefined) return;
    vs.rawSpec['http'] = vs.http.map(rawHttpRoute);
  }

  /** Forgets a deleted pod's sidecar. */
  dropSidecar(podName: string): void {
    this.telemetry.dropSidecar(podName);
  }

  /** VirtualServices whose hosts match `host` and that are bound to an existing Gateway, oldest first. */
  private gatewayRoutes(host: string): { vs: VirtualService; routes: HttpRoute[] }[] {
    const out: { vs: VirtualService; routes: HttpRoute[] }[] = [];
    for (const vs of this.virtualServices.values()) {
      if (!vs.hosts.some((h) => hostMatches(h, host))) continue;
      const bound = vs.gateways.some((g) => {
        if (g === 'mesh') return false;
        const [ns, name] = g.includes('/') ? g.split('/', 2) : [vs.meta.namespace, g];
        const gw = this.gateways.get(`${ns}/${name}`);
        return (
          gw !== undefined &&
          gw.servers.some((s) => s.hosts.some((h) => hostMatches(h.replace(/^[^/]*\//, ''), host)))
        );
      });
      if (bound) out.push({ vs, routes: vs.http });
    }
    return byAge(out);
  }

  /**
   * VirtualServices that apply to sidecars (no `gateways`, or `mesh` among them) for the Service
   * a client in the mesh addresses: their hosts, short names resolved in the VirtualService's
   * namespace, name the Service's FQDN.
   */
  private meshRoutes(svc: Service): { vs: VirtualService; routes: HttpRoute[] }[] {
    const target = fqdnOf(svc);
    const out: { vs: VirtualService; routes: HttpRoute[] }[] = [];
    for (const vs of this.virtualServices.values()) {
      if (vs.gateways.length > 0 && !vs.gateways.includes('mesh')) continue;
      if (vs.hosts.some((h) => hostMatches(qualify(h, vs.meta.namespace), target)))
        out.push({ vs, routes: vs.http });
    }
    return byAge(out);
  }

  /** Resolves `host` as a Service name the way cluster DNS does (`svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`). */
  resolveService(host: string, defaultNamespace: string): Service | undefined {
    const parts = host.split('.');
    if (parts.length === 1) return this.cluster.getService(defaultNamespace, parts[0]!);
    if (parts.length === 2) return this.cluster.getService(parts[1]!, parts[0]!);
    if (parts[2] === 'svc' && (parts.length === 3 || parts.slice(3).join('.') === 'cluster.local')) {
      return this.cluster.getService(parts[1]!, parts[0]!);
    }
    return undefined;
  }

  /** Endpoint sets may have moved (a DestinationRule's subsets changed): caches keyed on the cluster's version drop. */
  changed(): void {
    this.cluster.version++;
  }

  /** The DestinationRule for a Service: one whose `host` (short names in its own namespace) names it, oldest first. */
  destinationRuleFor(svc: Service): DestinationRule | undefined {
    const target = fqdnOf(svc);
    let best: DestinationRule | undefined;
    for (const dr of this.destinationRules.values())
      if (qualify(dr.host, dr.meta.namespace) === target)
        if (!best || dr.meta.creationTimestamp < best.meta.creationTimestamp) best = dr;
    return best;
  }

  /**
   * Where `count` identical requests go, grouped: to a pod (through the gateway, an Ingress, a
   * client's sidecar, or straight to a Service), an answer Envoy makes itself (no route, no
   * cluster, no healthy upstream), or a transport error. Routing draws use `rng`;
   * `defaultNamespace` resolves short Service names (kubectl's namespace, or the client's).
   * Nothing is recorded: `dispatch` (virtual) and the live proxy act on the plan.
   */
  plan(req: MeshRequest, count: number, rng: Rng, defaultNamespace: string): Planned[] {
    const url = req.url;
    if (req.source) return this.planFromSidecar(req, req.source, count, rng);
    const routes = url.port === 80 || url.port === 443 ? this.gatewayRoutes(url.host) : [];
    if (routes.length > 0) return this.planRoutes(req, routes, count, rng, undefined);
    const ing = url.port === 80 || url.port === 443 ? this.ingressBackend(url.host, url.path) : undefined;
    if (ing) {
      if (!ing.svc)
        return [
          {
            count,
            target: { kind: 'local', status: 503, body: SERVICE_UNAVAILABLE, flags: '-', unreported: true },
          },
        ];
      return this.planService(req, ing.svc, count, rng, { viaGateway: false, ingress: true });
    }
    const svc = this.resolveService(url.host, defaultNamespace);
    if (svc && svc.ports.some((p) => p.port === url.port))
      return this.planService(req, svc, count, rng, { viaGateway: false });
    const error = svc
      ? `Get "${url.raw}": dial tcp ${url.host}:${url.port}: connect: connection refused`
      : `Get "${url.raw}": dial tcp: lookup ${url.host}: no such host`;
    return [{ count, target: { kind: 'error', error, viaGateway: false } }];
  }

  /** East-west: the client's sidecar resolves the host, applies the mesh's VirtualServices, or goes to the Service. */
  private planFromSidecar(req: MeshRequest, source: MeshSource, count: number, rng: Rng): Planned[] {
    const url = req.url;
    const svc = this.resolveService(url.host, source.namespace);
    if (!svc) {
      const error = `Get "${url.raw}": dial tcp: lookup ${url.host}: no such host`;
      return [{ count, target: { kind: 'error', error, viaGateway: false } }];
    }
    const routes = this.meshRoutes(svc);
    if (routes.length > 0) return this.planRoutes(req, routes, count, rng, source);
    if (!svc.ports.some((p) => p.port === url.port)) {
      const error = `Get "${url.raw}": dial tcp ${url.host}:${url.port}: connect: connection refused`;
      return [{ count, target: { kind: 'error', error, viaGateway: false } }];
    }
    return this.planService(req, svc, count, rng, { viaGateway: false, source });
  }

  /**
   * Istio merges the VirtualServices of one host (oldest first); routes are tried in order and
   * the first whose `match` holds takes the request. The requests of a batch are identical, so
   * the whole batch takes one route, split over its destinations by weight.
   */
  private planRoutes(
    req: MeshRequest,
    matched: { vs: VirtualService; routes: HttpRoute[] }[],
    count: number,
    rng: Rng,
    source: MeshSource | undefined,
  ): Planned[] {
    let hit: { vs: VirtualService; route: HttpRoute } | undefined;
    for (const m of matched) {
      const route = m.routes.find((r) => routeMatches(r, req));
      if (route) {
        hit = { vs: m.vs, route };
        break;
      }
    }
    const viaGateway = source === undefined;
    if (!hit) return [{ count, target: { kind: 'local', status: 404, body: '', flags: 'NR', source } }];
    const { vs, route } = hit;
    const perDest = splitByWeight(destinationWeights(route.route), count, rng);
    const out: Planned[] = [];
    route.route.forEach((d, i) => {
      const n = perDest[i]!;
      if (n === 0) return;
      const svc = this.resolveService(d.destination.host, vs.meta.namespace);
      if (!svc)
        out.push({
          count: n,
          target: { kind: 'local', status: 503, body: 'no healthy upstream', flags: 'NC', source },
        });
      else
        out.push(...this.planService(req, svc, n, rng, { viaGateway, source, subset: d.destination.subset }));
    });
    if (route.mirror || route.mirrors)
      out.push(...this.planShadows(mirrorPolicies(route), out, vs.meta.namespace, rng, source));
    return out;
  }

  /**
   * Envoy's request mirroring: of the requests the route forwarded upstream (not those Envoy
   * answered itself, 503 NC/UH, where the router stops before shadowing), each mirror policy
   * copies a fraction — a binomial draw for the batch — to its host, spread over the host's
   * ready pods. A mirror host with no Service or no ready pod drops its copies silently.
   */
  private planShadows(
    policies: ReturnType<typeof mirrorPolicies>,
    primary: readonly Planned[],
    namespace: string,
    rng: Rng,
    source: MeshSource | undefined,
  ): Planned[] {
    let forwarded = 0;
    for (const p of primary) if (p.target.kind === 'pod') forwarded += p.count;
    const out: Planned[] = [];
    for (const policy of policies) {
      if (forwarded === 0 || policy.fraction <= 0) continue;
      const k = policy.fraction >= 1 ? forwarded : rng.binomial(forwarded, policy.fraction);
      if (k === 0) continue;
      const svc = this.resolveService(policy.host, namespace);
      let pods = svc ? this.cluster.endpoints(svc) : [];
      if (svc && policy.subset !== undefined) {
        const subset = this.destinationRuleFor(svc)?.subsets.find((x) => x.name === policy.subset);
        pods = subset ? pods.filter((p) => selectorMatches(subset.labels, p.meta.labels)) : [];
      }
      if (!svc || pods.length === 0) continue;
      const perPod = splitUniform(pods.length, k, rng);
      pods.forEach((pod, i) => {
        if (perPod[i]! > 0) out.push({ count: perPod[i]!, target: { kind: 'shadow', pod, svc, source } });
      });
    }
    return out;
  }

  /**
   * A Service's ready pods — of one DestinationRule subset when the route names one — split
   * uniformly. A subset the DestinationRule does not define has no cluster in Envoy: 503 `NC`.
   * No ready pod: 503 `UH` from a proxy, connection refused straight to the Service.
   */
  private planService(
    req: MeshRequest,
    svc: Service,
    n: number,
    rng: Rng,
    via: { viaGateway: boolean; source?: MeshSource; subset?: string; ingress?: boolean },
  ): Planned[] {
    let pods = this.cluster.endpoints(svc);
    if (via.subset !== undefined) {
      const subset = this.destinationRuleFor(svc)?.subsets.find((s) => s.name === via.subset);
      if (!subset)
        return [
          {
            count: n,
            target: {
              kind: 'local',
              status: 503,
              body: 'no healthy upstream',
              flags: 'NC',
              source: via.source,
            },
          },
        ];
      pods = pods.filter((p) => selectorMatches(subset.labels, p.meta.labels));
    }
    if (pods.length === 0) {
      if (via.viaGateway || via.source)
        return [
          {
            count: n,
            target: {
              kind: 'local',
              status: 503,
              body: 'no healthy upstream',
              flags: 'UH',
              svc,
              source: via.source,
            },
          },
        ];
      if (via.ingress)
        return [
          {
            count: n,
            target: {
              kind: 'local',
              status: 503,
              body: SERVICE_UNAVAILABLE,
              flags: '-',
              svc,
              unreported: true,
            },
          },
        ];
      const error = `Get "${req.url.raw}": dial tcp ${req.url.host}:${req.url.port}: connect: connection refused`;
      return [{ count: n, target: { kind: 'error', error, viaGateway: false } }];
    }
    const perPod = splitUniform(pods.length, n, rng);
    const out: Planned[] = [];
    pods.forEach((pod, i) => {
      if (perPod[i]! > 0)
        out.push({
          count: perPod[i]!,
          target: {
            kind: 'pod',
            pod,
            svc,
            viaGateway: via.viaGateway,
            ...(via.source ? { source: via.source } : {}),
            ...(via.ingress ? { ingress: true } : {}),
          },
        });
    });
    return out;
  }

  /** The Service an Ingress sends `host` + `path` to: the longest matching path of the first rule for the host. */
  private ingressBackend(host: string, path: string): { svc?: Service } | undefined {
    const all = byAge([...this.ingresses.values()].map((ing) => ({ vs: ing })));
    for (const { vs: ing } of all) {
      let best: IngressPath | undefined;
      for (const rule of ing.rules) {
        if (rule.host !== undefined && !hostMatches(rule.host, host)) continue;
        for (const p of rule.paths)
          if (ingressPathMatches(p, path) && (!best || (p.path ?? '').length > (best.path ?? '').length))
            best = p;
      }
      const backend =
        best ??
        (ing.defaultBackend && { service: ing.defaultBackend.service, port: ing.defaultBackend.port });
      if (!backend) continue;
      const svc = this.cluster.getService(ing.meta.namespace, backend.service);
      const port =
        svc &&
        svc.ports.find((p) =>
          typeof backend.port === 'number' ? p.port === backend.port : p.name === backend.port,
        );
      return { svc: port ? svc : undefined };
    }
    return undefined;
  }

  /**
   * Virtual mode: sends `count` identical requests, answered by the pods' app processes and
   * recorded in the Istio metrics with latencies drawn from the model. Mirrored copies are
   * answered and recorded too, but return no outcome: the client never sees them.
   */
  dispatch(req: MeshRequest, count: number, rng: Rng, defaultNamespace: string): Outcome[] {
    const out: Outcome[] = [];
    const now = this.now();
    for (const { count: k, target } of this.plan(req, count, rng, defaultNamespace)) {
      if (target.kind === 'shadow') {
        const p = target.pod.process;
        if (!p) continue;
        const served = p.serve(req, k, now, rng);
        for (const g of served.groups)
          this.record(target, g.status, { count: g.count, model: this.pathsFor(g.latency).atPod });
        continue;
      }
      if (target.kind === 'error') {
        const clientLatency = target.viaGateway ? this.gatewayOnly : this.defaultPaths.direct;
        out.push({ count: k, status: 0, body: '', bytes: 0, clientLatency, error: target.error });
        continue;
      }
      if (target.kind === 'local') {
        this.record(target, target.status, { count: k, model: this.gatewayOnly });
        out.push({
          count: k,
          status: target.status,
          body: target.body,
          bytes: Buffer.byteLength(target.body),
          clientLatency: this.gatewayOnly,
        });
        continue;
      }
      const { pod } = target;
      const served = pod.process ? pod.process.serve(req, k, now, rng) : { groups: [], refused: k };
      for (const g of served.groups) {
        if (g.noResponse) {
          out.push(this.lost(target, g.count, rng, 'reset'));
          continue;
        }
        const paths = this.pathsFor(g.latency);
        this.record(
          target,
          g.status,
          { count: g.count, model: paths.viaGatewayUpstream },
          { count: g.count, model: paths.atPod },
        );
        out.push({
          count: g.count,
          status: g.status,
          body: g.body,
          bytes: Buffer.byteLength(g.body),
          clientLatency:
            target.viaGateway || target.ingress
              ? paths.viaGateway
              : target.source
                ? paths.viaGatewayUpstream
                : paths.direct,
          pod: pod.meta.name,
        });
      }
      if (served.refused > 0) out.push(this.lost(target, served.refused, rng, 'refused'));
    }
    return out;
  }

  /**
   * Requests a pod's app never answered. `refused`: it was no longer listening (it exited during
   * the batch) — with a sidecar, the sidecar cannot connect and answers 503 `UF,URX` (its inbound
   * retries spent, Istio ≥ 1.24); without one, the gateway fails to connect (503 `UF`) and a
   * client going straight to the pod gets connection refused. `reset`: the app closed the
   * connection without answering — 503 `UC` from the proxy in front of it, or a reset for a
   * client straight to the pod. The gateway passes a sidecar's 503 on as a plain 503.
   */
  private lost(
    target: Extract<PlanTarget, { kind: 'pod' }>,
    k: number,
    rng: Rng,
    how: 'refused' | 'reset',
  ): Outcome {
    const { pod } = target;
    const answeredBy = this.recordLost(
      target,
      how,
      { count: k, model: this.gatewayOnly },
      { count: k, model: this.sidecarOnly },
    );
    const body = how === 'refused' ? UPSTREAM_FAILURE : UPSTREAM_RESET;
    const bytes = Buffer.byteLength(body);
    if (answeredBy === 'sidecar')
      return { count: k, status: 503, body, bytes, clientLatency: this.gatewayOnly, pod: pod.meta.name };
    if (answeredBy === 'proxy')
      return { count: k, status: 503, body, bytes, clientLatency: this.gatewayOnly };
    const url = `http://${pod.ip}`;
    return {
      count: k,
      status: 0,
      body: '',
      bytes: 0,
      clientLatency: this.defaultPaths.direct,
      error:
        how === 'refused'
          ? `Get "${url}": dial tcp ${pod.ip}: connect: connection refused`
          : `Get "${url}": EOF`,
    };
  }

  /**
   * Counts requests a pod's app never answered (see `lost`; live mode calls it for a connection
   * its pod refused or reset) and says who answered the client 503 instead: the pod's sidecar
   * (the gateway passes its 503 on), the proxy in front (the gateway or the client's sidecar,
   * 503 `UF`/`UC`), or nobody (a client straight to a pod without sidecar gets a transport error).
   */
  recordLost(
    target: Extract<PlanTarget, { kind: 'pod' }>,
    how: 'refused' | 'reset',
    source: Latencies,
    destination: Latencies,
  ): 'sidecar' | 'proxy' | 'none' {
    const { pod, svc } = target;
    const r = reporterOf(target);
    if (pod.sidecar) {
      this.telemetry.recordUpstream(r, pod, svc, 503, source, destination, {
        destinationFlags: how === 'refused' ? 'UF,URX' : 'UC',
      });
      return 'sidecar';
    }
    if (r.kind === 'none') return 'none';
    this.telemetry.recordLocal(r, svc, 503, how === 'refused' ? 'UF' : 'UC', source);
    return 'proxy';
  }

  /**
   * Records requests in the Istio metrics: the source side's (the gateway, or a client's
   * sidecar) when they came through it or it answered them itself, the pod sidecar's
   * (reporter="destination") when a pod answered. `source` is what the source measured,
   * `destination` what the sidecar did.
   *
   * A mirrored copy (`shadow`) is counted by the receiving pod's sidecar only, with exactly the
   * labels of an ordinary request from the gateway: nothing marks it as a mirror. Istio's stats
   * filter runs in the gateway's HTTP connection manager and records a downstream request when
   * it ends; Envoy sends the shadow from the router through an async client, outside that filter
   * chain, so the gateway never reports it (istio/istio#23496 "Telemetry v2 does not report
   * metrics for mirror traffic at source, but does destination", #11093, #11475; istio/proxy
   * source/extensions/filters/http/istio_stats/istio_stats.cc logs per downstream stream). The
   * sidecar takes destination_service from its inbound cluster's service metadata, not from the
   * shadow's `<host>-shadow` Host header — canarysim's model gives it the mirror host's Service,
   * the one that selects the pod. So `reporter="source"` counts exactly the client's requests.
   */
  record(
    target: Exclude<PlanTarget, { kind: 'error' }>,
    status: number,
    source: Latencies,
    destination: Latencies = source,
  ): void {
    const r = reporterOf(target);
    if (target.kind === 'local') {
      this.telemetry.recordLocal(r, target.svc, status, target.flags, source);
      return;
    }
    this.telemetry.recordUpstream(r, target.pod, target.svc, status, source, destination, {
      shadow: target.kind === 'shadow',
    });
  }

  /**
   * Live mode: one request the proxy forwarded, answered itself or mirrored, with its measured
   * latency. `flags` mark a request that did not end with its answer, for a pod or shadow target
   * (e.g. `DC`: the client hung up before the answer, and the gateway reset the pod's request).
   */
  recordOne(
    target: Exclude<PlanTarget, { kind: 'error' }>,
    status: number,
    latencyMs: number,
    flags = '-',
  ): void {
    const latencies = { count: 1 as const, measuredMs: latencyMs };
    if (target.kind === 'local' || flags === '-') {
      this.record(target, status, latencies);
      return;
    }
    this.telemetry.recordUpstream(reporterOf(target), target.pod, target.svc, status, latencies, latencies, {
      shadow: target.kind === 'shadow',
      sourceFlags: flags,
      destinationFlags: flags,
    });
  }
}

/** What an Ingress controller answers when its backend has no endpoints. */
const SERVICE_UNAVAILABLE = '503 Service Temporarily Unavailable';

const fqdnOf = (svc: Service) => `${svc.meta.name}.${svc.meta.namespace}.svc.cluster.local`;

/** Istio's short-name resolution: a host without a dot is `<host>.<namespace>.svc.cluster.local`. */
function qualify(host: string, namespace: string): string {
  if (host === '*' || host.includes('.')) return host;
  return `${host}.${namespace}.svc.cluster.local`;
}

function byAge<T extends { vs: { meta: { creationTimestamp: number } } }>(xs: T[]): T[] {
  return xs.sort((a, b) => a.vs.meta.creationTimestamp - b.vs.meta.creationTimestamp);
}

/** Ingress path matching: Exact, Prefix by path element, ImplementationSpecific as Prefix; no path matches all. */
function ingressPathMatches(p: IngressPath, path: string): boolean {
  if (p.path === undefined) return true;
  if (p.pathType === 'Exact') return path === p.path;
  const prefix = p.path.endsWith('/') ? p.path.slice(0, -1) : p.path;
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}
