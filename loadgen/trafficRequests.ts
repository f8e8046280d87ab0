import { parseRequestUrl, type MeshRequest, type RequestUrl } from '../sim/mesh/index.js';
import { MIX_WEIGHT_TOTAL, type TrafficSpec } from './TrafficSpec.js';

/** One kind of request of a traffic: what it sends and its integer weight among the kinds. */
export interface TrafficKind {
  name: string;
  /** Percent as written (100 without a mix). */
  share: number;
  weight: number;
  request: MeshRequest;
}

/**
 * The requests a traffic sends, one per mix entry (one in all without a mix): the URL with the
 * entry's path and query parameters, the traffic's method, headers and body with the entry's
 * over them, and the east-west source on every one. A `host` header is what the gateway routes
 * by, as with curl -H. Returns an error message for a URL that does not parse (the scenario
 * parser checks every entry with this function, so a running traffic never gets one).
 */
export function trafficKinds(spec: TrafficSpec): TrafficKind[] | string {
  const entries = spec.mix ?? [{ name: '', share: 100, weight: MIX_WEIGHT_TOTAL }];
  const out: TrafficKind[] = [];
  for (const e of entries) {
    const url = entryUrl(spec.url, e.path, e.query);
    if (typeof url === 'string') return url;
    const headers = { ...spec.headers, ...e.headers };
    const host = headers['host'];
    const body = e.body ?? spec.body;
    const request: MeshRequest = {
      url: host !== undefined ? { ...url, host: host.replace(/:\d+$/, '').toLowerCase() } : url,
      method: e.method ?? spec.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(spec.from ? { source: spec.from } : {}),
    };
    out.push({ name: e.name, share: e.share, weight: e.weight, request });
  }
  return out;
}

/** `base` with its path replaced and query parameters set (each name once, the entry's value). */
export function entryUrl(
  base: string,
  path: string | undefined,
  query: Readonly<Record<string, string>> | undefined,
): RequestUrl | string {
  if (path === undefined && query === undefined) return parseRequestUrl(base);
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return parseRequestUrl(base);
  }
  if (path !== undefined) u.pathname = path;
  for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
  return parseRequestUrl(u.href);
}
