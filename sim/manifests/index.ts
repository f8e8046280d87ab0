export * from './FileSystem.js';
export * from './YamlSource.js';
export { ManifestNode } from './ManifestNode.js';
export { parseManifest, KINDS } from './parseManifest.js';
export { kustomizeBuild, kustomizeSetImage, kustomizationFile, loadManifestFile } from './kustomize.js';
export type { ManifestObject } from './kinds/ManifestObject.js';
export { KUBECTL_RESOURCE } from './kinds/ManifestObject.js';
export type { DeploymentSpec } from './kinds/deployment.js';
export type { ServiceSpec } from './kinds/service.js';
export type { VirtualServiceSpec } from './kinds/virtualService.js';
export type { GatewaySpec } from './kinds/gateway.js';
export type {
  AnalysisTemplateSpec,
  MetricTemplateSpec,
  TemplateArgSpec,
  IntOrArg,
} from './kinds/analysisTemplate.js';
export { placeholders, substituteArgs } from './kinds/analysisTemplate.js';
