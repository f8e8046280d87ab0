import { parsePauseDurationSeconds } from '../../duration.js';
import type {
  AnalysisArg,
  BlueGreenStrategy,
  CanaryStep,
  CanaryStrategy,
  IntOrPercent,
  MirrorRouteMatch,
  RetentionRule,
  RolloutAnalysis,
  RolloutSpec,
  StringMatch,
} from '../../rollout/index.js';
import type { ManifestNode } from '../ManifestNode.js';
import { compileGoRegex } from '../../analysis/condition/goRegex.js';
import { parseSelector } from './deployment.js';
import { checkRe2 } from './virtualService.js';
import { parsePodTemplate } from './podTemplate.js';

const STEP_KINDS = ['setWeight', 'pause', 'analysis', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute'];
const STEP_NOT_SIMULATED = ['experiment', 'plugin'];

function intOrPercent(n: ManifestNode): IntOrPercent {
  if (typeof n.value === 'number') return n.int({ min: 0 });
  const s = n.str();
  if (!/^\d+%$/.test(s))
    throw n.error(`invalid value ${JSON.stringify(s)}: expected an integer or a percentage such as "25%"`);
  return s;
}

/** An Istio StringMatch: exactly one of exact, regex, prefix. */
function stringMatch(n: ManifestNode): StringMatch {
  n.only(['exact', 'regex', 'prefix']);
  const keys = Object.keys(n.map());
  if (keys.length !== 1) throw n.error('expected exactly one of exact, regex or prefix');
  const k = keys[0] as 'exact' | 'regex' | 'prefix';
  const v = n.child(k).str();
  if (k === 'regex') checkRe2(n.child(k), v);
  return { [k]: v };
}

/** `analysis` of a step, of strategy.canary, or a blue-green pre/post-promotion analysis. */
export function rolloutAnalysis(an: ManifestNode, background: boolean): RolloutAnalysis {
  an.only(
    ['templates', 'args', 'dryRun', 'measurementRetention', ...(background ? ['startingStep'] : [])],
    ['analysisRunMetadata'],
  );
  const templates = an
    .req('templates')
    .list()
    .map((t) => {
      t.only(['templateName', 'clusterScope']);
      const cs = t.child('clusterScope');
      return {
        templateName: t.req('templateName').nonEmptyStr(),
        clusterScope: cs.exists ? cs.bool() : false,
      };
    });
  if (templates.length === 0) throw an.child('templates').error('expected at least one template');
  const args = an.child('args').exists
    ? an
        .child('args')
        .list()
        .map((a): AnalysisArg => {
          a.only(['name', 'value', 'valueFrom']);
          const name = a.req('name').nonEmptyStr();
          const v = a.child('value');
          const vf = a.child('valueFrom');
          if (v.exists && vf.exists) throw a.error('expected one of value or valueFrom, not both');
          if (!vf.exists) return { name, value: v.exists ? v.str() : undefined };
          vf.only(['podTemplateHashValue', 'fieldRef']);
          const keys = Object.keys(vf.map());
          if (keys.length !== 1) throw vf.error('expected exactly one of podTemplateHashValue or fieldRef');
          if (keys[0] === 'podTemplateHashValue') {
            const h = vf.child('podTemplateHashValue').str();
            if (h !== 'Stable' && h !== 'Latest')
              throw vf
                .child('podTemplateHashValue')
                .error(`invalid value ${JSON.stringify(h)}: expected Stable or Latest`);
            return { name, valueFrom: { podTemplateHashValue: h } };
          }
          const fr = vf.child('fieldRef');
          fr.only(['fieldPath']);
          return { name, valueFrom: { fieldRef: { fieldPath: fr.req('fieldPath').nonEmptyStr() } } };
        })
    : [];
  const rules = (key: string, withLimit: boolean) =>
    an.child(key).exists
      ? an
          .child(key)
          .list()
          .map((r) => {
            r.only(withLimit ? ['metricName', 'limit'] : ['metricName']);
            const metricName = r.req('metricName').nonEmptyStr();
            const re = compileGoRegex(metricName);
            if (typeof re === 'string')
              throw r.child('metricName').error(`invalid regex ${JSON.stringify(metricName)}: ${re}`);
            return withLimit ? { metricName, limit: r.optInt('limit', { min: 0 }) ?? 0 } : { metricName };
          })
      : [];
  return {
    templates,
    args,
    startingStep: background ? (an.optInt('startingStep', { min: 0 }) ?? 0) : 0,
    dryRun: rules('dryRun', false),
    measurementRetention: rules('measurementRetention', true) as RetentionRule[],
  };
}

function step(n: ManifestNode): CanaryStep {
  const keys = Object.keys(n.map());
  if (keys.length !== 1) {
    throw n.error(
      `Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause (found ${keys.length === 0 ? 'none' : keys.join(', ')})`,
    );
  }
  n.only(STEP_KINDS, STEP_NOT_SIMULATED);
  const kind = keys[0]!;
  if (kind === 'setWeight')
    return { kind: 'setWeight', setWeight: n.child('setWeight').int({ min: 0, max: 100 }) };
  if (kind === 'analysis') return { kind: 'analysis', analysis: rolloutAnalysis(n.child('analysis'), false) };
  if (kind === 'setCanaryScale') {
    const c = n.child('setCanaryScale');
    c.only(['replicas', 'weight', 'matchTrafficWeight']);
    const set = Object.keys(c.map());
    if (set.length !== 1)
      throw c.error('SetCanaryScale must have exactly one of replicas, weight or matchTrafficWeight set');
    if (set[0] === 'replicas')
      return { kind: 'setCanaryScale', replicas: c.child('replicas').int({ min: 0 }) };
    if (set[0] === 'weight') return { kind: 'setCanaryScale', weight: c.child('weight').int({ min: 0 }) };
    if (!c.child('matchTrafficWeight').bool())
      throw c.child('matchTrafficWeight').error('expected matchTrafficWeight: true (or replicas / weight)');
    return { kind: 'setCanaryScale', matchTrafficWeight: true };
  }
  if (kind === 'setHeaderRoute') {
    const h = n.child('setHeaderRoute');
    h.only(['name', 'match']);
    const name = h.req('name').nonEmptyStr();
    const m = h.child('match');
    if (!m.exists) return { kind: 'setHeaderRoute', name };
    const match = m.list().map((x) => {
      x.only(['headerName', 'headerValue']);
      return {
        headerName: x.req('headerName').nonEmptyStr(),
        headerValue: stringMatch(x.req('headerValue')),
      };
    });
    return { kind: 'setHeaderRoute', name, match };
  }
  if (kind === 'setMirrorRoute') {
    const h = n.child('setMirrorRoute');
    h.only(['name', 'match', 'percentage']);
    const name = h.req('name').nonEmptyStr();
    const percentage = h.optInt('percentage', { min: 0, max: 100 }) ?? 100;
    const m = h.child('match');
    if (!m.exists) return { kind: 'setMirrorRoute', name, percentage };
    const match = m.list().map((x): MirrorRouteMatch => {
      x.only(['method', 'path', 'headers']);
      const out: MirrorRouteMatch = {};
      if (x.child('method').exists) out.method = stringMatch(x.child('method'));
      if (x.child('path').exists) out.path = stringMatch(x.child('path'));
      if (x.child('headers').exists) {
        const hs = x.child('headers');
        out.headers = Object.fromEntries(Object.keys(hs.map()).map((k) => [k, stringMatch(hs.child(k))]));
      }
      return out;
    });
    return { kind: 'setMirrorRoute', name, percentage, match };
  }
  const p = n.child('pause');
  if (!p.exists) return { kind: 'pause' };
  p.only(['duration']);
  const d = p.child('duration');
  if (!d.exists) return { kind: 'pause' };
  if (typeof d.value !== 'number' && typeof d.value !== 'string')
    throw d.error('expected an integer number of seconds or a duration string such as "30s", "5m", "1h30m"');
  const secs = parsePauseDurationSeconds(d.value);
  if (secs === undefined || secs < 0) {
    throw d.error(
      `invalid duration ${JSON.stringify(d.value)}: expected an integer number of seconds or a Go duration such as 30s, 5m or 1h30m (Argo: Duration needs to be greater than 0)`,
    );
  }
  return { kind: 'pause', durationSeconds: secs, raw: d.value };
}

function canary(n: ManifestNode): CanaryStrategy {
  n.only(
    [
      'canaryService',
      'stableService',
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
    ],
    ['canaryMetadata', 'stableMetadata', 'pingPong', 'scaleDownDelayRevisionLimit'],
  );
  const canaryService = n.optStr('canaryService');
  const stableService = n.optStr('stableService');
  const stepsNode = n.child('steps');
  const steps = stepsNode.exists ? stepsNode.list().map(step) : [];
  const surgeNode = n.child('maxSurge');
  const unavNode = n.child('maxUnavailable');
  const maxSurge = surgeNode.exists ? intOrPercent(surgeNode) : '25%';
  const maxUnavailable = unavNode.exists ? intOrPercent(unavNode) : '25%';
  const isZero = (v: IntOrPercent) => v === 0 || v === '0%';
  if (surgeNode.exists && unavNode.exists && isZero(maxSurge) && isZero(maxUnavailable)) {
    throw unavNode.error('MaxSurge and MaxUnavailable both can not be zero');
  }
  let trafficRouting: CanaryStrategy['trafficRouting'];
  const tr = n.child('trafficRouting');
  if (tr.exists) {
    tr.only(
      ['istio', 'maxTrafficWeight', 'managedRoutes'],
      ['nginx', 'alb', 'smi', 'ambassador', 'appMesh', 'traefik', 'apisix', 'plugins'],
    );
    const istio = tr.req('istio');
    istio.only(['virtualService', 'virtualServices'], ['destinationRule']);
    const one = istio.child('virtualService');
    const many = istio.child('virtualServices');
    if (one.exists === many.exists)
      throw istio.error('expected exactly one of virtualService or virtualServices');
    const refs = (one.exists ? [one] : many.list()).map((v) => {
      v.only(['name', 'routes'], ['tlsRoutes', 'tcpRoutes']);
      const routes = v.child('routes').exists
        ? v
            .child('routes')
            .list()
            .map((r) => r.nonEmptyStr())
        : [];
      return { name: v.req('name').nonEmptyStr(), routes };
    });
    const mtw = tr.optInt('maxTrafficWeight', { min: 1 });
    if (mtw !== undefined && mtw !== 100)
      throw tr
        .child('maxTrafficWeight')
        .error(`not supported by canarysim: maxTrafficWeight ${mtw} (only 100)`);
    if (!canaryService || !stableService)
      throw tr.error('Canary service and Stable service must to be set to use Traffic Routing');
    const managedRoutes: string[] = [];
    if (tr.child('managedRoutes').exists) {
      for (const r of tr.child('managedRoutes').list()) {
        r.only(['name']);
        const name = r.req('name').nonEmptyStr();
        if (managedRoutes.includes(name))
          throw r.child('name').error(`duplicate managed route name ${JSON.stringify(name)}`);
        managedRoutes.push(name);
      }
    }
    trafficRouting = { istio: { virtualServices: refs }, maxTrafficWeight: 100, managedRoutes };
  }
  if (canaryService !== undefined && canaryService === stableService) {
    throw n
      .child('stableService')
      .error(
        'This rollout uses the same service for the stable and canary services, but two different services are required.',
      );
  }
  // Steps that need traffic routing, and managed routes that must be declared.
  steps.forEach((st, i) => {
    const at = stepsNode.child(i);
    if (st.kind === 'setCanaryScale' && !trafficRouting)
      throw at.child('setCanaryScale').error('SetCanaryScale requires TrafficRouting to be set');
    if (st.kind === 'setHeaderRoute' || st.kind === 'setMirrorRoute') {
      if (!trafficRouting) throw at.child(st.kind).error(`${st.kind} requires TrafficRouting to be set`);
      if (!trafficRouting.managedRoutes.includes(st.name))
        throw at
          .child(st.kind)
          .child('name')
          .error(
            `${st.kind} name ${JSON.stringify(st.name)} is not in trafficRouting.managedRoutes (${trafficRouting.managedRoutes.join(', ') || 'none'})`,
          );
    }
  });
  let analysis: CanaryStrategy['analysis'];
  const an = n.child('analysis');
  if (an.exists) {
    analysis = rolloutAnalysis(an, true);
    if (steps.length > 0 && analysis.startingStep > steps.length)
      throw an
        .child('startingStep')
        .error(
          `invalid value ${analysis.startingStep}: expected at most the number of steps (${steps.length})`,
        );
  }
  const trafficOnly = (k: string) => {
    if (n.child(k).exists && !trafficRouting)
      throw n.child(k).error(`${k} can only be used with traffic routing`);
  };
  const delay = (k: string) => {
    trafficOnly(k);
    return n.optInt(k, { min: 0 }) ?? 30;
  };
  const dss = n.child('dynamicStableScale');
  const dynamicStableScale = dss.exists ? dss.bool() : false;
  if (dynamicStableScale) {
    if (!trafficRouting) throw dss.error('Canary dynamicStableScale can only be used with traffic routing');
    if (n.child('scaleDownDelaySeconds').exists)
      throw n
        .child('scaleDownDelaySeconds')
        .error('Canary dynamicStableScale cannot be used with scaleDownDelaySeconds');
  }
  trafficOnly('minPodsPerReplicaSet');
  const minPods = n.optInt('minPodsPerReplicaSet', { min: 0 });
  let replicaProgressThreshold: CanaryStrategy['replicaProgressThreshold'];
  const rpt = n.child('replicaProgressThreshold');
  if (rpt.exists) {
    rpt.only(['type', 'value']);
    const type = rpt.req('type').str();
    if (type !== 'Percent' && type !== 'Pods')
      throw rpt.child('type').error(`invalid value ${JSON.stringify(type)}: expected Percent or Pods`);
    const value = rpt.req('value').int({ min: 0, max: type === 'Percent' ? 100 : undefined });
    replicaProgressThreshold = { type, value };
  }
  return {
    canaryService,
    stableService,
    maxSurge,
    maxUnavailable,
    steps,
    trafficRouting,
    analysis,
    scaleDownDelaySeconds: dynamicStableScale ? 0 : delay('scaleDownDelaySeconds'),
    abortScaleDownDelaySeconds: delay('abortScaleDownDelaySeconds'),
    dynamicStableScale,
    minPodsPerReplicaSet: minPods,
    replicaProgressThreshold,
  };
}

function blueGreen(n: ManifestNode): BlueGreenStrategy {
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
    ],
    ['scaleDownDelayRevisionLimit', 'previewMetadata', 'activeMetadata'],
  );
  const activeService = n.req('activeService').nonEmptyStr();
  const previewService = n.optStr('previewService');
  if (previewService !== undefined && previewService === activeService)
    throw n
      .child('activeService')
      .error(
        'This rollout uses the same service for the active and preview services, but two different services are required.',
      );
  const ape = n.child('autoPromotionEnabled');
  const autoPromotionEnabled = ape.exists ? ape.bool() : true;
  const autoPromotionSeconds = n.optInt('autoPromotionSeconds', { min: 0 }) ?? 0;
  const an = (k: string) => (n.child(k).exists ? rolloutAnalysis(n.child(k), false) : undefined);
  const unav = n.child('maxUnavailable');
  return {
    activeService,
    previewService,
    previewReplicaCount: n.optInt('previewReplicaCount', { min: 0 }),
    autoPromotionEnabled,
    autoPromotionSeconds,
    prePromotionAnalysis: an('prePromotionAnalysis'),
    postPromotionAnalysis: an('postPromotionAnalysis'),
    scaleDownDelaySeconds: n.optInt('scaleDownDelaySeconds', { min: 0 }) ?? 30,
    abortScaleDownDelaySeconds: n.optInt('abortScaleDownDelaySeconds', { min: 0 }) ?? 30,
    maxUnavailable: unav.exists ? intOrPercent(unav) : '25%',
  };
}

/** argoproj.io/v1alpha1 Rollout with the canary strategy (the fields of spec/argo-rollouts.md §1 that canarysim simulates). */
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
  const replicas = spec.optInt('replicas', { min: 0 }) ?? 1;
  const selector = parseSelector(spec.req('selector'));
  const t = spec.child('template');
  const w = spec.child('workloadRef');
  if (t.exists === w.exists) throw spec.error('expected exactly one of template or workloadRef');
  let workloadRef: RolloutSpec['workloadRef'];
  const template = t.exists ? parsePodTemplate(t) : undefined;
  if (w.exists) {
    w.only(['apiVersion', 'kind', 'name', 'scaleDown']);
    const kind = w.req('kind').str();
    if (kind !== 'Deployment')
      throw w
        .child('kind')
        .error(`not supported by canarysim: workloadRef kind ${JSON.stringify(kind)} (expected Deployment)`);
    const scaleDown = w.optStr('scaleDown') ?? 'never';
    if (!['never', 'onsuccess', 'progressively'].includes(scaleDown))
      throw w
        .child('scaleDown')
        .error(`invalid value ${JSON.stringify(scaleDown)}: expected never, onsuccess or progressively`);
    workloadRef = {
      apiVersion: w.optStr('apiVersion') ?? 'apps/v1',
      kind: 'Deployment',
      name: w.req('name').nonEmptyStr(),
      scaleDown: scaleDown as 'never',
    };
  }
  if (template) {
    for (const [k, v] of Object.entries(selector)) {
      if (template.labels[k] !== v)
        throw t.error(`\`selector\` does not match template \`labels\` (${k}=${v})`);
    }
  }
  const strategy = spec.req('strategy');
  strategy.only(['canary', 'blueGreen']);
  const kinds = Object.keys(strategy.map());
  if (kinds.length !== 1) throw strategy.error('expected exactly one of canary or blueGreen');
  const paused = spec.child('paused');
  const pda = spec.child('progressDeadlineAbort');
  const progressDeadlineSeconds = spec.optInt('progressDeadlineSeconds', { min: 1 }) ?? 600;
  const minReadySeconds = spec.optInt('minReadySeconds', { min: 0 }) ?? 0;
  if (progressDeadlineSeconds <= minReadySeconds)
    throw spec
      .child('progressDeadlineSeconds')
      .error(
        `progressDeadlineSeconds (${progressDeadlineSeconds}) must be greater than minReadySeconds (${minReadySeconds})`,
      );
  return {
    replicas,
    selector,
    template,
    workloadRef,
    minReadySeconds,
    revisionHistoryLimit: spec.optInt('revisionHistoryLimit', { min: 0 }) ?? 10,
    paused: paused.exists ? paused.bool() : false,
    progressDeadlineSeconds,
    progressDeadlineAbort: pda.exists ? pda.bool() : false,
    strategy:
      kinds[0] === 'canary'
        ? { canary: canary(strategy.req('canary')) }
        : { blueGreen: blueGreen(strategy.req('blueGreen')) },
  };
}
