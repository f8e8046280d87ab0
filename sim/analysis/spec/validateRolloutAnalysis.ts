import { goQuote } from '../../../go/quote.js';
import type { RolloutAnalysis, RunKind } from '../../rollout/index.js';
import { buildRolloutArgs } from '../args/buildRolloutArgs.js';
import { newRunSpec } from './newRunSpec.js';
import { resolveMetricArgs } from './resolveMetricArgs.js';
import { resolveTemplateRefs, type TemplateLookup } from './resolveTemplateRefs.js';
import { intOrStringValue } from './toMetricSpec.js';

/** An analysis Argo's Rollout validation rejects: the Rollout goes Degraded with InvalidSpec. */
export interface InvalidAnalysis {
  /** The reason, e.g. `AnalysisTemplate t has metric m which runs indefinitely. Invalid value for count: <nil>`. */
  error: string;
  /**
   * The whole Kubernetes field error, as the InvalidSpec condition shows it after
   * `The Rollout "<name>" is invalid: `, e.g.
   * `spec.strategy.canary.steps[1].analysis.templates: Invalid value: "t": <error>`.
   */
  fieldError: string;
}

/** Where Argo reports an analysis's errors (`GetAnalysisTemplateWithTypeFieldPath`). */
export function analysisFieldPath(kind: RunKind, stepIndex: number | undefined): string {
  switch (kind) {
    case 'Background':
      return 'spec.strategy.canary.analysis.templates';
    case 'Step':
      return `spec.strategy.canary.steps[${stepIndex ?? 0}].analysis.templates`;
    case 'PrePromotion':
      return 'spec.strategy.blueGreen.prePromotionAnalysis.templates';
    case 'PostPromotion':
      return 'spec.strategy.blueGreen.postPromotionAnalysis.templates';
  }
}

/** What validation needs to know about one analysis of a Rollout. */
export interface AnalysisValidationRequest {
  kind: RunKind;
  stepIndex?: number;
  analysis: RolloutAnalysis;
  /** The Rollout as JSON, for `fieldRef` args. */
  rolloutJson: unknown;
}

/**
 * Argo's `ValidateAnalysisTemplatesWithType` (validation_references.go), which runs on every
 * Rollout sync before any AnalysisRun exists:
 *
 * - every referenced template (nested ones too) exists;
 * - the templates flatten and merge with the Rollout's args (dummy pod hashes): no metric twice,
 *   no arg with two defaults, no duplicate dry-run/retention rule, no arg left without a value;
 * - step, pre- and post-promotion templates: each template's metrics resolve with that
 *   template's own args (args without a default count as "dummy-value"), and every metric ends
 *   (`AnalysisTemplate <t> has metric <m> which runs indefinitely. Invalid value for count: <c>`);
 * - background templates: each arg without a default is passed by the Rollout.
 *
 * Returns the first problem, or undefined.
 */
export function validateRolloutAnalysis(
  req: AnalysisValidationRequest,
  lookup: TemplateLookup,
): InvalidAnalysis | undefined {
  const field = analysisFieldPath(req.kind, req.stepIndex);
  const invalid = (value: string, error: string): InvalidAnalysis => ({
    error,
    fieldError: `${field}: Invalid value: ${goQuote(value)}: ${error}`,
  });
  const resolved = resolveTemplateRefs(req.analysis.templates, lookup);
  if ('error' in resolved) return invalid(resolved.templateName, resolved.error);
  const templates = resolved.templates;
  const names = `templateNames: [${templates.map((t) => t.name).join(' ')}]`;
  const { args } = buildRolloutArgs(
    req.analysis.args,
    { stable: 'dummy-stable-hash', latest: 'dummy-new-hash' },
    req.rolloutJson,
  );
  const step = req.kind === 'Step';
  const spec = newRunSpec(
    templates,
    args,
    step ? req.analysis.dryRun : [],
    step ? req.analysis.measurementRetention : [],
  );
  if ('error' in spec) return invalid(names, spec.error);

  for (const t of templates) {
    if (req.kind !== 'Background') {
      const own = new Map(t.spec.args.map((a) => [a.name, a.value ?? 'dummy-value'] as const));
      for (const m of t.spec.metrics) {
        const r = resolveMetricArgs(m, own);
        if ('error' in r) return invalid(t.name, `AnalysisTemplate ${t.name}: ${r.error}`);
      }
      for (const m of t.spec.metrics) {
        const r = resolveMetricArgs(m, own);
        if ('error' in r) continue;
        const count = intOrStringValue(r.metric.count);
        if ((count === undefined || count === 0) && (r.metric.interval ?? '') !== '') {
          const shown = r.metric.count === undefined ? '<nil>' : String(r.metric.count);
          return invalid(
            t.name,
            `AnalysisTemplate ${t.name} has metric ${r.metric.name} which runs indefinitely. Invalid value for count: ${shown}`,
          );
        }
      }
    } else {
      for (const a of t.spec.args) {
        if (a.value !== undefined) continue;
        if (req.analysis.args.length === 0)
          return invalid(t.name, 'missing analysis arguments in rollout spec');
        if (!req.analysis.args.some((r) => r.name === a.name)) return invalid(t.name, a.name);
      }
    }
  }
  return undefined;
}
