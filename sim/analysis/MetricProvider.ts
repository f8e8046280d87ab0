import type { PrometheusAuthentication } from '../manifests/index.js';
import type { Clock } from '../clock/index.js';
import { PromQLEvalError, PromQLParseError, type Engine } from '../promql/index.js';
import type { Storage } from '../tsdb/index.js';
import type { Value } from './condition/index.js';
import { formatValue } from './formatValue.js';

/** A measurement's raw outcome: the value conditions see and the string Argo stores, or an error. */
export type ProviderResult = { value: Value; valueString: string } | { error: string };

/** A metric provider as the analysis controller calls it (one contract for embedded and remote Prometheus). */
/**
 * How a metric reaches a remote Prometheus beyond its address (the provider's `headers`,
 * `authentication`, `insecure`, `timeout`): inert against the embedded one.
 */
export interface ProviderRequest {
  headers?: readonly { key: string; value: string }[];
  authentication?: PrometheusAuthentication;
  insecure?: boolean;
  timeoutSeconds?: number;
}

export interface MetricProvider {
  /** Runs `query` at simulated time `atMs` against the Prometheus at `address`. */
  measure(
    address: string | undefined,
    query: string,
    atMs: number,
    request?: ProviderRequest,
  ): ProviderResult | Promise<ProviderResult>;
}

/**
 * Argo's Prometheus provider over the embedded TSDB: an instant query at the simulated now;
 * vectors become arrays of float64 in response order, scalars a float64 (spec/argo-rollouts.md §6.2).
 * Addresses other than the embedded Prometheus's fail the way a DNS miss does in a cluster.
 */
export class EmbeddedPrometheusProvider implements MetricProvider {
  private readonly addresses: Set<string>;

  constructor(
    private readonly engine: Engine,
    private readonly storage: Storage,
    private readonly clock: Clock,
    addresses: readonly string[],
  ) {
    this.addresses = new Set(addresses.map(normalize));
  }

  /** Whether `address` is one of the embedded Prometheus's. */
  serves(address: string): boolean {
    return this.addresses.has(normalize(address));
  }

  measure(address: string | undefined, query: string, atMs: number = this.clock.now()): ProviderResult {
    if (address === undefined || address === '') return { error: 'prometheus address is not configured' };
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return { error: 'prometheus address is not is url format' };
    }
    if (!this.addresses.has(normalize(address))) {
      return {
        error: `Post "${address.replace(/\/+$/, '')}/api/v1/query": dial tcp: lookup ${url.hostname} on 10.96.0.10:53: no such host`,
      };
    }
    let res;
    try {
      res = this.engine.instantQuery(this.storage, query, atMs);
    } catch (e) {
      if (e instanceof PromQLParseError)
        return { error: `bad_data: invalid parameter "query": ${e.format()}` };
      if (e instanceof PromQLEvalError) return { error: `execution: ${e.message}` };
      throw e;
    }
    if (res.resultType === 'vector') {
      const values = res.result.map((s) => s.value);
      return { value: values, valueString: formatValue(values) };
    }
    if (res.resultType === 'scalar') return { value: res.result, valueString: formatValue(res.result) };
    return { error: 'Prometheus metric type not supported' };
  }
}

function normalize(address: string): string {
  try {
    const u = new URL(address);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return `${u.protocol}//${u.hostname}:${port}`;
  } catch {
    return address;
  }
}

/**
 * Sends each measurement to the embedded Prometheus when the address is one of its own, else to
 * `remote` (a real Prometheus over HTTP) when the scenario allows it. Without `remote`, foreign
 * addresses fail as a DNS miss would: runs stay reproducible unless remote queries are asked for.
 */
export class RoutingProvider implements MetricProvider {
  constructor(
    private readonly embedded: EmbeddedPrometheusProvider,
    private readonly remote?: MetricProvider,
  ) {}

  measure(
    address: string | undefined,
    query: string,
    atMs: number,
    request?: ProviderRequest,
  ): ProviderResult | Promise<ProviderResult> {
    if (this.remote && address && !this.embedded.serves(address) && /^https?:\/\//.test(address))
      return this.remote.measure(address, query, atMs, request);
    return this.embedded.measure(address, query, atMs);
  }
}
