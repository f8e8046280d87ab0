import type { Outcome } from '../sim/mesh/index.js';
import { LatencyStats, type LatencySummary } from './latencyStats.js';

/** Responses by class of status code; every class is present (0 when none). */
export type StatusClasses = Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', number>;

/** What a set of requests got back. Plain data: reports and conditions read it as is. */
export interface TrafficCounts {
  /** Requests sent, transport errors included. */
  requests: number;
  /** Requests that got an HTTP response, whatever its status. */
  responses: number;
  /** Responses by status code, ascending: `{"200": 950, "500": 50}`. */
  statusCodes: Record<string, number>;
  statusClasses: StatusClasses;
  /** Transport errors (no response: status 0), e.g. no such host. */
  errors: number;
  /** Transport errors by message, as Go's http client prints them. */
  errorMessages: Record<string, number>;
  /** Latency the clients measured, over responses (errors have none). */
  latency: LatencySummary;
}

/** An open-model traffic at a point of the run, or at its end (`running: false`). */
export interface TrafficResult extends TrafficCounts {
  id: string;
  running: boolean;
  /** RFC 3339 UTC on the simulated clock. */
  startedAt: string;
  stoppedAt: string | null;
  /** Simulated seconds it has run (to now, or to its stop). */
  seconds: number;
  /** The target arrival rate now, requests per second (0 once stopped). */
  ratePerSecond: number;
  /** Requests the rate curve expects by now (∫ rate): `requests` fluctuates around it (Poisson) or is its floor (uniform). */
  expectedRequests: number;
  /** Per kind of request, by name in the order written; `{}` without a mix. */
  mix: Record<string, TrafficMixResult>;
}

export interface TrafficMixResult extends TrafficCounts {
  /** The entry's share of the arrivals, percent as written. */
  share: number;
}

/** Counters for one stream of requests, fed with the mesh's outcomes batch by batch. */
export class TrafficTally {
  requests = 0;
  errors = 0;
  readonly statusCounts = new Map<number, number>();
  private readonly errorMessages = new Map<string, number>();
  private readonly latency = new LatencyStats();

  /** `sent` requests went out and ended as `outcomes` (the mesh's groups; their counts add up to `sent`). */
  add(sent: number, outcomes: readonly Outcome[]): void {
    this.requests += sent;
    for (const o of outcomes) {
      if (o.status === 0) {
        this.errors += o.count;
        const msg = o.error ?? 'error';
        this.errorMessages.set(msg, (this.errorMessages.get(msg) ?? 0) + o.count);
        continue;
      }
      this.statusCounts.set(o.status, (this.statusCounts.get(o.status) ?? 0) + o.count);
      this.latency.add(o.clientLatency, o.count);
    }
  }

  counts(): TrafficCounts {
    const statusCodes: Record<string, number> = {};
    const statusClasses: StatusClasses = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
    let responses = 0;
    for (const [code, n] of [...this.statusCounts].sort((a, b) => a[0] - b[0])) {
      statusCodes[String(code)] = n;
      responses += n;
      const cls = `${Math.floor(code / 100)}xx`;
      if (cls in statusClasses) statusClasses[cls as keyof StatusClasses] += n;
    }
    const errorMessages: Record<string, number> = {};
    for (const [m, n] of [...this.errorMessages].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
      errorMessages[m] = n;
    return {
      requests: this.requests,
      responses,
      statusCodes,
      statusClasses,
      errors: this.errors,
      errorMessages,
      latency: this.latency.summary(),
    };
  }
}
