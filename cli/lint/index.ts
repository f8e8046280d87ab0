/**
 * `canarysim lint`: static checks of Rollouts, (Cluster)AnalysisTemplates, VirtualServices and
 * their cross-references, and a static timeline per Rollout. The reference and syntax checks are
 * shared with the scenario runner (cli/scenario/validateScenario.ts), which stops at the first
 * error-level finding.
 */
export { RULES, type RuleId, type Severity } from './rules.js';
export { formatPos, sortFindings, firstError, manifestFinding, type Finding } from './Finding.js';
export { loadLintInputs, type LintInputs } from './loadLintInputs.js';
export { lintManifests, type LintOptions, type LintResult, type UntimedRollout } from './lintManifests.js';
export {
  buildTimeline,
  podReadiness,
  type RolloutTimeline,
  type TimelineRow,
  type MetricOnTimeline,
} from './timeline.js';
export {
  renderLintText,
  renderTimeline,
  formatFinding,
  lintJson,
  lintExitCode,
  LINT_INPUT,
  type LintVerdict,
} from './renderLint.js';
