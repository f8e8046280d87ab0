import type { ObjectMeta } from '../cluster/index.js';

export interface RouteDestination {
  destination: { host: string; port?: number; subset?: string };
  /** Omitted means 100 for a single destination (Istio's default). */
  weight?: number;
}

/**
 * Istio's StringMatch: one of `exact`, `prefix` or `regex` (RE2, whole value). None of them (`{}`)
 * matches any value of a header or query parameter that is present.
 */
export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

/**
 * Istio's HTTPMatchRequest, the conditions canarysim simulates: all that are given must hold.
 * Header names are matched case-insensitively (Envoy lower-cases them).
 */
export interface HttpMatchRequest {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  /** Only `exact` and `regex` (Istio does not support `prefix` here). */
  queryParams?: Record<string, StringMatch>;
  /** The port the request was addressed to (the gateway's listener port). */
  port?: number;
  /** `uri` exact and prefix matches ignore case. */
  ignoreUriCase?: boolean;
}

/** Where mirrored copies go (`mirror`, or a `mirrors[].destination`). */
export interface MirrorDestination {
  host: string;
  port?: number;
}

export interface HttpRoute {
  name?: string;
  /** Any one of them matching selects the route; absent matches every request. */
  match?: HttpMatchRequest[];
  route: RouteDestination[];
  mirror?: MirrorDestination;
  /** `mirrorPercentage.value` for `mirror`: the percentage of requests copied; absent means 100. */
  mirrorPercentage?: number;
  /** Istio ≥ 1.19's `mirrors`: several mirror destinations, each with its own percentage. */
  mirrors?: { destination: MirrorDestination; percentage?: number }[];
}

/** networking.istio.io VirtualService, the parts the simulated ingress gateway routes by. */
export interface VirtualService {
  meta: ObjectMeta;
  apiVersion: string;
  hosts: string[];
  /** Gateway names (`name` or `namespace/name`) the routes are bound to. */
  gateways: string[];
  http: HttpRoute[];
  /**
   * The spec as the API server would return it (`get virtualservice -o yaml`): keys sorted, as
   * kubectl prints them. `Mesh.syncRawSpec` rewrites its `http` from `http` after a change.
   */
  rawSpec: Record<string, unknown>;
}

/** networking.istio.io Gateway: accepted and used to bind VirtualServices to the ingress; its TLS is not simulated. */
export interface Gateway {
  meta: ObjectMeta;
  selector: Record<string, string>;
  servers: { port: { number: number; name?: string; protocol: string }; hosts: string[] }[];
}
