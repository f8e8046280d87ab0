/** How far back the dashboard's charts look (simulated time): "the last 5 minutes". */
export const TRAFFIC_WINDOW_MS = 5 * 60_000;
/** One chart column per step: 31 points over the window, which fits the right-hand panel. */
export const TRAFFIC_STEP_MS = 10_000;

/** The steps of one range query: `points` evaluations from `startMs` to `endMs` inclusive. */
export interface TrafficGrid {
  startMs: number;
  endMs: number;
  stepMs: number;
  points: number;
}

/**
 * The grid ending at the last whole step at or before `nowMs`. Snapping to the step keeps the
 * points of consecutive refreshes on the same timestamps, so an unchanged history yields an
 * identical chart and the dashboard does not repaint it.
 */
export function trafficGrid(
  nowMs: number,
  windowMs = TRAFFIC_WINDOW_MS,
  stepMs = TRAFFIC_STEP_MS,
): TrafficGrid {
  const endMs = Math.floor(nowMs / stepMs) * stepMs;
  return { startMs: endMs - windowMs, endMs, stepMs, points: Math.floor(windowMs / stepMs) + 1 };
}

/** The two range queries behind the request-rate and success-rate charts. */
export interface TrafficQueries {
  /** Requests per second per destination service, as the calling proxies report them. */
  requests: string;
  /** The same, counting only non-5xx responses. */
  ok: string;
}

/**
 * Per-destination request rates in `namespace`, from the source-side Istio metric (the side
 * Argo's analysis templates query). The success rate is computed from both queries rather than
 * as one PromQL ratio: when every canary request fails the non-5xx series does not exist, and
 * `ok / total` would then drop the canary from the chart exactly when it matters; dividing on
 * our side turns that into 0 %.
 */
export function trafficQueries(namespace: string): TrafficQueries {
  const selector = `reporter="source",destination_service_namespace="${escapeLabelValue(namespace)}"`;
  const rate = (extra: string): string =>
    `sum by (destination_service_name) (rate(istio_requests_total{${selector}${extra}}[1m]))`;
  return { requests: rate(''), ok: rate(',response_code!~"5.*"') };
}

/** PromQL double-quoted strings use Go escapes; a namespace never needs them, but stay safe. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
