/** The terminal views of a live simulation: the blessed dashboard and `get rollout --watch`. */
export { runDashboard, type DashboardOptions } from './dashboard.js';
export { watchRollout, type WatchOptions } from './watch.js';
