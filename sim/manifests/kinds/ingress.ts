import type { Ingress, IngressPath } from '../../mesh/index.js';
import type { ManifestNode } from '../ManifestNode.js';

export type IngressSpec = Pick<Ingress, 'rules' | 'defaultBackend'>;

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'] as const;
/** A Service name (DNS-1035 label), as Kubernetes validates a backend's. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
/** A host: a DNS subdomain, optionally with a leading `*.` label. */
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * ingress-nginx annotations that change where or whether a request goes (canary splitting,
 * rewrites, redirects, rate limits, mirroring, auth…). An Ingress is simulated as a plain entry
 * point, so these are refused; the rest of nginx's annotations (timeouts, body sizes, CORS,
 * buffering) change nothing a rehearsal observes.
 */
const NGINX_ROUTING = new Set(
  [
    'canary',
    'canary-by-header',
    'canary-by-header-value',
    'canary-by-header-pattern',
    'canary-by-cookie',
    'canary-weight',
    'canary-weight-total',
    'rewrite-target',
    'use-regex',
    'app-root',
    'permanent-redirect',
    'permanent-redirect-code',
    'temporal-redirect',
    'ssl-redirect',
    'force-ssl-redirect',
    'default-backend',
    'custom-http-errors',
    'upstream-hash-by',
    'affinity',
    'affinity-mode',
    'server-snippet',
    'configuration-snippet',
    'whitelist-source-range',
    'allowlist-source-range',
    'denylist-source-range',
    'auth-url',
    'auth-type',
    'auth-secret',
    'limit-rps',
    'limit-rpm',
    'limit-connections',
    'mirror-target',
    'mirror-uri',
    'service-upstream',
    'backend-protocol',
    'from-to-www-redirect',
  ].map((a) => `nginx.ingress.kubernetes.io/${a}`),
);

/** Why an annotation changes routing canarysim does not simulate, or undefined. */
function routingAnnotation(key: string): string | undefined {
  if (NGINX_ROUTING.has(key)) return 'ingress-nginx routes by it';
  if (/^alb\.ingress\.kubernetes\.io\/(actions|conditions)\./.test(key))
    return 'the AWS Load Balancer Controller routes by it';
  if (key === 'traefik.ingress.kubernetes.io/router.middlewares')
    return "Traefik's middlewares change requests";
  return undefined;
}

function backend(b: ManifestNode): { service: string; port: number | string } {
  b.only(['service', 'resource']);
  const svc = b.child('service');
  const res = b.child('resource');
  if (svc.exists && res.exists) throw b.error('cannot set both resource and service backends');
  if (res.exists) throw res.notSimulated('a resource backend (only Service backends are simulated)', true);
  if (!svc.exists) throw b.error('resource or service backend is required');
  svc.only(['name', 'port']);
  const name = svc.req('name').nonEmptyStr();
  if (!SERVICE_NAME.test(name))
    throw svc
      .child('name')
      .error(`invalid value ${JSON.stringify(name)}: a Service name must be a DNS-1035 label`);
  const port = svc.req('port');
  port.only(['number', 'name']);
  const num = port.child('number');
  const pname = port.child('name');
  if (num.exists && pname.exists) throw port.error('cannot set both port name & port number');
  if (!num.exists && !pname.exists) throw port.error('port name or number is required');
  if (num.exists) return { service: name, port: num.int({ min: 1, max: 65535 }) };
  const p = pname.nonEmptyStr();
  // ALB's `use-annotation` sends the request where an actions annotation says.
  if (p === 'use-annotation')
    throw pname.notSimulated(
      'port name "use-annotation": the AWS Load Balancer Controller routes it by an actions annotation',
    );
  return { service: name, port: p };
}

function path(p: ManifestNode): IngressPath {
  p.only(['path', 'pathType', 'backend']);
  const typeNode = p.child('pathType');
  if (!typeNode.exists) throw p.errorAs(`${typeNode.field}`, 'Required value: pathType must be specified');
  const pathType = typeNode.str();
  if (!(PATH_TYPES as readonly string[]).includes(pathType))
    throw typeNode.error(
      `Unsupported value: ${JSON.stringify(pathType)}: supported values: "Exact", "ImplementationSpecific", "Prefix"`,
    );
  const at = p.optStr('path');
  if ((pathType !== 'ImplementationSpecific' || (at !== undefined && at !== '')) && !at?.startsWith('/'))
    throw p.child('path').exists
      ? p.child('path').error(`invalid value ${JSON.stringify(at)}: must be an absolute path`)
      : p.errorAs(`${p.field}.path`, `Required value: a ${pathType} path must be an absolute path`);
  const b = backend(p.req('backend'));
  return {
    ...(at !== undefined && at !== '' ? { path: at } : {}),
    pathType: pathType as IngressPath['pathType'],
    service: b.service,
    port: b.port,
  };
}

/**
 * networking.k8s.io/v1 Ingress as a plain entry point: hosts, paths and the Service each sends
 * to. `ingressClassName` and `tls` are inert (which controller, and HTTPS termination, change
 * nothing a rehearsal observes); annotations that make the controller route differently, and
 * resource backends, are refused.
 */
export function parseIngress(root: ManifestNode): IngressSpec {
  const annotations = root.child('metadata').child('annotations');
  if (annotations.exists && annotations.value !== null && typeof annotations.value === 'object')
    for (const k of Object.keys(annotations.value)) {
      const why = routingAnnotation(k);
      if (why)
        root.report(annotations.child(k).notSimulated(`annotation ${JSON.stringify(k)}: ${why}`, true));
    }
  const spec = root.req('spec');
  spec.only(['rules', 'defaultBackend', 'ingressClassName', 'tls']);
  if (spec.child('ingressClassName').exists) spec.guard(() => spec.child('ingressClassName').str(), '');
  if (spec.child('tls').exists) spec.guard(() => spec.child('tls').list(), []);
  const rulesNode = spec.child('rules');
  const db = spec.child('defaultBackend');
  if (!rulesNode.exists && !db.exists)
    throw spec.error('either `defaultBackend` or `rules` must be specified');
  const rules = (rulesNode.exists ? rulesNode.list() : []).flatMap((r) =>
    r.guard(() => {
      r.only(['host', 'http']);
      const host = r.optStr('host');
      if (host !== undefined && (!HOST.test(host) || IPV4.test(host) || host.length > 253))
        throw r
          .child('host')
          .error(
            `invalid value ${JSON.stringify(host)}: a lowercase RFC 1123 subdomain, optionally starting with "*." (not an IP address)`,
          );
      const http = r.child('http');
      let paths: IngressPath[] = [];
      if (http.exists) {
        http.only(['paths']);
        const list = http.req('paths').list();
        if (list.length === 0) throw http.child('paths').error('Required value: at least one path');
        paths = list.flatMap((p) => p.guard(() => [path(p)], []));
      }
      return [{ ...(host !== undefined ? { host } : {}), paths }];
    }, []),
  );
  const defaultBackend = db.exists ? db.guard(() => backend(db), undefined) : undefined;
  return { rules, ...(defaultBackend ? { defaultBackend } : {}) };
}
