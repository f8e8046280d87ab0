import type { MetricProvider, ProviderResult } from '../../sim/analysis/index.js';
import { formatValue } from '../../sim/analysis/index.js';

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

/**
 * Argo's Prometheus provider over HTTP, against a real Prometheus: an instant query (POSTed form,
 * as client_golang sends it) at the simulated time, so a scenario whose clock starts in a past
 * window replays production data. Vectors become arrays of floats, scalars a float (§6.2).
 */
export class RemotePrometheusProvider implements MetricProvider {
  constructor(private readonly timeoutMs = 30_000) {}

  async measure(address: string | undefined, query: string, atMs: number): Promise<ProviderResult> {
    if (!address) return { error: 'prometheus address is not configured' };
    let base: URL;
    try {
      base = new URL(address);
    } catch {
      return { error: 'prometheus address is not is url format' };
    }
    const url = `${address.replace(/\/+$/, '')}/api/v1/query`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query, time: (atMs / 1000).toFixed(3) }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
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
      const values = (data.result as { value: [number, string] }[]).map((s) => Number(s.value[1]));
      return { value: values, valueString: formatValue(values) };
    }
    if (data?.resultType === 'scalar' && Array.isArray(data.result)) {
      const v = Number((data.result as [number, string])[1]);
      return { value: v, valueString: formatValue(v) };
    }
    return { error: 'Prometheus metric type not supported' };
  }
}
