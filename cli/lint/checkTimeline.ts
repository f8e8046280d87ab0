import { formatGoDuration } from '../../go/duration.js';
import type { RolloutObject } from './checkReferences.js';
import { findingAt, type Finding } from './Finding.js';
import type { RolloutTimeline } from './timeline.js';

/**
 * Findings that need the timeline: background metrics that get at most one measurement (or none)
 * before the rollout completes — "zero measurements before the rollout finished" — and
 * blue-green auto-promotion that Argo never performs.
 */
export function checkTimeline(ro: RolloutObject, tl: RolloutTimeline): Finding[] {
  const findings: Finding[] = [];
  const manual = tl.rows.some((r) => r.manual);
  for (const m of tl.metrics) {
    if (m.analysis !== 'background' || m.timing.dryRun || tl.totalMs === Infinity) continue;
    // A pause that waits for `promote` gives the metric as long as the user waits.
    if (manual && tl.rows.some((r) => r.manual && r.startMs >= m.runStartMs)) continue;
    const window = tl.totalMs - m.runStartMs;
    const from = `with Rollout ${JSON.stringify(tl.rollout)} the background analysis starts at ${formatGoDuration(m.runStartMs)} (startingStep ${ro.spec.strategy.canary!.analysis!.startingStep}) and the rollout completes ${formatGoDuration(window)} later, at ${formatGoDuration(tl.totalMs)} (new pods ready in ${formatGoDuration(tl.podReadyMs)}, ${formatGoDuration(tl.podReadyCachedMs)} once cached)`;
    if (m.measurements === 0) {
      const node =
        m.timing.initialDelayMs > 0 ? m.spec.node.child('initialDelay') : m.spec.node.child('name');
      findings.push(
        findingAt(
          'interval-exceeds-rollout',
          node,
          `metric ${JSON.stringify(m.metric)} takes no measurement before the rollout completes: ${from}, within its initialDelay (${formatGoDuration(m.timing.initialDelayMs)}); the analysis can never stop this rollout`,
        ),
      );
    } else if (
      m.measurements === 1 &&
      m.timing.intervalMs !== undefined &&
      (m.timing.effectiveCount === undefined || m.timing.effectiveCount > 1)
    ) {
      findings.push(
        findingAt(
          'interval-exceeds-rollout',
          m.spec.node.child('interval'),
          `metric ${JSON.stringify(m.metric)} takes 1 measurement, at ${formatGoDuration(m.runStartMs + m.timing.initialDelayMs)}, before the rollout completes: ${from}, less than the interval (${formatGoDuration(m.timing.intervalMs)}); everything after the first measurement goes unmeasured`,
        ),
      );
    }
  }
  const bg = ro.spec.strategy.blueGreen;
  const secs = ro.node.child('spec').child('strategy').child('blueGreen').child('autoPromotionSeconds');
  if (bg && !bg.autoPromotionEnabled && secs.exists) {
    findings.push(
      findingAt(
        'auto-promotion-ignored',
        secs,
        `autoPromotionSeconds (${bg.autoPromotionSeconds}) is ignored while autoPromotionEnabled is false: the rollout pauses until \`promote\`. Remove autoPromotionEnabled: false to promote automatically ${bg.autoPromotionSeconds}s after the preview is ready`,
      ),
    );
  }
  return findings;
}
