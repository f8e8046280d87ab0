import type {
  BlueGreenStrategy,
  CanaryStep,
  CanaryStrategy,
  IntOrPercent,
  PodMetadata,
  RolloutSpec,
} from '../../rollout/index.js';
import { MAX_INT32, replicaCount } from '../limits.js';
import type { ManifestNode } from '../ManifestNode.js';
import { parseSelector } from './deployment.js';
import { parsePodTemplate } from './podTemplate.js';
import { rolloutAnalysis } from './rolloutAnalysis.js';
import { parseStep } from './rolloutSteps.js';
import { NO_ROUTING, parseTrafficRouting, UNKNOWN_ROUTING, type RoutingFacts } from './trafficRouting.js';

function intOrPercent(n: ManifestNode): IntOrPercent {
  if (typeof n.value === 'number') return n.int({ min: 0, max: MAX_INT32 });
  const s = n.str();
  if (!/^\d+%$/.test(s))
    throw n.error(`invalid value ${JSON.stringify(s)}: expected an integer or a percentage such as "25%"`);
  return s;
}

/** `canaryMetadata` and its kin: labels and annotations put on the pods while they have that role. */
function podMetadata(n: ManifestNode): PodMetadata | undefined {
  if (!n.exists) return undefined;
  return n.guard(
    () => {
      n.only(['labels', 'annotations']);
      const m = (k: string) => (n.child(k).exists ? n.guard(() => n.child(k).stringMap(), {}) : {});
      return { labels: m('labels'), annotations: m('annotations') };
    },
    { labels: {}, annotations: {} },
  );
}

/** Argo's `ValidateRolloutStrategyAntiAffinity`. */
function antiAffinity(n: ManifestNode): void {
  if (!n.exists) return;
  n.only([
    'preferredDuringSchedulingIgnoredDuringExecution',
    'requiredDuringSchedulingIgnoredDuringExecution',
  ]);
  const pref = n.child('preferredDuringSchedulingIgnoredDuringExecution');
  const req = n.child('requiredDuringSchedulingIgnoredDuringExecution');
  if (pref.exists === req.exists) n.report(n.error('AntiAffinity must have exactly one strategy listed'));
  if (pref.exists) {
    pref.only(['weight']);
    const w = pref.guard(() => pref.req('weight').int(), 1);
    if (w < 1 || w > 100)
      n.report(
        pref
          .child('weight')
          .errorAs(`${n.field}.weight`, `AntiAffinity weight must be between 1-100 (got ${w})`),
      );
  }
}

const CANARY_FIELDS = [
  'canaryService',
  'stableService',
  'canaryMetadata',
  'stableMetadata',
  'steps',
  'trafficRouting',
  'analysis',
  'maxSurge',
  'maxUnavailable',
  'scaleDownDelaySeconds',
  'abortScaleDownDelaySeconds',
  'dynamicStableScale',
  'minPodsPerReplicaSet',
  'replicaProgressThreshold',
  'antiAffinity',
];

function canary(n: ManifestNode): CanaryStrategy {
  n.only(CANARY_FIELDS, ['pingPong', 'scaleDownDelayRevisionLimit']);
  const canaryService = n.guard(() => n.optStr('canaryService'), undefined) || undefined;
  const stableService = n.guard(() => n.optStr('stableService'), undefined) || undefined;
  const tr = n.child('trafficRouting');
  let trafficRouting: CanaryStrategy['trafficRouting'];
  let facts: RoutingFacts = NO_ROUTING;
  if (tr.exists) {
    const r = n.guard(() => parseTrafficRouting(tr, n), undefined);
    if (r) ({ routing: trafficRouting, facts } = r);
    else facts = UNKNOWN_ROUTING;
  }
  const stepsNode = n.child('steps');
  // A step that cannot be read stands in as a pause, keeping the numbering of the others (lint).
  const steps: CanaryStep[] = stepsNode.exists
    ? stepsNode.list().map((s) => s.guard(() => parseStep(s, facts), { kind: 'pause' }))
    : [];
  const surgeNode = n.child('maxSurge');
  const unavNode = n.child('maxUnavailable');
  const maxSurge = surgeNode.exists ? n.guard(() => intOrPercent(surgeNode), '25%') : '25%';
  const maxUnavailable = unavNode.exists ? n.guard(() => intOrPercent(unavNode), '25%') : '25%';
  const isZero = (v: IntOrPercent) => v === 0 || v === '0%';
  if (isZero(maxSurge) && isZero(maxUnavailable))
    n.report(surgeNode.error('MaxSurge and MaxUnavailable both can not be zero'));
  if (canaryService !== undefined && canaryService === stableService)
    n.report(
      n
        .child('stableService')
        .error(
          'This rollout uses the same service for the stable and canary services, but two different services are required.',
        ),
    );
  let analysis: CanaryStrategy['analysis'];
  const an = n.child('analysis');
  if (an.exists) {
    analysis = n.guard(() => rolloutAnalysis(an, true), undefined);
    if (analysis && steps.length > 0 && analysis.startingStep > steps.length)
      n.report(
        an
          .child('startingStep')
          .error(
            `invalid value ${analysis.startingStep}: expected at most the number of steps (${steps.length})`,
          ),
      );
  }
  const routed = facts.present;
  const sdd = n.child('scaleDownDelaySeconds');
  const dss = n.child('dynamicStableScale');
  const dynamicStableScale = dss.exists ? n.guard(() => dss.bool(), false) : false;
  // Argo's validation: these two only with traffic routing, and not together.
  if (!routed && sdd.exists)
    n.report(sdd.error('Canary scaleDownDelaySeconds can only be used with traffic routing'));
  if (!routed && dynamicStableScale)
    n.report(dss.error('Canary dynamicStableScale can only be used with traffic routing'));
  if (routed && dynamicStableScale && sdd.exists)
    n.report(dss.error('Canary dynamicStableScale cannot be used with scaleDownDelaySeconds'));
  // abortScaleDownDelaySeconds and minPodsPerReplicaSet: Argo accepts them on a basic canary and
  // ignores them there (they only act with traffic routing), as the controllers do.
  const int = (k: string, dflt: number | undefined) =>
    n.child(k).exists ? n.guard(() => n.child(k).int({ min: 0, max: MAX_INT32 }), dflt) : dflt;
  let replicaProgressThreshold: CanaryStrategy['replicaProgressThreshold'];
  const rpt = n.child('replicaProgressThreshold');
  if (rpt.exists)
    replicaProgressThreshold = n.guard(() => {
      rpt.only(['type', 'value']);
      const type = rpt.req('type').str();
      if (type !== 'Percent' && type !== 'Pods')
        throw rpt.child('type').error(`invalid value ${JSON.stringify(type)}: expected Percent or Pods`);
      return { type, value: rpt.req('value').int({ min: 0, max: type === 'Percent' ? 100 : undefined }) };
    }, undefined);
  n.guard(() => antiAffinity(n.child('antiAffinity')), undefined);
  const canaryMetadata = podMetadata(n.child('canaryMetadata'));
  const stableMetadata = podMetadata(n.child('stableMetadata'));
  return {
    canaryService,
    stableService,
    ...(canaryMetadata ? { canaryMetadata } : {}),
    ...(stableMetadata ? { stableMetadata } : {}),
    maxSurge,
    maxUnavailable,
    steps,
    trafficRouting,
    analysis,
    scaleDownDelaySeconds: dynamicStableScale ? 0 : (int('scaleDownDelaySeconds', 30) ?? 30),
    abortScaleDownDelaySeconds: int('abortScaleDownDelaySeconds', 30) ?? 30,
    dynamicStableScale,
    minPodsPerReplicaSet: int('minPodsPerReplicaSet', undefined),
    replicaProgressThreshold,
  };
}

function blueGreen(n: ManifestNode, revisionHistoryLimit: number): BlueGreenStrategy {
  n.only(
    [
      'activeService',
      'previewService',
      'previewReplicaCount',
      'autoPromotionEnabled',
      'autoPromotionSeconds',
      'prePromotionAnalysis',
      'postPromotionAnalysis',
      'scaleDownDelaySeconds',
      'abortScaleDownDelaySeconds',
      'maxUnavailable',
      'antiAffinity',
      'previewMetadata',
      'activeMetadata',
    ],
    ['scaleDownDelayRevisionLimit'],
  );
  const activeService = n.req('activeService').nonEmptyStr();
  const previewService = n.guard(() => n.optStr('previewService'), undefined);
  if (previewService !== undefined && previewService === activeService)
    n.report(
      n
        .child('activeService')
        .error(
          'This rollout uses the same service for the active and preview services, but two different services are required.',
        ),
    );
  const sdrl = n.child('scaleDownDelayRevisionLimit');
  if (sdrl.exists && typeof sdrl.value === 'number' && sdrl.value > revisionHistoryLimit)
    n.report(
      sdrl.error(
        `This rollout's revision history limit can not be smaller than the rollout's scale down limit (${revisionHistoryLimit} < ${sdrl.value})`,
      ),
    );
  const int = (k: string, dflt: number | undefined) =>
    n.child(k).exists ? n.guard(() => n.child(k).int({ min: 0, max: MAX_INT32 }), dflt) : dflt;
  const ape = n.child('autoPromotionEnabled');
  const an = (k: string) =>
    n.child(k).exists ? n.guard(() => rolloutAnalysis(n.child(k), false), undefined) : undefined;
  const unav = n.child('maxUnavailable');
  n.guard(() => antiAffinity(n.child('antiAffinity')), undefined);
  const previewMetadata = podMetadata(n.child('previewMetadata'));
  const activeMetadata = podMetadata(n.child('activeMetadata'));
  return {
    activeService,
    previewService,
    previewReplicaCount: n.child('previewReplicaCount').exists
      ? n.guard(() => replicaCount(n.child('previewReplicaCount')), undefined)
      : undefined,
    autoPromotionEnabled: ape.exists ? n.guard(() => ape.bool(), true) : true,
    autoPromotionSeconds: int('autoPromotionSeconds', 0) ?? 0,
    prePromotionAnalysis: an('prePromotionAnalysis'),
    postPromotionAnalysis: an('postPromotionAnalysis'),
    scaleDownDelaySeconds: int('scaleDownDelaySeconds', 30) ?? 30,
    abortScaleDownDelaySeconds: int('abortScaleDownDelaySeconds', 30) ?? 30,
    maxUnavailable: unav.exists ? n.guard(() => intOrPercent(unav), '25%') : '25%',
    ...(previewMetadata ? { previewMetadata } : {}),
    ...(activeMetadata ? { activeMetadata } : {}),
  };
}

/** `workloadRef`: a Deployment (Argo also takes a ReplicaSet or PodTemplate: not simulated). */
function workloadRef(w: ManifestNode): NonNullable<RolloutSpec['workloadRef']> {
  w.only(['apiVersion', 'kind', 'name', 'scaleDown']);
  const kind = w.req('kind').str();
  if (kind !== 'Deployment')
    throw w.child('kind').notSimulated(`workloadRef kind ${JSON.stringify(kind)} (expected Deployment)`);
  const scaleDown = w.optStr('scaleDown') ?? 'never';
  if (!['never', 'onsuccess', 'progressively'].includes(scaleDown))
    throw w
      .child('scaleDown')
      .error(`invalid value ${JSON.stringify(scaleDown)}: expected never, onsuccess or progressively`);
  return {
    apiVersion: w.optStr('apiVersion') ?? 'apps/v1',
    kind: 'Deployment',
    name: w.req('name').nonEmptyStr(),
    scaleDown: scaleDown as 'never',
  };
}

/**
 * argoproj.io/v1alpha1 Rollout (the fields of spec/argo-rollouts.md §1 that canarysim
 * simulates), validated as Argo's `ValidateRolloutSpec` does, with its messages.
 */
export function parseRollout(spec: ManifestNode): RolloutSpec {
  spec.only(
    [
      'replicas',
      'selector',
      'template',
      'workloadRef',
      'strategy',
      'minReadySeconds',
      'revisionHistoryLimit',
      'paused',
      'progressDeadlineSeconds',
      'progressDeadlineAbort',
    ],
    ['restartAt', 'rollbackWindow', 'analysis'],
  );
  const replicasNode = spec.child('replicas');
  const replicas = spec.guard(() => (replicasNode.exists ? replicaCount(replicasNode) : 1), 1);
  const t = spec.child('template');
  const w = spec.child('workloadRef');
  if (!t.exists && !w.exists) throw spec.error('expected exactly one of template or workloadRef');
  if (t.exists && w.exists) spec.report(t.error('template must be empty for workload reference rollout'));
  const template = t.exists ? spec.guard(() => parsePodTemplate(t), undefined) : undefined;
  const workload = w.exists ? spec.guard(() => workloadRef(w), undefined) : undefined;
  const sel = spec.child('selector');
  let selector: Record<string, string> = {};
  let selectorFromWorkload = false;
  if (sel.exists) {
    selector = spec.guard(() => parseSelector(sel), {});
    if (Object.keys(selector).length === 0 && !sel.child('matchExpressions').exists)
      spec.report(sel.error('empty selector is invalid for deployment'));
  } else if (w.exists) {
    // Argo lets a workloadRef Rollout omit its selector: the Deployment's is used.
    selectorFromWorkload = true;
  } else {
    spec.report(sel.error("Rollout has missing field '.spec.selector'"));
  }
  if (template && !w.exists)
    for (const [k, v] of Object.entries(selector))
      if (template.labels[k] !== v) {
        spec.report(t.error(`\`selector\` does not match template \`labels\` (${k}=${v})`));
        break;
      }
  const paused = spec.child('paused');
  const pda = spec.child('progressDeadlineAbort');
  const progressDeadlineSeconds = spec.guard(
    () => spec.optInt('progressDeadlineSeconds', { min: 1, max: MAX_INT32 }) ?? 600,
    600,
  );
  const minReadySeconds = spec.guard(
    () => spec.optInt('minReadySeconds', { min: 0, max: MAX_INT32 }) ?? 0,
    0,
  );
  if (progressDeadlineSeconds <= minReadySeconds)
    spec.report(
      spec
        .child('progressDeadlineSeconds')
        .error(
          `must be greater than minReadySeconds (progressDeadlineSeconds ${progressDeadlineSeconds}, minReadySeconds ${minReadySeconds})`,
        ),
    );
  const revisionHistoryLimit = spec.guard(
    () => spec.optInt('revisionHistoryLimit', { min: 0, max: MAX_INT32 }) ?? 10,
    10,
  );
  const strategy = spec.req('strategy');
  strategy.only(['canary', 'blueGreen']);
  const c = strategy.child('canary');
  const b = strategy.child('blueGreen');
  if (c.exists && b.exists) throw strategy.error('Multiple Strategies can not be listed');
  if (!c.exists && !b.exists)
    throw strategy.error("Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'");
  return {
    replicas,
    selector,
    ...(selectorFromWorkload ? { selectorFromWorkload } : {}),
    template: w.exists ? undefined : template,
    workloadRef: workload,
    minReadySeconds,
    revisionHistoryLimit,
    paused: paused.exists ? spec.guard(() => paused.bool(), false) : false,
    progressDeadlineSeconds,
    progressDeadlineAbort: pda.exists ? spec.guard(() => pda.bool(), false) : false,
    strategy: c.exists ? { canary: canary(c) } : { blueGreen: blueGreen(b, revisionHistoryLimit) },
  };
}
