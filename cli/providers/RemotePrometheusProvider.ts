import type { MetricProvider, ProviderRequest, ProviderResult } from '../../sim/analysis/index.js';
import { providerResult } from '../../sim/analysis/index.js';
import { parseFloat64 } from '../../go/strconv.js';

/** The parts of Prometheus's query API response the provider reads. */
interface QueryResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

/** Go's net/http client error text for the common failures, so messages read as Argo's do. */
function transportError(url: string, host: string, port: string, e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (code === 'ECONNREFUSED') return `Post "${url}": dial tcp ${host}:${port}: connect: connection refused`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `Post "${url}": dial tcp: lookup ${host}: no such host`;
  if ((e as Error).name === 'TimeoutError') return `Post "${url}": context deadline exceeded`;
  return `Post "${url}": ${cause?.message ?? (e as Error).message}`;
}

/** A sample value as Prometheus's API writes it (`"0.97"`, `"NaN"`, `"+Inf"`), read as client_golang does. */
function sampleValue(text: unknown): number {
  const v = parseFloat64(String(text));
  return typeof v === 'number' ? v : NaN;
}

/** A series' labels by name (Prometheus sends them sorted; a proxy may not), so traces stay byte-stable. */
function sortedLabels(metric: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(metric).sort()) out[k] = String(metric[k]);
  return out;
}

/**
 * Argo's Prometheus provider over HTTP, against a real Prometheus: an instant query (POSTed form,
 * as client_golang sends it) at the simulated time, so a scenario whose clock starts in a past
 * window replays production data. Vectors become arrays of floats, scalars a float (§6.2).
 */
export class RemotePrometheusProvider implements MetricProvider {
  /** OAuth2 access tokens by token URL and client, until they expire (clientcredentials caches them). */
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly timeoutMs = 30_000) {}

  /**
   * The request's extra headers as Argo sends them (prometheus.go `NewPrometheusAPI`): each of
   * `headers` set (a later one with the same name wins), then Basic credentials, then an OAuth2
   * client-credentials token as Bearer. SigV4 signing (Amazon Managed Prometheus) is refused.
   */
  private async extraHeaders(
    address: string,
    req: ProviderRequest | undefined,
  ): Promise<{ headers: Record<string, string> } | { error: string }> {
    const out: Record<string, string> = {};
    for (const h of req?.headers ?? []) out[h.key.toLowerCase()] = h.value;
    const auth = req?.authentication;
    if (auth?.basicAuth) {
      const { username, password } = auth.basicAuth;
      if (!username) return { error: 'missing mandatory parameter in metric for basic auth setup: username' };
      if (!password) return { error: 'missing mandatory parameter in metric for basic auth setup: password' };
      out['authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    if (auth?.sigv4 && Object.values(auth.sigv4).some((v) => v) && address.includes('aps-workspaces'))
      return {
        error:
          'not supported by canarysim: authentication.sigv4 (AWS request signing) against a remote Prometheus',
      };
    const o = auth?.oauth2;
    if (o?.tokenUrl) {
      if (!o.clientId || !o.clientSecret)
        return { error: 'missing mandatory parameter in metric for OAuth2 setup' };
      const key = `${o.tokenUrl}\u0000${o.clientId}\u0000${o.scopes.join(' ')}`;
      let t = this.tokens.get(key);
      if (!t || t.expiresAt <= Date.now()) {
        const form = new URLSearchParams({ grant_type: 'client_credentials' });
        if (o.scopes.length > 0) form.set('scope', o.scopes.join(' '));
        let res: Response;
        try {
          res = await fetch(o.tokenUrl, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/x-www-form-urlencoded',
              Authorization: `Basic ${Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`).toString('base64')}`,
            },
            body: form.toString(),
            signal: AbortSignal.timeout(this.timeoutMs),
          });
        } catch (e) {
          return { error: `oauth2: cannot fetch token: ${(e as Error).message}` };
        }
        const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
        if (!res.ok || !body.access_token)
          return { error: `oauth2: cannot fetch token: ${res.status} ${res.statusText}` };
        t = { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 - 10_000 };
        this.tokens.set(key, t);
      }
      out['authorization'] = `Bearer ${t.token}`;
    }
    return { headers: out };
  }

  async measure(
    address: string | undefined,
    query: string,
    atMs: number,
    request?: ProviderRequest,
  ): Promise<ProviderResult> {
    if (!address) return { error: 'prometheus address is not configured' };
    let base: URL;
    try {
      base = new URL(address);
    } catch {
      return { error: 'prometheus address is not is url format' };
    }
    const extra = await this.extraHeaders(address, request);
    if ('error' in extra) return { error: extra.error };
    const url = `${address.replace(/\/+$/, '')}/api/v1/query`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { ...extra.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query, time: (atMs / 1000).toFixed(3) }).toString(),
        signal: AbortSignal.timeout(
          request?.timeoutSeconds !== undefined ? request.timeoutSeconds * 1000 : this.timeoutMs,
        ),
      });
    } catch (e) {
      return {
        error: transportError(
          url,
          base.hostname,
          base.port || (base.protocol === 'https:' ? '443' : '80'),
          e,
        ),
      };
    }
    let body: QueryResponse;
    try {
      body = (await res.json()) as QueryResponse;
    } catch {
      return { error: `server_error: server error: ${res.status}` };
    }
    if (body.status !== 'success')
      return { error: `${body.errorType ?? 'error'}: ${body.error ?? `server error: ${res.status}`}` };
    const data = body.data;
    if (data?.resultType === 'vector' && Array.isArray(data.result)) {
      const series = (data.result as { metric?: Record<string, string>; value: [number, string] }[]).map(
        (s) => ({ labels: sortedLabels(s.metric ?? {}), value: sampleValue(s.value[1]) }),
      );
      return providerResult({ resultType: 'vector', series });
    }
    if (data?.resultType === 'scalar' && Array.isArray(data.result))
      return providerResult({
        resultType: 'scalar',
        value: sampleValue((data.result as [number, string])[1]),
      });
    return { error: 'Prometheus metric type not supported' };
  }
}
