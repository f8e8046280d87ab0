import { isIP } from 'node:net';

/**
 * Which requests the API answers, from the address it binds. A loopback bind (the default,
 * 127.0.0.1) answers only requests whose Host names a loopback address — a page that rebinds its
 * own DNS name to 127.0.0.1 still sends that name (DNS-rebinding defence) — and whose Origin, when
 * a browser sent one, is a loopback page: any other page's fetch or form is refused. A bind to a
 * named non-loopback address (`--host 192.168.1.5`) adds that address; a wildcard bind (0.0.0.0,
 * ::) was asked to answer on every interface, so any Host is taken there, but an Origin must
 * still be loopback. Missing headers are not refused: only browsers send Origin, and every
 * browser sends Host.
 *
 *   bind 127.0.0.1:  Host 127.0.0.1:9090 ✓   Host localhost:9090 ✓   Host evil.example:9090 ✗
 *                    Origin http://localhost:3000 ✓   Origin https://evil.example ✗   Origin null ✗
 *   bind 10.0.0.7:   Host 10.0.0.7:9090 ✓   Host evil.example:9090 ✗
 *   bind 0.0.0.0:    Host anything ✓   Origin http://10.0.0.7:8080 ✗
 */
export type RequestGuard = (headers: { host?: string; origin?: string }) => string | undefined;

/** The host of an authority or bind address: `[::1]:9090` → `::1`, `::1` → `::1`, `Localhost.:80` → `localhost`. */
function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (isIP(a) === 6) return a;
  const h = a.startsWith('[')
    ? a.slice(1, a.includes(']') ? a.indexOf(']') : undefined)
    : a.replace(/:\d*$/, '');
  return h.replace(/\.$/, '');
}

/** Whether an authority (host[:port]) is loopback: localhost, 127.0.0.0/8, ::1 (also IPv4-mapped). */
export function isLoopback(authority: string): boolean {
  const h = hostName(authority);
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return h === 'localhost' || h === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}

const WILDCARD = new Set(['', '0.0.0.0', '::']);

/** The guard of an API bound to `bindHost` (see RequestGuard). */
export function requestGuard(bindHost: string): RequestGuard {
  const bind = hostName(bindHost);
  const anyHost = WILDCARD.has(bind);
  const allowed = (h: string) => isLoopback(h) || (!isLoopback(bind) && hostName(h) === bind);
  return ({ host, origin }) => {
    if (host !== undefined && !anyHost && !allowed(host))
      return `refused: Host ${JSON.stringify(host)} is not a loopback address (the API answers requests to 127.0.0.1, localhost or [::1]${isLoopback(bind) ? '; serve --host ADDRESS adds an address' : ` and ${bindHost}`})`;
    if (origin !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(origin);
      } catch {
        url = undefined;
      }
      const local =
        url !== undefined &&
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        (isLoopback(url.host) || (!anyHost && !isLoopback(bind) && hostName(url.host) === bind));
      if (!local)
        return `refused: Origin ${JSON.stringify(origin)} is not a loopback page (the API takes requests from web pages only at http://127.0.0.1, http://localhost or http://[::1])`;
    }
    return undefined;
  };
}
