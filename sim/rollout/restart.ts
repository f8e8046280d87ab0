import type { Clock } from '../clock/index.js';
import type { Cluster, Pod } from '../cluster/index.js';
import { evictPod } from './evictPod.js';
import { resolveFenceposts, scaledValue } from './replicaMath.js';
import type { Rollout } from './types.js';

/** Argo's `restartPodCheckTime`: while pods still need a restart, look again this much later. */
export const RESTART_POD_CHECK_MS = 30_000;

/**
 * `replicasetutil.NeedsRestart`: restartAt is set, not yet recorded as done in status.restartedAt,
 * and has come. (Argo requires `now.After(restartAt)`; a timer fires exactly at restartAt here, a
 * tick before Argo would act, so the instant itself counts.)
 */
export function needsRestart(ro: Rollout, now: number): boolean {
  const at = ro.spec.restartAt;
  if (at === undefined) return false;
  if (ro.status.restartedAt === at) return false;
  return now >= at;
}

/**
 * `replicasetutil.MaxUnavailable` as restart uses it: the canary's fencepost (25% rounded down,
 * 1 when both resolve to 0), blue-green's own `maxUnavailable` rounded down; capped at replicas.
 * Worked example: 5 replicas with the 25% defaults → 1; 10 → 2; 3 → 0 (restart still moves 1 at a time).
 */
export function restartMaxUnavailable(ro: Rollout): number {
  const n = ro.spec.replicas;
  if (n === 0) return 0;
  const c = ro.spec.strategy.canary;
  const u = c
    ? resolveFenceposts(c.maxSurge, c.maxUnavailable, n).unavailable
    : scaledValue(ro.spec.strategy.blueGreen?.maxUnavailable ?? '25%', n, false);
  return Math.min(u, n);
}

/** Kubernetes timestamps have whole seconds: a pod created within restartAt's second counts as after it. */
const createdAtOrAfter = (p: Pod, at: number) => Math.floor(p.meta.creationTimestamp / 1000) * 1000 >= at;

const pending = new WeakMap<Rollout, { at: number; timer: number }>();

/**
 * Argo's `RolloutPodRestarter.Reconcile` (rollout/restart.go), once per sync: when `restart` is
 * due, evicts the rollout's pods created before spec.restartAt — at most
 * `available − (max(replicas, Σ spec replicas) − max(maxUnavailable, 1))` of them per sync, so
 * the rollout never drops below its availability budget — and records status.restartedAt once
 * none is left. Pods are taken in the API's list order (by name); terminating ones wait.
 * A template change counts as a restart (Argo's resetRolloutStatus sets restartedAt too).
 * Wakes the rollout (`owner.enqueue`) at restartAt and every 30 s while pods still wait, on the
 * simulation's clock.
 */
export function restartPods(
  ro: Rollout,
  deps: { cluster: Cluster; clock: Clock },
  owner: { enqueue(): void },
  templateChanged: boolean,
): void {
  const at = ro.spec.restartAt;
  if (at === undefined || ro.status.restartedAt === at) return;
  if (templateChanged) {
    ro.status.restartedAt = at;
    return;
  }
  const now = deps.clock.now();
  if (!needsRestart(ro, now)) {
    wakeAt(ro, deps.clock, at, owner);
    return;
  }
  const rss = deps.cluster.listReplicaSets(ro.meta.namespace, ro.meta.name);
  const pods = rss
    .flatMap((rs) => deps.cluster.podsOf(rs).map((pod) => ({ pod, rs })))
    .sort((a, b) => (a.pod.meta.name < b.pod.meta.name ? -1 : a.pod.meta.name > b.pod.meta.name ? 1 : 0));
  const n = ro.spec.replicas;
  const total = rss.reduce((a, rs) => a + rs.replicas, 0);
  const minReadyMs = ro.spec.minReadySeconds * 1000;
  const available = pods.filter(
    ({ pod }) => !pod.terminating && pod.readyAt !== undefined && pod.readyAt + minReadyMs <= now,
  ).length;
  const concurrent = Math.max(restartMaxUnavailable(ro), 1);
  let canRestart = available - (Math.max(n, total) - concurrent);
  let waiting = 0;
  let restarted = 0;
  for (const { pod, rs } of pods) {
    if (createdAtOrAfter(pod, at)) continue;
    waiting++;
    if (canRestart <= 0 || pod.terminating) continue;
    evictPod(deps.cluster, pod, rs);
    canRestart--;
    restarted++;
  }
  if (waiting - restarted !== 0) wakeAt(ro, deps.clock, now + RESTART_POD_CHECK_MS, owner);
  else ro.status.restartedAt = at;
}

/** One pending wake-up per rollout: the earliest asked for. */
function wakeAt(ro: Rollout, clock: Clock, at: number, owner: { enqueue(): void }): void {
  const p = pending.get(ro);
  if (p && p.at <= at && p.at > clock.now()) return;
  if (p) clock.clearTimeout(p.timer);
  const timer = clock.setTimeout(
    () => {
      pending.delete(ro);
      owner.enqueue();
    },
    Math.max(0, at - clock.now()),
  );
  pending.set(ro, { at, timer });
}
