import { assessMetricStatus } from './assessMetricStatus.js';
import { isRunTerminating } from './isRunTerminating.js';
import { limitBreach } from './limitBreach.js';
import { RUN_TERMINATED_MESSAGE } from './messages.js';
import { isCompleted, isWorse } from './phases.js';
import type { AnalysisPhase, MetricResult, MetricSpec, RunSummary } from './types.js';

/** Run-level knobs beside the metrics. */
export interface RunStatusOptions {
  /**
   * `spec.terminate` (shows `Run Terminated`). When omitted it is inferred: terminating while no
   * counted metric is Failed, Error or Inconclusive can only mean termination was requested.
   */
  terminate?: boolean;
  /** Names matched by the run's `dryRun` rules (in addition to `MetricSpec.dryRun`). */
  dryRun?: ReadonlySet<string>;
}

/** A run's verdict plus the metric results updated the way Argo updates them. */
export interface RunStatus {
  phase: AnalysisPhase;
  message: string;
  /** Input results with re-assessed phases and messages (new objects; inputs are not mutated). */
  metricResults: MetricResult[];
  runSummary: RunSummary;
  dryRunSummary: RunSummary;
}

/**
 * Argo's `assessRunStatus` (spec §5.6, messages §4.3). Each metric is re-assessed; any metric
 * still going (or not started) keeps the run Running unless terminating; otherwise the run takes
 * the worst final phase of its counted metrics (Successful < Running < Pending < Inconclusive <
 * Error < Failed) and the message of the first worst metric in spec order:
 * `Metric "<name>" assessed <Phase> due to <reason>`, plus `: "Error Message: <msg>"` when the
 * metric carries its last measurement's message. Dry-run metrics only feed `dryRunSummary` and get
 * `Metric assessed <Phase> due to <reason>` as their own message.
 *
 * `terminating` is Argo's IsTerminating(run) at the start of the sync: `spec.terminate` or a
 * counted metric already Failed/Error/Inconclusive (see {@link isRunTerminating}).
 */
export function assessRunStatus(
  metrics: readonly MetricSpec[],
  results: readonly MetricResult[],
  terminating: boolean,
  options: RunStatusOptions = {},
): RunStatus {
  const dryRunNames = options.dryRun ?? new Set<string>();
  const isDryRun = (m: MetricSpec): boolean => m.dryRun === true || dryRunNames.has(m.name);
  const terminate = options.terminate ?? (terminating && !isRunTerminating(false, results, dryRunNames));

  let worst: AnalysisPhase | undefined;
  let message = terminate ? RUN_TERMINATED_MESSAGE : '';
  let everythingCompleted = true;
  const runSummary = emptySummary();
  const dryRunSummary = emptySummary();
  const updated = results.map((r) => ({ ...r }));

  for (const metric of metrics) {
    const dry = isDryRun(metric);
    (dry ? dryRunSummary : runSummary).count++;
    const result = updated.find((r) => r.name === metric.name);
    if (result === undefined) {
      // Not measured yet (e.g. still inside initialDelay).
      everythingCompleted = false;
      continue;
    }
    const phase = assessMetricStatus(metric, result, terminating);
    if (phase !== result.phase) {
      const last = result.measurements.at(-1);
      if (last !== undefined) result.message = last.message ?? '';
      result.phase = phase;
    }
    if (!isCompleted(phase)) {
      everythingCompleted = false;
      continue;
    }
    const breach = limitBreach(metric, result);
    if (!dry) {
      if (worst === undefined || isWorse(worst, phase)) {
        worst = phase;
        if (breach !== undefined) {
          message = `Metric "${metric.name}" assessed ${phase} due to ${breach.reason}`;
          if (result.message) message += `: "Error Message: ${result.message}"`;
        }
      }
      tally(runSummary, breach?.phase);
    } else {
      worst ??= 'Successful';
      if (breach !== undefined) result.message = `Metric assessed ${phase} due to ${breach.reason}`;
      tally(dryRunSummary, breach?.phase);
    }
  }

  message = message.trim();
  if (terminating)
    return { phase: worst ?? 'Successful', message, metricResults: updated, runSummary, dryRunSummary };
  if (!everythingCompleted || worst === undefined) {
    return { phase: 'Running', message: '', metricResults: updated, runSummary, dryRunSummary };
  }
  return { phase: worst, message, metricResults: updated, runSummary, dryRunSummary };
}

function emptySummary(): RunSummary {
  return { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
}

// Argo tallies by the breached limit, so a metric ended by its count counts as successful.
function tally(summary: RunSummary, breached: 'Failed' | 'Inconclusive' | 'Error' | undefined): void {
  if (breached === 'Failed') summary.failed++;
  else if (breached === 'Inconclusive') summary.inconclusive++;
  else if (breached === 'Error') summary.error++;
  else summary.successful++;
}
