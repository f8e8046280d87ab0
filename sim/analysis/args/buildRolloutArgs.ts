import type { AnalysisArg } from '../../rollout/index.js';
import { extractRolloutFieldPath } from './rolloutFieldPath.js';

/** A resolved arg: what an AnalysisRun's `spec.args[]` holds. */
export interface RunArg {
  name: string;
  value: string;
}

/**
 * Argo's `BuildArgumentsForRolloutAnalysisRun`: every Rollout arg gets a value — `value` (""
 * when absent), the Stable or Latest pod-template hash, or a `fieldRef.fieldPath` read from the
 * Rollout. A failing `metadata…` path makes the whole list nil (`args` undefined); a failing path
 * into the Rollout's JSON leaves that arg "" and reports the error, and so does Argo: only the
 * error of the *last* fieldRef arg survives, which run creation then fails with.
 */
export function buildRolloutArgs(
  args: readonly AnalysisArg[],
  hashes: { stable: string; latest: string },
  rolloutJson: unknown,
): { args: RunArg[] | undefined; error?: string } {
  const out: RunArg[] = [];
  let error: string | undefined;
  for (const a of args) {
    let value = a.value ?? '';
    const from = a.valueFrom;
    if (from && 'podTemplateHashValue' in from) {
      value = from.podTemplateHashValue === 'Stable' ? hashes.stable : hashes.latest;
    } else if (from && 'fieldRef' in from) {
      const path = from.fieldRef.fieldPath;
      const got = extractRolloutFieldPath(rolloutJson, path);
      if ('error' in got && path.startsWith('metadata')) return { args: undefined, error: got.error };
      value = 'value' in got ? got.value : '';
      error = 'error' in got ? got.error : undefined;
    }
    out.push({ name: a.name, value });
  }
  return error === undefined ? { args: out } : { args: out, error };
}
