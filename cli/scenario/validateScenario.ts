import { isSimulatedPath, parseImage, SILLY_DEMO_REPOSITORY } from '../../app/index.js';
import { unsupportedContainers } from '../../sim/apps/index.js';
import { parseHeyArgs } from '../../loadgen/heyFlags.js';
import { InputError } from '../../sim/errors.js';
import { checkTotalReplicas } from '../../sim/manifests/limits.js';
import type { RolloutSpec } from '../../sim/rollout/index.js';
import {
  joinPath,
  kustomizeBuild,
  kustomizeSetImage,
  loadManifestFile,
  OverlayFileSystem,
  type ManifestObject,
} from '../../sim/manifests/index.js';
import { parseRequestUrl } from '../../sim/mesh/index.js';
import { checkRolloutReferences, type RolloutObject } from '../lint/checkReferences.js';
import { checkTemplateSyntax, templateDefaults, type TemplateObject } from '../lint/checkTemplateSyntax.js';
import { firstError, type Finding } from '../lint/Finding.js';
import { didYouMean, objectKey as key } from '../lint/Known.js';
import { checkRunBounds } from './runBounds.js';
import { stateNatures, type RunKinds } from './stateSchema.js';
import type { Action, Condition, Scenario } from './types.js';
import {
  checkCondition,
  ConditionEvalError,
  parseCondition,
  type Nature,
} from '../../sim/analysis/condition/index.js';

function load(
  fs: OverlayFileSystem,
  dir: string,
  a: { kustomize?: string; file?: string },
): ManifestObject[] {
  return a.kustomize !== undefined
    ? kustomizeBuild(fs, joinPath(dir, a.kustomize))
    : loadManifestFile(fs, joinPath(dir, a.file!));
}

function checkUrl(a: Action, raw: string, sillyDemo: boolean): void {
  const u = parseRequestUrl(raw);
  if (typeof u === 'string') throw new InputError(u, a.pos);
  // Only silly-demo has endpoints whose effects are not simulated.
  if (sillyDemo && !isSimulatedPath(u.path))
    throw new InputError(
      `not supported by canarysim: silly-demo's ${u.path} endpoint is not simulated (only / is)`,
      a.pos,
    );
}

/**
 * Findings about manifests Argo accepts and then mishandles: a rehearsal plays them (and shows
 * what goes wrong); only `lint` reports them.
 */
const LINT_ONLY: ReadonlySet<string> = new Set(['managed-route-weighted', 'subset-not-found']);

/** The scenario runner stops at the first error-level finding; warnings are for `lint`. */
function throwFirst(findings: readonly Finding[]): void {
  const e = firstError(findings.filter((f) => !LINT_ONLY.has(f.rule)));
  if (e) throw e;
}

/**
 * Walks the timeline without running it, keeping track of what each apply creates, so every
 * reference (templates, args, Services, VirtualServices, routes, the workload) and every query and
 * condition is checked — with its file:line:col — before the first simulated second. Step, pre-
 * and post-promotion analyses are left to the simulation: Argo's validation makes such a Rollout
 * InvalidSpec (Degraded), which a rehearsal shows (`canarysim lint` reports them).
 */
export function validateScenario(sc: Scenario, base: OverlayFileSystem): void {
  checkRunBounds(sc);
  const fs = new OverlayFileSystem(base);
  const objects = new Map<string, ManifestObject>();
  const known = { objects, missing: 'timeline' } as const;
  const namespaces = new Set(Object.keys(sc.settings.namespaces));
  // Whether any workload of the timeline runs silly-demo (whose unsimulated endpoints are refused).
  let sillyDemo = false;
  const runsSillyDemo = (o: ManifestObject) => {
    const spec = o.spec as { template?: { containers?: { image: string }[] } } | undefined;
    return (spec?.template?.containers ?? []).some(
      (c) => parseImage(c.image).repository === SILLY_DEMO_REPOSITORY,
    );
  };
  const names = {
    rollouts: new Map<string, RunKinds>(),
    virtualServices: new Set<string>(),
    hey: new Set<string>(),
    queries: new Set<string>(),
    traffic: new Set<string>(),
  };
  for (const a of sc.timeline) {
    switch (a.type) {
      case 'apply': {
        const objs = load(fs, sc.dir, a);
        for (const o of objs) {
          if (o.kind === 'VirtualService') names.virtualServices.add(o.name);
          if (o.kind === 'Rollout') addRunKinds(names.rollouts, o.name, o.spec as RolloutSpec);
        }
        for (const o of objs) if (o.kind === 'Namespace') namespaces.add(o.name);
        for (const o of objs) {
          const bad = unsupportedContainers(o)[0];
          if (bad) throw bad.node.error(bad.message);
        }
        if (objs.some(runsSillyDemo)) sillyDemo = true;
        const rolloutKey = (o: ManifestObject) => key('Rollout', o.namespace ?? a.namespace, o.name);
        checkTotalReplicas(
          objs
            .filter((o) => o.kind === 'Rollout')
            .map((o) => ({ key: rolloutKey(o), replicas: (o.spec as RolloutSpec).replicas, node: o.node })),
          new Map(
            [...objects]
              .filter(([, o]) => o.kind === 'Rollout')
              .map(([k, o]) => [k, (o.spec as RolloutSpec).replicas]),
          ),
        );
        for (const o of objs) {
          const ns = o.namespaced ? (o.namespace ?? a.namespace) : undefined;
          if (ns !== undefined && !namespaces.has(ns)) {
            throw new InputError(
              `${o.kind} ${JSON.stringify(o.name)}: namespace ${JSON.stringify(ns)} does not exist (declare it under cluster.namespaces)`,
              o.node.pos(),
            );
          }
          objects.set(key(o.kind, ns, o.name), o);
          if (o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate') {
            const t = o as TemplateObject;
            throwFirst(checkTemplateSyntax(t, templateDefaults(t), 'skip').findings);
          }
        }
        for (const o of objs)
          if (o.kind === 'Rollout')
            throwFirst(
              checkRolloutReferences(
                o as RolloutObject,
                o.namespace ?? a.namespace,
                known,
                'skip',
                'background',
              ).findings,
            );
        break;
      }
      case 'delete':
        for (const o of load(fs, sc.dir, a))
          objects.delete(key(o.kind, o.namespaced ? (o.namespace ?? a.namespace) : undefined, o.name));
        break;
      case 'setImage':
        kustomizeSetImage(fs, joinPath(sc.dir, a.kustomization), a.image);
        break;
      case 'setRolloutImage':
      case 'promote':
      case 'abort':
      case 'retry':
      case 'pause':
      case 'get':
        if (!objects.has(key('Rollout', a.namespace, a.rollout))) {
          throw new InputError(
            `${a.type === 'setRolloutImage' ? 'setImage' : a.type}: Rollout ${JSON.stringify(a.rollout)} is not applied in namespace ${a.namespace} at this point of the timeline`,
            a.pos,
          );
        }
        break;
      case 'getVirtualService':
        if (!objects.has(key('VirtualService', a.namespace, a.name))) {
          throw new InputError(
            `getVirtualService: VirtualService ${JSON.stringify(a.name)} is not applied in namespace ${a.namespace} at this point of the timeline`,
            a.pos,
          );
        }
        break;
      case 'query':
        if (a.id !== undefined) names.queries.add(a.id);
        break;
      case 'traffic':
        names.traffic.add(a.spec.id);
        break;
      case 'hey': {
        names.hey.add(a.id);
        const o = parseHeyArgs(a.argv);
        if (o.extraArgs.length > 0)
          throw new InputError(
            `hey ignores arguments after the URL (${o.extraArgs.join(' ')}): put flags before the URL`,
            a.pos,
          );
        if (o.proxy) throw new InputError('not supported by canarysim: hey -x (an HTTP proxy)', a.pos);
        if (o.h2)
          throw new InputError('not supported by canarysim: hey -h2 (HTTP/2 is not simulated)', a.pos);
        if (o.output === 'csv')
          throw new InputError(
            'not supported by canarysim in virtual time: hey -o csv (one line per simulated request)',
            a.pos,
          );
        checkUrl(a, o.url, sillyDemo);
        break;
      }
      case 'curl':
        checkUrl(a, a.url, sillyDemo);
        break;
      default:
        break;
    }
  }
  const natures = stateNatures({
    rollouts: names.rollouts,
    virtualServices: [...names.virtualServices],
    hey: [...names.hey],
    queries: [...names.queries],
    traffic: [...names.traffic],
  });
  for (const c of [...sc.timeline, ...sc.expect])
    if ('condition' in c && 'condError' in c) checkStrictly(c, natures);
}

/**
 * A condition over the state must read fields and names the state can have: a misspelt field
 * would read nil (and `phas != "Healthy"` hold), a Rollout or query id the scenario never makes
 * would wait out its timeout. Refused at the misspelt member, with the closest name.
 */
function checkStrictly(c: Condition, natures: ReadonlyMap<string, Nature>): void {
  try {
    checkCondition(parseCondition(c.condition), natures);
  } catch (e) {
    if (!(e instanceof ConditionEvalError)) throw e;
    const hint = e.unknown ? didYouMean(e.unknown.name, e.unknown.candidates) : '';
    throw c.condError(e.offset ?? 0, `${e.message}${hint}`);
  }
}

/** Adds the runs a Rollout's manifest can create to what its name can create. */
function addRunKinds(out: Map<string, RunKinds>, name: string, spec: RolloutSpec): void {
  const k = out.get(name) ?? {
    background: false,
    steps: new Set<number>(),
    prePromotion: false,
    postPromotion: false,
  };
  const canary = spec.strategy.canary;
  const bg = spec.strategy.blueGreen;
  const steps = new Set(k.steps);
  canary?.steps.forEach((step, i) => {
    if (step.kind === 'analysis') steps.add(i);
  });
  out.set(name, {
    background: k.background || canary?.analysis !== undefined,
    steps,
    prePromotion: k.prePromotion || bg?.prePromotionAnalysis !== undefined,
    postPromotion: k.postPromotion || bg?.postPromotionAnalysis !== undefined,
  });
}
