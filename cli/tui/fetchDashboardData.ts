import type { ControlClient, RolloutDetail } from '../live/controlApi.js';
import { errorMessage } from './errorMessage.js';
import { trafficData, type TrafficData } from './trafficData.js';
import { trafficGrid, trafficQueries } from './trafficQueries.js';

/** Everything one dashboard refresh fetched; the screen is a pure function of it. */
export interface DashboardData {
  detail: RolloutDetail;
  /** The charts' data, or why the metrics could not be read (the rest of the screen still works). */
  traffic: TrafficData | { error: string };
}

/**
 * Reads the rollout, then the two traffic range queries over the window ending at the
 * rollout's own `now` (simulated time, which may run faster than the wall clock). A failing
 * rollout read rejects; a failing metrics read only blanks the charts.
 */
export async function fetchDashboardData(
  client: ControlClient,
  namespace: string,
  name: string,
): Promise<DashboardData> {
  const detail = await client.rollout(namespace, name);
  const grid = trafficGrid(detail.now);
  const queries = trafficQueries(namespace);
  const range = (q: string) => client.queryRange(q, grid.startMs, grid.endMs, grid.stepMs);
  try {
    const [requests, ok] = await Promise.all([range(queries.requests), range(queries.ok)]);
    return { detail, traffic: trafficData(grid, requests, ok) };
  } catch (err) {
    return { detail, traffic: { error: errorMessage(err) } };
  }
}
