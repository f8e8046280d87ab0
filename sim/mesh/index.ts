export * from './objects.js';
export * from './envoyBuckets.js';
export * from './latencySample.js';
export * from './requestUrl.js';
export * from './routing.js';
export { authorityOf, headerOf, matchRequest, routeMatches, stringMatches } from './httpMatch.js';
export { rawHttpRoute, sortKeysDeep } from './rawHttpRoute.js';
export {
  IstioStats,
  ISTIO_LABEL_NAMES,
  ISTIO_REQUESTS_TOTAL,
  ISTIO_REQUEST_DURATION,
  SCRAPE_TARGET_LABELS,
  type IstioLabels,
  type IstioLabelName,
  type ScrapeTarget,
} from './IstioStats.js';
export {
  IstioRouter,
  type IstioRouterConfig,
  type RouterResult,
  type HeaderRouteMatch,
  type MirrorRouteMatch,
} from './IstioRouter.js';
export {
  Mesh,
  UPSTREAM_FAILURE,
  UPSTREAM_RESET,
  type IngressIdentity,
  type MeshRequest,
  type MeshSource,
  type Outcome,
  type PlanTarget,
  type Planned,
} from './Mesh.js';
export { MeshTelemetry, type SourceReporter } from './MeshTelemetry.js';
export { canonical, podIdentity, type WorkloadIdentity } from './istioIdentity.js';
