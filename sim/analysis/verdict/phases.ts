import type { AnalysisPhase } from './types.js';

// Best to worst (analysisStatusOrder in utils/analysis/helpers.go).
const ORDER: readonly AnalysisPhase[] = [
  'Successful',
  'Running',
  'Pending',
  'Inconclusive',
  'Error',
  'Failed',
];

/** Successful, Failed, Error and Inconclusive are final. */
export function isCompleted(
  phase: AnalysisPhase | '',
): phase is 'Successful' | 'Failed' | 'Error' | 'Inconclusive' {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}

/** `candidate` is strictly worse than `current` (Failed is the worst). */
export function isWorse(current: AnalysisPhase, candidate: AnalysisPhase): boolean {
  return ORDER.indexOf(candidate) > ORDER.indexOf(current);
}
