import { formatGoDuration } from '../../go/duration.js';
import { tabwriter } from '../views/tabwriter.js';
import type { Finding } from './Finding.js';
import type { Severity } from './rules.js';
import type { LintResult } from './lintManifests.js';
import type { MetricOnTimeline, RolloutTimeline, TimelineRow } from './timeline.js';

/** Exit codes of `lint`: clean, findings, and invalid input. */
export const LINT_CLEAN = 0;
export const LINT_FINDINGS = 1;
export const LINT_INPUT = 2;

/**
 * 1 when a finding left after `--ignore` is at least as severe as `failOn` (`--fail-on`): with
 * `warning` (the default) any finding, with `error` errors only; else 0.
 */
export function lintExitCode(findings: readonly Finding[], failOn: Severity = 'warning'): number {
  return findings.some((f) => failOn === 'warning' || f.severity === 'error') ? LINT_FINDINGS : LINT_CLEAN;
}

const time = (ms: number): string => (ms === Infinity ? 'never' : formatGoDuration(ms));
const opt = (ms: number | undefined): string => (ms === undefined ? '-' : time(ms));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `file:line:col: severity rule-id: message`. */
export function formatFinding(f: Finding): string {
  return `${f.pos.file}:${f.pos.line}:${f.pos.col}: ${f.severity} ${f.rule}: ${f.message}`;
}

function rowsTable(rows: readonly TimelineRow[], canary: boolean): string {
  let text = canary ? 'STEP\tSTART\tEND\t\n' : 'START\tEND\tPHASE\n';
  for (const r of rows) {
    const what = r.manual ? `${r.label} (waits for promote; counted as 0s)` : r.label;
    text += `${canary ? `${r.step ?? ''}\t` : ''}${time(r.startMs)}\t${time(r.endMs)}\t${what}\n`;
  }
  return tabwriter(text).trimEnd();
}

function metricsTable(metrics: readonly MetricOnTimeline[]): string {
  let text =
    'ANALYSIS\tMETRIC\tRUN STARTS\tINTERVAL\tCOUNT\tINITIAL DELAY\tMEASUREMENTS\tABORT ON FAILURE\tABORT ON ERRORS\t\n';
  for (const m of metrics) {
    const t = m.timing;
    const count = t.effectiveCount === undefined ? 'unbounded' : String(t.effectiveCount);
    const measured =
      m.measurements === undefined
        ? 'unbounded'
        : `${m.measurements}${m.moreWhilePaused ? '+ (more while paused)' : ''}`;
    const abortF = t.dryRun ? 'dry run' : opt(m.abortOnFailureMs);
    const abortE = t.dryRun ? 'dry run' : opt(m.abortOnErrorsMs);
    const unknown =
      t.unknown.length > 0 ? ` (${t.unknown.join(', ')}: set at run time, defaults assumed)` : '';
    text += `${m.analysis}\t${m.metric}\t${time(m.runStartMs)}\t${t.intervalMs === undefined ? '-' : time(t.intervalMs)}\t${count}\t${t.initialDelayMs > 0 ? time(t.initialDelayMs) : '-'}\t${measured}\t${abortF}\t${abortE}${unknown}\n`;
  }
  return tabwriter(text).trimEnd();
}

const share = (x: number) => `${Number((x * 100).toPrecision(3))}%`;
const count = (x: number) => (x >= 100 ? String(Math.round(x)) : String(Number(x.toPrecision(3))));

/** The sample-size advice: per metric and step, the requests a window holds and what they resolve. */
function sampleSizeTable(s: NonNullable<RolloutTimeline['sampleSize']>): string {
  let text = 'ANALYSIS\tMETRIC\tSTEP\tWEIGHT\tWINDOW\tREQUESTS\tRESOLUTION (95%)\tTHRESHOLD\t\n';
  for (const r of s.rows) {
    const a = r.advice;
    const verdict = a.enough ? 'ok' : `too few: needs ${a.minRequests} (${count(a.minRps)} req/s)`;
    text += `${r.analysis}\t${r.metric}\t${r.step}\t${r.canaryOnly ? `${count(r.weight)}%` : 'all'}\t${r.window}\t${count(a.requests)}\t${a.requests >= 1 ? `±${share(a.resolution)}` : 'none'}\t${share(r.errorThreshold)} errors\t${verdict}\n`;
  }
  return tabwriter(text).trimEnd();
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');

/** One rollout's timeline as text. */
export function renderTimeline(tl: RolloutTimeline): string {
  const how =
    tl.strategy === 'canary'
      ? `canary${tl.trafficRouting ? ', Istio traffic routing' : ', no traffic routing'}`
      : 'blue-green';
  let out = `Rollout ${JSON.stringify(tl.rollout)} (namespace ${tl.namespace}): ${how}, ${plural(tl.replicas, 'replica')}\n`;
  out += `Assumes nothing fails, a pause without a duration is promoted at once, and ${tl.assumption}.\n\n`;
  out += indent(rowsTable(tl.rows, tl.strategy === 'canary')) + '\n';
  out += `  total: ${time(tl.totalMs)}${tl.rows.some((r) => r.manual) ? ' plus the time until each promote' : ''}\n`;
  if (tl.metrics.length === 0) {
    out += '\n  no analysis: nothing stops this rollout but a manual abort\n';
    return out;
  }
  out += '\n' + indent(metricsTable(tl.metrics)) + '\n';
  out += tl.earliestAbort
    ? `\n  earliest possible abort: ${time(tl.earliestAbort.atMs)} (${tl.earliestAbort.by})\n`
    : '\n  earliest possible abort: none: no analysis can fail before the rollout completes\n';
  if (tl.strategy === 'canary') {
    out +=
      tl.uncoveredSteps.length === 0
        ? '  every step has at least one measurement\n'
        : `  no measurement during ${tl.uncoveredSteps.length === 1 ? 'step' : 'steps'} ${tl.uncoveredSteps.join(', ')}\n`;
  }
  if (tl.sampleSize)
    out += `\n  sample size at ${count(tl.sampleSize.rate.perSecond)} req/s (${tl.sampleSize.rate.source}):\n${indent(sampleSizeTable(tl.sampleSize))}\n`;
  return out;
}

/** The whole text report: findings first, then each rollout's timeline, then the tally. */
export function renderLintText(result: LintResult, ignored = 0): string {
  let out = '';
  for (const f of result.findings) out += `${formatFinding(f)}\n`;
  for (const tl of result.timelines) out += `${out === '' ? '' : '\n'}${renderTimeline(tl)}`;
  for (const u of result.untimed)
    out += `${out === '' ? '' : '\n'}Rollout ${JSON.stringify(u.rollout)} (namespace ${u.namespace}): no timeline: ${u.reason}\n`;
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const kinds = Object.entries(result.counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const skipped = ignored > 0 ? `, ${ignored} ignored` : '';
  out += `${out === '' ? '' : '\n'}${plural(errors, 'error')}, ${plural(warnings, 'warning')}${skipped} (${kinds || 'no objects'})\n`;
  return out;
}

const sec = (ms: number | undefined): number | null =>
  ms === undefined || ms === Infinity ? null : ms / 1000;

/** How `lint` was asked to judge, for the JSON summary. */
export interface LintVerdict {
  /** `--ignore`'s rules. */
  ignored?: readonly string[];
  failOn?: Severity;
  /** Set for invalid input (2): otherwise it follows the findings and `failOn`. */
  exitCode?: number;
}

/**
 * The JSON report (`--json`), for CI: times in seconds from the update, `null` for never /
 * unbounded. On invalid input (exit 2) the same shape, with the inputs that could not be read
 * as `input` findings and no rollouts.
 */
export function lintJson(result: LintResult, verdict: LintVerdict = {}): unknown {
  const failOn = verdict.failOn ?? 'warning';
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  return {
    findings: result.findings.map((f) => ({
      file: f.pos.file,
      line: f.pos.line,
      col: f.pos.col,
      severity: f.severity,
      rule: f.rule,
      message: f.message,
    })),
    rollouts: result.timelines.map((tl) => ({
      rollout: tl.rollout,
      namespace: tl.namespace,
      strategy: tl.strategy,
      replicas: tl.replicas,
      trafficRouting: tl.trafficRouting,
      podReadySeconds: tl.podReadyMs / 1000,
      podReadyCachedSeconds: tl.podReadyCachedMs / 1000,
      assumption: tl.assumption,
      rows: tl.rows.map((r) => ({
        ...(r.step === undefined ? {} : { step: r.step }),
        label: r.label,
        startSeconds: sec(r.startMs),
        endSeconds: sec(r.endMs),
        manual: r.manual === true,
        afterCompletion: r.after === true,
      })),
      totalSeconds: sec(tl.totalMs),
      analyses: tl.metrics.map((m) => ({
        analysis: m.analysis,
        template: m.template,
        metric: m.metric,
        runStartSeconds: sec(m.runStartMs),
        intervalSeconds: sec(m.timing.intervalMs),
        count: m.timing.effectiveCount ?? null,
        initialDelaySeconds: m.timing.initialDelayMs / 1000,
        failureLimit: m.timing.failureLimit,
        consecutiveErrorLimit: m.timing.consecutiveErrorLimit,
        dryRun: m.timing.dryRun,
        measurements: m.measurements ?? null,
        moreWhilePaused: m.moreWhilePaused,
        abortOnFailureSeconds: sec(m.abortOnFailureMs),
        abortOnErrorsSeconds: sec(m.abortOnErrorsMs),
      })),
      uncoveredSteps: tl.uncoveredSteps,
      sampleSize: tl.sampleSize
        ? {
            requestsPerSecond: tl.sampleSize.rate.perSecond,
            source: tl.sampleSize.rate.source,
            steps: tl.sampleSize.rows.map((r) => ({
              analysis: r.analysis,
              metric: r.metric,
              step: r.step,
              weight: r.weight,
              canaryOnly: r.canaryOnly,
              windowSeconds: r.windowMs / 1000,
              window: r.window,
              condition: r.condition,
              errorThreshold: r.errorThreshold,
              requests: r.advice.requests,
              resolution: Number.isFinite(r.advice.resolution) ? r.advice.resolution : null,
              enough: r.advice.enough,
              minRequests: r.advice.minRequests,
              minRequestsPerSecond: Number.isFinite(r.advice.minRps) ? r.advice.minRps : null,
              minWindowSeconds: Number.isFinite(r.advice.minWindowSeconds) ? r.advice.minWindowSeconds : null,
            })),
          }
        : null,
      earliestAbort: tl.earliestAbort
        ? { atSeconds: sec(tl.earliestAbort.atMs), by: tl.earliestAbort.by }
        : null,
    })),
    untimedRollouts: result.untimed.map((u) => ({
      rollout: u.rollout,
      namespace: u.namespace,
      reason: u.reason,
    })),
    summary: {
      errors,
      warnings: result.findings.length - errors,
      objects: result.counts,
      ignoredRules: verdict.ignored ?? [],
      failOn,
      exitCode: verdict.exitCode ?? lintExitCode(result.findings, failOn),
    },
  };
}
