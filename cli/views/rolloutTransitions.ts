import type { ExplainableReport, ReportEvent, ReportRun } from '../scenario/readReport.js';

/** What a rollout did about a run, read from the report's events. */
export interface Transition {
  /** Simulated seconds since the start. */
  t: number;
  /** `Rollout aborted`, `Rollout paused (InconclusiveAnalysisRun)`, `Rollout step 3/11 completed (analysis)`. */
  text: string;
  /** `step 3/8, 20 % weight`: where the rollout stood; "" for blue-green or when unknown. */
  where: string;
  /** The Rollout event it was read from (absent when the rollout simply went on). */
  event?: ReportEvent;
}

const STEP_COMPLETED = /^Rollout step (\d+)\/(\d+) completed \((.*)\)$/;
const WEIGHT_UPDATED = /^Traffic weight updated (?:from \d+ )?to (\d+)$/;
const SET_WEIGHT = /^setWeight: (\d+)$/;

/** The report's events of one Rollout, in order. */
export function eventsOf(report: ExplainableReport, rollout: string): ReportEvent[] {
  const ns = report.rollouts[rollout]?.namespace;
  return report.events.filter(
    (e) => e.object === `Rollout/${rollout}` && (ns === undefined || e.namespace === ns),
  );
}

/**
 * Where a rollout stood just before its event `at`: the step in progress, numbered as Argo's
 * `RolloutStepCompleted` events number steps (after `Rollout step 2/8 completed` the 3rd step of
 * 8 runs; the plugin's `Step:` shows 2/8), and the canary's traffic weight from the last
 * `TrafficWeightUpdated` (a canary without traffic routing: its last `setWeight` step). A new
 * revision, an abort and a retry start the steps again; "" without steps (blue-green).
 *
 *   …, `Rollout step 2/8 completed (pause: 300)`, `Traffic weight updated from 0 to 20` earlier → "step 3/8, 20 % weight"
 */
export function whereAt(events: readonly ReportEvent[], at: number, steps: number, withStep = true): string {
  // A Rollout applied afresh starts at revision 1: nothing before that is this object's.
  let from = 0;
  for (let i = at - 1; i >= 0; i--)
    if (events[i]!.message === 'Rollout updated to revision 1') {
      from = i;
      break;
    }
  let done: { k: number; n: number } | undefined;
  let setWeight = 0;
  let weight: number | undefined;
  for (let i = from; i < at; i++) {
    const e = events[i]!;
    const step = STEP_COMPLETED.exec(e.message);
    if (e.reason === 'RolloutStepCompleted' && step) {
      done = { k: Number(step[1]), n: Number(step[2]) };
      const w = SET_WEIGHT.exec(step[3]!);
      if (w) setWeight = Number(w[1]);
    } else if (
      e.reason === 'RolloutUpdated' ||
      e.reason === 'RolloutAborted' ||
      e.reason === 'RolloutRetry'
    ) {
      done = undefined;
      setWeight = 0;
    }
    const tw = e.reason === 'TrafficWeightUpdated' ? WEIGHT_UPDATED.exec(e.message) : null;
    if (tw) weight = Number(tw[1]);
  }
  const n = done?.n ?? steps;
  if (n === 0) return '';
  const step = done && done.k >= n ? `all ${n} steps done` : `step ${(done?.k ?? 0) + 1}/${n}`;
  const w = weight !== undefined ? `${weight} % weight` : `setWeight ${setWeight}`;
  return withStep ? `${step}, ${w}` : w;
}

/** Seconds since the report's start of an RFC 3339 time. */
export function secondsOf(report: ExplainableReport, time: string): number {
  return (Date.parse(time) - Date.parse(report.startTime)) / 1000;
}

/**
 * What the rollout did when `run` ended (spec §5.9): a Failed or Error run aborts it, an
 * Inconclusive one pauses it (`InconclusiveAnalysisRun`), a Successful step run completes its
 * step, pre-promotion lets blue-green promote (or pause for it), post-promotion completes the
 * update; a terminated run ended because the rollout did something else (completed, aborted, a
 * new revision). Undefined while the run has not ended.
 */
export function transitionOf(report: ExplainableReport, run: ReportRun): Transition | undefined {
  if (run.completedAt === null) return undefined;
  const t = secondsOf(report, run.completedAt);
  const events = eventsOf(report, run.rollout);
  const steps = report.rollouts[run.rollout]?.steps ?? 0;
  const blueGreen = run.kind === 'PrePromotion' || run.kind === 'PostPromotion';
  const where = (i: number) => (blueGreen ? '' : whereAt(events, i, steps));
  const announced = events.findIndex(
    (e) =>
      e.reason === `AnalysisRun${run.phase}` && e.message.includes(`Analysis Run '${run.name}' Status New:`),
  );
  const after = (match: (e: ReportEvent) => boolean, sameInstant = true) => {
    if (announced < 0) return -1;
    for (let i = announced + 1; i < events.length; i++) {
      const e = events[i]!;
      if (sameInstant && e.t !== events[announced]!.t) return -1;
      if (e.reason === 'RolloutUpdated') return -1;
      if (match(e)) return i;
    }
    return -1;
  };
  const found = (i: number, text: string): Transition => ({
    t: events[i]!.t,
    text,
    where: where(i),
    event: events[i],
  });

  if (run.message === 'Run Terminated' || (announced < 0 && run.phase === 'Successful')) {
    // The rollout ended the run: the last thing it did at that instant says why.
    let cause = -1;
    for (let i = 0; i < events.length && events[i]!.t <= t; i++)
      if (
        ['RolloutCompleted', 'RolloutAborted', 'RolloutUpdated', 'RolloutStepCompleted'].includes(
          events[i]!.reason,
        )
      )
        cause = i;
    if (cause < 0 || events[cause]!.t !== t) return { t, text: 'the run was terminated', where: '' };
    const e = events[cause]!;
    const by =
      e.reason === 'RolloutCompleted'
        ? 'as the rollout completed'
        : e.reason === 'RolloutAborted'
          ? 'as the rollout aborted'
          : e.reason === 'RolloutUpdated'
            ? 'by a new revision'
            : 'as its step was skipped (promote)';
    return { t, text: `the run was terminated ${by}: ${e.message}`, where: '', event: e };
  }
  if (run.phase === 'Failed' || run.phase === 'Error') {
    const i = after((e) => e.reason === 'RolloutAborted');
    return i >= 0 ? found(i, 'Rollout aborted') : { t, text: 'the rollout did not act on it', where: '' };
  }
  if (run.phase === 'Inconclusive') {
    const i = after((e) => e.reason === 'RolloutPaused' && e.message.endsWith('(InconclusiveAnalysisRun)'));
    return i >= 0
      ? found(i, 'Rollout paused (InconclusiveAnalysisRun): promote it to go on, or abort')
      : {
          t,
          text: 'the rollout paused (InconclusiveAnalysisRun) while already paused',
          where: where(announced),
        };
  }
  if (run.kind === 'Step') {
    const i = after((e) => e.reason === 'RolloutStepCompleted');
    if (i < 0) return { t, text: 'the rollout went on', where: '' };
    // The event names the step; where adds the weight.
    return { ...found(i, events[i]!.message), where: whereAt(events, i, steps, false) };
  }
  if (run.kind === 'PrePromotion') {
    const i = after((e) => ['RolloutPaused', 'SwitchService', 'RolloutCompleted'].includes(e.reason), false);
    if (i < 0) return { t, text: 'the rollout went on', where: '' };
    const e = events[i]!;
    return found(i, e.reason === 'RolloutPaused' ? `${e.message}: waiting for promote` : e.message);
  }
  if (run.kind === 'PostPromotion') {
    const i = after((e) => e.reason === 'RolloutCompleted');
    return i >= 0
      ? found(i, `${events[i]!.message} → Healthy`)
      : { t, text: 'the rollout went on', where: '' };
  }
  return { t, text: 'the rollout went on', where: where(announced >= 0 ? announced : events.length) };
}

/**
 * The rollout's aborts that no analysis run explains (an `abort` command, a progress deadline):
 * each with where the rollout stood. `explained` holds the events transitions were read from.
 */
export function otherAborts(
  report: ExplainableReport,
  rollout: string,
  explained: ReadonlySet<ReportEvent>,
): Transition[] {
  const events = eventsOf(report, rollout);
  const steps = report.rollouts[rollout]?.steps ?? 0;
  const out: Transition[] = [];
  events.forEach((e, i) => {
    if (e.reason === 'RolloutAborted' && !explained.has(e))
      out.push({ t: e.t, text: 'Rollout aborted', where: whereAt(events, i, steps), event: e });
  });
  return out;
}
