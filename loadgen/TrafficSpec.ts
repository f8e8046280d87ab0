import type { MeshSource } from '../sim/mesh/index.js';

/**
 * An open-model load, validated and resolved (the scenario's `- traffic:` entry, read by
 * `cli/scenario/parseTraffic.ts`): requests arrive at a rate that does not depend on how fast
 * they are answered, unlike hey's closed loop of workers. Plain data: it goes into reports as is.
 */
export interface TrafficSpec {
  /** Name of the load in conditions and reports (`traffic["users"]`). */
  id: string;
  /** The target as written, `$VARS` expanded: an http(s) URL. */
  url: string;
  /** Where short Service names resolve (`from.namespace` when `from` is set, else kubectl's namespace). */
  namespace: string;
  rate: TrafficRate;
  /** `poisson`: seeded Poisson counts per tick; `uniform`: evenly spaced, exact counts (no draws). */
  arrivals: 'poisson' | 'uniform';
  /** Ends by itself this long after it started; undefined: until `stopTraffic` or the end of the run. */
  durationMs?: number;
  /** Upper-case HTTP method of every request unless a mix entry says otherwise. */
  method: string;
  /** Request headers, lower-case names; a mix entry's headers are added over these. */
  headers: Record<string, string>;
  body?: string;
  /** How requests are spread over kinds; undefined: every request is `url` as written. */
  mix?: TrafficMixEntry[];
  /** East-west: requests start in this workload's sidecar instead of outside the mesh. */
  from?: MeshSource;
}

/** The arrival rate over time, in requests per second, as the scenario wrote it. */
export type TrafficRate =
  | { kind: 'constant'; perSecond: number }
  /** Linear from `fromPerSecond` to `toPerSecond` over `overMs`, then stays at `toPerSecond`. */
  | { kind: 'ramp'; fromPerSecond: number; toPerSecond: number; overMs: number }
  /** Piecewise: from each point on, its rate (held, or linear to the next point when `ramp`). */
  | { kind: 'schedule'; points: SchedulePoint[] }
  /**
   * A 24 h sinusoid on the scenario's UTC clock: `maxPerSecond` at `peakAtMs` after midnight,
   * `minPerSecond` twelve hours later.
   */
  | { kind: 'daily'; minPerSecond: number; maxPerSecond: number; peakAtMs: number };

export interface SchedulePoint {
  /** Since the traffic started, ms; the first point is at 0, later ones strictly increase. */
  atMs: number;
  perSecond: number;
  /** Interpolate linearly to the next point's rate (never set on the last point). */
  ramp: boolean;
}

/** One kind of request and its share of the arrivals. */
export interface TrafficMixEntry {
  /** Key in reports and conditions (`traffic["users"].mix["checkout"]`): `name`, or the path. */
  name: string;
  /** Share in percent, as written (`12.5` for "12.5%"). */
  share: number;
  /** The share in millionths (1e-4 %), exact: the weights of a mix add up to 1,000,000. */
  weight: number;
  /** Replaces the URL's path. */
  path?: string;
  /** Added over the URL's query parameters (a name given in both takes this value). */
  query?: Record<string, string>;
  method?: string;
  /** Lower-case names, added over the traffic's headers. */
  headers?: Record<string, string>;
  body?: string;
}

/** The weights of a mix add up to this (100 % in units of 1e-4 %). */
export const MIX_WEIGHT_TOTAL = 1_000_000;
