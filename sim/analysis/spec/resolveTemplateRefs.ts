import type { AnalysisTemplateSpec } from '../../manifests/kinds/analysisTemplate.js';
import type { AnalysisTemplateRef } from '../../rollout/index.js';

export type TemplateKind = 'AnalysisTemplate' | 'ClusterAnalysisTemplate';

/** A template a run draws from. */
export interface TemplateSource {
  kind: TemplateKind;
  name: string;
  spec: AnalysisTemplateSpec;
}

/** Looks a referenced template up (namespaced ones in the Rollout's namespace). */
export type TemplateLookup = (
  ref: AnalysisTemplateRef,
) => { name: string; spec: AnalysisTemplateSpec } | undefined;

const kindOf = (ref: AnalysisTemplateRef): TemplateKind =>
  ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';

/**
 * Argo's `getAnalysisTemplatesFromRefs`: the referenced templates and, depth first, the ones their
 * `spec.templates` include, each kept once (first occurrence). Namespaced templates come before
 * cluster-scoped ones, as Argo flattens them (so metric order follows that too).
 *
 *   refs [a], a.templates [b, c], b.templates [c]   → a, b, c
 *   refs [a, C(cluster)], C.templates [a]            → a, then C
 *
 * A missing template is Argo's validation error (`AnalysisTemplate 'x' not found`, reported for
 * the name written in the Rollout). A template that includes itself, directly or not, is an error
 * too (Argo would recurse without end).
 */
export function resolveTemplateRefs(
  refs: readonly AnalysisTemplateRef[],
  lookup: TemplateLookup,
): { templates: TemplateSource[] } | { error: string; templateName: string } {
  const namespaced: TemplateSource[] = [];
  const cluster: TemplateSource[] = [];
  const seen = new Set<string>();
  let failure: { error: string; templateName: string } | undefined;

  const visit = (list: readonly AnalysisTemplateRef[], path: string[], top: string | undefined): void => {
    for (const ref of list) {
      if (failure) return;
      const kind = kindOf(ref);
      const id = `${kind} ${ref.templateName}`;
      const reported = top ?? ref.templateName;
      if (path.includes(id)) {
        failure = {
          error: `${kind} '${ref.templateName}' includes itself through spec.templates: ${[...path.slice(path.indexOf(id)), id].join(' → ')}`,
          templateName: reported,
        };
        return;
      }
      const t = lookup(ref);
      if (!t) {
        failure = { error: `${kind} '${ref.templateName}' not found`, templateName: reported };
        return;
      }
      // Seen before (a diamond): already included, with everything it includes.
      if (seen.has(id)) continue;
      seen.add(id);
      (kind === 'AnalysisTemplate' ? namespaced : cluster).push({ kind, name: t.name, spec: t.spec });
      const nested = t.spec.templates.map((n) => ({
        templateName: n.templateName,
        clusterScope: n.clusterScope,
      }));
      visit(nested, [...path, id], reported);
    }
  };
  visit(refs, [], undefined);
  if (failure) return failure;
  return { templates: [...namespaced, ...cluster] };
}
