import type { TrafficResult } from '../../loadgen/TrafficResult.js';
import { metricLimits, type AnalysisRun, type ProviderAnswer } from '../../sim/analysis/index.js';
import { REVISION_ANNOTATION } from '../../sim/cluster/index.js';
import { currentSetWeight } from '../../sim/rollout/index.js';
import type { AnyWorld as World } from '../../sim/world.js';
import { projectRollout, rolloutImages } from '../views/projectRollout.js';
import { answerState, metricTraceState, type AnswerState, type MetricTraceState } from './traceState.js';

/** A rollout as reports and conditions see it (documented in docs/report.md). */
export interface RolloutState {
  name: string;
  namespace: string;
  phase: string;
  message: string;
  /** `index/steps` as the plugin prints it, e.g. "1/8"; "" without steps. */
  step: string;
  stepIndex: number | null;
  steps: number;
  setWeight: number;
  actualWeight: number;
  images: { stable: string | null; canary: string | null };
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
  /** Revision number of the current pod template. */
  revision: number;
  aborted: boolean;
  /** Simulated seconds since the start when `status.phase` last became Healthy; null if never. */
  healthyAt: number | null;
  /** Simulated seconds since the start of the latest abort (`status.abort` set); null if never. */
  abortedAt: number | null;
  /** User requests the aborted canary's pods answered up to the latest abort; null if never aborted. */
  canaryRequestsBeforeAbort: number | null;
  /** Of those, the ones answered with a 5xx. */
  canaryErrorsBeforeAbort: number | null;
  /** `status.phase` transitions since the Rollout was applied, oldest first (the last 100). */
  history: PhaseTransitionState[];
  revisions: RevisionState[];
  analysisRuns: AnalysisRunState[];
}

export interface PhaseTransitionState {
  /** Simulated seconds since the start. */
  t: number;
  phase: string;
  message: string;
}

export interface RevisionState {
  revision: number;
  replicaSet: string;
  hash: string;
  image: string;
  role: 'stable' | 'canary' | 'old';
  replicas: number;
  ready: number;
  available: number;
  pods: number;
  /** Restarts of the app containers of its pods (crashes, liveness kills). */
  restarts: number;
  /** Its pods by the status the plugin shows (Running, CrashLoopBackOff, ImagePullBackOff…). */
  podStatus: Record<string, number>;
}

export interface MetricState extends MetricTraceState {
  name: string;
  /** Matched by a `dryRun` rule: measured, never decides the run. */
  dryRun: boolean;
  phase: string;
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  /** The last measurement's value as Argo stores it (`[0.97]`), or null before any. */
  lastValue: string | null;
  lastMessage: string | null;
  /** Argo's `MetricResult.message`: the last measurement's error when the phase changed; a dry-run metric's verdict. */
  message: string;
  consecutiveError: number;
  consecutiveSuccess: number;
}

/** `status.runSummary` / `status.dryRunSummary`: metrics by how they ended. */
export interface RunSummaryState {
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
}

export interface AnalysisRunState {
  name: string;
  rollout: string;
  revision: number;
  /** The `rollout-type` label: `Background`, `Step`, `PrePromotion` or `PostPromotion`. */
  kind: string;
  phase: string;
  message: string;
  startedAt: string | null;
  completedAt: string | null;
  metrics: MetricState[];
  runSummary: RunSummaryState;
  /** null until a dry-run metric has been assessed (Argo omits it). */
  dryRunSummary: RunSummaryState | null;
}

export interface VirtualServiceState {
  name: string;
  namespace: string;
  routes: { name: string | null; destinations: { host: string; weight: number }[] }[];
}

export interface HeyState {
  id: string;
  running: boolean;
  requests: number;
  statusCodes: Record<string, number>;
  errors: number;
}

/** Everything a condition can read; the `state` part of the JSON report. Keys are object names. */
export interface SimState {
  /** Simulated seconds since the scenario started. */
  time: number;
  rollouts: Record<string, RolloutState>;
  analysisRuns: Record<string, AnalysisRunState>;
  virtualServices: Record<string, VirtualServiceState>;
  hey: Record<string, HeyState>;
  queries: Record<string, number | number[] | null>;
  /** The same answers with their labels: a vector's series (`labels`, `value`) or a scalar; null on error. */
  querySeries: Record<string, AnswerState | null>;
  /** Open-model traffic by id (loadgen/TrafficResult.ts). */
  traffic: Record<string, TrafficResult>;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** A run as reports and conditions see it; `startMs` is the scenario's start (measurement times count from it). */
export function runState(run: AnalysisRun, startMs: number): AnalysisRunState {
  return {
    name: run.name,
    rollout: run.rollout,
    revision: run.revision,
    kind: run.kind,
    phase: run.phase,
    message: run.message,
    startedAt: iso(run.startedAt),
    completedAt: iso(run.completedAt),
    metrics: run.metricResults.map((m) => {
      const last = m.measurements[m.measurements.length - 1];
      return {
        name: m.name,
        dryRun: run.metrics.some((r) => r.spec.name === m.name && r.dryRun),
        phase: m.phase,
        count: m.count,
        successful: m.successful,
        failed: m.failed,
        inconclusive: m.inconclusive,
        error: m.error,
        lastValue: last ? (last.value ?? '') : null,
        lastMessage: last?.message ? last.message : null,
        message: m.message ?? '',
        consecutiveError: m.consecutiveError,
        consecutiveSuccess: m.consecutiveSuccess,
        ...metricTraceState(
          run.trace.find((t) => t.name === m.name),
          metricLimits(run.metrics.find((r) => r.spec.name === m.name)?.spec ?? { name: m.name }),
          m.measurements.length,
          startMs,
        ),
      };
    }),
    runSummary: { ...run.runSummary },
    dryRunSummary: run.dryRunSummary ? { ...run.dryRunSummary } : null,
  };
}

/** A running or finished load, as state needs it. */
export interface HeyCounters {
  running: boolean;
  sent: number;
  statusCounts: ReadonlyMap<number, number>;
  errorCount: number;
}

export type StatePart =
  'rollouts' | 'analysisRuns' | 'virtualServices' | 'hey' | 'queries' | 'querySeries' | 'traffic';
const ALL_PARTS: ReadonlySet<StatePart> = new Set([
  'rollouts',
  'analysisRuns',
  'virtualServices',
  'hey',
  'queries',
  'querySeries',
  'traffic',
]);

/** The names a scenario's condition can read: `time` and the parts of the state. */
export const STATE_NAMES: readonly string[] = ['time', ...ALL_PARTS];

/** The parts of the state a condition mentions (so waiting on one field does not project everything each second). */
export function partsOf(condition: string): Set<StatePart> {
  const parts = new Set<StatePart>();
  for (const p of ALL_PARTS) if (new RegExp(`\\b${p}\\b`).test(condition)) parts.add(p);
  return parts;
}

/** Projects the world into plain data (deterministic key order); `parts` limits what is built. */
export function buildState(
  world: World,
  hey: ReadonlyMap<string, HeyCounters>,
  /** The scenario's `query:` answers by id (null: an error, a string or a range vector). */
  queries: Readonly<Record<string, ProviderAnswer | null>>,
  parts: ReadonlySet<StatePart> = ALL_PARTS,
  traffic: ReadonlyMap<string, { snapshot(): TrafficResult }> = new Map(),
): SimState {
  const rollouts: Record<string, RolloutState> = {};
  const analysisRuns: Record<string, AnalysisRunState> = {};
  const wantRuns = parts.has('rollouts') || parts.has('analysisRuns');
  const runtimes = wantRuns
    ? [...world.rollouts.values()].sort((a, b) => (a.ro.meta.name < b.ro.meta.name ? -1 : 1))
    : [];
  const seconds = (ms: number) => (ms - world.options.startMs) / 1000;
  for (const { ro, history } of runtimes) {
    const view = projectRollout(world, ro);
    const rss = world.cluster.listReplicaSets(ro.meta.namespace, ro.meta.name);
    const current = rss.find((r) => r.podTemplateHash === ro.status.currentPodHash);
    const imgs = rolloutImages(world, ro);
    const runs = world.analysis
      .runsOf(ro.meta.namespace, ro.meta.name)
      .map((r) => runState(r, world.options.startMs));
    for (const r of runs) analysisRuns[r.name] = r;
    rollouts[ro.meta.name] = {
      name: ro.meta.name,
      namespace: ro.meta.namespace,
      phase: view.status,
      message: view.message,
      step: view.step,
      stepIndex: ro.status.currentStepIndex ?? null,
      steps: ro.spec.strategy.canary?.steps.length ?? 0,
      setWeight: currentSetWeight(ro),
      actualWeight: Number(view.actualWeight),
      images: { stable: imgs.stable ?? null, canary: imgs.canary ?? null },
      replicas: view.replicas,
      revision: current ? Number(current.meta.annotations[REVISION_ANNOTATION]) : 0,
      aborted: ro.status.abort,
      healthyAt: history.healthyAt === undefined ? null : seconds(history.healthyAt),
      abortedAt: history.lastAbort ? seconds(history.lastAbort.time) : null,
      canaryRequestsBeforeAbort: history.lastAbort?.answered.requests ?? null,
      canaryErrorsBeforeAbort: history.lastAbort?.answered.errors ?? null,
      history: history.transitions.map((h) => ({ t: seconds(h.time), phase: h.phase, message: h.message })),
      revisions: rss
        .map((rs): RevisionState => ({
          revision: Number(rs.meta.annotations[REVISION_ANNOTATION]),
          replicaSet: rs.meta.name,
          hash: rs.podTemplateHash,
          image: rs.template.containers[0]?.image ?? '',
          role:
            rs.podTemplateHash === ro.status.stableRS
              ? 'stable'
              : rs.podTemplateHash === ro.status.currentPodHash
                ? 'canary'
                : 'old',
          replicas: rs.replicas,
          ready: rs.status.readyReplicas,
          available: rs.status.availableReplicas,
          pods: world.cluster.podsOf(rs).length,
          restarts: world.cluster.podsOf(rs).reduce((n, p) => n + p.restarts, 0),
          podStatus: countStatuses(world.cluster.podsOf(rs).map((p) => p.status)),
        }))
        .sort((a, b) => b.revision - a.revision),
      analysisRuns: runs,
    };
  }
  const virtualServices: Record<string, VirtualServiceState> = {};
  const vsList = parts.has('virtualServices')
    ? [...world.mesh.virtualServices.values()].sort((a, b) => (a.meta.name < b.meta.name ? -1 : 1))
    : [];
  for (const vs of vsList) {
    virtualServices[vs.meta.name] = {
      name: vs.meta.name,
      namespace: vs.meta.namespace,
      routes: vs.http.map((r) => ({
        name: r.name ?? null,
        destinations: r.route.map((d, _i, all) => ({
          host: d.destination.host,
          weight: d.weight ?? (all.length === 1 ? 100 : 0),
        })),
      })),
    };
  }
  const heyState: Record<string, HeyState> = {};
  for (const [id, h] of parts.has('hey') ? hey : []) {
    const codes: Record<string, number> = {};
    for (const [code, n] of [...h.statusCounts].sort((a, b) => a[0] - b[0])) codes[String(code)] = n;
    heyState[id] = { id, running: h.running, requests: h.sent, statusCodes: codes, errors: h.errorCount };
  }
  const trafficState: Record<string, TrafficResult> = {};
  for (const [id, t] of parts.has('traffic') ? [...traffic].sort((a, b) => (a[0] < b[0] ? -1 : 1)) : [])
    trafficState[id] = t.snapshot();
  return {
    time: seconds(world.now()),
    rollouts,
    analysisRuns,
    virtualServices,
    hey: heyState,
    queries: Object.fromEntries(
      Object.entries(parts.has('queries') ? queries : {}).map(([id, a]) => [
        id,
        a === null ? null : a.resultType === 'scalar' ? a.value : a.series.map((x) => x.value),
      ]),
    ),
    querySeries: Object.fromEntries(
      Object.entries(parts.has('querySeries') ? queries : {}).map(([id, a]) => [
        id,
        a === null ? null : answerState(a),
      ]),
    ),
    traffic: trafficState,
  };
}

/** How many of each status, keys in sorted order (deterministic JSON). */
function countStatuses(statuses: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const st of [...statuses].sort()) out[st] = (out[st] ?? 0) + 1;
  return out;
}
