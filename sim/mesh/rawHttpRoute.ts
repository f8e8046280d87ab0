import type { HttpMatchRequest, HttpRoute, MirrorDestination, StringMatch } from './objects.js';

/**
 * A copy with every mapping's keys in sorted order, the way `kubectl get -o yaml` prints an
 * object (the API server's JSON goes through Go maps, which marshal sorted).
 */
export function sortKeysDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => sortKeysDeep(x)) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeysDeep(x);
  }
  return out as T;
}

const stringMatch = (m: StringMatch) => ({ exact: m.exact, prefix: m.prefix, regex: m.regex });

const matchMap = (m: Record<string, StringMatch> | undefined) =>
  m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, stringMatch(v)]));

function matchRequest(m: HttpMatchRequest): Record<string, unknown> {
  return {
    name: m.name,
    uri: m.uri && stringMatch(m.uri),
    scheme: m.scheme && stringMatch(m.scheme),
    method: m.method && stringMatch(m.method),
    authority: m.authority && stringMatch(m.authority),
    headers: matchMap(m.headers),
    withoutHeaders: matchMap(m.withoutHeaders),
    queryParams: matchMap(m.queryParams),
    port: m.port,
    ignoreUriCase: m.ignoreUriCase,
  };
}

const mirrorDestination = (d: MirrorDestination) => ({
  host: d.host,
  subset: d.subset,
  port: d.port === undefined ? undefined : { number: d.port },
});

/** An HTTP route as the VirtualService's spec holds it (and kubectl prints it). */
export function rawHttpRoute(r: HttpRoute): Record<string, unknown> {
  return sortKeysDeep({
    name: r.name,
    match: r.match?.map(matchRequest),
    route: r.route.map((d) => ({
      destination: {
        host: d.destination.host,
        subset: d.destination.subset,
        port: d.destination.port === undefined ? undefined : { number: d.destination.port },
      },
      weight: d.weight,
    })),
    mirror: r.mirror && mirrorDestination(r.mirror),
    mirrorPercentage: r.mirrorPercentage === undefined ? undefined : { value: r.mirrorPercentage },
    mirrors: r.mirrors?.map((m) => ({
      destination: mirrorDestination(m.destination),
      percentage: m.percentage === undefined ? undefined : { value: m.percentage },
    })),
  });
}
