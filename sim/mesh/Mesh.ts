import { DEFAULT_HOPS, handleRequest, sumOf, type HopLatencies, type LatencyModel } from '../../app/index.js';
import type { Rng } from '../clock/index.js';
import type { Cluster, Pod, Service } from '../cluster/index.js';
import { ENVOY_DEFAULT_BUCKETS } from './envoyBuckets.js';
import { IstioStats, type IstioLabels } from './IstioStats.js';
import { drawLatencies, type LatencyDraw } from './latencySample.js';
import { routeMatches } from './httpMatch.js';
import type { Gateway, HttpRoute, VirtualService } from './objects.js';
import { rawHttpRoute } from './rawHttpRoute.js';
import type { RequestUrl } from './requestUrl.js';
import { destinationWeights, hostMatches, mirrorPolicies, splitByWeight, splitUniform } from './routing.js';

/** Identity of the ingress gateway workload (the Helm `gateway` chart release `istio-ingress`). */
export interface IngressIdentity {
  namespace: string;
  workload: string;
  pod: string;
  ip: string;
}

export interface MeshRequest {
  /** Where it goes; `url.host` is the Host the gateway routes by. */
  url: RequestUrl;
  method: string;
  /**
   * The request's headers, names in lower case (values of repeated headers joined with ", ").
   * A `host` entry is the `:authority` VirtualService `match` rules see (default: from `url`).
   */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Where a planned group of requests goes. `shadow` is a mirrored copy (VirtualService `mirror`):
 * Envoy sends it to a pod and drops the answer; the client never sees it, and only the pod's
 * sidecar counts it (see `record`).
 */
export type PlanTarget =
  | { kind: 'pod'; pod: Pod; svc: Service; viaGateway: boolean }
  | { kind: 'local'; status: number; body: string; flags: string; svc?: Service }
  | { kind: 'error'; error: string; viaGateway: boolean }
  | { kind: 'shadow'; pod: Pod; svc: Service };

export interface Planned {
  count: number;
  target: PlanTarget;
}

/** One observed latency as a histogram draw. */
function singleDraw(ms: number): LatencyDraw {
  const buckets = new Array<number>(ENVOY_DEFAULT_BUCKETS.length + 1).fill(0);
  let b = 0;
  while (b < ENVOY_DEFAULT_BUCKETS.length && ms > ENVOY_DEFAULT_BUCKETS[b]!) b++;
  buckets[b] = 1;
  return { count: 1, buckets, sumMs: ms };
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

const CLUSTER_NAME = 'Kubernetes';

/**
 * The Istio-like data plane: the ingress gateway takes the first VirtualService route whose
 * `match` holds (uri, method, headers, query parameters…), splits by its weights to a Service,
 * then to one of its ready pods, and mirrors a share of them when the route says so; requests
 * addressed to a Service directly go through kube-proxy (uniform over ready pods). Every request
 * is recorded in the gateway's (reporter="source") and the pod sidecar's (reporter="destination")
 * Istio metrics; mirrored copies in the sidecar's only.
 */
export class Mesh {
  readonly virtualServices = new Map<string, VirtualService>();
  readonly gateways = new Map<string, Gateway>();
  readonly ingressStats: IstioStats;
  private readonly sidecars = new Map<string, IstioStats>();
  private readonly labelCache = new Map<string, IstioLabels>();
  private readonly viaGateway: LatencyModel;
  private readonly viaGatewayUpstream: LatencyModel;
  private readonly atPod: LatencyModel;
  private readonly direct: LatencyModel;
  private readonly gatewayOnly: LatencyModel;

  constructor(
    private readonly cluster: Cluster,
    readonly ingress: IngressIdentity,
    hops: HopLatencies = DEFAULT_HOPS,
  ) {
    this.ingressStats = new IstioStats({
      job: 'envoy-stats',
      instance: `${ingress.ip}:15090`,
      namespace: ingress.namespace,
      pod: ingress.pod,
    });
    this.viaGateway = sumOf([hops.client, hops.gateway, hops.sidecar, hops.app]);
    this.viaGatewayUpstream = sumOf([hops.gateway, hops.sidecar, hops.app]);
    this.atPod = sumOf([hops.sidecar, hops.app]);
    this.direct = sumOf([hops.client, hops.sidecar, hops.app]);
    this.gatewayOnly = sumOf([hops.client, hops.gateway]);
  }

  /** The sidecar metrics of a pod (created on first use), or undefined for pods without istio-proxy. */
  sidecarStats(pod: Pod): IstioStats | undefined {
    if (!pod.sidecar) return undefined;
    let s = this.sidecars.get(pod.meta.name);
    if (!s) {
      s = new IstioStats({
        job: 'envoy-stats',
        instance: `${pod.ip}:15090`,
        namespace: pod.meta.namespace,
        pod: pod.meta.name,
      });
      this.sidecars.set(pod.meta.name, s);
    }
    return s;
  }

  /** Scrape targets that exist right now: the gateway and every running pod with a sidecar. */
  scrapeTargets(): IstioStats[] {
    const out = [this.ingressStats];
    for (const p of this.cluster.allPods()) {
      if (
        !p.sidecar ||
        p.status === 'ContainerCreating' ||
        p.status === 'ErrImagePull' ||
        p.status === 'ImagePullBackOff'
      )
        continue;
      out.push(this.sidecarStats(p)!);
    }
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
    this.sidecars.delete(podName);
  }

  /** VirtualServices whose hosts match `host` and that are bound to an existing Gateway, oldest first. */
  private gatewayRoutes(host: string): { vs: VirtualService; routes: HttpRoute[] }[] {
    const out: { vs: VirtualService; routes: HttpRoute[] }[] = [];
    for (const vs of this.virtualServices.values()) {
      if (!vs.hosts.some((h) => hostMatches(h, host))) continue;
      const bound = vs.gateways.some((g) => {
        const [ns, name] = g.includes('/') ? g.split('/', 2) : [vs.meta.namespace, g];
        const gw = this.gateways.get(`${ns}/${name}`);
        return (
          gw !== undefined &&
          gw.servers.some((s) => s.hosts.some((h) => hostMatches(h.replace(/^[^/]*\//, ''), host)))
        );
      });
      if (bound) out.push({ vs, routes: vs.http });
    }
    return out.sort((a, b) => a.vs.meta.creationTimestamp - b.vs.meta.creationTimestamp);
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

  /**
   * Where `count` identical requests go, grouped: to a pod (through the gateway or straight to a
   * Service), an answer Envoy makes itself (no route, no healthy upstream), or a transport error.
   * Routing draws use `rng`; `defaultNamespace` resolves short Service names (kubectl's
   * namespace). Nothing is recorded: `dispatch` (virtual) and the live proxy act on the plan.
   */
  plan(req: MeshRequest, count: number, rng: Rng, defaultNamespace: string): Planned[] {
    const url = req.url;
    const routes = url.port === 80 || url.port === 443 ? this.gatewayRoutes(url.host) : [];
    if (routes.length > 0) return this.planIngress(req, routes, count, rng);
    const svc = this.resolveService(url.host, defaultNamespace);
    if (svc && svc.ports.some((p) => p.port === url.port))
      return this.planService(req, svc, count, rng, false);
    const error = svc
      ? `Get "${url.raw}": dial tcp ${url.host}:${url.port}: connect: connection refused`
      : `Get "${url.raw}": dial tcp: lookup ${url.host}: no such host`;
    return [{ count, target: { kind: 'error', error, viaGateway: false } }];
  }

  private planIngress(
    req: MeshRequest,
    matched: { vs: VirtualService; routes: HttpRoute[] }[],
    count: number,
    rng: Rng,
  ): Planned[] {
    // Istio merges the VirtualServices of one host on a gateway (oldest first); routes are tried
    // in order and the first whose `match` holds takes the request. The requests of a batch are
    // identical, so the whole batch takes one route.
    let hit: { vs: VirtualService; route: HttpRoute } | undefined;
    for (const m of matched) {
      const route = m.routes.find((r) => routeMatches(r, req));
      if (route) {
        hit = { vs: m.vs, route };
        break;
      }
    }
    if (!hit) return [{ count, target: { kind: 'local', status: 404, body: '', flags: 'NR' } }];
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
          target: { kind: 'local', status: 503, body: 'no healthy upstream', flags: 'NC' },
        });
      else out.push(...this.planService(req, svc, n, rng, true));
    });
    if (route.mirror || route.mirrors)
      out.push(...this.planShadows(mirrorPolicies(route), out, vs.meta.namespace, rng));
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
  ): Planned[] {
    let forwarded = 0;
    for (const p of primary) if (p.target.kind === 'pod') forwarded += p.count;
    const out: Planned[] = [];
    for (const policy of policies) {
      if (forwarded === 0 || policy.fraction <= 0) continue;
      const k = policy.fraction >= 1 ? forwarded : rng.binomial(forwarded, policy.fraction);
      if (k === 0) continue;
      const svc = this.resolveService(policy.host, namespace);
      const pods = svc ? this.cluster.endpoints(svc) : [];
      if (!svc || pods.length === 0) continue;
      const perPod = splitUniform(pods.length, k, rng);
      pods.forEach((pod, i) => {
        if (perPod[i]! > 0) out.push({ count: perPod[i]!, target: { kind: 'shadow', pod, svc } });
      });
    }
    return out;
  }

  private planService(req: MeshRequest, svc: Service, n: number, rng: Rng, viaGateway: boolean): Planned[] {
    const pods = this.cluster.endpoints(svc);
    if (pods.length === 0) {
      if (viaGateway)
        return [
          { count: n, target: { kind: 'local', status: 503, body: 'no healthy upstream', flags: 'UH', svc } },
        ];
      const error = `Get "${req.url.raw}": dial tcp ${req.url.host}:${req.url.port}: connect: connection refused`;
      return [{ count: n, target: { kind: 'error', error, viaGateway } }];
    }
    const perPod = splitUniform(pods.length, n, rng);
    const out: Planned[] = [];
    pods.forEach((pod, i) => {
      if (perPod[i]! > 0) out.push({ count: perPod[i]!, target: { kind: 'pod', pod, svc, viaGateway } });
    });
    return out;
  }

  /**
   * Virtual mode: sends `count` identical requests, answering each from the app's pure handler
   * and recording them in the Istio metrics with latencies drawn from the model. Mirrored copies
   * are answered and recorded too, but return no outcome: the client never sees them.
   */
  dispatch(req: MeshRequest, count: number, rng: Rng, defaultNamespace: string): Outcome[] {
    const out: Outcome[] = [];
    for (const { count: k, target } of this.plan(req, count, rng, defaultNamespace)) {
      if (target.kind === 'shadow') {
        if (!target.pod.app) continue;
        const res = handleRequest(target.pod.app, target.pod.env, {
          method: req.method,
          path: req.url.path,
          query: req.url.query,
        });
        this.record(target, res.status, drawLatencies(this.atPod, ENVOY_DEFAULT_BUCKETS, k, rng));
        continue;
      }
      if (target.kind === 'error') {
        const clientLatency = target.viaGateway ? this.gatewayOnly : this.direct;
        out.push({ count: k, status: 0, body: '', bytes: 0, clientLatency, error: target.error });
        continue;
      }
      if (target.kind === 'local') {
        this.record(target, target.status, drawLatencies(this.gatewayOnly, ENVOY_DEFAULT_BUCKETS, k, rng));
        const bytes = Buffer.byteLength(target.body);
        out.push({
          count: k,
          status: target.status,
          body: target.body,
          bytes,
          clientLatency: this.gatewayOnly,
        });
        continue;
      }
      const { pod, viaGateway } = target;
      if (!pod.app) continue;
      const res = handleRequest(pod.app, pod.env, {
        method: req.method,
        path: req.url.path,
        query: req.url.query,
      });
      this.record(
        target,
        res.status,
        drawLatencies(this.viaGatewayUpstream, ENVOY_DEFAULT_BUCKETS, k, rng),
        drawLatencies(this.atPod, ENVOY_DEFAULT_BUCKETS, k, rng),
      );
      out.push({
        count: k,
        status: res.status,
        body: res.body,
        bytes: Buffer.byteLength(res.body),
        clientLatency: viaGateway ? this.viaGateway : this.direct,
        pod: pod.meta.name,
      });
    }
    return out;
  }

  /**
   * Records requests in the Istio metrics: the gateway's (reporter="source") when they came
   * through it or it answered them itself, the pod sidecar's (reporter="destination") when a pod
   * answered. `sourceDraw` is what the gateway measured, `destinationDraw` what the sidecar did.
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
    sourceDraw: LatencyDraw,
    destinationDraw: LatencyDraw = sourceDraw,
  ): void {
    const code = String(status);
    if (target.kind === 'local') {
      const fqdn = target.svc
        ? `${target.svc.meta.name}.${target.svc.meta.namespace}.svc.cluster.local`
        : 'unknown';
      const key = `s|-|${fqdn}|${code}|${target.flags}`;
      this.ingressStats.record(
        key,
        this.labels(key, 'source', undefined, target.svc, code, target.flags),
        sourceDraw,
      );
      return;
    }
    const { pod, svc } = target;
    const viaGateway = target.kind === 'shadow' || target.viaGateway;
    const fqdn = `${svc.meta.name}.${svc.meta.namespace}.svc.cluster.local`;
    if (target.kind === 'pod' && viaGateway) {
      const key = `s|${pod.meta.name}|${fqdn}|${code}`;
      this.ingressStats.record(key, this.labels(key, 'source', pod, svc, code, '-'), sourceDraw);
    }
    const side = this.sidecarStats(pod);
    if (side) {
      const key = `d|${pod.meta.name}|${fqdn}|${code}|${viaGateway ? 'g' : 'x'}`;
      side.record(key, this.labels(key, 'destination', pod, svc, code, '-', viaGateway), destinationDraw);
    }
  }

  /** Live mode: one request the proxy forwarded, answered itself or mirrored, with its measured latency. */
  recordOne(target: Exclude<PlanTarget, { kind: 'error' }>, status: number, latencyMs: number): void {
    this.record(target, status, singleDraw(latencyMs));
  }

  /**
   * Istio's labels for one reporter. Choices where Istio varies (documented in the README):
   * destination_workload is the Rollout's name (recent Istio strips Argo's rollouts-pod-template-hash
   * suffix), versions are `unknown` (the demo's pods carry no `version` label), and the sidecar reports
   * the same destination_service as the gateway routed to.
   */
  private labels(
    key: string,
    reporter: 'source' | 'destination',
    pod: Pod | undefined,
    svc: Service | undefined,
    code: string,
    flags: string,
    fromGateway = true,
  ): IstioLabels {
    const cached = this.labelCache.get(key);
    if (cached) return cached;
    const ns = pod?.meta.namespace ?? svc?.meta.namespace ?? 'unknown';
    const app = pod?.meta.labels['app'] ?? 'unknown';
    const workload = pod ? pod.rs.replace(/-[a-z0-9]+$/, '') : 'unknown';
    const canonical = pod ? (pod.meta.labels['service.istio.io/canonical-name'] ?? app) : 'unknown';
    const revision = pod
      ? (pod.meta.labels['service.istio.io/canonical-revision'] ?? pod.meta.labels['version'] ?? 'latest')
      : 'unknown';
    const srcKnown = fromGateway;
    const l: IstioLabels = {
      reporter,
      source_workload: srcKnown ? this.ingress.workload : 'unknown',
      source_workload_namespace: srcKnown ? this.ingress.namespace : 'unknown',
      source_principal: srcKnown
        ? `spiffe://cluster.local/ns/${this.ingress.namespace}/sa/${this.ingress.workload}`
        : 'unknown',
      source_app: srcKnown ? this.ingress.workload : 'unknown',
      source_version: 'unknown',
      source_canonical_service: srcKnown ? this.ingress.workload : 'unknown',
      source_canonical_revision: srcKnown ? 'latest' : 'unknown',
      source_cluster: srcKnown ? CLUSTER_NAME : 'unknown',
      destination_workload: workload,
      destination_workload_namespace: pod ? ns : 'unknown',
      destination_principal: pod ? `spiffe://cluster.local/ns/${ns}/sa/default` : 'unknown',
      destination_app: app,
      destination_version: pod?.meta.labels['version'] ?? 'unknown',
      destination_service: svc ? `${svc.meta.name}.${svc.meta.namespace}.svc.cluster.local` : 'unknown',
      destination_service_name: svc?.meta.name ?? 'unknown',
      destination_service_namespace: svc?.meta.namespace ?? 'unknown',
      destination_canonical_service: canonical,
      destination_canonical_revision: revision,
      destination_cluster: pod ? CLUSTER_NAME : 'unknown',
      request_protocol: 'http',
      response_code: code,
      grpc_response_status: '',
      response_flags: flags,
      connection_security_policy: reporter === 'source' ? 'unknown' : fromGateway ? 'mutual_tls' : 'none',
    };
    this.labelCache.set(key, l);
    return l;
  }
}
