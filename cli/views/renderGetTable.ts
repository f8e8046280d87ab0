import type { AnalysisRunRow, VirtualServiceRow } from '../live/controlApi.js';
import { humanDuration } from './humanDuration.js';
import { tabwriter } from './tabwriter.js';

/** kubectl's table: upper-case headers, columns three spaces apart (its tabwriter's padding). */
function table(header: string[], rows: string[][]): string {
  return tabwriter([header, ...rows].map((r) => `${r.join('\t')}\t\n`).join(''), { padding: 3 });
}

/** A `type: string` printer column whose JSONPath selects an array: kubectl prints it as JSON. */
const jsonList = (xs: readonly string[]) => (xs.length === 0 ? '' : JSON.stringify(xs));

/**
 * `kubectl get analysisrun`: the CRD's printer columns (manifests/crds/analysis-run-crd.yaml:
 * Status = .status.phase, Age = .metadata.creationTimestamp). `now` is simulated ms.
 *
 *   NAME                                 STATUS       AGE
 *   silly-demo-6b8f9c7d54-3-2            Successful   5m
 */
export function renderGetAnalysisRuns(rows: readonly AnalysisRunRow[], now: number): string {
  return table(
    ['NAME', 'STATUS', 'AGE'],
    rows.map((r) => [r.name, r.phase, humanDuration(now - r.createdAt)]),
  );
}

/**
 * `kubectl get virtualservice`: Istio's printer columns (Gateways = .spec.gateways, Hosts =
 * .spec.hosts, Age); arrays print as JSON, an absent one as an empty cell.
 *
 *   NAME           GATEWAYS                 HOSTS                             AGE
 *   silly-demo-1   ["silly-demo-gateway"]   ["silly-demo.127.0.0.1.nip.io"]   12m
 */
export function renderGetVirtualServices(rows: readonly VirtualServiceRow[], now: number): string {
  return table(
    ['NAME', 'GATEWAYS', 'HOSTS', 'AGE'],
    rows.map((r) => [r.name, jsonList(r.gateways), jsonList(r.hosts), humanDuration(now - r.createdAt)]),
  );
}
