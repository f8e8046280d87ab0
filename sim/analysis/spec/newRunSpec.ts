import type { MetricTemplateSpec } from '../../manifests/kinds/analysisTemplate.js';
import type { DryRunRule, RetentionRule } from '../../rollout/index.js';
import type { RunArg } from '../args/buildRolloutArgs.js';
import type { TemplateSource } from './resolveTemplateRefs.js';

/** The spec of an AnalysisRun before its placeholders are resolved. */
export interface RunSpec {
  metrics: MetricTemplateSpec[];
  args: RunArg[];
  dryRun: DryRunRule[];
  measurementRetention: RetentionRule[];
}

/**
 * Argo's `NewAnalysisRunFromTemplates` (spec §5.3): flattens the templates — metrics, dry-run and
 * retention rules, args (a default given twice must agree) — then merges the Rollout's args
 * (already resolved to values) over the template args and puts the Rollout's rules first.
 *
 * Args: a Rollout arg overrides the template arg of the same name; Rollout args no template
 * declares are dropped; a template arg still without a value is `args.<name> was not resolved`.
 *
 *   template args [a, b=1], rollout args [b=2, c=3]   → [a?, b=2] → error args.a was not resolved
 *   template args [a=1],    rollout args [a=2, typo=3] → [a=2]
 */
export function newRunSpec(
  templates: readonly TemplateSource[],
  rolloutArgs: readonly RunArg[] | undefined,
  rolloutDryRun: readonly DryRunRule[],
  rolloutRetention: readonly RetentionRule[],
): RunSpec | { error: string } {
  // FlattenTemplates: metrics, then dry-run rules, then retention rules, then args.
  const metrics: MetricTemplateSpec[] = [];
  const names = new Set<string>();
  for (const t of templates) {
    for (const m of t.spec.metrics) {
      if (names.has(m.name)) return { error: `two metrics have the same name '${m.name}'` };
      names.add(m.name);
      metrics.push(m);
    }
  }
  const templateDryRun = templates.flatMap((t) => t.spec.dryRun.map((r) => ({ metricName: r.metricName })));
  const dupDry = duplicateRule(templateDryRun, 'Dry-Run');
  if (dupDry) return { error: dupDry };
  const templateRetention = templates.flatMap((t) =>
    t.spec.measurementRetention.map((r) => ({ metricName: r.metricName, limit: r.limit })),
  );
  const dupRet = duplicateRule(templateRetention, 'Measurement Retention');
  if (dupRet) return { error: dupRet };

  const combined: { name: string; value: string | undefined }[] = [];
  for (const t of templates) {
    for (const a of t.spec.args) {
      const prev = combined.find((c) => c.name === a.name);
      if (!prev) {
        combined.push({ name: a.name, value: a.value });
        continue;
      }
      if (prev.value !== undefined && a.value !== undefined && prev.value !== a.value) {
        return {
          error: `Argument \`${a.name}\` specified multiple times with different values: '${prev.value}', '${a.value}'`,
        };
      }
      if (prev.value === undefined) prev.value = a.value;
    }
  }

  // MergeArgs: the Rollout's values override; undeclared Rollout args are dropped.
  for (const a of rolloutArgs ?? []) {
    const target = combined.find((c) => c.name === a.name);
    if (target) target.value = a.value;
  }
  const args: RunArg[] = [];
  for (const a of combined) {
    if (a.value === undefined) return { error: `args.${a.name} was not resolved` };
    args.push({ name: a.name, value: a.value });
  }

  const dryRun = [...rolloutDryRun, ...templateDryRun];
  const dupAll = duplicateRule(dryRun, 'Dry-Run');
  if (dupAll) return { error: dupAll };
  const measurementRetention = [...rolloutRetention, ...templateRetention];
  const dupAllRet = duplicateRule(measurementRetention, 'Measurement Retention');
  if (dupAllRet) return { error: dupAllRet };
  return { metrics, args, dryRun, measurementRetention };
}

function duplicateRule(rules: readonly { metricName: string }[], label: string): string | undefined {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.metricName)) return `two ${label} metric rules have the same name '${r.metricName}'`;
    seen.add(r.metricName);
  }
  return undefined;
}
