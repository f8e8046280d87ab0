import { ERROR_RETRY_INTERVAL_MS } from '../../sim/analysis/verdict/index.js';
import { DEFAULT_POD_TIMINGS, type PodTemplate, type PodTimings } from '../../sim/cluster/index.js';
import { formatGoDuration } from '../../go/duration.js';
import type { MetricTemplateSpec } from '../../sim/manifests/index.js';
import {
  basicCanaryReplicaCounts,
  resolveFenceposts,
  stepString,
  type CanaryStrategy,
  type RolloutSpec,
} from '../../sim/rollout/index.js';
import { dryRunNames, metricTiming, type MetricTiming } from './metricTiming.js';
import type { AnalysisUse } from './resolveAnalysis.js';
import type { DeclaredRate, SampleSizeRow } from './checkSampleSize.js';

/** One line of a rollout's static timeline: a canary step, or a blue-green phase. Times in ms from the update. */
export interface TimelineRow {
  /** Canary step index; undefined for phases (promotion, preview, switch, …). */
  step?: number;
  label: string;
  startMs: number;
  /** Infinity when it never ends (an analysis with a metric that never ends). */
  endMs: number;
  /** Waits for `promote` (a pause without duration, blue-green without auto-promotion): counted as 0 s. */
  manual?: boolean;
  /** Happens after the rollout is complete (old ReplicaSet scaled down); not part of the total. */
  after?: boolean;
}

/** One metric of one analysis, placed on the timeline. */
export interface MetricOnTimeline {
  /** `background`, `step 3`, `pre-promotion`, `post-promotion`. */
  analysis: string;
  template: string;
  metric: string;
  /** The metric as written (for positions; not part of the JSON report). */
  spec: MetricTemplateSpec;
  /** When the AnalysisRun is created. */
  runStartMs: number;
  timing: MetricTiming;
  /** Measurements taken before the rollout completes (background) or the analysis ends; undefined = unbounded. */
  measurements?: number;
  /** A pause that waits for `promote` falls inside the run: an unbounded metric measures more while it waits. */
  moreWhilePaused: boolean;
  /** The earliest moment a run of failed measurements can abort the rollout (undefined: it cannot). */
  abortOnFailureMs?: number;
  /** The earliest moment consecutive Error measurements (10 s apart) can abort it. */
  abortOnErrorsMs?: number;
  /** Times of the measurements (capped), for coverage. */
  measurementTimesMs: number[];
}

export interface RolloutTimeline {
  rollout: string;
  namespace: string;
  strategy: 'canary' | 'blueGreen';
  replicas: number;
  trafficRouting: boolean;
  /** How long a new pod takes to become available, as assumed: the first wave, and later ones. */
  podReadyMs: number;
  podReadyCachedMs: number;
  assumption: string;
  rows: TimelineRow[];
  /** From the update to the rollout being complete (Infinity: never, without intervention). */
  totalMs: number;
  metrics: MetricOnTimeline[];
  /** Canary steps during which no analysis takes a measurement. */
  uncoveredSteps: number[];
  earliestAbort?: { atMs: number; by: string };
  /** The sample-size advice at a declared traffic rate (lint --rps, or a scenario's traffic). */
  sampleSize?: { rate: DeclaredRate; rows: SampleSizeRow[] };
}

const MAX_TIMES = 10_000;

/** How long a new pod of the new revision takes to become available, as assumed. */
export interface PodReadiness {
  /** The first pods of the revision: the image is pulled. */
  firstMs: number;
  /** Later pods: the image is cached on the node. */
  cachedMs: number;
  text: string;
}

/**
 * Pod start-up as sim/cluster models it, without jitter: the image pull (cached after the first
 * pods of the revision), then the slower of the app's first readiness probe and istio-proxy,
 * then minReadySeconds. With the defaults and a sidecar: 3s + 1.5s = 4.5s, later 0.6s + 1.5s = 2.1s.
 */
export function podReadiness(
  template: PodTemplate | undefined,
  minReadySeconds: number,
  sidecar: boolean,
  t: PodTimings = DEFAULT_POD_TIMINGS,
): PodReadiness {
  const probe = template?.containers[0]?.readinessProbe;
  const appMs = probe && probe.initialDelaySeconds > 0 ? probe.initialDelaySeconds * 1000 : t.firstProbeMs;
  const readyMs = Math.max(appMs, sidecar ? t.sidecarReadyMs : 0);
  const extra = readyMs + minReadySeconds * 1000;
  const ready = sidecar
    ? `the slower of the first readiness probe (${formatGoDuration(appMs)}) and istio-proxy (${formatGoDuration(t.sidecarReadyMs)})`
    : `the first readiness probe (${formatGoDuration(appMs)})`;
  return {
    firstMs: t.pullMs + extra,
    cachedMs: t.cachedPullMs + extra,
    text: `a new pod is available ${formatGoDuration(t.pullMs + extra)} after it is created, ${formatGoDuration(t.cachedPullMs + extra)} once its image is cached (image pull ${formatGoDuration(t.pullMs)}, cached ${formatGoDuration(t.cachedPullMs)}, then ${ready}${minReadySeconds > 0 ? `, plus minReadySeconds ${minReadySeconds}` : ''}: sim/cluster's default pod timings without jitter)`,
  };
}

/** Time for the next wave of new pods: the first wave pulls the image, later ones find it cached. */
class PodClock {
  private pulled = false;
  constructor(private readonly r: PodReadiness) {}
  wave(): number {
    const ms = this.pulled ? this.r.cachedMs : this.r.firstMs;
    this.pulled = true;
    return ms;
  }
}

const label = (u: AnalysisUse): string =>
  u.kind === 'background'
    ? 'background'
    : u.kind === 'step'
      ? `step ${u.stepIndex}`
      : u.kind === 'prePromotion'
        ? 'pre-promotion'
        : 'post-promotion';

function timingsOf(use: AnalysisUse): { template: string; spec: MetricTemplateSpec; timing: MetricTiming }[] {
  const names = use.templates.flatMap((t) => t.template.spec.metrics.map((m) => m.name));
  const dry = dryRunNames(names, use.rules);
  return use.templates.flatMap((t) =>
    t.template.spec.metrics.map((m) => ({
      template: t.template.name,
      spec: m,
      timing: metricTiming(m, use.args, dry.has(m.name)),
    })),
  );
}

/** How long a run that must end (step, pre/post-promotion) takes: its slowest metric. */
function runDurationMs(use: AnalysisUse | undefined): number {
  if (!use) return 0;
  let d = 0;
  for (const { timing: m } of timingsOf(use)) {
    if (m.effectiveCount === undefined) return Infinity;
    d = Math.max(d, m.initialDelayMs + (m.effectiveCount - 1) * (m.intervalMs ?? 0));
  }
  return d;
}

/**
 * Places a metric's measurements between `runStartMs` and `endMs` (exclusive; the run is
 * terminated then) and finds the earliest abort: the (failureLimit+1)-th failed measurement, or
 * consecutiveErrorLimit+1 Errors retried every 10 s (spec §5.5, §5.7).
 */
function place(
  analysis: string,
  template: string,
  spec: MetricTemplateSpec,
  m: MetricTiming,
  runStartMs: number,
  endMs: number,
  manualPauseInside: boolean,
): MetricOnTimeline {
  const first = runStartMs + m.initialDelayMs;
  const times: number[] = [];
  let measurements: number | undefined = 0;
  if (first < endMs) {
    if (m.intervalMs === undefined || m.intervalMs <= 0) measurements = Math.min(1, m.effectiveCount ?? 1);
    else {
      const fit = endMs === Infinity ? Infinity : Math.ceil((endMs - first) / m.intervalMs);
      measurements = Math.min(fit, m.effectiveCount ?? Infinity);
      if (measurements === Infinity) measurements = undefined;
    }
    const n = Math.min(measurements ?? MAX_TIMES, MAX_TIMES);
    for (let k = 0; k < n; k++) times.push(first + k * (m.intervalMs ?? 0));
  }
  let abortOnFailureMs: number | undefined;
  let abortOnErrorsMs: number | undefined;
  if (!m.dryRun && first < endMs) {
    const at = (k: number) =>
      k === 0 ? first : m.intervalMs === undefined ? undefined : first + k * m.intervalMs;
    let k: number | undefined;
    if (m.failureLimit >= 0) k = m.failureLimit;
    else if (m.consecutiveSuccessLimit > 0 && m.effectiveCount !== undefined) k = m.effectiveCount - 1;
    if (k !== undefined && (m.effectiveCount === undefined || k < m.effectiveCount)) {
      const t = at(k);
      if (t !== undefined && t < endMs) abortOnFailureMs = t;
    }
    const e = first + m.consecutiveErrorLimit * ERROR_RETRY_INTERVAL_MS;
    if (e < endMs) abortOnErrorsMs = e;
  }
  return {
    analysis,
    template,
    metric: m.name,
    spec,
    runStartMs,
    timing: m,
    measurements,
    moreWhilePaused: manualPauseInside && m.effectiveCount === undefined,
    abortOnFailureMs,
    abortOnErrorsMs,
    measurementTimesMs: times,
  };
}

/** Canary replica counts per step, and how long reaching them takes, new pods becoming available as `pods` says. */
class CanaryScaler {
  private canary = 0;
  private stable: number;
  private override: number | undefined;

  constructor(
    private readonly c: CanaryStrategy,
    private readonly n: number,
    private readonly pods: PodClock,
  ) {
    this.stable = n;
  }

  /** Traffic routing: the canary goes straight to its count; basic: rounds bounded by maxSurge / maxUnavailable. */
  scaleTo(weight: number, final = false): number {
    if (this.c.trafficRouting) {
      let target = Math.ceil((weight * this.n) / 100);
      if (!final && this.override !== undefined) target = this.override;
      else if (this.c.minPodsPerReplicaSet !== undefined && target > 0)
        target = Math.min(this.n, Math.max(target, this.c.minPodsPerReplicaSet));
      const grows = target > this.canary;
      this.canary = target;
      return grows ? this.pods.wave() : 0;
    }
    const { surge, unavailable } = resolveFenceposts(this.c.maxSurge, this.c.maxUnavailable, this.n);
    let t = 0;
    let canaryAvail = this.canary;
    let stableAvail = this.stable;
    for (let i = 0; i < 100; i++) {
      const next = basicCanaryReplicaCounts({
        n: this.n,
        weight,
        surge,
        unavailable,
        canary: { spec: this.canary, available: canaryAvail },
        stable: { spec: this.stable, available: stableAvail },
        others: [],
      });
      const settled =
        next.canary === this.canary &&
        next.stable === this.stable &&
        canaryAvail === this.canary &&
        stableAvail === this.stable;
      if (settled) break;
      canaryAvail = Math.min(canaryAvail, next.canary);
      stableAvail = Math.min(stableAvail, next.stable);
      this.canary = next.canary;
      this.stable = next.stable;
      if (canaryAvail < this.canary || stableAvail < this.stable) {
        t += this.pods.wave();
        canaryAvail = this.canary;
        stableAvail = this.stable;
      }
    }
    return t;
  }

  setScale(
    step: { replicas?: number; weight?: number; matchTrafficWeight?: boolean },
    weight: number,
  ): number {
    this.override =
      step.replicas !== undefined
        ? step.replicas
        : step.weight !== undefined
          ? Math.ceil((step.weight * this.n) / 100)
          : undefined;
    return this.scaleTo(weight);
  }
}

function canaryRows(spec: RolloutSpec, uses: readonly AnalysisUse[], pods: PodClock): TimelineRow[] {
  const c = spec.strategy.canary!;
  const scaler = new CanaryScaler(c, spec.replicas, pods);
  const rows: TimelineRow[] = [];
  let t = 0;
  let weight = 0;
  c.steps.forEach((st, i) => {
    let d = 0;
    let manual = false;
    switch (st.kind) {
      case 'setWeight':
        weight = st.setWeight;
        d = scaler.scaleTo(weight);
        break;
      case 'setCanaryScale':
        d = scaler.setScale(st, weight);
        break;
      case 'pause':
        if (st.durationSeconds === undefined) manual = true;
        else d = st.durationSeconds * 1000;
        break;
      case 'analysis':
        d = runDurationMs(uses.find((u) => u.kind === 'step' && u.stepIndex === i));
        break;
      default:
        break;
    }
    rows.push({ step: i, label: stepString(st), startMs: t, endMs: t + d, ...(manual ? { manual } : {}) });
    t += d;
  });
  const d = scaler.scaleTo(100, true);
  rows.push({
    label: `promotion: canary at ${spec.replicas} pod${spec.replicas === 1 ? '' : 's'}, then stable${c.trafficRouting ? `; old ReplicaSet scaled down ${c.scaleDownDelaySeconds}s later` : ''}`,
    startMs: t,
    endMs: t + d,
  });
  return rows;
}

function blueGreenRows(spec: RolloutSpec, uses: readonly AnalysisUse[], pods: PodClock): TimelineRow[] {
  const bg = spec.strategy.blueGreen!;
  const n = spec.replicas;
  const preview = bg.previewReplicaCount ?? n;
  const rows: TimelineRow[] = [];
  const plural = (k: number) => `${k} pod${k === 1 ? '' : 's'}`;
  const readyMs = pods.wave();
  rows.push({ label: `preview up: new ReplicaSet at ${plural(preview)}`, startMs: 0, endMs: readyMs });
  const pre = uses.find((u) => u.kind === 'prePromotion');
  let gate = readyMs;
  if (pre) {
    const end = readyMs + runDurationMs(pre);
    rows.push({ label: 'pre-promotion analysis', startMs: readyMs, endMs: end });
    gate = Math.max(gate, end);
  }
  // Argo pauses when auto-promotion is off (until `promote`; autoPromotionSeconds is then ignored) or
  // when autoPromotionSeconds > 0 (promoted that long after the pause began): pause.go
  // CompletedBlueGreenPause, bluegreen.go needsBlueGreenControllerPause.
  if (!bg.autoPromotionEnabled) {
    rows.push({ label: 'pause: BlueGreenPause', startMs: gate, endMs: gate, manual: true });
  } else if (bg.autoPromotionSeconds > 0) {
    const end = readyMs + bg.autoPromotionSeconds * 1000;
    rows.push({
      label: `pause: auto-promotion after ${bg.autoPromotionSeconds}s`,
      startMs: readyMs,
      endMs: end,
    });
    gate = Math.max(gate, end);
  }
  if (preview < n) {
    const d = pods.wave();
    rows.push({ label: `scale to ${plural(n)}`, startMs: gate, endMs: gate + d });
    gate += d;
  }
  rows.push({ label: 'switch: active Service selects the new ReplicaSet', startMs: gate, endMs: gate });
  const post = uses.find((u) => u.kind === 'postPromotion');
  let end = gate;
  if (post) {
    end = gate + runDurationMs(post);
    rows.push({ label: 'post-promotion analysis', startMs: gate, endMs: end });
  }
  rows.push({ label: 'complete: the new ReplicaSet is stable', startMs: end, endMs: end });
  rows.push({
    label: `old ReplicaSet scaled down (scaleDownDelaySeconds ${bg.scaleDownDelaySeconds})`,
    startMs: end + bg.scaleDownDelaySeconds * 1000,
    endMs: end + bg.scaleDownDelaySeconds * 1000,
    after: true,
  });
  return rows;
}

/** Does any of `times` fall in the row (a zero-length row: exactly at it)? */
const hit = (times: readonly number[], r: TimelineRow) =>
  times.some((x) => (r.startMs === r.endMs ? x === r.startMs : x >= r.startMs && x < r.endMs));

/**
 * The static timeline of one rollout of a new revision, assuming nothing fails, every pause
 * without duration is promoted at once, and new pods become available as `readiness` says:
 * the steps (or blue-green phases) with their start and end, the total, and for every metric of
 * every analysis when its run starts, how many measurements it takes before the rollout ends,
 * and the earliest moment it could abort the rollout.
 */
export function buildTimeline(
  ro: { name: string; namespace: string; spec: RolloutSpec },
  uses: readonly AnalysisUse[],
  readiness: PodReadiness,
): RolloutTimeline {
  const spec = ro.spec;
  const canary = spec.strategy.canary;
  const pods = new PodClock(readiness);
  const rows = canary ? canaryRows(spec, uses, pods) : blueGreenRows(spec, uses, pods);
  const inTotal = rows.filter((r) => !r.after);
  const totalMs = Math.max(0, ...inTotal.map((r) => r.endMs));
  const manualAt = rows.filter((r) => r.manual).map((r) => r.startMs);
  const metrics: MetricOnTimeline[] = [];
  for (const use of uses) {
    if (!use.complete || use.kind === 'template') continue;
    let start = 0;
    let end = totalMs;
    if (use.kind === 'background') {
      const s = use.analysis.startingStep;
      start = (s < canary!.steps.length ? rows[s]! : rows[rows.length - 1]!).startMs;
    } else {
      const row = rows.find((r) =>
        use.kind === 'step'
          ? r.step === use.stepIndex
          : r.label === (use.kind === 'prePromotion' ? 'pre-promotion analysis' : 'post-promotion analysis'),
      );
      if (!row) continue;
      start = row.startMs;
      end = Infinity;
    }
    const manualInside = manualAt.some((x) => x >= start && x <= end);
    for (const { template, spec: m, timing } of timingsOf(use))
      metrics.push(place(label(use), template, m, timing, start, end, manualInside));
  }
  const uncoveredSteps: number[] = [];
  if (canary) {
    const live = metrics.filter((m) => !m.timing.dryRun);
    for (const r of rows) {
      if (r.step === undefined) continue;
      const covered = live.some(
        (m) =>
          hit(m.measurementTimesMs, r) ||
          (m.analysis === `step ${r.step}` && m.measurementTimesMs.length > 0) ||
          (r.manual === true && m.moreWhilePaused && m.runStartMs <= r.startMs),
      );
      if (!covered) uncoveredSteps.push(r.step);
    }
  }
  let earliestAbort: RolloutTimeline['earliestAbort'];
  for (const m of metrics) {
    for (const [at, how] of [
      [
        m.abortOnFailureMs,
        m.timing.failureLimit >= 0
          ? `failed measurement ${m.timing.failureLimit + 1} > failureLimit ${m.timing.failureLimit}`
          : `count ${m.timing.effectiveCount} reached without ${m.timing.consecutiveSuccessLimit} consecutive successes`,
      ],
      [
        m.abortOnErrorsMs,
        `${m.timing.consecutiveErrorLimit + 1} Error measurements 10s apart > consecutiveErrorLimit ${m.timing.consecutiveErrorLimit}`,
      ],
    ] as const) {
      if (at !== undefined && (earliestAbort === undefined || at < earliestAbort.atMs))
        earliestAbort = { atMs: at, by: `${m.analysis} analysis, metric ${m.metric}: ${how}` };
    }
  }
  return {
    rollout: ro.name,
    namespace: ro.namespace,
    strategy: canary ? 'canary' : 'blueGreen',
    replicas: spec.replicas,
    trafficRouting: canary?.trafficRouting !== undefined,
    podReadyMs: readiness.firstMs,
    podReadyCachedMs: readiness.cachedMs,
    assumption: readiness.text,
    rows,
    totalMs,
    metrics,
    uncoveredSteps,
    earliestAbort,
  };
}
