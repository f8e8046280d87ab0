import { compileRegexp, RegexpError } from '../../go/regexp.js';
import type { Mesh } from './Mesh.js';
import type { DestinationRule, HttpMatchRequest, HttpRoute, StringMatch, VirtualService } from './objects.js';
import { sortKeysDeep } from './rawHttpRoute.js';

export interface IstioRouterConfig {
  namespace: string;
  /** The Rollout's name (the DestinationRule's `managed-by-rollouts` annotation). */
  rollout?: string;
  /** Host-level splitting: the two Services (both absent with a destinationRule alone). */
  canaryService?: string;
  stableService?: string;
  /** Subset-level splitting (spec/argo-rollouts.md Appendix C). */
  destinationRule?: {
    name: string;
    canarySubsetName: string;
    stableSubsetName: string;
    additionalSubsetNames: readonly string[];
  };
  virtualServices: { name: string; routes: string[] }[];
  /** `trafficRouting.managedRoutes[].name`, in order: the routes setHeaderRoute / setMirrorRoute own. */
  managedRoutes?: readonly string[];
}

/** `setHeaderRoute` match (Argo's HeaderRoutingMatch). */
export interface HeaderRouteMatch {
  headerName: string;
  headerValue: StringMatch;
}

/** `setMirrorRoute` match (Argo's RouteMatch): method, path and headers that must all match. */
export interface MirrorRouteMatch {
  method?: StringMatch;
  path?: StringMatch;
  headers?: Record<string, StringMatch>;
}

/** What a router call did: the VirtualServices it changed, or why it stopped (Argo's error text). */
export interface RouterResult {
  changed: string[];
  error?: string;
}

/** A ReplicaSet as `UpdateHash` weighs it: may the DestinationRule point at it yet? */
export interface RsAvailability {
  name: string;
  hash: string;
  replicas: number;
  available: number;
}

/** What `updateHash` did: the DestinationRule updated (with Argo's event text), or why the reconcile stops. */
export interface HashResult {
  updated?: { rule: string; message: string };
  /** Argo's error: the reconcile ends here and is retried (a Warning event only for a missing rule). */
  error?: string;
  warning?: { reason: string; message: string };
}

export const MANAGED_BY_ROLLOUTS = 'argo-rollouts.argoproj.io/managed-by-rollouts';
const HASH_LABEL = 'rollouts-pod-template-hash';

/** Argo's `getHost`: a destination host up to its first dot (`svc.ns.svc.cluster.local` → `svc`). */
function shortHost(host: string): string {
  const i = host.indexOf('.');
  return i < 0 ? host : i === 0 ? '' : host.slice(0, i);
}

/** A StringMatch with only its non-empty values (Argo's `setMapValueIfNotEmpty`). */
function nonEmpty(m: StringMatch): StringMatch {
  const out: StringMatch = {};
  if (m.exact) out.exact = m.exact;
  if (m.regex) out.regex = m.regex;
  if (m.prefix) out.prefix = m.prefix;
  return out;
}

/**
 * Argo Rollouts' Istio traffic router (host-level split), after `rollout/trafficrouting/istio/
 * istio.go` (spec/argo-rollouts.md §8.1):
 *
 * - `setWeight` sets the canary destination to `w` and the stable one to 100 − w, and removes
 *   any other destination, on each listed route (no `routes` listed: the only route, else the
 *   first unnamed one) — and on every managed mirror route, whose copied destinations therefore
 *   keep tracking the weight (`generateVirtualServicePatches` adds routes that have a `mirror`
 *   and a managedRoutes name). Routes not listed are left alone.
 * - `setHeaderRoute` puts `{name, match: [{headers: {h: {exact|regex|prefix}}}], route:
 *   [{destination: {host: canaryService, port}, weight: 100}]}`; `setMirrorRoute` puts `{name,
 *   match, route: <copy of the weighted route's destinations>, mirror: {host: canaryService,
 *   port}, mirrorPercentage: {value}}`. Both replace a route of the same name; no match removes it.
 * - Managed routes sit at the top of `spec.http` in `managedRoutes` order (`orderRoutes`);
 *   `removeManagedRoutes` drops them all.
 *
 * Every listed VirtualService gets the same treatment; each call returns the names of those it
 * changed. Quirks kept from Argo: without `routes`, a managed mirror route makes setWeight patch
 * only the mirror routes (the names list is no longer empty, so the default route is not looked
 * up); `removeManagedRoutes` stops at the first VirtualService that has no managed route.
 */
export class IstioRouter {
  private readonly managed: readonly string[];

  constructor(
    private readonly mesh: Mesh,
    private readonly cfg: IstioRouterConfig,
  ) {
    this.managed = cfg.managedRoutes ?? [];
  }

  private find(ref: string): VirtualService | undefined {
    const [name, ns] = ref.includes('.')
      ? (ref.split('.', 2) as [string, string])
      : [ref, this.cfg.namespace];
    return this.mesh.virtualServices.get(`${ns}/${name}`);
  }

  /**
   * A destination's role in a weighted route (`processRoutes`): the canary or stable Service by
   * host (up to the first dot), or in subset mode the canary or stable subset; an additional
   * subset keeps its weight; anything else is removed.
   */
  private role(d: {
    destination: { host: string; subset?: string };
  }): 'canary' | 'stable' | 'additional' | 'other' {
    const host = shortHost(d.destination.host);
    const subset = d.destination.subset;
    const dr = this.cfg.destinationRule;
    if (host === '') return 'other';
    if (host === this.cfg.canaryService || (subset && subset === dr?.canarySubsetName)) return 'canary';
    if (host === this.cfg.stableService || (subset && subset === dr?.stableSubsetName)) return 'stable';
    if (subset && dr?.additionalSubsetNames.includes(subset)) return 'additional';
    return 'other';
  }

  private isManaged(r: HttpRoute): boolean {
    return r.name !== undefined && this.managed.includes(r.name);
  }

  /**
   * Indexes of the routes setWeight patches for these names (`getHttpRouteIndexesToPatch`): each
   * named route, or with no names the only route, else the first unnamed one (none: nothing).
   */
  private routeIndexes(names: readonly string[], http: readonly HttpRoute[]): number[] | string {
    if (names.length === 0) {
      if (http.length === 1) return [0];
      const i = http.findIndex((r) => r.name === undefined || r.name === '');
      return i < 0 ? [] : [i];
    }
    const out: number[] = [];
    for (const n of names) {
      const i = http.findIndex((r) => r.name === n);
      if (i < 0) return `HTTP Route '${n}' is not found in the defined Virtual Service.`;
      out.push(i);
    }
    return out;
  }

  /** Argo's `ValidateHTTPRoutes`: listed routes exist and hold both services; one unmanaged route when none is listed. */
  private validateRoutes(ref: { routes: string[] }, vs: VirtualService): string | undefined {
    const idx = this.routeIndexes(ref.routes, vs.http);
    if (typeof idx === 'string') return idx;
    const dr = this.cfg.destinationRule;
    for (const i of idx) {
      const route = vs.http[i]!.route;
      if (dr) {
        // validateDestinationRule: both subsets must be destinations of each patched route.
        const subsets = route.map((d) => d.destination.subset);
        if (!subsets.includes(dr.canarySubsetName))
          return `Canary DestinationRule subset '${dr.canarySubsetName}' not found in route`;
        if (!subsets.includes(dr.stableSubsetName))
          return `Stable DestinationRule subset '${dr.stableSubsetName}' not found in route`;
        continue;
      }
      const hosts = route.map((d) => shortHost(d.destination.host));
      if (!hosts.includes(this.cfg.canaryService ?? ''))
        return `Canary Service '${this.cfg.canaryService}' not found in route`;
      if (!hosts.includes(this.cfg.stableService ?? ''))
        return `Stable Service '${this.cfg.stableService}' not found in route`;
    }
    if (ref.routes.length === 0 && vs.http.filter((r) => !this.isManaged(r)).length > 1)
      return 'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes';
    return undefined;
  }

  /** Problems that stop routing: a missing VirtualService, route or destination (Argo's own messages). */
  validate(): string | undefined {
    for (const ref of this.cfg.virtualServices) {
      const vs = this.find(ref.name);
      if (!vs) return `VirtualService "${ref.name}" not found`;
      const e = this.validateRoutes(ref, vs);
      if (e) return e;
    }
    return undefined;
  }

  /** Managed routes first, in managedRoutes order, then the others as they were (`orderRoutes`). */
  private order(http: HttpRoute[]): HttpRoute[] {
    if (this.managed.length === 0) return http;
    const top = this.managed.flatMap((n) => http.filter((r) => r.name === n));
    return [...top, ...http.filter((r) => !this.isManaged(r))];
  }

  /** Applies `edit` to each listed VirtualService's routes; records which ones changed. */
  private each(
    op: string,
    edit: (vs: VirtualService, ref: { name: string; routes: string[] }) => HttpRoute[] | string | 'stop',
  ): RouterResult {
    const changed: string[] = [];
    for (const ref of this.cfg.virtualServices) {
      const vs = this.find(ref.name);
      if (!vs)
        return {
          changed,
          error: `[${op}] failed to get virtual service: virtualservices.networking.istio.io "${ref.name.split('.')[0]}" not found`,
        };
      const before = JSON.stringify(vs.http);
      const next = edit(vs, ref);
      if (next === 'stop') break;
      if (typeof next === 'string') return { changed, error: `[${op}] ${next}` };
      vs.http = next;
      if (JSON.stringify(vs.http) !== before) {
        this.mesh.syncRawSpec(vs);
        changed.push(vs.meta.name);
      }
    }
    return { changed };
  }

  /** Writes canary weight `w` (stable 100 − w) to the weighted routes and the managed mirror routes. */
  setWeight(w: number): RouterResult {
    const changed: string[] = [];
    for (const ref of this.cfg.virtualServices) {
      const vs = this.find(ref.name);
      if (!vs) return { changed, error: `VirtualService "${ref.name}" not found` };
      const error = this.validateRoutes(ref, vs);
      if (error) return { changed, error };
      const names = [
        ...ref.routes,
        ...vs.http.filter((r) => r.mirror && this.isManaged(r)).map((r) => r.name!),
      ];
      const idx = this.routeIndexes(names, vs.http);
      let modified = false;
      for (const i of typeof idx === 'string' ? [] : idx) {
        const route = vs.http[i]!;
        const keep = route.route.filter((d) => this.role(d) !== 'other');
        if (keep.length !== route.route.length) modified = true;
        // Additional subsets keep their weight; the stable takes what is left (never below 0).
        let stableWeight = 100 - w;
        for (const d of keep) if (this.role(d) === 'additional') stableWeight -= d.weight ?? 0;
        if (stableWeight < 0) stableWeight = 0;
        for (const d of keep) {
          const role = this.role(d);
          if (role === 'additional') continue;
          const want = role === 'canary' ? w : stableWeight;
          // Argo reads an omitted weight as 0 and writes only weights that differ.
          if ((d.weight ?? 0) !== want) {
            d.weight = want;
            modified = true;
          }
        }
        route.route = keep;
      }
      if (modified) {
        vs.http = this.order(vs.http);
        this.mesh.syncRawSpec(vs);
        changed.push(vs.meta.name);
      }
    }
    return { changed };
  }

  /** The port of the first destination of the route setWeight patches (`getVirtualServiceCanaryPort`). */
  private weightedRoute(
    ref: { routes: string[] },
    http: readonly HttpRoute[],
  ): HttpRoute | string | undefined {
    const idx = this.routeIndexes(ref.routes, http);
    if (typeof idx === 'string') return idx;
    return idx.length > 0 ? http[idx[0]!] : undefined;
  }

  /**
   * `setHeaderRoute`: puts (or, with `match` undefined, removes) the managed route `name` that
   * sends requests whose headers match to the canary Service. As in Argo (only a nil match
   * removes), `match: []` puts a route without a match: it catches every request.
   */
  setHeaderRoute(name: string, match: readonly HeaderRouteMatch[] | undefined): RouterResult {
    for (const m of match ?? []) {
      const e = regexProblem(m.headerValue);
      if (e) return { changed: [], error: `[SetHeaderRoute] failed to update routes: ${e}` };
    }
    return this.each('SetHeaderRoute', (vs, ref) => {
      const http = vs.http.filter((r) => r.name !== name);
      if (!match) return this.order(http);
      const base = this.weightedRoute(ref, http);
      const port = typeof base === 'object' ? base.route[0]?.destination.port : undefined;
      const route: HttpRoute = {
        name,
        ...(match.length > 0
          ? { match: match.map((m) => ({ headers: { [m.headerName]: nonEmpty(m.headerValue) } })) }
          : {}),
        route: [{ destination: { ...this.canaryDestination(), ...(port ? { port } : {}) }, weight: 100 }],
      };
      return this.order([...http, route]);
    });
  }

  /**
   * `setMirrorRoute`: puts (or, with `match` undefined, removes) the managed route `name`:
   * matching requests follow a copy of the weighted route, and `percentage`% of them are
   * mirrored to the canary Service. An empty match list matches every request.
   */
  setMirrorRoute(
    name: string,
    match: readonly MirrorRouteMatch[] | undefined,
    percentage: number,
  ): RouterResult {
    for (const m of match ?? [])
      for (const sm of [m.method, m.path, ...Object.values(m.headers ?? {})]) {
        const e = sm && regexProblem(sm);
        if (e) return { changed: [], error: `[SetMirrorRoute] failed to update virtual service ${e}` };
      }
    return this.each('SetMirrorRoute', (vs, ref) => {
      const http = vs.http.filter((r) => r.name !== name);
      if (!match) return this.order(http);
      const base = this.weightedRoute(ref, http);
      const where =
        'failed reconcile virtual service for mirror routes: [reconcileVirtualServiceMirrorRoutes] failed to create mirror route: [createMirrorRoute] failed to get virtual service http route for keeping non-mirror weights set: [getVirtualServiceSetWeightRoute] failed to get routes that need to be patch when set weight is called';
      if (typeof base === 'string') return `${where}: ${base}`;
      // Argo indexes the copied route's first destination here and would panic without one.
      if (!base || base.route.length === 0) return `${where}: no HTTP route to copy`;
      const port = base.route[0]!.destination.port;
      const matches = match.map((m): HttpMatchRequest => {
        const out: HttpMatchRequest = {};
        if (m.headers)
          out.headers = Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, nonEmpty(v)]));
        if (m.method) out.method = nonEmpty(m.method);
        if (m.path) out.uri = nonEmpty(m.path);
        return out;
      });
      const route: HttpRoute = {
        name,
        ...(matches.length > 0 ? { match: matches } : {}),
        // Argo's typed copy: host, subset, port; a zero weight is omitted (`omitempty`).
        route: base.route.map((d) => ({
          destination: {
            host: d.destination.host,
            ...(d.destination.subset ? { subset: d.destination.subset } : {}),
            ...(d.destination.port ? { port: d.destination.port } : {}),
          },
          ...(d.weight ? { weight: d.weight } : {}),
        })),
        mirror: { ...this.canaryDestination(), ...(port ? { port } : {}) },
        mirrorPercentage: percentage,
      };
      return this.order([route, ...http]);
    });
  }

  /** Where managed routes send the canary's share: the canary Service, or the rule's host and canary subset. */
  private canaryDestination(): { host: string; subset?: string } {
    const dr = this.cfg.destinationRule;
    if (!dr) return { host: this.cfg.canaryService ?? '' };
    const rule = this.findRule();
    return { host: rule?.host ?? dr.name, subset: dr.canarySubsetName };
  }

  /** The rule, looked up by its name as written in the Rollout's namespace (Argo's `getDestinationRule`). */
  private findRule(): DestinationRule | undefined {
    const dr = this.cfg.destinationRule;
    return dr && this.mesh.destinationRules.get(`${this.cfg.namespace}/${dr.name}`);
  }

  /**
   * Argo's `UpdateHash` (subset mode): labels the canary subset with the canary's pod-template
   * hash and the stable subset with the stable's (removing the label for an empty hash), drops
   * every other subset, and marks the rule as managed. Without canary/stable Services the switch
   * waits until each ReplicaSet that takes traffic is fully available (argo-rollouts#2507).
   */
  updateHash(
    canaryHash: string,
    stableHash: string,
    rss: readonly RsAvailability[],
    canaryOut: boolean,
  ): HashResult {
    if (this.cfg.canaryService === undefined && this.cfg.stableService === undefined) {
      for (const rs of rss) {
        if (rs.replicas === 0) continue;
        if (rs.hash !== stableHash && (rs.hash !== canaryHash || canaryOut)) continue;
        if (!(rs.available !== 0 && rs.replicas <= rs.available))
          return { error: `delaying destination rule switch: ReplicaSet ${rs.name} not fully available` };
      }
    }
    const dr = this.cfg.destinationRule;
    if (!dr) return {};
    const rule = this.findRule();
    if (!rule) {
      const message = `DestinationRule \`${dr.name}\` not found`;
      return { error: message, warning: { reason: 'DestinationRuleNotFound', message } };
    }
    const subsets: DestinationRule['subsets'] = [];
    for (const sub of rule.subsets) {
      const hash =
        sub.name === dr.canarySubsetName
          ? canaryHash
          : sub.name === dr.stableSubsetName
            ? stableHash
            : undefined;
      if (hash === undefined) continue; // extraneous subsets are dropped from the rule
      const labels = { ...sub.labels };
      if (hash !== '') labels[HASH_LABEL] = hash;
      else delete labels[HASH_LABEL];
      subsets.push({ name: sub.name, labels });
    }
    const annotated = rule.meta.annotations[MANAGED_BY_ROLLOUTS] === (this.cfg.rollout ?? '');
    if (annotated && JSON.stringify(subsets) === JSON.stringify(rule.subsets)) return {};
    rule.meta.annotations[MANAGED_BY_ROLLOUTS] = this.cfg.rollout ?? '';
    rule.subsets = subsets;
    // The echoed spec follows: each kept subset with its new labels and whatever else it had.
    const rawSubsets = Array.isArray(rule.rawSpec['subsets'])
      ? (rule.rawSpec['subsets'] as Record<string, unknown>[])
      : [];
    rule.rawSpec['subsets'] = subsets.map((sub) => {
      const was = rawSubsets.find((r) => r['name'] === sub.name) ?? {};
      return sortKeysDeep({ ...was, name: sub.name, labels: sub.labels });
    });
    this.mesh.changed();
    return {
      updated: {
        rule: dr.name,
        message: `DestinationRule ${dr.name} subset updated (${dr.canarySubsetName}: ${canaryHash}, ${dr.stableSubsetName}: ${stableHash})`,
      },
    };
  }

  /** Removes every managed route (full promotion, abort, no available canary). */
  removeManagedRoutes(): RouterResult {
    if (this.managed.length === 0) return { changed: [] };
    return this.each('RemoveManagedRoutes', (vs) => {
      if (!vs.http.some((r) => this.isManaged(r))) return 'stop';
      return vs.http.filter((r) => !this.isManaged(r));
    });
  }
}

/** Istio's webhook refuses a regex Go's RE2 cannot compile; canarysim also one over its regex limits. */
function regexProblem(m: StringMatch): string | undefined {
  if (!m.regex) return undefined;
  const r = compileRegexp(m.regex);
  if (!(r instanceof RegexpError)) return undefined;
  if (r.kind === 'syntax')
    return `admission webhook "validation.istio.io" denied the request: configuration is invalid: "${m.regex}": ${r.message}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`;
  return `not supported by canarysim: regex ${JSON.stringify(m.regex)}: ${r.message}`;
}
