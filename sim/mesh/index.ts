export * from './objects.js';
export * from './envoyBuckets.js';
export * from './latencySample.js';
export * from './requestUrl.js';
export * from './routing.js';
export {
  IstioStats,
  ISTIO_LABEL_NAMES,
  type IstioLabels,
  type IstioLabelName,
  type ScrapeTarget,
} from './IstioStats.js';
export { BulkHistogram } from './BulkHistogram.js';
export { IstioRouter, type IstioRouterConfig } from './IstioRouter.js';
export {
  Mesh,
  type IngressIdentity,
  type MeshRequest,
  type Outcome,
  type PlanTarget,
  type Planned,
} from './Mesh.js';
