import {
  revisionOf,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type Pod,
  type ReplicaSet,
} from '../../sim/cluster/index.js';
import { clientPhase, currentSetWeight, type Rollout } from '../../sim/rollout/index.js';
import type { AnyWorld as World } from '../../sim/world.js';
import type {
  AnalysisRunView,
  ImageView,
  PodView,
  ReplicaSetView,
  RevisionView,
  RolloutView,
} from './RolloutView.js';

/** The plugin's pod status string (waiting reason, Terminating, else the phase). */
function podView(p: Pod): PodView {
  const ready = p.terminating ? 0 : p.readyContainers;
  return {
    name: p.meta.name,
    status: p.status,
    createdAt: p.meta.creationTimestamp,
    ready: `${ready}/${p.containerCount}`,
    restarts: p.restarts,
  };
}

/** RS status as the plugin derives it: ScaledDown at 0, Progressing until every replica is available, else Healthy. */
function rsStatus(rs: ReplicaSet): string {
  if (rs.replicas === 0) return 'ScaledDown';
  if (rs.status.availableReplicas < rs.replicas) return 'Progressing';
  return 'Healthy';
}

/**
 * What `kubectl argo rollouts get rollout` shows, projected from the simulation's state
 * (spec/argo-rollouts.md §7): summary fields computed as the plugin's info package does.
 */
export function projectRollout(world: World, ro: Rollout): RolloutView {
  const cluster = world.cluster;
  const s = ro.status;
  const rss = cluster.listReplicaSets(ro.meta.namespace, ro.meta.name);
  const newRS = rss.find((rs) => rs.podTemplateHash === s.currentPodHash);
  const canary = ro.spec.strategy.canary;
  const steps = canary?.steps.length ?? 0;
  const { phase, message } = clientPhase(ro);
  const tagsOf = (rs: ReplicaSet) => rsTags(ro, rs);

  // ActualWeight as the plugin computes it: 100 once past the last step; else 0 with nothing
  // available; the router's recorded weight; or the canary's share of available pods.
  // Blue-green has no weights (the plugin prints no Step/SetWeight/ActualWeight lines).
  let actualWeight = '';
  if (canary) {
    const allDone = steps === 0 || (s.currentStepIndex ?? 0) >= steps;
    actualWeight = '0';
    if (allDone) actualWeight = '100';
    else if (s.availableReplicas > 0) {
      if (canary.trafficRouting)
        actualWeight = String(s.canary.weights?.canary.weight ?? currentSetWeight(ro));
      else if (newRS && s.currentPodHash !== s.stableRS)
        actualWeight = String(Math.floor((newRS.status.availableReplicas * 100) / s.availableReplicas));
    }
  }

  // The plugin's `Images`: tags in the order canary, stable, active, preview; an image that more
  // than one ReplicaSet runs gets its tags merged, de-duplicated and sorted (`mergeTags`).
  const images = new Map<string, string[]>();
  for (const rs of rss) {
    if (rs.status.replicas === 0) continue;
    const t = tagsOf(rs);
    const tags = (['canary', 'stable', 'active', 'preview'] as const).filter((k) => t[k]);
    for (const c of rs.template.containers) {
      const seen = images.get(c.image);
      images.set(c.image, seen ? [...new Set([...seen, ...tags])].sort() : [...tags]);
    }
  }
  const imageViews: ImageView[] = [...images.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([image, tags]) => ({ image, tags }));

  const runs = world.analysis.runsOf(ro.meta.namespace, ro.meta.name);
  const byRevision = new Map<number, RevisionView>();
  const rev = (n: number) => {
    let r = byRevision.get(n);
    if (!r) byRevision.set(n, (r = { revision: n, replicaSets: [], analysisRuns: [] }));
    return r;
  };
  for (const rs of rss) {
    const deadline = rs.meta.annotations[SCALE_DOWN_DEADLINE_ANNOTATION];
    const view: ReplicaSetView = {
      name: rs.meta.name,
      status: rsStatus(rs),
      createdAt: rs.meta.creationTimestamp,
      ...tagsOf(rs),
      scaleDownDeadline: deadline !== undefined ? Date.parse(deadline) : undefined,
      pods: cluster.podsOf(rs).map(podView),
    };
    rev(revisionOf(rs)).replicaSets.push(view);
  }
  for (const run of runs) {
    const rsOfRun = rss.find((rs) => rs.podTemplateHash === run.podHash);
    const n = rsOfRun ? revisionOf(rsOfRun) : run.revision;
    const view: AnalysisRunView = {
      name: run.name,
      status: run.phase,
      createdAt: run.createdAt,
      successful: run.metricResults.reduce((a, m) => a + m.successful, 0),
      failed: run.metricResults.reduce((a, m) => a + m.failed, 0),
      inconclusive: run.metricResults.reduce((a, m) => a + m.inconclusive, 0),
      error: run.metricResults.reduce((a, m) => a + m.error, 0),
    };
    rev(n).analysisRuns.push(view);
  }
  const revisions = [...byRevision.values()].sort((a, b) => b.revision - a.revision);
  for (const r of revisions)
    r.analysisRuns.sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));

  const updated = newRS?.status.replicas ?? 0;
  return {
    name: ro.meta.name,
    namespace: ro.meta.namespace,
    status: phase,
    message,
    strategy: canary ? 'Canary' : 'BlueGreen',
    step: steps > 0 && s.currentStepIndex !== undefined ? `${s.currentStepIndex}/${steps}` : '',
    setWeight: canary ? String(currentSetWeight(ro)) : '',
    actualWeight,
    images: imageViews,
    replicas: {
      desired: ro.spec.replicas,
      current: s.replicas,
      updated,
      ready: s.readyReplicas,
      available: s.availableReplicas,
    },
    createdAt: ro.meta.creationTimestamp,
    revisions,
  };
}

/**
 * The plugin's tags of a ReplicaSet (info/replicaset_info.go): a canary's RS is stable, or else
 * canary when it is the current one; a blue-green RS is stable, and active or else preview by the
 * selectors recorded in status.blueGreen.
 */
function rsTags(
  ro: Rollout,
  rs: ReplicaSet,
): { stable: boolean; canary: boolean; active: boolean; preview: boolean } {
  const s = ro.status;
  const h = rs.podTemplateHash;
  const stable = h === s.stableRS;
  if (!ro.spec.strategy.blueGreen)
    return { stable, canary: !stable && h === s.currentPodHash, active: false, preview: false };
  const active = s.blueGreen.activeSelector === h;
  return { stable, canary: false, active, preview: !active && s.blueGreen.previewSelector === h };
}

/** Image tag of the stable / canary ReplicaSets (for reports). */
export function rolloutImages(world: World, ro: Rollout): { stable?: string; canary?: string } {
  const rss = world.cluster.listReplicaSets(ro.meta.namespace, ro.meta.name);
  const img = (hash: string) => rss.find((r) => r.podTemplateHash === hash)?.template.containers[0]?.image;
  const stable = ro.status.stableRS ? img(ro.status.stableRS) : undefined;
  const canary =
    ro.status.currentPodHash && ro.status.currentPodHash !== ro.status.stableRS
      ? img(ro.status.currentPodHash)
      : undefined;
  return { stable, canary };
}
