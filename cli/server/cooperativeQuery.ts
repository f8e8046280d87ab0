import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Queryable, SeriesData, Steps } from '../../sim/promql/index.js';

/** Prometheus's `--query.timeout` default: a query still running after 2 minutes is abandoned. */
export const DEFAULT_QUERY_TIMEOUT_MS = 120_000;

/** Prometheus's `ErrQueryTimeout`: "query timed out in expression evaluation" (errorType timeout, 503). */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';

  constructor(env = 'expression evaluation') {
    super(`query timed out in ${env}`);
  }
}

/** How a query shares the process: its deadline on the wall clock, and a turn for everything else. */
export interface Cooperation {
  /** Wall-clock ms after which the query is abandoned. */
  readonly deadlineMs: number;
  /** The wall clock (Date.now; a fake in tests). */
  readonly wallClock: () => number;
  /** Lets the event loop serve other requests, timers and traffic before the query goes on. */
  readonly pause?: () => Promise<void>;
}

/**
 * Runs a stepwise query to its end. At each of the engine's checkpoints it first checks the
 * deadline — past it the query stops with {@link QueryTimeoutError}, as Prometheus checks its
 * context between steps — then gives the event loop a turn, so `serve` keeps answering its
 * control API, its ingress and other queries while a slow one runs.
 */
export async function runCooperatively<T>(steps: Steps<T>, how: Cooperation): Promise<T> {
  const pause = how.pause ?? (() => nextTurn());
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (how.wallClock() > how.deadlineMs) {
      steps.return(undefined as T);
      throw new QueryTimeoutError();
    }
    await pause();
  }
}

/**
 * `q` with every selection copied out of the storage's buffers. A query that pauses must not read
 * through views the storage may slide or reuse while scrapes append in the meantime; a copy costs
 * one pass over the samples the query reads anyway (typed-array `slice` copies bytes, so stale
 * markers keep their NaN payload).
 */
export function snapshotQueryable(q: Queryable): Queryable {
  return {
    select(matchers, mint, maxt) {
      const out: SeriesData[] = [];
      for (const s of q.select(matchers, mint, maxt)) {
        out.push({
          labels: s.labels,
          ts: s.ts.slice(s.start, s.end),
          vs: s.vs.slice(s.start, s.end),
          start: 0,
          end: s.end - s.start,
          mayHaveStale: s.mayHaveStale,
        });
      }
      return out;
    },
  };
}
