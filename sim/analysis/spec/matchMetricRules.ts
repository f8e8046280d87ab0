import { compileRegexp, RegexpError } from '../../../go/regexp.js';
import type { DryRunRule, RetentionRule } from '../../rollout/index.js';

/**
 * `regexp.MatchString(rule, name)`: unanchored; a pattern Go cannot compile matches nothing,
 * one over canarysim's regex limits is refused.
 */
function matcher(pattern: string): ((name: string) => boolean) | { unsupported: string } {
  const re = compileRegexp(pattern);
  if (re instanceof RegexpError)
    return re.kind === 'limit' ? { unsupported: `not supported by canarysim: ${re.message}` } : () => false;
  return (name) => re.matchString(name);
}

/**
 * Argo's `GetDryRunMetrics` (spec §5.8): the names of the metrics any `dryRun` rule matches.
 * Every rule must match at least one metric: `dryRun[<i>]: Rule didn't match any metric name(s)`.
 *
 *   rules [{metricName: "total"}], metrics [total-5xx-errors, latency] → {total-5xx-errors}
 *   rules [{metricName: "*"}]                                            → error (not a regexp)
 */
export function matchDryRunRules(
  rules: readonly DryRunRule[],
  metricNames: readonly string[],
): { dryRun: Set<string> } | { error: string } {
  const dryRun = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    const m = matcher(rule.metricName);
    if (typeof m !== 'function') return { error: `dryRun[${i}]: ${m.unsupported}` };
    const hits = metricNames.filter(m);
    if (hits.length === 0) return { error: `dryRun[${i}]: Rule didn't match any metric name(s)` };
    for (const h of hits) dryRun.add(h);
  }
  return { dryRun };
}

/**
 * Argo's `GetMeasurementRetentionMetrics`: how many measurements each matched metric keeps
 * (a later matching rule wins; limit 0 means the default 10). Every rule must match a metric.
 */
export function matchRetentionRules(
  rules: readonly RetentionRule[],
  metricNames: readonly string[],
): { limits: Map<string, number> } | { error: string } {
  const limits = new Map<string, number>();
  for (const [i, rule] of rules.entries()) {
    const m = matcher(rule.metricName);
    if (typeof m !== 'function') return { error: `measurementRetention[${i}]: ${m.unsupported}` };
    const hits = metricNames.filter(m);
    if (hits.length === 0)
      return { error: `measurementRetention[${i}]: Rule didn't match any metric name(s)` };
    for (const h of hits) limits.set(h, rule.limit);
  }
  return { limits };
}
