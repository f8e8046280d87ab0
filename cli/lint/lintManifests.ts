import { unsupportedContainers } from '../../sim/apps/index.js';
import type { PodTimings } from '../../sim/cluster/index.js';
import type { InputError } from '../../sim/errors.js';
import type { DeploymentSpec, IngressSpec, ManifestObject } from '../../sim/manifests/index.js';
import { DEFAULT_ARGO_PROFILE, type ArgoProfile } from '../../sim/rollout/index.js';
import { DEFAULT_WORLD_OPTIONS } from '../../sim/world.js';
import { checkAnalysisUse, type AnalysisContext } from './checkMetrics.js';
import type { ScrapeInterval } from './checkRanges.js';
import type { SelectorTargets } from './checkSelectors.js';
import { checkIngressReferences, checkRolloutReferences, type RolloutObject } from './checkReferences.js';
import type { TemplateObject } from './checkTemplateSyntax.js';
import { checkTimeline } from './checkTimeline.js';
import { checkSampleSize, type DeclaredRate } from './checkSampleSize.js';
import { findingAt, formatPos, manifestFinding, sortFindings, type Finding } from './Finding.js';
import { lookup, objectKey, type Known } from './Known.js';
import { resolveAnalysis } from './resolveAnalysis.js';
import { buildTimeline, podReadiness, type RolloutTimeline } from './timeline.js';

export interface LintOptions {
  /** Namespace of objects that name none (kubectl's `-n`). */
  namespace: string;
  /**
   * `-n` was given: objects that name no namespace are in it. Otherwise they may be applied to
   * any (`kubectl apply -n …`), and a query may name any namespace for them.
   */
  namespaceGiven?: boolean;
  /** The Argo Rollouts release whose messages findings quote (default: canarysim's). */
  argo?: ArgoProfile;
  /** The scrape interval range selectors are judged against (default: canarysim's 30s). */
  scrape?: ScrapeInterval;
  podTimings?: PodTimings;
  /**
   * Problems found while reading the manifests (IssueSink.issues): each becomes an
   * `invalid-manifest` or `not-simulated` finding.
   */
  issues?: readonly InputError[];
  /** The traffic the sample-size advisor judges windows at; without it, no advice. */
  rate?: DeclaredRate;
}

/** A Rollout that gets no timeline, and why. */
export interface UntimedRollout {
  rollout: string;
  namespace: string;
  reason: string;
}

export interface LintResult {
  /** In file, line, column order. */
  findings: Finding[];
  timelines: RolloutTimeline[];
  /** Rollouts whose timeline would be a guess: they (or what they use) could not be read whole. */
  untimed: UntimedRollout[];
  /** How many objects of each kind were linted. */
  counts: Record<string, number>;
}

/** The Services, namespaces and workloads the inputs create, for judging query selectors. */
function selectorTargets(objects: readonly ManifestObject[], opts: LintOptions): SelectorTargets {
  const written = (o: ManifestObject) => o.namespace ?? (opts.namespaceGiven ? opts.namespace : undefined);
  const namespaces = new Set([opts.namespace]);
  for (const o of objects) if (o.namespace !== undefined) namespaces.add(o.namespace);
  return {
    services: objects
      .filter((o) => o.kind === 'Service')
      .map((o) => ({ name: o.name, namespace: written(o) })),
    namespaces: [...namespaces],
    workloads: [
      ...new Set(objects.filter((o) => o.kind === 'Rollout' || o.kind === 'Deployment').map((o) => o.name)),
    ],
  };
}

const isTemplate = (o: ManifestObject) =>
  o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate';

/**
 * `canarysim lint` over parsed manifests: every cross-reference resolved among the inputs, every
 * analysis resolved as Argo would create its run (templates, args, placeholders, queries,
 * conditions) and judged, and a static timeline per Rollout. Pure: no I/O.
 */
export function lintManifests(objects: readonly ManifestObject[], opts: LintOptions): LintResult {
  const findings: Finding[] = (opts.issues ?? []).map(manifestFinding);
  const map = new Map<string, ManifestObject>();
  const nsOf = (o: ManifestObject) => (o.namespaced ? (o.namespace ?? opts.namespace) : undefined);
  const counts: Record<string, number> = {};
  for (const o of objects) {
    counts[o.kind] = (counts[o.kind] ?? 0) + 1;
    // A built-in app asked for what is not simulated (podinfo --backend-url): a run refuses it.
    for (const u of unsupportedContainers(o)) findings.push(findingAt('not-simulated', u.node, u.message));
    const k = objectKey(o.kind, nsOf(o), o.name);
    const prev = map.get(k);
    // The same object twice (two overlays sharing a base) is applied twice, harmlessly.
    if (prev && JSON.stringify(prev.raw) === JSON.stringify(o.raw)) continue;
    if (prev)
      findings.push(
        findingAt(
          'duplicate-object',
          o.node.child('metadata').child('name'),
          `also defined, differently, at ${formatPos(prev.node.child('metadata').child('name').pos())}${nsOf(o) ? ` (namespace ${nsOf(o)})` : ''}: applied together, this one replaces it (lint separate environments in separate runs)`,
        ),
      );
    map.set(k, o);
  }
  const known: Known = { objects: map, missing: 'inputs' };
  const ctx: AnalysisContext = {
    argo: opts.argo ?? DEFAULT_ARGO_PROFILE,
    scrape: opts.scrape ?? { ms: DEFAULT_WORLD_OPTIONS.scrapeIntervalMs, source: "canarysim's default" },
    targets: selectorTargets(objects, opts),
  };
  const used = new Set<TemplateObject>();
  const timelines: RolloutTimeline[] = [];
  const untimed: UntimedRollout[] = [];
  for (const o of objects) {
    if (o.kind === 'Ingress')
      findings.push(...checkIngressReferences(o as ManifestObject<string, IngressSpec>, nsOf(o)!, known));
    if (o.kind !== 'Rollout') continue;
    const ro = o as RolloutObject;
    const ns = nsOf(o)!;
    const refs = checkRolloutReferences(ro, ns, known, 'sentinel');
    findings.push(...refs.findings);
    for (const use of refs.analyses) {
      for (const t of use.templates) used.add(t.template);
      findings.push(...checkAnalysisUse(use, ctx));
    }
    const workload =
      ro.spec.workloadRef && lookup<DeploymentSpec>(known, 'Deployment', ns, ro.spec.workloadRef.name);
    // A timeline of what was only partly read would be a guess: say so instead.
    const reason = ro.partial
      ? 'it could not be read whole (see the findings above)'
      : refs.analyses.some((u) => u.partial)
        ? 'an AnalysisTemplate it uses could not be read whole (see the findings above)'
        : workload?.partial
          ? `its workload Deployment ${JSON.stringify(workload.name)} could not be read whole (see the findings above)`
          : undefined;
    if (reason) {
      untimed.push({ rollout: ro.name, namespace: ns, reason });
      continue;
    }
    const template = ro.spec.template ?? workload?.spec.template;
    const readiness = podReadiness(
      template || undefined,
      ro.spec.minReadySeconds,
      ro.spec.strategy.canary?.trafficRouting !== undefined,
      opts.podTimings,
    );
    const tl = buildTimeline({ name: ro.name, namespace: ns, spec: ro.spec }, refs.analyses, readiness);
    timelines.push(tl);
    findings.push(...checkTimeline(ro, tl));
    if (opts.rate) {
      const advice = checkSampleSize(ro.spec, tl, refs.analyses, opts.rate, ctx.scrape.ms);
      if (advice.rows.length > 0) tl.sampleSize = { rate: opts.rate, rows: advice.rows };
      findings.push(...advice.findings);
    }
  }
  // Templates no Rollout here uses: checked on their own, required args standing in as unknowns.
  for (const o of objects) {
    if (!isTemplate(o) || o.partial || used.has(o as TemplateObject)) continue;
    const t = o as TemplateObject;
    const ref = { templateName: t.name, clusterScope: t.kind === 'ClusterAnalysisTemplate' };
    const analysis = { templates: [ref], args: [], startingStep: 0, dryRun: [], measurementRetention: [] };
    const use = resolveAnalysis(
      'template',
      t.node,
      analysis,
      nsOf(t) ?? opts.namespace,
      known,
      'sentinel',
      findings,
      undefined,
      [{ ref, refNode: t.node }],
    );
    findings.push(...checkAnalysisUse(use, ctx));
  }
  return { findings: sortFindings(findings), timelines, untimed, counts };
}
