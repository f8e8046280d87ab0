import { placeholders, type ManifestNode, type MetricTemplateSpec } from '../../sim/manifests/index.js';
import type { AnalysisTemplateRef, RolloutAnalysis } from '../../sim/rollout/index.js';
import {
  checkTemplateSyntax,
  type ParsedMetric,
  type TemplateObject,
  type Unresolved,
} from './checkTemplateSyntax.js';
import { findingAt, findingInString, type Finding } from './Finding.js';
import { didYouMean, lookup, namesOf, type Known } from './Known.js';

/** Which Rollout feature runs an analysis (Argo's `rollout-type` label); `template`: no Rollout uses it. */
export type AnalysisKind = 'background' | 'step' | 'prePromotion' | 'postPromotion' | 'template';

/** A template the analysis includes (directly or through `spec.templates`), its metrics parsed. */
export interface UsedTemplate {
  /** The Rollout's reference that brought it in (for nested templates, the outermost one). */
  ref: AnalysisTemplateRef;
  /** The node of that reference (`templates[i]`), or the template itself when linted alone. */
  refNode: ManifestNode;
  template: TemplateObject;
  metrics: ParsedMetric[];
}

/** A dryRun / measurementRetention rule, from the Rollout or a template. */
export interface MetricRule {
  kind: 'dryRun' | 'measurementRetention';
  metricName: string;
  node: ManifestNode;
}

/** One analysis of a Rollout (or a template on its own) and what it resolves to. */
export interface AnalysisUse {
  kind: AnalysisKind;
  stepIndex?: number;
  /** The `analysis` node in the Rollout (the template's root when linted alone). */
  node: ManifestNode;
  analysis: RolloutAnalysis;
  /** Every template included, namespaced ones first as Argo flattens them; each once. */
  templates: UsedTemplate[];
  /** Every referenced template was found and the args resolve: a run can be created. */
  complete: boolean;
  /**
   * A template it includes could not be read whole (lint reported why): its args and metrics are
   * unknown, so it is left out of `templates` and nothing that depends on them is judged.
   */
  partial: boolean;
  /** Arg values known statically (`valueFrom` args are known only at run time). */
  args: Map<string, string>;
  rules: MetricRule[];
}

type Found = Omit<UsedTemplate, 'metrics'>;

/** The message for a reference to a template that is not there, naming the likely fix. */
export function templateNotFound(ref: AnalysisTemplateRef, ns: string, known: Known): string {
  const kind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
  const name = JSON.stringify(ref.templateName);
  const where = ref.clusterScope ? '' : ` in namespace ${ns}`;
  if (ref.clusterScope && lookup(known, 'AnalysisTemplate', ns, ref.templateName))
    return `${kind} ${name} not found, but an AnalysisTemplate ${name} is in namespace ${ns}: remove clusterScope: true`;
  if (!ref.clusterScope && lookup(known, 'ClusterAnalysisTemplate', undefined, ref.templateName))
    return `${kind} ${name} not found${where}, but a ClusterAnalysisTemplate ${name} is: set clusterScope: true`;
  const candidates = [
    ...namesOf(known, 'AnalysisTemplate', ns),
    ...namesOf(known, 'ClusterAnalysisTemplate', undefined),
  ];
  const suggestion = didYouMean(ref.templateName, candidates);
  if (known.missing === 'inputs') return `${kind} ${name} not found${where} among the inputs${suggestion}`;
  return `${kind} ${name} not found${where}${suggestion}: apply it earlier in the timeline${ref.clusterScope ? '' : ' (or set clusterScope: true for a ClusterAnalysisTemplate)'}`;
}

/** The templates `roots` bring in, following nested `spec.templates`, each once. */
function flatten(
  roots: readonly { ref: AnalysisTemplateRef; refNode: ManifestNode }[],
  ns: string,
  known: Known,
  findings: Finding[],
): { found: Found[]; missing: boolean } {
  const found: Found[] = [];
  const seen = new Set<TemplateObject>();
  let missing = false;
  const visit = (
    ref: AnalysisTemplateRef,
    nameNode: ManifestNode,
    root: Found['ref'],
    rootNode: ManifestNode,
  ) => {
    const t = ref.clusterScope
      ? lookup<TemplateObject['spec']>(known, 'ClusterAnalysisTemplate', undefined, ref.templateName)
      : lookup<TemplateObject['spec']>(known, 'AnalysisTemplate', ns, ref.templateName);
    if (!t) {
      missing = true;
      findings.push(findingAt('template-not-found', nameNode, templateNotFound(ref, ns, known)));
      return;
    }
    if (seen.has(t)) return;
    seen.add(t);
    found.push({ ref: root, refNode: rootNode, template: t });
    for (const nested of t.spec.templates) visit(nested, nested.node.child('templateName'), root, rootNode);
  };
  for (const r of roots) visit(r.ref, r.refNode.child('templateName'), r.ref, r.refNode);
  found.sort(
    (a, b) =>
      Number(a.template.kind === 'ClusterAnalysisTemplate') -
      Number(b.template.kind === 'ClusterAnalysisTemplate'),
  );
  return { found, missing };
}

/** Every `{{…}}` of a metric must be `{{args.<declared>}}` (Argo: `failed to resolve {{tag}}`). */
function checkPlaceholders(m: MetricTemplateSpec, declared: readonly string[], findings: Finding[]): number {
  const before = findings.length;
  const fields: [ManifestNode, string | undefined][] = [
    [m.node.child('provider').child('prometheus').child('query'), m.provider.prometheus.query],
    [m.node.child('provider').child('prometheus').child('address'), m.provider.prometheus.address],
    [m.node.child('successCondition'), m.successCondition],
    [m.node.child('failureCondition'), m.failureCondition],
    [m.node.child('interval'), m.interval],
    [m.node.child('initialDelay'), m.initialDelay],
  ];
  for (const k of [
    'count',
    'failureLimit',
    'inconclusiveLimit',
    'consecutiveErrorLimit',
    'consecutiveSuccessLimit',
  ] as const) {
    const v = m[k];
    if (typeof v === 'string') fields.push([m.node.child(k), v]);
  }
  for (const [node, value] of fields) {
    if (value === undefined) continue;
    for (const p of placeholders(value)) {
      const a = /^args\.(.+)$/.exec(p.tag);
      if (!a) {
        findings.push(
          findingInString(
            'placeholder-undeclared',
            node,
            p.offset,
            `failed to resolve {{${p.tag}}}: only {{args.<name>}} placeholders are supported in templates`,
          ),
        );
      } else if (!declared.includes(a[1]!)) {
        findings.push(
          findingInString(
            'placeholder-undeclared',
            node,
            p.offset,
            `failed to resolve {{${p.tag}}}: arg ${JSON.stringify(a[1])} is not declared in spec.args (declared: ${declared.join(', ') || 'none'})${didYouMean(a[1]!, declared)}`,
          ),
        );
      }
    }
  }
  return findings.length - before;
}

/**
 * Resolves one analysis as Argo creates its run: the templates (nested ones included, namespaced
 * before cluster-scoped), the args (template defaults, overridden by the Rollout's args of the
 * same name; other Rollout args dropped), every placeholder, then every query and condition
 * parsed under those values. `roots` are the Rollout's references (or one template linted alone,
 * whose required args then simply have no value).
 */
export function resolveAnalysis(
  kind: AnalysisKind,
  an: ManifestNode,
  analysis: RolloutAnalysis,
  ns: string,
  known: Known,
  unresolved: Unresolved,
  findings: Finding[],
  stepIndex?: number,
  roots = analysis.templates.map((ref, i) => ({ ref, refNode: an.child('templates').child(i) })),
): AnalysisUse {
  const { found: all, missing } = flatten(roots, ns, known, findings);
  const partial = all.some((f) => f.template.partial === true);
  const found = all.filter((f) => f.template.partial !== true);
  let complete = !missing && !partial;
  // With a template's args unknown, arg findings would only echo that template's own findings.
  const argFindings: Finding[] = partial ? [] : findings;

  // Template args, flattened: a later default may fill an earlier required arg, never change a value.
  const declared = new Map<string, string | undefined>();
  for (const { template } of found) {
    for (const a of template.spec.args) {
      const prev = declared.get(a.name);
      if (prev !== undefined && a.value !== undefined && prev !== a.value) {
        complete = false;
        argFindings.push(
          findingAt(
            'arg-conflict',
            a.node,
            `Argument \`${a.name}\` specified multiple times with different values: '${prev}', '${a.value}'`,
          ),
        );
        continue;
      }
      if (prev === undefined) declared.set(a.name, a.value);
    }
  }
  const names = [...declared.keys()];
  const undeclared: { name: string; node: ManifestNode }[] = [];
  const fromCluster = new Set<string>();
  analysis.args.forEach((a, i) => {
    const node = an.child('args').child(i).child('name');
    if (!declared.has(a.name)) {
      undeclared.push({ name: a.name, node });
    } else if (a.valueFrom) {
      fromCluster.add(a.name);
    } else {
      // BuildArgumentsForRolloutAnalysisRun: an arg written without a value is "".
      declared.set(a.name, a.value ?? '');
      fromCluster.delete(a.name);
    }
  });
  const explained = new Set<string>();
  if (kind !== 'template') {
    for (const [name, v] of declared) {
      if (v !== undefined || fromCluster.has(name)) continue;
      complete = false;
      // A Rollout arg that names no template arg is most often this one, misspelt.
      const typo = undeclared.find((u) => !explained.has(u.name) && didYouMean(u.name, [name]) !== '');
      if (typo) {
        explained.add(typo.name);
        argFindings.push(
          findingAt(
            'arg-unresolved',
            typo.node,
            `arg ${JSON.stringify(typo.name)} is not declared by any referenced template (declared: ${names.join(', ')}): Argo Rollouts drops it silently, so args.${name} was not resolved (did you mean ${JSON.stringify(name)}?)`,
          ),
        );
      } else {
        argFindings.push(
          findingAt(
            'arg-unresolved',
            an,
            `args.${name} was not resolved: the templates declare ${JSON.stringify(name)} without a value and the Rollout does not supply it`,
          ),
        );
      }
    }
  }
  // With a template missing, which args are undeclared is unknown.
  for (const u of missing ? [] : undeclared) {
    if (explained.has(u.name)) continue;
    argFindings.push(
      findingAt(
        'undeclared-arg',
        u.node,
        `arg ${JSON.stringify(u.name)} is not declared by any referenced template (declared: ${names.join(', ') || 'none'}): Argo Rollouts drops it silently${didYouMean(u.name, names)}`,
      ),
    );
  }
  const args = new Map<string, string>();
  for (const [k, v] of declared) if (v !== undefined && !fromCluster.has(k)) args.set(k, v);

  const seenMetrics = new Map<string, ManifestNode>();
  const templates = found.map((f) => {
    for (const m of f.template.spec.metrics) {
      if (!missing && checkPlaceholders(m, names, findings) > 0) complete = false;
      const first = seenMetrics.get(m.name);
      if (first) {
        complete = false;
        findings.push(
          findingAt(
            'duplicate-metric',
            m.node.child('name'),
            `two metrics have the same name '${m.name}' (the other is ${first.subject}): the AnalysisRun cannot be created`,
          ),
        );
      } else seenMetrics.set(m.name, m.node);
    }
    const { findings: syntax, metrics } = checkTemplateSyntax(f.template, args, unresolved);
    findings.push(...syntax);
    return { ...f, metrics };
  });
  const rules: MetricRule[] = [];
  const ruleNodes = (
    key: 'dryRun' | 'measurementRetention',
    list: readonly { metricName: string }[],
    at: (i: number) => ManifestNode,
  ) => list.forEach((r, i) => rules.push({ kind: key, metricName: r.metricName, node: at(i) }));
  ruleNodes('dryRun', analysis.dryRun, (i) => an.child('dryRun').child(i));
  ruleNodes('measurementRetention', analysis.measurementRetention, (i) =>
    an.child('measurementRetention').child(i),
  );
  for (const { template } of found) {
    ruleNodes('dryRun', template.spec.dryRun, (i) => template.spec.dryRun[i]!.node);
    ruleNodes(
      'measurementRetention',
      template.spec.measurementRetention,
      (i) => template.spec.measurementRetention[i]!.node,
    );
  }
  return { kind, stepIndex, node: an, analysis, templates, complete, partial, args, rules };
}
