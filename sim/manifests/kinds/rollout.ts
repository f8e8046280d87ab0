import { parsePauseDurationSeconds } from '../../duration.js';
import type { CanaryStep, CanaryStrategy, IntOrPercent, RolloutSpec } from '../../rollout/index.js';
import type { ManifestNode } from '../ManifestNode.js';
import { parseSelector } from './deployment.js';
import { parsePodTemplate } from './podTemplate.js';

const STEP_KINDS = ['setWeight', 'pause'];
const STEP_NOT_SIMULATED = [
  'experiment',
  'setCanaryScale',
  'analysis',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
];

function intOrPercent(n: ManifestNode): IntOrPercent {
  if (typeof n.value === 'number') return n.int({ min: 0 });
  const s = n.str();
  if (!/^\d+%$/.test(s))
    throw n.error(`invalid value ${JSON.stringify(s)}: expected an integer or a percentage such as "25%"`);
  return s;
}

function step(n: ManifestNode): CanaryStep {
  const keys = Object.keys(n.map());
  if (keys.length !== 1) {
    throw n.error(
      'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
    );
  }
  n.only(STEP_KINDS, STEP_NOT_SIMULATED);
  if (keys[0] === 'setWeight')
    return { kind: 'setWeight', setWeight: n.child('setWeight').int({ min: 0, max: 100 }) };
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
    ],
    [
      'dynamicStableScale',
      'minPodsPerReplicaSet',
      'replicaProgressThreshold',
      'canaryMetadata',
      'stableMetadata',
      'pingPong',
      'antiAffinity',
      'scaleDownDelayRevisionLimit',
    ],
  );
  const canaryService = n.optStr('canaryService');
  const stableService = n.optStr('stableService');
  const steps = n.child('steps').exists ? n.child('steps').list().map(step) : [];
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
      ['istio', 'maxTrafficWeight'],
      ['nginx', 'alb', 'smi', 'ambassador', 'appMesh', 'traefik', 'apisix', 'plugins', 'managedRoutes'],
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
    trafficRouting = { istio: { virtualServices: refs }, maxTrafficWeight: 100 };
  }
  if (canaryService !== undefined && canaryService === stableService) {
    throw n.child('stableService').error('Canary service and stable service cannot be the same');
  }
  let analysis: CanaryStrategy['analysis'];
  const an = n.child('analysis');
  if (an.exists) {
    an.only(['templates', 'args', 'startingStep'], ['dryRun', 'measurementRetention', 'analysisRunMetadata']);
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
    const args = an.child('args').exists
      ? an
          .child('args')
          .list()
          .map((a) => {
            a.only(['name', 'value'], ['valueFrom']);
            const v = a.child('value');
            return { name: a.req('name').nonEmptyStr(), value: v.exists ? v.str() : undefined };
          })
      : [];
    const startingStep = an.optInt('startingStep', { min: 0 }) ?? 0;
    if (steps.length > 0 && startingStep > steps.length)
      throw an
        .child('startingStep')
        .error(`invalid value ${startingStep}: expected at most the number of steps (${steps.length})`);
    analysis = { templates, args, startingStep };
  }
  const delay = (k: string) => {
    const v = n.optInt(k, { min: 0 });
    if (v !== undefined && !trafficRouting)
      throw n.child(k).error(`${k} can only be used with traffic routing`);
    return v ?? 30;
  };
  return {
    canaryService,
    stableService,
    maxSurge,
    maxUnavailable,
    steps,
    trafficRouting,
    analysis,
    scaleDownDelaySeconds: delay('scaleDownDelaySeconds'),
    abortScaleDownDelaySeconds: delay('abortScaleDownDelaySeconds'),
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
    ],
    ['progressDeadlineSeconds', 'progressDeadlineAbort', 'restartAt', 'rollbackWindow', 'analysis'],
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
  strategy.only(['canary'], ['blueGreen']);
  const paused = spec.child('paused');
  return {
    replicas,
    selector,
    template,
    workloadRef,
    minReadySeconds: spec.optInt('minReadySeconds', { min: 0 }) ?? 0,
    revisionHistoryLimit: spec.optInt('revisionHistoryLimit', { min: 0 }) ?? 10,
    paused: paused.exists ? paused.bool() : false,
    progressDeadlineSeconds: 600,
    strategy: { canary: canary(strategy.req('canary')) },
  };
}
