export {
  AnalysisController,
  type AnalysisRun,
  type ResolvedMetric,
  type AnalysisControllerDeps,
  type CreateRunError,
} from './AnalysisController.js';
export {
  DEFAULT_PROMETHEUS_TIMEOUT_SECONDS,
  EmbeddedPrometheusProvider,
  RoutingProvider,
  type PrometheusFault,
  answerOf,
  providerResult,
  type MetricProvider,
  type ProviderAnswer,
  type ReturnedSeries,
  type ProviderRequest,
  type ProviderResult,
} from './MetricProvider.js';
export { formatValue } from './formatValue.js';
export {
  MAX_TRACED_MEASUREMENTS,
  metricLimits,
  tracedMeasurements,
  type MetricCounters,
  type MetricLimits,
  type MetricTrace,
  type TracedMeasurement,
} from './MetricTrace.js';
export { buildRolloutArgs, type RunArg } from './args/buildRolloutArgs.js';
export { extractRolloutFieldPath } from './args/rolloutFieldPath.js';
export { resolveTemplateRefs, type TemplateSource, type TemplateLookup } from './spec/resolveTemplateRefs.js';
export { newRunSpec, type RunSpec } from './spec/newRunSpec.js';
export { resolveMetricArgs, type MetricFields } from './spec/resolveMetricArgs.js';
export { matchDryRunRules, matchRetentionRules } from './spec/matchMetricRules.js';
export {
  validateRolloutAnalysis,
  analysisFieldPath,
  type AnalysisValidationRequest,
  type InvalidAnalysis,
} from './spec/validateRolloutAnalysis.js';
export type { RunSummary, MetricResult, Measurement } from './verdict/index.js';
