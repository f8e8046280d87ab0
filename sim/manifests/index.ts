export * from './FileSystem.js';
export * from './YamlSource.js';
export { ManifestNode, NOT_SUPPORTED } from './ManifestNode.js';
export { ManifestError, IssueSink, type IssueKind } from './ManifestIssues.js';
export { parseManifest, collectManifest, KINDS } from './parseManifest.js';
export {
  kustomizeBuild,
  kustomizeSetImage,
  parseSetImageArg,
  kustomizationFile,
  isKustomizationFile,
  loadManifestFile,
  type LoadOptions,
} from './kustomize.js';
export type { ManifestObject } from './kinds/ManifestObject.js';
export { KUBECTL_RESOURCE } from './kinds/ManifestObject.js';
export type { KindEntry, RejectedKind } from './kinds/KindEntry.js';
export { REJECTED_KINDS } from './kinds/rejectedKinds.js';
export type { InertSpec } from './kinds/inert.js';
export type { DeploymentSpec } from './kinds/deployment.js';
export type { ServiceSpec } from './kinds/service.js';
export type { VirtualServiceSpec } from './kinds/virtualService.js';
export type { GatewaySpec } from './kinds/gateway.js';
export type { DestinationRuleSpec } from './kinds/destinationRule.js';
export type { IngressSpec } from './kinds/ingress.js';
export type {
  AnalysisTemplateSpec,
  MetricTemplateSpec,
  PrometheusProviderSpec,
  PrometheusHeader,
  PrometheusAuthentication,
  TemplateArgSpec,
  IntOrArg,
} from './kinds/analysisTemplate.js';
export { placeholders, substituteArgs } from './kinds/analysisTemplate.js';
