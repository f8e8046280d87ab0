import type { Cluster, Pod, ReplicaSet } from '../cluster/index.js';

/**
 * The parts of the simulated kubelet and ReplicaSet controller an eviction needs. The Cluster
 * has them as private methods and no public `evictPod` yet; until it has one, this is the one
 * place that reaches in (sim/cluster is not this module's to change).
 */
interface ClusterInternals {
  terminatePod(pod: Pod): void;
  reconcileReplicaSet(rs: ReplicaSet): void;
}

/**
 * The Eviction API as `restart` uses it: the pod starts terminating (its grace period on the
 * clock) and its ReplicaSet, now a pod short, creates a replacement at once — as Kubernetes'
 * ReplicaSet controller does when a pod gets a deletion timestamp.
 */
export function evictPod(cluster: Cluster, pod: Pod, rs: ReplicaSet): void {
  const internals = cluster as unknown as ClusterInternals;
  internals.terminatePod(pod);
  internals.reconcileReplicaSet(rs);
}
