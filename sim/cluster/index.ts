export * from './objects.js';
export * from './podTemplateHash.js';
export { Cluster, containerConfig, type NamespaceConfig, type ClusterChange } from './Cluster.js';
export {
  Kubelet,
  DEFAULT_POD_TIMINGS,
  BACKOFF_INITIAL_MS,
  BACKOFF_MAX_MS,
  type PodTimings,
  type PodHooks,
} from './Kubelet.js';
export { isRfc1123Label } from './names.js';
