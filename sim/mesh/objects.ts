import type { ObjectMeta } from '../cluster/index.js';

export interface RouteDestination {
  destination: { host: string; port?: number; subset?: string };
  /** Omitted means 100 for a single destination (Istio's default). */
  weight?: number;
}

export interface HttpRoute {
  name?: string;
  route: RouteDestination[];
}

/** networking.istio.io VirtualService, the parts the simulated ingress gateway routes by. */
export interface VirtualService {
  meta: ObjectMeta;
  apiVersion: string;
  hosts: string[];
  /** Gateway names (`name` or `namespace/name`) the routes are bound to. */
  gateways: string[];
  http: HttpRoute[];
  /** The manifest's spec, kept to echo it back (`get virtualservice -o yaml`). */
  rawSpec: Record<string, unknown>;
}

/** networking.istio.io Gateway: accepted and used to bind VirtualServices to the ingress; its TLS is not simulated. */
export interface Gateway {
  meta: ObjectMeta;
  selector: Record<string, string>;
  servers: { port: { number: number; name?: string; protocol: string }; hosts: string[] }[];
}
