import type { Clock } from '../clock/index.js';
import type { EventLog } from '../EventLog.js';
import type {
  AnalysisTemplateSpec,
  ManifestObject,
  MetricTemplateSpec,
  PrometheusProviderSpec,
} from '../manifests/index.js';
import type {
  AnalysisApi,
  AnalysisTemplateRef,
  CreateRunRequest,
  DryRunRule,
  RetentionRule,
  RunInfo,
  RunKind,
} from '../rollout/index.js';
import { buildRolloutArgs, type RunArg } from './args/buildRolloutArgs.js';
import { ConditionSyntaxError, parseCondition, type ConditionAst } from './condition/index.js';
import type { MetricProvider, ProviderRequest, ProviderResult } from './MetricProvider.js';
import { appendTraced, metricLimits, type MetricTrace, type TracedMeasurement } from './MetricTrace.js';
import { matchDryRunRules, matchRetentionRules } from './spec/matchMetricRules.js';
import { newRunSpec } from './spec/newRunSpec.js';
import { resolveMetricArgs, type MetricFields } from './spec/resolveMetricArgs.js';
import { resolveTemplateRefs, type TemplateLookup } from './spec/resolveTemplateRefs.js';
import { toMetricSpec } from './spec/toMetricSpec.js';
import {
  validateRolloutAnalysis,
  type AnalysisValidationRequest,
  type InvalidAnalysis,
} from './spec/validateRolloutAnalysis.js';
import {
  assessMetric,
  assessRunStatus,
  DEFAULT_MEASUREMENT_HISTORY_LIMIT,
  emptyMetricResult,
  evaluateMeasurement,
  isCompleted,
  isRunTerminating,
  nextMeasurementAt,
  recordMeasurement,
  type AnalysisPhase,
  type ConditionErrorWording,
  type Measurement,
  type MetricResult,
  type MetricSpec,
  type RunSummary,
} from './verdict/index.js';

/** A metric with its args substituted and conditions parsed: what a run measures. */
export interface ResolvedMetric {
  /** Conditions are parsed ASTs, or the source text when it does not parse (each measurement then errors, as in Argo). */
  spec: MetricSpec;
  query: string;
  address?: string;
  /** Headers, authentication, TLS and timeout for a remote Prometheus (inert against the embedded one). */
  request: ProviderRequest;
  success?: ConditionAst | string;
  failure?: ConditionAst | string;
  /** Matched by a `dryRun` rule: measured and summarised, never decides the run. */
  dryRun: boolean;
  /** Measurements kept in `metricResults[].measurements` (measurementRetention; default 10). */
  measurementLimit: number;
}

/** An AnalysisRun: spec (resolved metrics, args, rules) and status. */
export interface AnalysisRun {
  name: string;
  namespace: string;
  rollout: string;
  podHash: string;
  revision: number;
  kind: RunKind;
  createdAt: number;
  /** `rollouts-pod-template-hash`, `rollout-type`, `step-index` (step runs) and the Rollout's selector labels. */
  labels: Record<string, string>;
  /** `rollout.argoproj.io/revision`. */
  annotations: Record<string, string>;
  /** Template args with the Rollout's values merged in, template order. */
  args: RunArg[];
  /** Empty when the spec could not be resolved (the run is then Error with the reason). */
  metrics: ResolvedMetric[];
  /** `spec.dryRun`: the Rollout's rules, then the templates'. */
  dryRun: DryRunRule[];
  /** `spec.measurementRetention`: the Rollout's rules, then the templates'. */
  measurementRetention: RetentionRule[];
  terminate: boolean;
  /** "" until the first reconcile. */
  phase: AnalysisPhase | '';
  message: string;
  startedAt?: number;
  completedAt?: number;
  /** One per metric that has been measured at least once, in the order they were first measured. */
  metricResults: MetricResult[];
  /** Metrics that decide the run and how they ended (successful also counts terminated ones). */
  runSummary: RunSummary;
  /** The same for dry-run metrics; undefined until the first assessment. */
  dryRunSummary?: RunSummary;
  /**
   * canarysim's trace, beside Argo's status: every measurement of each metric (Argo keeps only the
   * latest in `metricResults`), in the order metrics were first measured. Empty when tracing is off.
   */
  trace: MetricTrace[];
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
  /** Keep every measurement's trace in `AnalysisRun.trace` (default true; the bench turns it off to weigh it). */
  trace?: boolean;
  /** How the Argo release reproduced words a condition it cannot evaluate (default: v1.10's, spec §5.4). */
  conditionErrors?: ConditionErrorWording;
}

/** Why run creation failed; `invalidSpec` errors are Argo's Rollout validation errors. */
export type CreateRunError =
  { error: string; invalidSpec?: false } | ({ invalidSpec: true } & InvalidAnalysis);

interface RunState {
  run: AnalysisRun;
  /** `Unable to resolve metric arguments: …` / `Analysis spec invalid: …`, set at the first reconcile. */
  setupError?: string;
  /** Terminated by request: the Rollout no longer tracks it, so it gets no Rollout events. */
  untracked: boolean;
  /**
   * Queries still waiting for a Prometheus that does not answer, by metric: the error they end
   * with once the provider's timeout has passed (Argo's reconcile blocks on the query meanwhile).
   */
  inFlight?: Map<string, { error: string; startedAt: number }>;
}

const emptySummary = (): RunSummary => ({ count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 });

/**
 * Argo's analysis controller on the simulated clock: creates runs from (nested) templates, the
 * Rollout's args and dry-run/retention rules; measures each metric when it is due (interval, 10 s
 * error retry, count, initialDelay); judges measurements, metrics and runs with the pure verdict
 * functions; records Argo's events and tells the rollout when a run changes.
 */
export class AnalysisController implements AnalysisApi {
  private readonly runs = new Map<string, RunState>();
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
      .map((s) => s.run)
      .filter((r) => r.namespace === namespace && r.rollout === rollout)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  allRuns(): AnalysisRun[] {
    return [...this.runs.values()].map((s) => s.run);
  }

  namesOf(namespace: string, rollout: string): string[] {
    return this.runsOf(namespace, rollout).map((r) => r.name);
  }

  get(namespace: string, name: string): RunInfo | undefined {
    const r = this.runs.get(this.k(namespace, name))?.run;
    return r ? { name: r.name, phase: r.phase, message: r.message } : undefined;
  }

  run(namespace: string, name: string): AnalysisRun | undefined {
    return this.runs.get(this.k(namespace, name))?.run;
  }

  deleteRunsOf(namespace: string, rollout: string): void {
    for (const r of this.runsOf(namespace, rollout)) {
      const t = this.timers.get(this.k(namespace, r.name));
      if (t !== undefined) this.deps.clock.clearTimeout(t);
      this.timers.delete(this.k(namespace, r.name));
      this.runs.delete(this.k(namespace, r.name));
    }
  }

  /** Sets `spec.terminate`: no new measurements; unmeasured and unbounded metrics end Successful. */
  terminate(namespace: string, name: string): void {
    const state = this.runs.get(this.k(namespace, name));
    if (!state || state.run.terminate || isCompleted(state.run.phase)) return;
    state.run.terminate = true;
    state.untracked = true;
    this.reconcileSoon(state, 0);
  }

  private lookup(namespace: string): TemplateLookup {
    return (ref) => {
      const t = this.deps.template(namespace, ref);
      return t ? { name: t.name, spec: t.spec } : undefined;
    };
  }

  /**
   * Argo's Rollout validation of one analysis (spec §5.2, §5.3): the errors that make a Rollout
   * `Degraded` with `InvalidSpec: The Rollout "<name>" is invalid: <fieldError>` before any run
   * exists. Argo checks every analysis of a Rollout on every sync, so a rollout controller may
   * call this for all of them; createRun calls it too.
   */
  validate(req: AnalysisValidationRequest & { namespace: string }): InvalidAnalysis | undefined {
    return validateRolloutAnalysis(req, this.lookup(req.namespace));
  }

  /**
   * Creates the run `<rollout>-<podHash>-<revision>[-<stepIndex>|-pre|-post]` (`.1`, `.2` on a
   * name collision) from the referenced templates and those they include: template args first,
   * overridden by the Rollout's (value, Stable/Latest pod hash, or fieldRef); Rollout args no
   * template declares are dropped. Rollout-validation failures come back with `invalidSpec`;
   * failures Argo meets only when resolving the run's spec (an unknown `{{…}}`, a dry-run rule
   * matching nothing) create the run and make it Error at its first reconcile.
   */
  createRun(req: CreateRunRequest): { name: string } | CreateRunError {
    const invalid = this.validate(req);
    if (invalid) return { ...invalid, invalidSpec: true };
    const built = buildRolloutArgs(
      req.analysis.args,
      { stable: req.stablePodHash, latest: req.podHash },
      req.rolloutJson,
    );
    if (built.error !== undefined) return { error: built.error };
    const templates = resolveTemplateRefs(req.analysis.templates, this.lookup(req.namespace));
    if ('error' in templates) return { error: templates.error };
    const spec = newRunSpec(
      templates.templates,
      built.args,
      req.analysis.dryRun,
      req.analysis.measurementRetention,
    );
    if ('error' in spec) return { error: spec.error };

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
    const labels: Record<string, string> = {
      'rollouts-pod-template-hash': req.podHash,
      'rollout-type': req.kind,
      ...(req.kind === 'Step' ? { 'step-index': String(req.stepIndex ?? 0) } : {}),
      ...selectorLabels(req.rolloutJson),
    };
    const resolved = resolveRun(spec.metrics, spec.args, spec.dryRun, spec.measurementRetention);
    const run: AnalysisRun = {
      name,
      namespace: req.namespace,
      rollout: req.rollout,
      podHash: req.podHash,
      revision: req.revision,
      kind: req.kind,
      createdAt: this.deps.clock.now(),
      labels,
      annotations: { 'rollout.argoproj.io/revision': String(req.revision) },
      args: spec.args,
      metrics: 'error' in resolved ? [] : resolved.metrics,
      dryRun: spec.dryRun,
      measurementRetention: spec.measurementRetention,
      terminate: false,
      phase: '',
      message: '',
      metricResults: [],
      runSummary: emptySummary(),
      trace: [],
    };
    const state: RunState = {
      run,
      setupError: 'error' in resolved ? resolved.error : undefined,
      untracked: false,
    };
    this.runs.set(this.k(req.namespace, name), state);
    this.reconcileSoon(state, 0);
    return { name };
  }

  private reconcileSoon(state: RunState, delayMs: number): void {
    const key = this.k(state.run.namespace, state.run.name);
    const old = this.timers.get(key);
    if (old !== undefined) this.deps.clock.clearTimeout(old);
    this.timers.set(
      key,
      this.deps.clock.setTimeout(() => {
        this.timers.delete(key);
        return this.reconcile(state);
      }, delayMs),
    );
  }

  /** One reconcile of a run (Argo's reconcileAnalysisRun): take due measurements, judge, schedule. */
  private async reconcile(state: RunState): Promise<void> {
    const run = state.run;
    if (this.runs.get(this.k(run.namespace, run.name)) !== state || isCompleted(run.phase)) return;
    const now = this.deps.clock.now();
    const previousPhase = run.phase;
    const previousMessage = run.message;
    this.version++;

    if (state.setupError !== undefined) {
      run.phase = 'Error';
      run.message = state.setupError;
      this.finish(state, now, previousPhase, previousMessage);
      return;
    }

    run.startedAt ??= now;
    const dryRun = new Set(run.metrics.filter((m) => m.dryRun).map((m) => m.spec.name));
    const terminating = isRunTerminating(run.terminate, run.metricResults, dryRun);
    const measuredNow = new Map<string, TracedMeasurement>();
    if (!terminating) {
      // Measurements due in one sync are taken together (Argo runs them in parallel).
      const due = run.metrics.map((m) => {
        const result = run.metricResults.find((r) => r.name === m.spec.name);
        if (result && isCompleted(result.phase)) return undefined;
        const at = nextMeasurementAt(m.spec, result, run.startedAt!);
        return at !== undefined && at <= now ? this.measure(state, m, result, now) : undefined;
      });
      for (const d of due) {
        if (d === undefined) continue;
        const { result: measured, traced } = await d;
        const i = run.metricResults.findIndex((r) => r.name === measured.name);
        if (i >= 0) run.metricResults[i] = measured;
        else run.metricResults.push(measured);
        if (traced) measuredNow.set(measured.name, traced);
      }
      if (this.runs.get(this.k(run.namespace, run.name)) !== state) return;
    }

    const before = new Map(run.metricResults.map((r) => [r.name, r.phase] as const));
    const verdict = assessRunStatus(
      run.metrics.map((m) => m.spec),
      run.metricResults,
      terminating,
      { terminate: run.terminate, dryRun },
    );
    if (this.deps.trace !== false)
      this.traceVerdict(run, verdict.metricResults, terminating, measuredNow, now);
    run.metricResults = verdict.metricResults;
    run.runSummary = verdict.runSummary;
    run.dryRunSummary = verdict.dryRunSummary;
    let metricsChanged = false;
    for (const r of run.metricResults) {
      if (r.phase === before.get(r.name)) continue;
      metricsChanged = true;
      if (isCompleted(r.phase)) {
        this.deps.events.record(
          'AnalysisRun',
          run.namespace,
          run.name,
          `Metric${r.phase}`,
          `Metric '${r.name}' Completed. Result: ${r.phase}`,
          r.phase === 'Failed' || r.phase === 'Error' ? 'Warning' : 'Normal',
        );
      }
    }
    // Argo updates the message only together with the phase.
    if (verdict.phase !== run.phase) {
      run.phase = verdict.phase;
      run.message = verdict.message;
    }
    if (isCompleted(run.phase)) {
      this.finish(state, now, previousPhase, previousMessage);
      return;
    }
    let next: number | undefined;
    for (const m of run.metrics) {
      const result = run.metricResults.find((r) => r.name === m.spec.name);
      const at = nextMeasurementAt(m.spec, result, run.startedAt);
      if (at !== undefined) next = next === undefined ? at : Math.min(next, at);
    }
    // A status update is an informer event: the run is synced again at once (that is when a
    // metric that just failed makes the others stop).
    if (metricsChanged) next = now;
    if (next !== undefined) this.reconcileSoon(state, Math.max(0, next - now));
    this.announce(state, previousPhase, previousMessage);
  }

  /** A run reached a final phase: completion time and Argo's `AnalysisRun<Phase>` event on the run. */
  private finish(
    state: RunState,
    now: number,
    previousPhase: AnalysisPhase | '',
    previousMessage: string,
  ): void {
    const run = state.run;
    run.completedAt = now;
    this.deps.events.record(
      'AnalysisRun',
      run.namespace,
      run.name,
      `AnalysisRun${run.phase}`,
      `Analysis Completed. Result: ${run.phase}`,
      run.phase === 'Failed' || run.phase === 'Error' ? 'Warning' : 'Normal',
    );
    this.announce(state, previousPhase, previousMessage);
  }

  /**
   * The Rollout's `AnalysisRun<Phase>` event when the phase changed (spec §4.4), and the informer
   * nudge to the rollout when phase or message did. A run the rollout terminated is no longer
   * among its current runs, so Argo emits nothing for it.
   */
  private announce(state: RunState, previousPhase: AnalysisPhase | '', previousMessage: string): void {
    const run = state.run;
    if (run.phase !== previousPhase && !state.untracked) {
      this.deps.events.record(
        'Rollout',
        run.namespace,
        run.rollout,
        `AnalysisRun${run.phase}`,
        `${run.kind} Analysis Run '${run.name}' Status New: '${run.phase}' Previous: '${previousPhase}'`,
        run.phase === 'Failed' || run.phase === 'Error' ? 'Warning' : 'Normal',
      );
    }
    if (run.phase !== previousPhase || run.message !== previousMessage)
      this.deps.onRunChanged(run.namespace, run.rollout);
  }

  /**
   * The trace's side of a sync: each measurement just taken gets the metric's phase after the
   * sync; a metric that became final gets why (on that measurement and as `decided`), also when
   * no measurement moved it (a run that terminates ends its other metrics).
   */
  private traceVerdict(
    run: AnalysisRun,
    assessed: readonly MetricResult[],
    terminating: boolean,
    measuredNow: ReadonlyMap<string, TracedMeasurement>,
    now: number,
  ): void {
    for (const r of assessed) {
      const traced = measuredNow.get(r.name);
      if (traced) traced.metricPhase = r.phase;
      const before = run.metricResults.find((x) => x.name === r.name);
      const m = run.metrics.find((x) => x.spec.name === r.name);
      if (!before || !m || before.phase === r.phase || !isCompleted(r.phase)) continue;
      const reason = assessMetric(m.spec, before, terminating).reason ?? '';
      if (traced) traced.reason = reason;
      this.traceOf(run, m).decided = { at: now, phase: r.phase, reason };
    }
  }

  /** The trace of a metric of a run, created the first time it is measured or decided. */
  private traceOf(run: AnalysisRun, m: ResolvedMetric): MetricTrace {
    let t = run.trace.find((x) => x.name === m.spec.name);
    if (!t) {
      t = { name: m.spec.name, dryRun: m.dryRun, limits: metricLimits(m.spec), measurements: [], dropped: 0 };
      run.trace.push(t);
    }
    return t;
  }

  /** Takes one measurement now: the metric's result with it recorded, and its trace entry. */
  private async measure(
    state: RunState,
    m: ResolvedMetric,
    res: MetricResult | undefined,
    now: number,
  ): Promise<{ result: MetricResult; traced?: TracedMeasurement }> {
    const run = state.run;
    let result: MetricResult = res ?? {
      ...emptyMetricResult(m.spec.name, m.dryRun),
      phase: 'Running',
      metadata: { ResolvedPrometheusQuery: m.query },
    };
    const pending = state.inFlight?.get(m.spec.name);
    let out: ProviderResult;
    let startedAt = now;
    if (pending !== undefined) {
      // The timeout of a query Prometheus never answered has passed: the in-flight measurement
      // ends as the Error it was bound to be.
      state.inFlight!.delete(m.spec.name);
      result = { ...result, measurements: result.measurements.slice(0, -1) };
      out = { error: pending.error };
      startedAt = pending.startedAt;
    } else {
      out = await this.deps.provider.measure(m.address, m.query, now, m.request);
      if ('error' in out && out.elapsedMs !== undefined && out.elapsedMs > 0) {
        (state.inFlight ??= new Map()).set(m.spec.name, { error: out.error, startedAt: now });
        const running: Measurement = { phase: 'Running', startedAt: now, resumeAt: now + out.elapsedMs };
        return { result: recordMeasurement(result, running, m.measurementLimit) };
      }
    }
    let measurement: Measurement;
    let verdict: ReturnType<typeof evaluateMeasurement> | undefined;
    if ('error' in out) {
      measurement = { phase: 'Error', message: out.error, startedAt, finishedAt: now, value: '' };
    } else {
      verdict = evaluateMeasurement(
        { successCondition: m.success, failureCondition: m.failure },
        out.value,
        this.deps.conditionErrors,
      );
      measurement = {
        phase: verdict.phase,
        message: verdict.message,
        startedAt: now,
        finishedAt: now,
        // Argo's provider marks a condition error with MarkMeasurementError before it sets the
        // value (prometheus.go Run), so an Error measurement's value is empty; the trace keeps
        // the answer.
        value: verdict.phase === 'Error' ? '' : out.valueString,
      };
    }
    const recorded = recordMeasurement(result, measurement, m.measurementLimit);
    if (this.deps.trace === false) return { result: recorded };
    const trace = this.traceOf(run, m);
    const traced: TracedMeasurement = {
      n: trace.dropped + trace.measurements.length + 1,
      at: now,
      address: m.address ?? '',
      query: m.query,
      answer: 'error' in out ? null : out.answer,
      value: measurement.value ?? '',
      conditions: verdict?.conditions ?? [],
      phase: measurement.phase as TracedMeasurement['phase'],
      ...(measurement.message !== undefined ? { message: measurement.message } : {}),
      counters: {
        count: recorded.count,
        successful: recorded.successful,
        failed: recorded.failed,
        inconclusive: recorded.inconclusive,
        error: recorded.error,
        consecutiveError: recorded.consecutiveError,
        consecutiveSuccess: recorded.consecutiveSuccess,
      },
      metricPhase: recorded.phase,
    };
    appendTraced(trace, traced);
    return { result: recorded, traced };
  }
}

/**
 * What Argo's analysis controller does with a run's spec before measuring (reconcileAnalysisRun):
 * resolve every metric's placeholders, validate the resolved metrics, then match the dry-run and
 * retention rules. A failure is the run's Error message.
 */
function resolveRun(
  metrics: readonly MetricTemplateSpec[],
  args: readonly RunArg[],
  dryRunRules: readonly DryRunRule[],
  retentionRules: readonly RetentionRule[],
): { metrics: ResolvedMetric[] } | { error: string } {
  const values = new Map(args.map((a) => [a.name, a.value] as const));
  const resolved: MetricFields[] = [];
  for (const m of metrics) {
    const r = resolveMetricArgs(m, values);
    if ('error' in r) return { error: `Unable to resolve metric arguments: ${r.error}` };
    resolved.push(r.metric);
  }
  if (resolved.length === 0) return { error: 'Analysis spec invalid: no metrics specified' };
  const specs: MetricSpec[] = [];
  const names = new Set<string>();
  for (const [i, m] of resolved.entries()) {
    if (names.has(m.name))
      return { error: `Analysis spec invalid: metrics[${i}]: duplicate name '${m.name}'` };
    names.add(m.name);
    const s = toMetricSpec(m);
    if ('error' in s) return { error: `Analysis spec invalid: metrics[${i}]: ${s.error}` };
    specs.push(s.spec);
  }
  const metricNames = resolved.map((m) => m.name);
  const dry = matchDryRunRules(dryRunRules, metricNames);
  if ('error' in dry) return { error: `Analysis spec invalid: ${dry.error}` };
  const retention = matchRetentionRules(retentionRules, metricNames);
  if ('error' in retention) return { error: `Analysis spec invalid: ${retention.error}` };
  return {
    metrics: resolved.map((m, i) => {
      const success = condition(m.successCondition);
      const failure = condition(m.failureCondition);
      const limit = retention.limits.get(m.name) ?? 0;
      return {
        spec: { ...specs[i]!, successCondition: success, failureCondition: failure },
        query: m.provider.prometheus.query,
        address: m.provider.prometheus.address,
        request: providerRequest(m.provider.prometheus),
        success,
        failure,
        dryRun: dry.dryRun.has(m.name),
        measurementLimit: limit > 0 ? limit : DEFAULT_MEASUREMENT_HISTORY_LIMIT,
      };
    }),
  };
}

/** The parts of the Prometheus provider a remote server sees besides the address and query. */
function providerRequest(p: PrometheusProviderSpec): ProviderRequest {
  return {
    ...(p.headers ? { headers: p.headers } : {}),
    ...(p.authentication ? { authentication: p.authentication } : {}),
    ...(p.insecure !== undefined ? { insecure: p.insecure } : {}),
    ...(p.timeoutSeconds !== undefined ? { timeoutSeconds: p.timeoutSeconds } : {}),
  };
}

/** A condition parsed once; one that does not parse stays text and errors at each measurement, as in Argo. */
function condition(source: string | undefined): ConditionAst | string | undefined {
  if (source === undefined || source === '') return source;
  try {
    return parseCondition(source);
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return source;
    throw e;
  }
}

/** The Rollout's `spec.selector.matchLabels` (also accepted flat, as canarysim's RolloutSpec holds them). */
function selectorLabels(rolloutJson: unknown): Record<string, string> {
  const spec = isMap(rolloutJson) ? rolloutJson.spec : undefined;
  const selector = isMap(spec) ? spec.selector : undefined;
  const labels = isMap(selector) && isMap(selector.matchLabels) ? selector.matchLabels : selector;
  const out: Record<string, string> = {};
  if (isMap(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

function isMap(o: unknown): o is Record<string, unknown> {
  return o !== null && typeof o === 'object' && !Array.isArray(o);
}
