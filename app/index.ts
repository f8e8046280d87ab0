export * from './catalogue.js';
export * from './types.js';
export * from './latency.js';
export { genericApp, GENERIC_LATENCY } from './builtins/generic.js';
export {
  sillyDemo,
  isSimulatedPath,
  SILLY_DEMO_REPOSITORY,
  KNOWN_SILLY_DEMO_TAGS,
} from './builtins/sillyDemo.js';
export * from './metricsSpecs.js';
export * from './builtins/index.js';
