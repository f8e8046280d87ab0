import type {
  HttpMatchRequest,
  HttpRoute,
  MirrorDestination,
  RouteDestination,
  StringMatch,
} from '../../mesh/index.js';
import { compileRegexp, RegexpError } from '../../../go/regexp.js';
import { sortKeysDeep } from '../../mesh/index.js';
import { NOT_SUPPORTED, type ManifestNode } from '../ManifestNode.js';

export interface VirtualServiceSpec {
  hosts: string[];
  gateways: string[];
  http: HttpRoute[];
  rawSpec: Record<string, unknown>;
}

/** Istio's header-name check (`ValidateHTTPHeaderName`). */
const HEADER_NAME = /^[-_A-Za-z0-9]+$/;

/**
 * A StringMatch: at most one of exact, prefix, regex (Istio's oneof); `empty` says whether `{}`
 * (presence) is meaningful here. Regexes are RE2: Istio's webhook refuses what Go's RE2 refuses
 * and patterns longer than 1024; canarysim also refuses RE2 it cannot match identically.
 */
export function parseStringMatch(n: ManifestNode, opts: { empty: boolean; prefix?: boolean }): StringMatch {
  n.only(['exact', 'prefix', 'regex']);
  const keys = Object.keys(n.map());
  if (keys.length > 1) throw n.error(`expected one of exact, prefix or regex, got ${keys.join(' and ')}`);
  if (keys.length === 0) {
    if (!opts.empty) throw n.error('expected one of exact, prefix or regex');
    return {};
  }
  const k = keys[0] as keyof StringMatch;
  const v = n.child(k).str();
  if (k === 'prefix' && opts.prefix === false)
    throw n
      .child(k)
      .error(
        'Istio does not support prefix matching of queryParams ("prefix matching is currently not supported"): use exact or regex',
      );
  if (k === 'regex') checkRe2(n.child(k), v);
  return { [k]: v };
}

/** Rejects a regex Istio (RE2) would refuse, or one over canarysim's regex limits. */
export function checkRe2(n: ManifestNode, v: string): void {
  if (v === '') throw n.error('regex string match should not be empty');
  if (v.length > 1024) throw n.error('regex is too large, max length allowed is 1024');
  const r = compileRegexp(v);
  if (!(r instanceof RegexpError)) return;
  if (r.kind === 'syntax')
    throw n.errorAt(r.offset, `invalid regex ${JSON.stringify(v)}: ${r.message} (Istio uses RE2)`);
  throw n.errorAt(r.offset, `${NOT_SUPPORTED}regex ${JSON.stringify(v)}: ${r.message}`, 'not-simulated');
}

function matchMap(n: ManifestNode, what: string, prefix = true): Record<string, StringMatch> {
  const out: Record<string, StringMatch> = {};
  for (const name of Object.keys(n.map())) {
    const c = n.child(name);
    if (what !== 'queryParams' && !HEADER_NAME.test(name))
      throw c.error(`header name ${JSON.stringify(name)} is not a valid header`, true);
    if (!c.exists) throw c.error(`${what} match ${name} cannot be null`);
    out[name] = parseStringMatch(c, { empty: true, prefix });
  }
  return out;
}

/**
 * An Istio HTTPMatchRequest (a VirtualService route's `match[]`, and wherever else the same
 * conditions are written): the conditions canarysim simulates; the others are refused.
 */
export function parseHttpMatchRequest(m: ManifestNode): HttpMatchRequest {
  m.only(
    [
      'name',
      'uri',
      'scheme',
      'method',
      'authority',
      'headers',
      'withoutHeaders',
      'queryParams',
      'port',
      'ignoreUriCase',
    ],
    ['sourceLabels', 'gateways', 'sourceNamespace', 'statPrefix'],
  );
  const out: HttpMatchRequest = {};
  const name = m.optStr('name');
  if (name !== undefined) out.name = name;
  for (const k of ['uri', 'scheme', 'method', 'authority'] as const)
    if (m.child(k).exists) out[k] = parseStringMatch(m.child(k), { empty: false });
  if (m.child('headers').exists) out.headers = matchMap(m.child('headers'), 'header');
  if (m.child('withoutHeaders').exists) out.withoutHeaders = matchMap(m.child('withoutHeaders'), 'header');
  if (m.child('queryParams').exists) out.queryParams = matchMap(m.child('queryParams'), 'queryParams', false);
  const port = m.optInt('port', { min: 1, max: 65535 });
  if (port !== undefined) out.port = port;
  if (m.child('ignoreUriCase').exists) out.ignoreUriCase = m.child('ignoreUriCase').bool();
  return out;
}

function parsePort(dest: ManifestNode): number | undefined {
  const port = dest.child('port');
  if (!port.exists) return undefined;
  port.only(['number']);
  return port.req('number').int({ min: 1, max: 65535 });
}

function mirrorDestination(d: ManifestNode): MirrorDestination {
  d.only(['host', 'port'], ['subset']);
  const port = parsePort(d);
  return { host: d.req('host').nonEmptyStr(), ...(port !== undefined ? { port } : {}) };
}

/** A `Percent` (`{value: 0–100}`, a double). */
function percent(n: ManifestNode): number {
  n.only(['value']);
  const v = n.child('value');
  if (!v.exists) return 0;
  if (typeof v.value !== 'number' || !Number.isFinite(v.value))
    throw v.error(`expected a number, got ${JSON.stringify(v.value)}`);
  if (v.value < 0 || v.value > 100)
    throw v.error(`invalid value ${v.value}: mirror percentage must be between 0 and 100`);
  return v.value;
}

function parseRoute(r: ManifestNode): HttpRoute {
  r.only(
    ['name', 'match', 'route', 'mirror', 'mirrorPercentage', 'mirrors'],
    [
      'rewrite',
      'redirect',
      'retries',
      'timeout',
      'fault',
      'mirror_percent',
      'headers',
      'corsPolicy',
      'delegate',
      'directResponse',
    ],
  );
  const route = r
    .req('route')
    .list()
    .map((d): RouteDestination => {
      d.only(['destination', 'weight'], ['headers']);
      const dest = d.req('destination');
      // subset: one of the host's DestinationRule subsets (Argo's subset-level splitting).
      dest.only(['host', 'port', 'subset']);
      const port = parsePort(dest);
      const subset = dest.optStr('subset');
      const weight = d.optInt('weight', { min: 0, max: 100 });
      return {
        destination: {
          host: dest.req('host').nonEmptyStr(),
          ...(port !== undefined ? { port } : {}),
          ...(subset !== undefined ? { subset } : {}),
        },
        ...(weight !== undefined ? { weight } : {}),
      };
    });
  if (route.length === 0) throw r.child('route').error('expected at least one destination');
  const out: HttpRoute = { route };
  const name = r.optStr('name');
  if (name !== undefined) out.name = name;
  if (r.child('match').exists)
    out.match = r
      .child('match')
      .list()
      .flatMap((m) => m.guard(() => [parseHttpMatchRequest(m)], []));
  if (r.child('mirror').exists && r.child('mirrors').exists)
    throw r.child('mirrors').error('http route cannot contain both mirror and mirrors', true);
  if (r.child('mirror').exists) out.mirror = mirrorDestination(r.child('mirror'));
  if (r.child('mirrorPercentage').exists) out.mirrorPercentage = percent(r.child('mirrorPercentage'));
  if (r.child('mirrors').exists)
    out.mirrors = r
      .child('mirrors')
      .list()
      .map((m) => {
        m.only(['destination', 'percentage']);
        const pc = m.child('percentage');
        return {
          destination: mirrorDestination(m.req('destination')),
          ...(pc.exists ? { percentage: percent(pc) } : {}),
        };
      });
  return out;
}

/**
 * networking.istio.io VirtualService: hosts, gateways, and HTTP routes — weighted destinations,
 * `match` conditions (uri, scheme, method, authority, headers, withoutHeaders, queryParams, port,
 * ignoreUriCase) and mirrors (`mirror` + `mirrorPercentage`, `mirrors`). Everything else a route
 * can say is rejected as not simulated.
 */
export function parseVirtualService(spec: ManifestNode): VirtualServiceSpec {
  spec.only(['hosts', 'gateways', 'http', 'exportTo'], ['tcp', 'tls']);
  const hosts = spec
    .req('hosts')
    .list()
    .map((h) => h.nonEmptyStr());
  const gateways = spec.child('gateways').exists
    ? spec
        .child('gateways')
        .list()
        .map((g) => g.nonEmptyStr())
    : [];
  // `mesh` (or no gateways at all) applies the routes to sidecars: east-west traffic is simulated.
  // In lint a route that cannot be read is left out; the VirtualService is then partial.
  const http = spec.child('http').exists
    ? spec
        .child('http')
        .list()
        .flatMap((r) => r.guard(() => [parseRoute(r)], []))
    : [];
  return { hosts, gateways, http, rawSpec: sortKeysDeep(structuredClone(spec.map())) };
}
