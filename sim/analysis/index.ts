export {
  AnalysisController,
  type AnalysisRun,
  type ResolvedMetric,
  type AnalysisControllerDeps,
} from './AnalysisController.js';
export {
  EmbeddedPrometheusProvider,
  RoutingProvider,
  type MetricProvider,
  type ProviderResult,
} from './MetricProvider.js';
export { formatValue } from './formatValue.js';
