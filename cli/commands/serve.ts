import { parseGoDuration } from '../../go/duration.js';
import { isRfc1123Label } from '../../sim/cluster/index.js';
import { InputError } from '../../sim/errors.js';
import { checkHost } from '../live/serverLimits.js';
import type { Out } from './live.js';

/** `canarysim serve`'s flags, as commander hands them over (ports, speed and seed already parsed). */
export interface ServeFlags {
  port: number;
  apiPort: number;
  host: string;
  speed: number;
  seed: number;
  namespace: string[];
  scrapeInterval: string;
  allowRemote?: boolean;
  prometheusAddress?: string[];
  apps?: string;
}

/** `--scrape-interval D` (serve, lint): a Go duration of at least 1s, in ms. */
export function parseScrapeInterval(v: string): number {
  const ms = parseGoDuration(v);
  if (ms === undefined || ms < 1000)
    throw new InputError(
      `invalid --scrape-interval ${JSON.stringify(v)}: expected a duration of at least 1s`,
    );
  return ms;
}

/**
 * `canarysim serve`: checks every flag before anything listens — a namespace that is no RFC 1123
 * label, a host that is neither an address nor resolvable, a port in use — then serves until
 * `until` resolves (Ctrl-C). Problems are one-line InputErrors (exit 2).
 */
export async function serveCommand(o: ServeFlags, until: () => Promise<void>, out: Out): Promise<number> {
  for (const ns of o.namespace)
    if (!isRfc1123Label(ns))
      throw new InputError(
        `--namespace ${JSON.stringify(ns)}: not a valid namespace name (RFC 1123 label: lowercase letters, digits and '-', at most 63 characters)`,
      );
  for (const a of o.prometheusAddress ?? [])
    if (!/^https?:\/\/[^\s/]+\/?$/.test(a))
      throw new InputError(
        `invalid --prometheus-address ${JSON.stringify(a)}: expected http://host:port, as an AnalysisTemplate's address says it`,
      );
  const scrape = parseScrapeInterval(o.scrapeInterval);
  await checkHost(o.host);
  // Read before anything listens: a bad file is one line at its line:col and exit 2.
  const { loadAppsFile } = await import('../live/loadAppsFile.js');
  const apps = o.apps !== undefined ? loadAppsFile(o.apps) : undefined;
  const { startServe } = await import('../live/serve.js');
  const h = await startServe({
    host: o.host,
    port: o.port,
    apiPort: o.apiPort,
    speed: o.speed,
    seed: o.seed,
    namespaces: o.namespace,
    namespace: o.namespace[0] ?? 'default',
    scrapeIntervalMs: scrape,
    allowRemote: o.allowRemote,
    ...(o.prometheusAddress
      ? { prometheusAddresses: o.prometheusAddress.map((a) => a.replace(/\/+$/, '')) }
      : {}),
    apps,
  });
  const models = apps ? `; ${apps.length} app model${apps.length === 1 ? '' : 's'} from ${o.apps}` : '';
  out.write(
    `canarysim serve: ingress gateway ${h.ingress}, API ${h.api} (control, Prometheus, /metrics); speed ${o.speed}×${models}; Ctrl-C to stop\n` +
      `  e.g. canarysim apply -n a-team -k scenarios/blog/kustomize/overlays/istio --server ${h.api}\n` +
      `  live view: open ${h.api}/ in a browser\n`,
  );
  await until();
  await h.stop();
  out.write('canarysim serve: stopped\n');
  return 0;
}
