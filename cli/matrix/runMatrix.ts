import { formatValue } from '../../sim/analysis/index.js';
import { runScenario } from '../scenario/runScenario.js';
import type { AnalysisRunState, RolloutState } from '../scenario/state.js';
import type { MeasurementState } from '../scenario/traceState.js';
import type { MatrixTarget } from './matrixTarget.js';
import { rowScenario } from './rowScenario.js';
import { SITUATIONS, type Reached, type Situation, type SituationKind } from './situations.js';

/** What the rollout did next, `atMs` after the image update. */
export interface NextStep {
  /** `none`: still undecided when the row's budget ran out (a pause waiting for promote, a step that never ends). */
  action: 'promote' | 'abort' | 'pause' | 'none';
  atMs: number;
  /** The rollout's phase and message at that moment. */
  phase: string;
  message: string;
}

/** One metric of a run the row created: what its measurements were and where its limits took it. */
export interface MatrixMetric {
  /** `Background`, `Step`, `PrePromotion`, `PostPromotion`, and the run's name. */
  run: string;
  kind: string;
  metric: string;
  /** Measurement phases in order, runs of the same phase folded: `Error×5`, `Successful`. */
  measurements: string;
  /** Distinct values the queries returned, as Argo prints them (`[]`, `[NaN]`); `-` for provider errors. */
  values: string[];
  /** The last measurement's error, if it had one. */
  lastMessage: string | null;
  phase: string;
  /** Why the phase became final (`failed (1) > failureLimit (0)`), when it did. */
  reason: string | null;
  runPhase: string;
  runMessage: string;
}

export interface MatrixRow {
  id: string;
  title: string;
  kind: SituationKind;
  how: string;
  /** The measurements showed the situation (an empty vector, NaN, +Inf, a refused or timed-out query). */
  reached: boolean;
  metrics: MatrixMetric[];
  next: NextStep;
  /** Why the row is a trap; null when it is not. */
  flag: string | null;
  /** Flagged, and named by `--accept`: a decided trade-off that does not fail the run. */
  accepted: boolean;
}

export interface MatrixResult {
  rollout: string;
  namespace: string;
  rps: number;
  seed: number;
  rows: MatrixRow[];
  /** Flagged rows not accepted: any makes the exit code 1. */
  failed: number;
}

/**
 * Plays every situation as its own scenario (same seed, same settings, one rollout from its
 * stable revision to the decision) and reads what Argo did from the final state. Rows run one
 * after the other in this process: each takes milliseconds of CPU, a pool would cost more.
 */
export async function runMatrix(
  t: MatrixTarget,
  opts: { rps: number; accept: readonly string[]; seed?: number },
): Promise<MatrixResult> {
  const rows: MatrixRow[] = [];
  let seed = 0;
  for (const s of SITUATIONS) {
    const { scenario, fs } = rowScenario(t, s, opts.rps);
    seed = opts.seed ?? scenario.settings.seed;
    let updatedAt: number | undefined;
    const result = await runScenario(scenario, fs, {
      seed,
      emit: (e, world) => {
        if (e.type === 'command' && e.text.includes(' set image ')) updatedAt = world.now();
      },
    });
    const start = scenario.settings.startMs;
    const t0 = ((updatedAt ?? start) - start) / 1000;
    const ro = result.state.rollouts[t.rollout]!;
    const runs = ro.analysisRuns.filter((r) => r.revision === ro.revision);
    const metrics = runs.flatMap((r) => r.metrics.map((m) => metricRow(r, m)));
    const next = nextStep(ro, t0, (result.world.now() - start) / 1000);
    const flag = flagOf(s.kind, next);
    rows.push({
      id: s.id,
      title: s.title,
      kind: s.kind,
      how: s.how,
      reached: isReached(
        s.reached,
        runs.flatMap((r) => r.metrics.flatMap((m) => m.measurements)),
      ),
      metrics,
      next,
      flag,
      accepted: flag !== null && opts.accept.includes(s.id),
    });
  }
  return {
    rollout: t.rollout,
    namespace: t.namespace,
    rps: opts.rps,
    seed,
    rows,
    failed: rows.filter((r) => r.flag !== null && !r.accepted).length,
  };
}

function metricRow(r: AnalysisRunState, m: AnalysisRunState['metrics'][number]): MatrixMetric {
  const folded: { phase: string; n: number }[] = [];
  for (const x of m.measurements) {
    const last = folded.at(-1);
    if (last && last.phase === x.phase) last.n++;
    else folded.push({ phase: x.phase, n: 1 });
  }
  const values = [...new Set(m.measurements.map(valueOf))];
  const last = m.measurements.at(-1);
  return {
    run: r.name,
    kind: r.kind,
    metric: m.name,
    measurements: folded.map((f) => (f.n === 1 ? f.phase : `${f.phase}×${f.n}`)).join(', ') || '-',
    values,
    lastMessage: last?.message ?? null,
    phase: m.phase,
    reason: m.decided?.reason ?? null,
    runPhase: r.phase,
    runMessage: r.message,
  };
}

/** What the query returned, as Argo prints it — also for an Error measurement, whose stored value is empty. */
function valueOf(m: MeasurementState): string {
  if (m.result === null) return '-';
  if (m.result.resultType === 'scalar') return formatValue(m.result.series[0]?.value ?? NaN);
  return formatValue(m.result.series.map((s) => s.value));
}

function isReached(what: Reached, ms: readonly MeasurementState[]): boolean {
  const values = ms.flatMap((m) => m.result?.series.map((s) => s.value) ?? []);
  switch (what) {
    case 'always':
      return true;
    case 'empty':
      return ms.some((m) => m.result?.resultType === 'vector' && m.result.series.length === 0);
    case 'nan':
      return values.some((v) => Number.isNaN(v));
    case 'inf':
      return values.some((v) => v === Infinity);
    case 'refused':
      return ms.some((m) => m.message?.includes('connection refused') ?? false);
    case 'timeout':
      return ms.some((m) => m.message?.includes('deadline exceeded') ?? false);
  }
}

/** The decision the row ended on, from the rollout's phase history after the update at `t0` (seconds). */
function nextStep(ro: RolloutState, t0: number, end: number): NextStep {
  const at = (t: number) => Math.round((t - t0) * 1000);
  const lastEntry = ro.history.at(-1);
  if (ro.aborted && ro.abortedAt !== null)
    return { action: 'abort', atMs: at(ro.abortedAt), phase: ro.phase, message: ro.message };
  if (ro.phase === 'Healthy' && ro.healthyAt !== null && ro.healthyAt >= t0)
    return { action: 'promote', atMs: at(ro.healthyAt), phase: ro.phase, message: ro.message };
  if (ro.message === 'InconclusiveAnalysisRun')
    return { action: 'pause', atMs: at(lastEntry?.t ?? end), phase: ro.phase, message: ro.message };
  return { action: 'none', atMs: at(end), phase: ro.phase, message: ro.message };
}

/**
 * Issue 12's traps: a healthy version aborted (a false abort, at night when traffic is quiet),
 * or an absence of data or a Prometheus outage that promotes (a decision on no evidence).
 */
export function flagOf(kind: SituationKind, next: NextStep): string | null {
  if (next.action === 'abort' && (kind === 'healthy' || kind === 'quiet'))
    return kind === 'healthy' ? 'a healthy version is aborted' : 'healthy quiet traffic aborts';
  if (next.action === 'promote' && kind === 'quiet') return 'an absence of data promotes';
  if (next.action === 'promote' && kind === 'outage') return 'a Prometheus outage promotes';
  return null;
}

export type { Situation };
