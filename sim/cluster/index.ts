export * from './objects.js';
export * from './podTemplateHash.js';
export {
  Cluster,
  DEFAULT_POD_TIMINGS,
  type PodTimings,
  type NamespaceConfig,
  type ClusterChange,
} from './Cluster.js';
