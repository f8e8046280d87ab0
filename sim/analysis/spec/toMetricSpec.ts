import type { IntOrArg } from '../../manifests/kinds/analysisTemplate.js';
import { MIN_MEASUREMENT_INTERVAL_MS } from '../../manifests/limits.js';
import { goDurationError, parseGoDuration } from '../../../go/duration.js';
import type { MetricSpec } from '../verdict/index.js';
import type { MetricFields } from './resolveMetricArgs.js';

/**
 * Kubernetes' `IntOrString.IntValue()`: an int as is; a string parsed as a base-10 integer, and
 * 0 when it is not one (so `count: "{{args.n}}"` with n = "three" is count 0, as in Argo).
 */
export function intOrStringValue(v: IntOrArg | undefined): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  return /^[-+]?\d+$/.test(v) ? Number(v) : 0;
}

/**
 * A resolved metric as the verdict functions read it, after Argo's `ValidateMetric` (the checks
 * that need resolved values; run creation fails with `Analysis spec invalid: metrics[i]: <error>`).
 */
export function toMetricSpec(m: MetricFields): { spec: MetricSpec } | { error: string } {
  const count = intOrStringValue(m.count) ?? 0;
  const failureLimit = intOrStringValue(m.failureLimit) ?? 0;
  const inconclusiveLimit = intOrStringValue(m.inconclusiveLimit) ?? 0;
  const consecutiveSuccessLimit = intOrStringValue(m.consecutiveSuccessLimit) ?? 0;
  const consecutiveErrorLimit = intOrStringValue(m.consecutiveErrorLimit);
  const interval = m.interval ?? '';
  const initialDelay = m.initialDelay ?? '';
  if (count > 0) {
    if (failureLimit >= 0 && count < failureLimit) return { error: 'count must be >= failureLimit' };
    if (count < inconclusiveLimit) return { error: 'count must be >= inconclusiveLimit' };
  }
  if (count > 1 && interval === '') return { error: 'interval must be specified when count > 1' };
  const intervalMs = interval === '' ? undefined : parseGoDuration(interval);
  if (interval !== '' && intervalMs === undefined)
    return { error: `invalid interval string: ${goDurationError(interval)}` };
  const initialDelayMs = initialDelay === '' ? undefined : parseGoDuration(initialDelay);
  if (initialDelay !== '' && initialDelayMs === undefined)
    return { error: `invalid startDelay string: ${goDurationError(initialDelay)}` };
  // Go parses a negative duration; what Argo then does with it is not modelled.
  if ((intervalMs ?? 0) < 0)
    return { error: `not supported by canarysim: a negative interval (${interval})` };
  if (intervalMs !== undefined && intervalMs < MIN_MEASUREMENT_INTERVAL_MS)
    return { error: `not supported by canarysim: an interval under 1s (${interval})` };
  if ((initialDelayMs ?? 0) < 0)
    return { error: `not supported by canarysim: a negative initialDelay (${initialDelay})` };
  if (failureLimit < -1) return { error: 'failureLimit must be >= -1' };
  if (inconclusiveLimit < 0) return { error: 'inconclusiveLimit must be >= 0' };
  if (consecutiveErrorLimit !== undefined && consecutiveErrorLimit < 0)
    return { error: 'consecutiveErrorLimit must be >= 0' };
  if (consecutiveSuccessLimit < 0) return { error: 'consecutiveSuccessLimit must be >= 0' };
  if (failureLimit === -1 && consecutiveSuccessLimit === 0)
    return { error: 'failureLimit and consecutiveSuccessLimit cannot both be disabled' };
  return {
    spec: {
      name: m.name,
      intervalMs,
      initialDelayMs,
      count: intOrStringValue(m.count),
      failureLimit: intOrStringValue(m.failureLimit),
      inconclusiveLimit: intOrStringValue(m.inconclusiveLimit),
      consecutiveErrorLimit,
      consecutiveSuccessLimit: intOrStringValue(m.consecutiveSuccessLimit),
      successCondition: m.successCondition,
      failureCondition: m.failureCondition,
    },
  };
}
