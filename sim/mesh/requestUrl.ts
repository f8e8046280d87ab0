/** A request target as the load generator and curl give it. */
export interface RequestUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  /** First value of each query parameter, decoded. */
  query: Record<string, string>;
  /** The URL as written (for messages). */
  raw: string;
}

/** Parses an http(s) URL; returns an error message instead of throwing. */
export function parseRequestUrl(raw: string): RequestUrl | string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `invalid URL ${JSON.stringify(raw)}: expected http://host[:port]/path[?query]`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return `unsupported scheme ${JSON.stringify(u.protocol.replace(/:$/, ''))} in ${JSON.stringify(raw)}: expected http or https`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of u.searchParams) if (!(k in query)) query[k] = v;
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  return {
    scheme,
    host: u.hostname.toLowerCase(),
    port: u.port ? Number(u.port) : scheme === 'https' ? 443 : 80,
    path: u.pathname || '/',
    query,
    raw,
  };
}
