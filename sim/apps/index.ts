export * from './spec.js';
export { AppModels, faultTargets, type ResolvedContainer } from './AppModels.js';
export { AppProcess, errorBody, type Served, type ServedGroup, type ProcessHost } from './AppProcess.js';
export { AppMetrics } from './AppMetrics.js';
export { allocate } from './allocate.js';
export { behaviourAt, overlay, type EffectiveBehaviour } from './effectiveBehaviour.js';
export { globMatches, imageMatches, parseImagePattern } from './imagePattern.js';
export { unsupportedContainers, type UnsupportedContainer } from './unsupportedContainers.js';
