import type { MetricResult } from './types.js';

/**
 * Argo's `IsTerminating`: a run stops taking measurements when termination was requested
 * (`spec.terminate`) or a non-dry-run metric is already Failed, Error or Inconclusive.
 */
export function isRunTerminating(
  terminate: boolean,
  results: readonly MetricResult[],
  dryRun: ReadonlySet<string> = new Set(),
): boolean {
  if (terminate) return true;
  return results.some(
    (r) =>
      !(r.dryRun === true || dryRun.has(r.name)) &&
      (r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive'),
  );
}
