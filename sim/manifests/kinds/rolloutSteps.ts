import { parsePauseDurationSeconds } from '../../../go/duration.js';
import type { CanaryStep, HeaderRouteMatch, MirrorRouteMatch, StringMatch } from '../../rollout/index.js';
import { MAX_INT32, replicaCount } from '../limits.js';
import type { ManifestNode } from '../ManifestNode.js';
import { downwardApiPath, rolloutAnalysis } from './rolloutAnalysis.js';
import type { RoutingFacts } from './trafficRouting.js';
import { checkRe2 } from './virtualService.js';

// Argo's messages (pkg/apis/rollouts/validation/validation.go, v1.9.1), quoted verbatim.
const INVALID_STEP =
  'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause';
const SET_CANARY_SCALE_TRAFFIC = 'SetCanaryScale requires TrafficRouting to be set';
const SET_HEADER_ROUTE_TRAFFIC = 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix';
const SET_MIRROR_ROUTE_TRAFFIC = 'SetMirrorRoute requires TrafficRouting, supports Istio only';
const MATCH_MULTIPLE = 'StringMatch match value must have exactly one of the following: exact, regex, prefix';
const MATCH_MISSED =
  'StringMatch value missed, match value must have one of the following: exact, regex, prefix';
const ALB_EXACT_ONLY = "SetHeaderRoute match value invalid. ALB supports 'exact' value only";
const ROUTE_NOT_MANAGED =
  'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes';
const MANAGED_ROUTES_MISSING =
  "Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'";
const INVALID_ANALYSIS_ARGS =
  'Analyses arguments must refer to valid object metadata supported by downwardAPI';
const DURATION = 'Duration needs to be greater than 0';
const MANAGED_ROUTES_FIELD = 'spec.strategy.canary.trafficRouting.managedRoutes';

/** Argo's `hasMultipleStepsType` allows at most one of these in a step… */
const EXCLUSIVE = ['setWeight', 'pause', 'experiment', 'analysis'];
/** …and any of these beside it (or each other). */
const COMBINABLE = ['setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'];
const SIMULATED = ['setWeight', 'pause', 'analysis', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute'];

/**
 * A StringMatch as Argo reads it (`hasMultipleMatchValues`): the non-empty values among exact,
 * regex and prefix, exactly one of them. The message goes at `at`, the match, as Argo reports it.
 */
function stringMatch(n: ManifestNode, at: ManifestNode): StringMatch {
  if (!n.exists) throw at.error(MATCH_MISSED);
  n.only(['exact', 'regex', 'prefix']);
  const set = (['exact', 'regex', 'prefix'] as const).filter(
    (k) => n.child(k).exists && n.child(k).str() !== '',
  );
  if (set.length > 1) throw at.error(`${MATCH_MULTIPLE} (found ${set.join(', ')})`);
  if (set.length === 0) throw at.error(MATCH_MISSED);
  const k = set[0]!;
  const v = n.child(k).str();
  if (k === 'regex') checkRe2(n.child(k), v);
  return { [k]: v };
}

function setWeight(n: ManifestNode, facts: RoutingFacts): CanaryStep {
  const w = n.int();
  if (w < 0 || w > facts.maxTrafficWeight)
    n.report(n.error(`SetWeight needs to be between 0 and ${facts.maxTrafficWeight} (got ${w})`));
  return { kind: 'setWeight', setWeight: w };
}

function pause(p: ManifestNode): CanaryStep {
  if (!p.exists) return { kind: 'pause' };
  p.only(['duration']);
  const d = p.child('duration');
  if (!d.exists) return { kind: 'pause' };
  if (typeof d.value !== 'number' && typeof d.value !== 'string')
    throw d.error('expected an integer number of seconds or a duration string such as "30s", "5m", "1h30m"');
  const secs = parsePauseDurationSeconds(d.value);
  if (secs !== undefined && secs > MAX_INT32)
    throw d.error(
      `${DURATION} (invalid duration ${JSON.stringify(d.value)}: expected at most ${MAX_INT32} seconds, an int32)`,
    );
  if (secs === undefined || secs < 0)
    throw d.error(
      `${DURATION} (invalid duration ${JSON.stringify(d.value)}: expected an integer number of seconds or a Go duration such as 30s, 5m or 1h30m)`,
    );
  return { kind: 'pause', durationSeconds: secs, raw: d.value };
}

function analysis(n: ManifestNode, step: ManifestNode): CanaryStep {
  const a = rolloutAnalysis(n, false);
  const bad = a.args.find(
    (x) => x.valueFrom && 'fieldRef' in x.valueFrom && !downwardApiPath(x.valueFrom.fieldRef.fieldPath),
  );
  if (bad && bad.valueFrom && 'fieldRef' in bad.valueFrom) {
    const i = a.args.indexOf(bad);
    // Argo names the field `steps[i].analyses`; the place to fix is the arg's fieldPath.
    n.report(
      n
        .child('args')
        .child(i)
        .child('valueFrom')
        .child('fieldRef')
        .child('fieldPath')
        .errorAs(
          `${step.field}.analyses`,
          `${INVALID_ANALYSIS_ARGS} (${JSON.stringify(bad.valueFrom.fieldRef.fieldPath)})`,
        ),
    );
  }
  return { kind: 'analysis', analysis: a };
}

/**
 * setCanaryScale as Argo applies it: `matchTrafficWeight: true` wins, then `replicas`, then
 * `weight`; with none of them the canary follows the set weight. Argo's validation does not
 * require exactly one, so the fields are kept as written and the controller's precedence decides.
 */
function setCanaryScale(c: ManifestNode, facts: RoutingFacts): CanaryStep {
  c.only(['replicas', 'weight', 'matchTrafficWeight']);
  const out: Extract<CanaryStep, { kind: 'setCanaryScale' }> = { kind: 'setCanaryScale' };
  const r = c.guard(
    () => (c.child('replicas').exists ? replicaCount(c.child('replicas')) : undefined),
    undefined,
  );
  const w = c.guard(() => c.optInt('weight', { min: 0, max: 100 }), undefined);
  const m = c.child('matchTrafficWeight').exists
    ? c.guard(() => c.child('matchTrafficWeight').bool(), undefined)
    : undefined;
  if (r !== undefined) out.replicas = r;
  if (w !== undefined) out.weight = w;
  if (m !== undefined) out.matchTrafficWeight = m;
  if (facts.known && !facts.present)
    c.report(c.errorAs('spec.strategy.canary.trafficRouting', `Required value: ${SET_CANARY_SCALE_TRAFFIC}`));
  return out;
}

/** The step's route name must be one of managedRoutes, which must be written. */
function managedRoute(h: ManifestNode, name: string, facts: RoutingFacts): void {
  if (!facts.known || !facts.present) return;
  if (facts.managedRoutes === undefined) {
    h.report(h.errorAs(MANAGED_ROUTES_FIELD, `Required value: ${MANAGED_ROUTES_MISSING}`));
    return;
  }
  if (!facts.managedRoutes.includes(name))
    h.report(
      h
        .child('name')
        .errorAs(
          h.field,
          `${ROUTE_NOT_MANAGED} (${JSON.stringify(name)}; managedRoutes: ${facts.managedRoutes.join(', ') || 'none'})`,
        ),
    );
}

function setHeaderRoute(h: ManifestNode, facts: RoutingFacts): CanaryStep {
  h.only(['name', 'match']);
  const name = h.child('name').exists ? h.child('name').str() : '';
  const r = facts.routers;
  const routed = r.includes('istio') || r.includes('alb') || r.includes('apisix') || r.includes('plugins');
  if (facts.known && !routed) h.report(h.error(SET_HEADER_ROUTE_TRAFFIC));
  const m = h.child('match');
  const match: HeaderRouteMatch[] | undefined = m.exists
    ? m.list().flatMap((x) =>
        x.guard(() => {
          x.only(['headerName', 'headerValue']);
          const headerName = x.req('headerName').nonEmptyStr();
          const hv = x.child('headerValue');
          if (routed && r.includes('alb')) {
            const exact = hv.exists && hv.child('exact').exists ? hv.child('exact').str() : '';
            const other = ['regex', 'prefix'].some(
              (k) => hv.exists && hv.child(k).exists && hv.child(k).str() !== '',
            );
            if (exact === '' || other) throw x.error(ALB_EXACT_ONLY);
          }
          return [{ headerName, headerValue: stringMatch(hv, x) }];
        }, []),
      )
    : undefined;
  managedRoute(h, name, facts);
  return match ? { kind: 'setHeaderRoute', name, match } : { kind: 'setHeaderRoute', name };
}

function setMirrorRoute(h: ManifestNode, facts: RoutingFacts): CanaryStep {
  h.only(['name', 'match', 'percentage']);
  const name = h.req('name').str();
  const routed = facts.routers.includes('istio') || facts.routers.includes('plugins');
  if (facts.known && !routed) h.report(h.error(SET_MIRROR_ROUTE_TRAFFIC));
  const percentage = h.guard(() => h.optInt('percentage', { min: 0, max: 100 }) ?? 100, 100);
  const m = h.child('match');
  const match: MirrorRouteMatch[] | undefined = m.exists
    ? m.list().flatMap((x) =>
        x.guard(() => {
          x.only(['method', 'path', 'headers']);
          const out: MirrorRouteMatch = {};
          if (x.child('method').exists) out.method = stringMatch(x.child('method'), x);
          if (x.child('path').exists) out.path = stringMatch(x.child('path'), x);
          const hs = x.child('headers');
          // Argo passes headers through to Istio, which takes one value or none (presence).
          if (hs.exists)
            out.headers = Object.fromEntries(
              Object.keys(hs.map()).map((k) => {
                const v = hs.child(k);
                if (v.exists && Object.keys(v.map()).length > 0) return [k, stringMatch(v, v)];
                return [k, {}];
              }),
            );
          return [out];
        }, []),
      )
    : undefined;
  managedRoute(h, name, facts);
  return match
    ? { kind: 'setMirrorRoute', name, percentage, match }
    : { kind: 'setMirrorRoute', name, percentage };
}

/**
 * One canary step, checked as Argo's validation checks it: each field on its own, then the
 * combination — at most one of setWeight, pause, experiment, analysis; setCanaryScale,
 * setHeaderRoute, setMirrorRoute and plugin may join them. Argo runs such a combined step as one;
 * canarysim simulates one action per step, so a combination is refused as not simulated (split it).
 * `experiment` and `plugin` are not simulated.
 */
export function parseStep(n: ManifestNode, facts: RoutingFacts): CanaryStep {
  const written = Object.keys(n.map());
  n.only(SIMULATED, ['experiment', 'plugin'], {
    experiment: 'an experiment step (Experiments are not simulated)',
    plugin: 'a step plugin (not simulated)',
  });
  const keys = written.filter((k) => EXCLUSIVE.includes(k) || COMBINABLE.includes(k));
  const parsed = new Map<string, CanaryStep>();
  const read = (k: string, f: () => CanaryStep) => {
    const v = n.guard(() => f(), undefined);
    if (v) parsed.set(k, v);
  };
  for (const k of keys) {
    const c = n.child(k);
    if (k === 'setWeight') read(k, () => setWeight(c, facts));
    else if (k === 'pause') read(k, () => pause(c));
    else if (k === 'analysis') read(k, () => analysis(c, n));
    else if (k === 'setCanaryScale') read(k, () => setCanaryScale(c, facts));
    else if (k === 'setHeaderRoute') read(k, () => setHeaderRoute(c, facts));
    else if (k === 'setMirrorRoute') read(k, () => setMirrorRoute(c, facts));
  }
  const exclusive = keys.filter((k) => EXCLUSIVE.includes(k));
  if (exclusive.length > 1) throw n.error(`${INVALID_STEP} (found ${exclusive.join(', ')})`);
  if (keys.length === 0)
    throw n.error(`${INVALID_STEP} (found ${written.length === 0 ? 'none' : written.join(', ')})`);
  const unsimulated = keys.filter((k) => !SIMULATED.includes(k));
  if (keys.length > 1 && unsimulated.length === 0)
    throw n.notSimulated(
      `a step that sets ${keys.join(' and ')}: Argo applies them as one step, canarysim one per step (split them into consecutive steps)`,
    );
  // experiment / plugin were reported by `only`; a stand-in keeps the step numbering (lint only).
  return parsed.get(keys[0]!) ?? { kind: 'pause' };
}
