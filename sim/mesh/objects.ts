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
  /** A DestinationRule subset of the host (Argo's setMirrorRoute in subset mode). */
  subset?: string;
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

/** networking.istio.io DestinationRule: the subsets a VirtualService route may name (`destination.subset`). */
export interface DestinationRule {
  meta: ObjectMeta;
  apiVersion: string;
  /** The Service host it configures (`name`, `name.ns`, or the FQDN). */
  host: string;
  /** Each subset selects the host's endpoints whose labels include these. */
  subsets: { name: string; labels: Record<string, string> }[];
  /** The spec as written (keys sorted), rewritten when Argo updates subset labels. */
  rawSpec: Record<string, unknown>;
}

/** One path of an Ingress rule and the Service it sends to. */
export interface IngressPath {
  /** Absent: every path (ImplementationSpecific with no path). */
  path?: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  service: string;
  /** `port.number`, or `port.name` (a Service port name). */
  port: number | string;
}

/**
 * networking.k8s.io/v1 Ingress, as a plain entry point: requests for a rule's host (any host when
 * a rule has none) and path go to the backend Service's ready pods. The ingress controller itself
 * (nginx, ALB…) is outside the mesh: it reports no Istio metrics of its own.
 */
export interface Ingress {
  meta: ObjectMeta;
  rules: { host?: string; paths: IngressPath[] }[];
  defaultBackend?: { service: string; port: number | string };
}
