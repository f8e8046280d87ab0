import type { Clock } from '../clock/index.js';
import type { EventLog } from '../EventLog.js';
import type { AnalysisTemplateSpec, IntOrArg, ManifestObject } from '../manifests/index.js';
import { substituteArgs } from '../manifests/index.js';
import { parseGoDuration } from '../duration.js';
import type {
  AnalysisApi,
  AnalysisTemplateRef,
  CreateRunRequest,
  RunInfo,
  RunKind,
} from '../rollout/index.js';
import { parseCondition, type ConditionAst } from './condition/index.js';
import type { MetricProvider } from './MetricProvider.js';
import {
  assessRunStatus,
  emptyMetricResult,
  evaluateMeasurement,
  isRunTerminating,
  nextMeasurementAt,
  recordMeasurement,
  type AnalysisPhase,
  type Measurement,
  type MetricResult,
  type MetricSpec,
} from './verdict/index.js';

/** A metric with its args substituted and conditions parsed: what a run measures. */
export interface ResolvedMetric {
  spec: MetricSpec;
  query: string;
  address?: string;
  success?: ConditionAst;
  failure?: ConditionAst;
}

/** An AnalysisRun: spec (resolved metrics, args) and status. */
export interface AnalysisRun {
  name: string;
  namespace: string;
  rollout: string;
  podHash: string;
  revision: number;
  kind: RunKind;
  createdAt: number;
  args: { name: string; value: string }[];
  metrics: ResolvedMetric[];
  terminate: boolean;
  /** "" until the first reconcile. */
  phase: AnalysisPhase | '';
  message: string;
  startedAt?: number;
  completedAt?: number;
  metricResults: MetricResult[];
}

export interface AnalysisControllerDeps {
  clock: Clock;
  events: EventLog;
  template(
    namespace: string,
    ref: AnalysisTemplateRef,
  ): ManifestObject<string, AnalysisTemplateSpec> | undefined;
  provider: MetricProvider;
  /** Called when a run's phase or message changes (the rollout's informer event). */
  onRunChanged(namespace: string, rollout: string): void;
}

const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

/**
 * Argo's analysis controller on the simulated clock: creates runs from templates and args,
 * measures each metric when it is due (interval, 10 s error retry, count), judges measurements,
 * metrics and runs with the pure verdict functions, and tells the rollout when a run changes.
 */
export class AnalysisController implements AnalysisApi {
  private readonly runs = new Map<string, AnalysisRun>();
  private readonly timers = new Map<string, number>();
  /** Bumped by every reconcile that measured or changed a run (a cheap change stamp for observers). */
  version = 0;

  constructor(private readonly deps: AnalysisControllerDeps) {}

  private k(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  /** Runs of a rollout, oldest first. */
  runsOf(namespace: string, rollout: string): AnalysisRun[] {
    return [...this.runs.values()]
      .filter((r) => r.namespace === namespace && r.rollout === rollout)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  allRuns(): AnalysisRun[] {
    return [...this.runs.values()];
  }

  namesOf(namespace: string, rollout: string): string[] {
    return this.runsOf(namespace, rollout).map((r) => r.name);
  }

  get(namespace: string, name: string): RunInfo | undefined {
    const r = this.runs.get(this.k(namespace, name));
    return r ? { name: r.name, phase: r.phase, message: r.message } : undefined;
  }

  run(namespace: string, name: string): AnalysisRun | undefined {
    return this.runs.get(this.k(namespace, name));
  }

  deleteRunsOf(namespace: string, rollout: string): void {
    for (const r of this.runsOf(namespace, rollout)) {
      const t = this.timers.get(this.k(namespace, r.name));
      if (t !== undefined) this.deps.clock.clearTimeout(t);
      this.runs.delete(this.k(namespace, r.name));
    }
  }

  terminate(namespace: string, name: string): void {
    const r = this.runs.get(this.k(namespace, name));
    if (!r || r.terminate || COMPLETED.has(r.phase)) return;
    r.terminate = true;
    this.reconcileSoon(r, 0);
  }

  /**
   * Creates the background run `<rollout>-<hash>-<revision>` (`.1`, `.2` on a name collision):
   * template args merged with the rollout's, placeholders substituted in every metric field.
   */
  createRun(req: CreateRunRequest): { name: string } | { error: string } {
    const values = new Map<string, string | undefined>();
    const metricsSrc: AnalysisTemplateSpec['metrics'] = [];
    for (const ref of req.analysis.templates) {
      const t = this.deps.template(req.namespace, ref);
      if (!t)
        return {
          error: `${ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'} '${ref.templateName}' not found`,
        };
      for (const a of t.spec.args) {
        const prev = values.get(a.name);
        if (prev !== undefined && a.value !== undefined && prev !== a.value) {
          return {
            error: `Argument \`${a.name}\` specified multiple times with different values: '${prev}', '${a.value}'`,
          };
        }
        if (!values.has(a.name) || a.value !== undefined) values.set(a.name, a.value);
      }
      metricsSrc.push(...t.spec.metrics);
    }
    for (const a of req.analysis.args) if (values.has(a.name)) values.set(a.name, a.value);
    const resolved = new Map<string, string>();
    for (const [name, v] of values) {
      if (v === undefined) return { error: `args.${name} was not resolved` };
      resolved.set(name, v);
    }
    const metrics: ResolvedMetric[] = [];
    for (const m of metricsSrc) {
      const sub = (s: string | undefined) => (s === undefined ? undefined : substituteArgs(s, resolved).text);
      const int = (v: IntOrArg | undefined): number | undefined =>
        v === undefined ? undefined : typeof v === 'number' ? v : Number(sub(v));
      const dur = (s: string | undefined) => (s === undefined ? undefined : parseGoDuration(sub(s)!));
      const successCondition = sub(m.successCondition);
      const failureCondition = sub(m.failureCondition);
      metrics.push({
        spec: {
          name: m.name,
          intervalMs: dur(m.interval),
          initialDelayMs: dur(m.initialDelay),
          count: int(m.count),
          failureLimit: int(m.failureLimit),
          inconclusiveLimit: int(m.inconclusiveLimit),
          consecutiveErrorLimit: int(m.consecutiveErrorLimit),
          consecutiveSuccessLimit: int(m.consecutiveSuccessLimit),
          successCondition,
          failureCondition,
        },
        query: sub(m.provider.prometheus.query)!,
        address: sub(m.provider.prometheus.address),
        success: successCondition !== undefined ? parseCondition(successCondition) : undefined,
        failure: failureCondition !== undefined ? parseCondition(failureCondition) : undefined,
      });
    }
    const infix =
      req.kind === 'Step'
        ? `-${req.stepIndex ?? 0}`
        : req.kind === 'PrePromotion'
          ? '-pre'
          : req.kind === 'PostPromotion'
            ? '-post'
            : '';
    const base = `${req.rollout}-${req.podHash}-${req.revision}${infix}`;
    let name = base;
    for (let i = 1; this.runs.has(this.k(req.namespace, name)); i++) name = `${base}.${i}`;
    const run: AnalysisRun = {
      name,
      namespace: req.namespace,
      rollout: req.rollout,
      podHash: req.podHash,
      revision: req.revision,
      kind: req.kind,
      createdAt: this.deps.clock.now(),
      args: [...resolved].map(([n, v]) => ({ name: n, value: v })),
      metrics,
      terminate: false,
      phase: '',
      message: '',
      metricResults: metrics.map((m) => emptyMetricResult(m.spec.name)),
    };
    this.runs.set(this.k(req.namespace, name), run);
    this.deps.events.record(
      'AnalysisRun',
      req.namespace,
      name,
      'AnalysisRunCreated',
      `${req.kind} AnalysisRun created for revision ${req.revision}`,
    );
    this.reconcileSoon(run, 0);
    return { name };
  }

  private reconcileSoon(run: AnalysisRun, delayMs: number): void {
    const key = this.k(run.namespace, run.name);
    const old = this.timers.get(key);
    if (old !== undefined) this.deps.clock.clearTimeout(old);
    this.timers.set(
      key,
      this.deps.clock.setTimeout(() => {
        this.timers.delete(key);
        return this.reconcile(run);
      }, delayMs),
    );
  }

  /** One reconcile of a run: start it, take due measurements, judge, schedule the next. */
  private async reconcile(run: AnalysisRun): Promise<void> {
    if (!this.runs.has(this.k(run.namespace, run.name)) || COMPLETED.has(run.phase)) return;
    const now = this.deps.clock.now();
    const before = `${run.phase}|${run.message}`;
    if (run.startedAt === undefined) run.startedAt = now;
    const terminating = () => run.terminate || isRunTerminating(false, run.metricResults);
    if (!terminating()) {
      // Measurements due in one sync are taken together (Argo runs them in parallel).
      const due = run.metrics.map((m, i) => {
        const res = run.metricResults[i]!;
        if (COMPLETED.has(res.phase)) return undefined;
        const at = nextMeasurementAt(m.spec, res, run.startedAt!);
        return at !== undefined && at <= now ? this.measure(m, res, now) : undefined;
      });
      for (let i = 0; i < due.length; i++) {
        const d = due[i];
        if (d !== undefined) run.metricResults[i] = await d;
      }
      if (!this.runs.has(this.k(run.namespace, run.name))) return;
    }
    this.version++;
    const previous = run.metricResults.map((r) => r.phase);
    const verdict = assessRunStatus(
      run.metrics.map((m) => m.spec),
      run.metricResults,
      terminating(),
      { terminate: run.terminate },
    );
    run.metricResults = verdict.metricResults;
    run.metricResults.forEach((r, i) => {
      if (r.phase !== previous[i] && COMPLETED.has(r.phase)) {
        this.deps.events.record(
          'AnalysisRun',
          run.namespace,
          run.name,
          `Metric${r.phase}`,
          `Metric '${r.name}' Completed. Result: ${r.phase}`,
          r.phase === 'Successful' ? 'Normal' : 'Warning',
        );
      }
    });
    const prevPhase = run.phase;
    run.phase = verdict.phase;
    run.message = verdict.message;
    if (COMPLETED.has(run.phase)) {
      run.completedAt = now;
      this.deps.events.record(
        'AnalysisRun',
        run.namespace,
        run.name,
        `AnalysisRun${run.phase}`,
        `Analysis Completed. Result: ${run.phase}`,
        run.phase === 'Successful' ? 'Normal' : 'Warning',
      );
    } else {
      let next: number | undefined;
      run.metrics.forEach((m, i) => {
        const due = nextMeasurementAt(m.spec, run.metricResults[i]!, run.startedAt!);
        if (due !== undefined) next = next === undefined ? due : Math.min(next, due);
      });
      if (next !== undefined) this.reconcileSoon(run, Math.max(0, next - now));
    }
    if (`${run.phase}|${run.message}` !== before) {
      this.deps.events.record(
        'Rollout',
        run.namespace,
        run.rollout,
        `AnalysisRun${run.phase}`,
        `Background Analysis Run '${run.name}' Status New: '${run.phase}' Previous: '${prevPhase || 'NoPreviousStatus'}'`,
        run.phase === 'Failed' || run.phase === 'Error' ? 'Warning' : 'Normal',
      );
      this.deps.onRunChanged(run.namespace, run.rollout);
    }
  }

  /** Takes one measurement now and returns the metric's result with it recorded. */
  private async measure(m: ResolvedMetric, res: MetricResult, now: number): Promise<MetricResult> {
    const out = await this.deps.provider.measure(m.address, m.query, now);
    let measurement: Measurement;
    if ('error' in out) {
      measurement = { phase: 'Error', message: out.error, startedAt: now, finishedAt: now, value: '' };
    } else {
      const v = evaluateMeasurement({ successCondition: m.success, failureCondition: m.failure }, out.value);
      measurement = {
        phase: v.phase,
        message: v.message,
        startedAt: now,
        finishedAt: now,
        value: out.valueString,
      };
    }
    return recordMeasurement(res, measurement);
  }
}
