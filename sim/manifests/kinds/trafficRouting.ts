import type { CanaryStrategy, IstioDestinationRuleRef, IstioVirtualServiceRef } from '../../rollout/index.js';
import type { ManifestNode } from '../ManifestNode.js';

/** Traffic routers Argo Rollouts has besides Istio: all refused as not simulated. */
export const OTHER_ROUTERS = ['nginx', 'alb', 'smi', 'ambassador', 'appMesh', 'traefik', 'apisix', 'plugins'];

const ROUTER_NAMES: Record<string, string> = {
  nginx: 'NGINX',
  alb: 'AWS ALB',
  smi: 'SMI',
  ambassador: 'Ambassador',
  appMesh: 'AWS App Mesh',
  traefik: 'Traefik',
  apisix: 'APISIX',
  plugins: 'traffic router plugin',
};
const ROUTER_WHY = Object.fromEntries(
  OTHER_ROUTERS.map((r) => [r, `${ROUTER_NAMES[r]} traffic routing (a rehearsal simulates istio only)`]),
);

/** Argo's `InvalidTrafficRoutingMessage`. */
const SERVICES_REQUIRED = 'Canary service and Stable service must to be set to use Traffic Routing';

/**
 * What the step checks need to know of `trafficRouting`, as Argo's validation reads it. `known`
 * is false when trafficRouting could not be read (lint): routing-dependent checks then stay quiet
 * rather than report problems that are only echoes of the first.
 */
export interface RoutingFacts {
  known: boolean;
  present: boolean;
  /** Routers written: istio and the others. */
  routers: string[];
  /** `managedRoutes[].name`; undefined when the field is not written. */
  managedRoutes?: string[];
  /** `maxTrafficWeight`, else 100 (Argo's `weightutil.MaxTrafficWeight`). */
  maxTrafficWeight: number;
}

export const NO_ROUTING: RoutingFacts = { known: true, present: false, routers: [], maxTrafficWeight: 100 };
export const UNKNOWN_ROUTING: RoutingFacts = {
  known: false,
  present: true,
  routers: [],
  maxTrafficWeight: 100,
};

function virtualServices(istio: ManifestNode): IstioVirtualServiceRef[] {
  const one = istio.child('virtualService');
  const many = istio.child('virtualServices');
  // Argo's ValidateRolloutVirtualServicesConfig.
  if (one.exists === many.exists)
    throw istio.error('either VirtualService or VirtualServices must be configured');
  return (one.exists ? [one] : many.list()).flatMap((v) =>
    v.guard(() => {
      v.only(['name', 'routes'], ['tlsRoutes', 'tcpRoutes']);
      const routes = v.child('routes').exists
        ? v
            .child('routes')
            .list()
            .map((r) => r.nonEmptyStr())
        : [];
      return [{ name: v.req('name').nonEmptyStr(), routes }];
    }, []),
  );
}

/**
 * `istio.destinationRule` (subset-level splitting): name, canarySubsetName and stableSubsetName
 * are required (the CRD's schema); Argo looks the rule up by name in the Rollout's namespace.
 */
function destinationRule(d: ManifestNode): IstioDestinationRuleRef {
  d.only(['name', 'canarySubsetName', 'stableSubsetName', 'additionalSubsetNames']);
  const extra = d.child('additionalSubsetNames');
  return {
    name: d.req('name').nonEmptyStr(),
    canarySubsetName: d.req('canarySubsetName').nonEmptyStr(),
    stableSubsetName: d.req('stableSubsetName').nonEmptyStr(),
    additionalSubsetNames: extra.exists ? extra.list().map((x) => x.nonEmptyStr()) : [],
  };
}

function managedRoutes(tr: ManifestNode): string[] | undefined {
  const n = tr.child('managedRoutes');
  if (!n.exists) return undefined;
  const out: string[] = [];
  for (const r of n.list()) {
    r.guard(() => {
      r.only(['name']);
      const name = r.req('name').nonEmptyStr();
      if (out.includes(name))
        throw r.child('name').error(`duplicate managed route name ${JSON.stringify(name)}`);
      out.push(name);
    }, undefined);
  }
  return out;
}

/**
 * `strategy.canary.trafficRouting`, checked as Argo's validation does: which routers, the
 * Services they require (`requireCanaryStableServices`: every router but Istio with a
 * DestinationRule, unless pingPong), `maxTrafficWeight` (Nginx and plugins only), managedRoutes.
 * Only Istio is simulated; in lint another router is reported and stands in as Istio with no
 * VirtualService, so the rest of the Rollout is still checked.
 */
export function parseTrafficRouting(
  tr: ManifestNode,
  canary: ManifestNode,
): { routing: NonNullable<CanaryStrategy['trafficRouting']>; facts: RoutingFacts } {
  tr.only(['istio', 'maxTrafficWeight', 'managedRoutes'], OTHER_ROUTERS, ROUTER_WHY);
  const routers = ['istio', ...OTHER_ROUTERS].filter((k) => tr.child(k).exists);
  const managed = managedRoutes(tr);
  const mtwNode = tr.child('maxTrafficWeight');
  const mtw = mtwNode.exists ? tr.guard(() => mtwNode.int({ min: 1 }), undefined) : undefined;
  if (mtw !== undefined && !routers.includes('nginx') && !routers.includes('plugins'))
    tr.report(
      mtwNode.error('Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins'),
    );
  const facts: RoutingFacts = {
    known: true,
    present: true,
    routers,
    managedRoutes: managed,
    maxTrafficWeight: mtw ?? 100,
  };
  const istio = tr.child('istio');
  let virtual: IstioVirtualServiceRef[] = [];
  let dr: IstioDestinationRuleRef | undefined;
  if (istio.exists) {
    istio.only(['virtualService', 'virtualServices', 'destinationRule']);
    virtual = istio.guard(() => virtualServices(istio), []);
    const d = istio.child('destinationRule');
    if (d.exists) dr = istio.guard(() => destinationRule(d), undefined);
  } else if (routers.length === 0) {
    // Argo accepts trafficRouting without a router (weights then go nowhere): not a rehearsal.
    throw tr.notSimulated('trafficRouting without a traffic router (a rehearsal simulates istio)');
  }
  // Argo's requireCanaryStableServices, case by case.
  const pingPong = canary.child('pingPong').exists;
  const has = (r: string) => routers.includes(r);
  const needServices =
    (has('alb') && !pingPong) ||
    (has('istio') && !istio.child('destinationRule').exists && !pingPong) ||
    ['smi', 'apisix', 'ambassador', 'nginx', 'appMesh', 'traefik'].some(has);
  if (needServices)
    for (const k of ['stableService', 'canaryService']) {
      const s = canary.child(k);
      if (!s.exists || s.value === '') canary.report(s.error(SERVICES_REQUIRED));
    }
  return {
    routing: {
      istio: { virtualServices: virtual, ...(dr ? { destinationRule: dr } : {}) },
      maxTrafficWeight: 100,
      managedRoutes: managed ?? [],
    },
    facts,
  };
}
