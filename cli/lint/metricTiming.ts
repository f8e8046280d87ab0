import { compileRegexp, RegexpError } from '../../go/regexp.js';
import {
  DEFAULT_CONSECUTIVE_ERROR_LIMIT,
  DEFAULT_CONSECUTIVE_SUCCESS_LIMIT,
  DEFAULT_FAILURE_LIMIT,
  DEFAULT_INCONCLUSIVE_LIMIT,
  effectiveCount,
} from '../../sim/analysis/verdict/index.js';
import { parseGoDuration } from '../../go/duration.js';
import {
  placeholders,
  substituteArgs,
  type IntOrArg,
  type MetricTemplateSpec,
} from '../../sim/manifests/index.js';
import type { MetricRule } from './resolveAnalysis.js';

/** A metric's schedule and limits with the analysis's args substituted (defaults where unset). */
export interface MetricTiming {
  name: string;
  intervalMs?: number;
  initialDelayMs: number;
  /** As written (after args); undefined when unset. */
  count?: number;
  /** Measurements (errors excluded) that end the metric; undefined = unbounded (spec §5.2). */
  effectiveCount?: number;
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  consecutiveSuccessLimit: number;
  /** A dryRun rule matches it: it never decides the run. */
  dryRun: boolean;
  /** Fields whose value is known only at run time (an arg taken `valueFrom` the cluster); defaults are used. */
  unknown: string[];
}

/** Substitutes known args; undefined when a placeholder is left. */
function resolveText(s: string, args: ReadonlyMap<string, string>): string | undefined {
  const { text } = substituteArgs(s, args);
  return placeholders(text).length > 0 ? undefined : text;
}

/** The metrics a rule list puts in dry-run mode (Go regexps, unanchored; spec §5.8). */
export function dryRunNames(names: readonly string[], rules: readonly MetricRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules) {
    if (r.kind !== 'dryRun') continue;
    const re = compileRegexp(r.metricName);
    if (re instanceof RegexpError) continue;
    for (const n of names) if (re.matchString(n)) out.add(n);
  }
  return out;
}

/**
 * The numbers that decide when a metric measures and when it can fail, after args.
 *
 *   { interval: '1m', count: 5 }   → intervalMs 60 000, effectiveCount 5, failureLimit 0, consecutiveErrorLimit 4
 *   { interval: '1m' }             → effectiveCount undefined (runs until the run is terminated)
 *   {}                             → effectiveCount 1
 */
export function metricTiming(
  m: MetricTemplateSpec,
  args: ReadonlyMap<string, string>,
  dryRun: boolean,
): MetricTiming {
  const unknown: string[] = [];
  const dur = (field: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const s = resolveText(v, args);
    const ms = s === undefined ? undefined : parseGoDuration(s);
    if (ms === undefined) unknown.push(field);
    return ms;
  };
  const int = (field: string, v: IntOrArg | undefined): number | undefined => {
    if (v === undefined || typeof v === 'number') return v;
    const s = resolveText(v, args);
    if (s === undefined || !/^-?\d+$/.test(s.trim())) {
      unknown.push(field);
      return undefined;
    }
    return Number(s);
  };
  const intervalMs = dur('interval', m.interval);
  const initialDelayMs = dur('initialDelay', m.initialDelay) ?? 0;
  const count = int('count', m.count);
  return {
    name: m.name,
    intervalMs,
    initialDelayMs,
    count,
    effectiveCount: effectiveCount({ count, intervalMs }),
    failureLimit: int('failureLimit', m.failureLimit) ?? DEFAULT_FAILURE_LIMIT,
    inconclusiveLimit: int('inconclusiveLimit', m.inconclusiveLimit) ?? DEFAULT_INCONCLUSIVE_LIMIT,
    consecutiveErrorLimit:
      int('consecutiveErrorLimit', m.consecutiveErrorLimit) ?? DEFAULT_CONSECUTIVE_ERROR_LIMIT,
    consecutiveSuccessLimit:
      int('consecutiveSuccessLimit', m.consecutiveSuccessLimit) ?? DEFAULT_CONSECUTIVE_SUCCESS_LIMIT,
    dryRun,
    unknown,
  };
}
