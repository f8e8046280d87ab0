import type { PrometheusAuthentication } from '../manifests/index.js';
import type { Clock } from '../clock/index.js';
import { PromQLEvalError, PromQLParseError, type Engine, type QueryResult } from '../promql/index.js';
import type { Storage } from '../tsdb/index.js';
import type { Value } from './condition/index.js';
import { formatValue } from './formatValue.js';

/** One series of an instant query's answer: its labels and its value, as Prometheus returned them. */
export interface ReturnedSeries {
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** What Prometheus answered, before Argo drops the labels: a vector's series in response order, or a scalar. */
export type ProviderAnswer =
  { resultType: 'vector'; series: ReturnedSeries[] } | { resultType: 'scalar'; value: number };

/**
 * A measurement's raw outcome: the value conditions see, the string Argo stores, and the answer
 * they came from (labels kept, for the trace) — or an error.
 */
export type ProviderResult =
  | { value: Value; valueString: string; answer: ProviderAnswer }
  /** `elapsedMs`: the error came only after this long (a timeout); absent: at once. */
  | { error: string; elapsedMs?: number };

/**
 * The embedded Prometheus misbehaving: `unreachable` — its Service has no endpoints (the pods are
 * down), so a query is refused at once; `slow` — it accepts the query and never answers before
 * the provider's `timeout` (default 30 s, spec §6.1) gives up.
 */
export type PrometheusFault = 'unreachable' | 'slow';

/** Argo's Prometheus provider gives up after `timeout` seconds, 30 unless set (spec §6.1). */
export const DEFAULT_PROMETHEUS_TIMEOUT_SECONDS = 30;

/**
 * The ClusterIP a faulted Prometheus Service is dialled at in messages: canarysim has no object
 * for it, and Go names the address it dialled, not the host.
 */
const PROMETHEUS_CLUSTER_IP = '10.96.100.90';

/** An instant query's result as the provider hands it on: vectors and scalars; strings and matrices are not (§6.2). */
export function answerOf(res: QueryResult): ProviderAnswer | undefined {
  if (res.resultType === 'vector')
    return { resultType: 'vector', series: res.result.map((s) => ({ labels: s.metric, value: s.value })) };
  if (res.resultType === 'scalar') return { resultType: 'scalar', value: res.result };
  return undefined;
}

/**
 * Argo's view of an answer (spec §6.2): a vector becomes the array of its values in response
 * order (labels dropped), a scalar its float64; `valueString` is what the measurement stores.
 *
 *   vector [{labels: {a: "b"}, value: 0.97}] → value [0.97], valueString "[0.97]"
 *   scalar NaN                               → value NaN,    valueString "NaN"
 */
export function providerResult(answer: ProviderAnswer): ProviderResult {
  if (answer.resultType === 'scalar')
    return { value: answer.value, valueString: formatValue(answer.value), answer };
  const values = answer.series.map((s) => s.value);
  return { value: values, valueString: formatValue(values), answer };
}

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
  /** Set while the embedded Prometheus is down or slow (World.setPrometheusFault). */
  fault: PrometheusFault | undefined;

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

  measure(
    address: string | undefined,
    query: string,
    atMs: number = this.clock.now(),
    request?: ProviderRequest,
  ): ProviderResult {
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
    if (this.fault !== undefined) return faultResult(this.fault, address, url, request);
    let res;
    try {
      res = this.engine.instantQuery(this.storage, query, atMs);
    } catch (e) {
      if (e instanceof PromQLParseError)
        return { error: `bad_data: invalid parameter "query": ${e.format()}` };
      if (e instanceof PromQLEvalError) return { error: `execution: ${e.message}` };
      throw e;
    }
    const answer = answerOf(res);
    return answer ? providerResult(answer) : { error: 'Prometheus metric type not supported' };
  }
}

/**
 * What Go's HTTP client says when the Prometheus behind `address` is down (iptables rejects a
 * ClusterIP without endpoints: connection refused, at once) or never answers (the provider's
 * context deadline, after its timeout).
 */
function faultResult(
  fault: PrometheusFault,
  address: string,
  url: URL,
  request: ProviderRequest | undefined,
): ProviderResult {
  const post = `Post "${address.replace(/\/+$/, '')}/api/v1/query"`;
  if (fault === 'unreachable') {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return { error: `${post}: dial tcp ${PROMETHEUS_CLUSTER_IP}:${port}: connect: connection refused` };
  }
  const seconds = request?.timeoutSeconds ?? DEFAULT_PROMETHEUS_TIMEOUT_SECONDS;
  return { error: `${post}: context deadline exceeded`, elapsedMs: seconds * 1000 };
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
    return this.embedded.measure(address, query, atMs, request);
  }
}
